"""The bundled workbook: a folder with one CSV file per sheet tab, named after the tab."""
from __future__ import annotations

import csv
from pathlib import Path

from generator.errors import SourceError
from generator.sources.table import Table, Workbook


def tab_path(folder: Path, tab: str) -> Path:
    return folder / f"{tab}.csv"


def read_table(path: Path) -> Table:
    """Every cell as text: no type guessing, so "007" and "Nan" arrive unchanged."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    if not lines:
        return Table(header=(), rows=())
    header = tuple(h.strip() for h in lines[0])
    width = len(header)
    rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in lines[1:])
    return Table(header=header, rows=rows)


def read_workbook(folder: Path, tabs: list[str]) -> Workbook:
    """Read the named tabs; a missing tab is reported, a missing folder stops the build."""
    if not folder.is_dir():
        raise SourceError(f"workbook folder {folder} does not exist (check 'source.path' in program.yml)")
    found: dict[str, Table] = {}
    missing = []
    for tab in tabs:
        path = tab_path(folder, tab)
        if path.is_file():
            found[tab] = read_table(path)
        else:
            missing.append(tab)
    return Workbook(tabs=found, origin=f"bundled workbook {folder}", missing=tuple(missing))


def write_table(path: Path, table: Table) -> None:
    """Write a tab back in the same format (used by the demo generator and snapshots)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.header)
        writer.writerows(table.rows)


def append_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Append rows under the tab's existing header (creating the tab with `header` if needed)."""
    if path.is_file():
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), header)
    else:
        write_table(path, Table(tuple(header), ()))
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
