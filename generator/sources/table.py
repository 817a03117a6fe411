"""The shape every source returns: tabs of text cells exactly as the sheet holds them."""
from __future__ import annotations

import datetime as dt
from operator import itemgetter
from pathlib import Path
from typing import Callable, Sequence

from dataclasses import dataclass, field, replace

from generator.validate.issues import DataIssue


def first_columns(header: Sequence[str]) -> dict[str, int]:
    """Each column name's first column: of two columns with one name, the first is the one read
    (as `Table.records` reads them)."""
    place: dict[str, int] = {}
    for i, name in enumerate(header):
        place.setdefault(name, i)
    return place


def cells_at(columns: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """A row's cells in these columns, as a tuple (itemgetter, in C, where it gives one: with
    a single column it would give the bare cell)."""
    if len(columns) > 1:
        return itemgetter(*columns)
    return lambda cells: tuple(cells[i] for i in columns)


@dataclass(frozen=True)
class Table:
    """One sheet tab: a header row and data rows, every cell a string."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(sheet row number, {column: text}) per data row; the first of duplicate headers wins."""
        header = self.header
        if len(set(header)) == len(header):  # the usual sheet: each row is one dict(zip()), in C
            return [(offset + 2, dict(zip(header, cells))) for offset, cells in enumerate(self.rows)]
        out = []
        for offset, cells in enumerate(self.rows):
            record: dict[str, str] = {}
            for name, value in zip(header, cells):
                record.setdefault(name, value)
            out.append((offset + 2, record))
        return out


@dataclass(frozen=True)
class Workbook:
    """The tabs a source could read, and which it could not find."""

    tabs: dict[str, Table]
    origin: str  # said on the staff report: where the data came from
    missing: tuple[str, ...] = field(default=())
    notice: str = ""  # something staff must know about this read (e.g. built from an old snapshot)
    #: The spreadsheet's locale, which decides how its dates and numbers are written.
    locale: str = "en_US"
    #: Problems met while reading the files themselves (encoding, a broken line), located.
    issues: tuple[DataIssue, ...] = ()
    #: When the source could not be read and the build fell back to a snapshot: when it was taken (UTC).
    snapshot_taken: dt.datetime | None = None
    #: Rows per tab as read, for tabs whose cells were let go after validation (see `validated`).
    counts: dict[str, int] = field(default_factory=dict)
    #: The program's workbook folder when its CSV files are the data (None: a Google Sheet, or a
    #: snapshot of one): sent messages and published matches are then recorded in those files.
    folder: Path | None = None

    def rows_in(self, tab: str) -> int:
        """How many data rows the tab had when it was read."""
        return self.counts.get(tab, len(self.tabs[tab].rows))

    def validated(self, keep: set[str]) -> "Workbook":
        """This workbook without the cells of its tabs (headers and row counts stay), but for the
        tabs in `keep`: once validated, rows live on as typed records, and the raw cells of a
        5,000-person workbook (80 MB) need not be held until the build ends."""
        return replace(self, tabs={name: table if name in keep else Table(table.header, ())
                                   for name, table in self.tabs.items()},
                       counts={name: self.rows_in(name) for name in self.tabs})
