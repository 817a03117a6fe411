"""A workbook folder: one CSV file per sheet tab, named after the tab (the examples' data, a
program's own answers kept as files, or a snapshot of its Google Sheet).

Files arrive as spreadsheets export them: UTF-8 with or without a BOM, Excel's "Unicode
text" (UTF-16, tab-separated), Excel's CSV from a region with the decimal comma (semicolons), a
row pasted from a latin-1 file. What can be decoded is
decoded and said; nothing stops the build with a traceback.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SourceError
from generator.render.escape import FORMULA_PREFIXES
from generator.sources.table import Table, Workbook
from generator.validate import issues as act
from generator.validate.issues import DataIssue

# The csv module refuses fields over 128 KiB with an exception that names no file; a long
# cell is a data issue for validation to report, not a reason to stop reading.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def tab_path(folder: Path, tab: str) -> Path:
    return folder / f"{tab}.csv"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    fallback_lines: tuple[int, ...]  # lines that were not UTF-8 and were read as Windows-1252


def decode(data: bytes) -> Decoded:
    """Text by BOM, else UTF-8 line by line; a line that is not UTF-8 is read as Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding, ())
    try:
        return Decoded(data.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError:
        pass
    lines, fallback = [], []
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            fallback.append(number)
    return Decoded("".join(lines), "utf-8 (some lines windows-1252)", tuple(fallback))


def _needs_apostrophe(cell: str) -> bool:
    """Formula-like (the staff exports' own rule), or already starting with an apostrophe."""
    return cell.lstrip(" ").startswith(FORMULA_PREFIXES) or cell.startswith("'")


#: A cell whose first character is none of these can never need the apostrophe (no leading
#: space to strip, no prefix it could start): most cells, decided without a call.
_RISKY_FIRST = frozenset({" ", "'"} | {prefix[0] for prefix in FORMULA_PREFIXES})


def escape(cell: str) -> str:
    """A cell as a receiver or snapshot writes it: formula-like text behind an apostrophe, as a
    spreadsheet stores text typed with one; `unescape` drops exactly that apostrophe again."""
    return "'" + cell if _needs_apostrophe(cell) else cell


def unescape(cell: str) -> str:
    """Undo `escape` ("'=x" -> "=x"); any other cell is left as it is."""
    return cell[1:] if cell.startswith("'") and _needs_apostrophe(cell[1:]) else cell


_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(text: str) -> str:
    """Whichever separates the first line's columns most often: a tab for Excel's Unicode text, a
    semicolon for the CSV that Excel saves where the comma is the decimal mark; a comma on a tie."""
    first = _QUOTED.sub("", text.split("\n", 1)[0])  # a question's own commas or semicolons are quoted
    return max((",", "\t", ";"), key=first.count)


def parse_text(text: str, tab: str) -> tuple[Table, list[DataIssue]]:
    """CSV text (or tab-separated, as Excel's Unicode text is) as a table of text cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    lines: list[list[str]] = []
    issues: list[DataIssue] = []
    while True:
        try:
            lines.append(next(reader))
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(DataIssue(tab, reader.line_num, "", "", f"line could not be read as CSV ({exc})",
                                    act.ROW_LEFT_OUT))
    if not lines:
        return Table(header=(), rows=()), issues
    width = max(len(r) for r in lines)
    header = tuple(h.strip() for h in lines[0]) + ("",) * (width - len(lines[0]))
    rows = tuple(_unescaped(r) + ("",) * (width - len(r)) for r in lines[1:])
    return Table(header=header, rows=rows), issues


def _unescaped(cells: list[str]) -> tuple[str, ...]:
    """unescape() on each cell; a line with no cell starting with an apostrophe (nearly every
    line) is taken as it is, found in C: each cell follows a NUL in the joined text."""
    if ("\x00" + "\x00".join(cells)).find("\x00'") < 0:
        return tuple(cells)
    return tuple(map(unescape, cells))


def read_table(path: Path, tab: str | None = None) -> Table:
    """Every cell as text: no type guessing, so "007" and "Nan" arrive unchanged."""
    return read_tab(path, tab or path.stem)[0]


def read_tab(path: Path, tab: str) -> tuple[Table, list[DataIssue]]:
    """One tab's file, decoded as well as it can be, with what staff should know about it."""
    decoded = decode(path.read_bytes())
    table, issues = parse_text(decoded.text, tab)
    if _delimiter(decoded.text) == ";":
        issues.append(DataIssue(tab, None, "", ";", f"{path.name} separates its columns with semicolons, as Excel saves "
                                "CSV in regions where the comma is the decimal mark; it was read so (save it as CSV "
                                "UTF-8, comma-delimited, to avoid surprises)", act.READ_SEPARATED))
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        if decoded.fallback_lines:
            for line in decoded.fallback_lines:
                issues.append(DataIssue(tab, line, "", "", f"{path.name}: this line is not UTF-8; it was read as "
                                        "Windows-1252 (latin-1): check its accented letters, and save the file as "
                                        "CSV UTF-8", act.READ_AS))
        else:
            issues.append(DataIssue(tab, None, "", decoded.encoding, f"{path.name} is {decoded.encoding.upper()}, not "
                                    "UTF-8; it was read as such (save it as CSV UTF-8 to avoid surprises)", act.READ_AS))
    return table, issues


def read_workbook(folder: Path, tabs: list[str], locale: str = "en_US") -> Workbook:
    """Read the named tabs; a missing tab is reported, a missing folder stops the build."""
    if not folder.is_dir():
        raise SourceError(f"workbook folder {folder} does not exist (check 'source.path' in program.yml)")
    found: dict[str, Table] = {}
    missing = []
    issues: list[DataIssue] = []
    for tab in tabs:
        path = tab_path(folder, tab)
        if path.is_file():
            try:
                found[tab], problems = read_tab(path, tab)
            except OSError as exc:
                raise SourceError(f"{path} could not be read ({exc.strerror})") from None
            issues.extend(problems)
        else:
            missing.append(tab)
    issues += _look_alikes(folder, missing)
    return Workbook(tabs=found, origin=f"the workbook folder {folder}", missing=tuple(missing), locale=locale,
                    issues=tuple(issues), folder=folder)


def _look_alikes(folder: Path, missing: list[str]) -> list[DataIssue]:
    """A missing tab's file saved under another name or format (Applications.xlsx, applications.csv,
    "Applications .csv"): said beside the missing tab, with the name it must have."""
    if not missing:
        return []
    wanted = {tab.casefold().strip(): tab for tab in missing}
    return [DataIssue(wanted[key], None, "", path.name, f"{path.name} is not read: the tab's file must be named "
                      f"{tab_path(folder, wanted[key]).name}, saved as CSV UTF-8", act.TAB_MISSING)
            for path in sorted(folder.iterdir()) if (key := path.name.rsplit(".", 1)[0].casefold().strip()) in wanted]


def write_table(path: Path, table: Table) -> None:
    """Write a tab back in the same format (used by the demo generator and snapshots)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.header)
        risky = _RISKY_FIRST
        writer.writerows([escape(c) if c and c[0] in risky else c for c in row] for row in table.rows)


def existing_header(path: Path) -> tuple[str, ...]:
    """The header row a tab's file has now (empty if the file is missing or empty)."""
    if not path.is_file():
        return ()
    table, _ = parse_text(decode(path.read_bytes()).text.split("\n", 1)[0] + "\n", path.stem)
    return table.header


def append_row(path: Path, header: tuple[str, ...], row: list[str]) -> None:
    """Append one row (already laid out under `header`); writes the header first into a new file.

    A file without a final newline gets one first, so the row never glues onto the last one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes() if path.is_file() else b""
    decoded = decode(data)
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        raise SourceError(f"{path.name} is saved as {decoded.encoding}; save it as CSV UTF-8 before rows can be added")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=_delimiter(decoded.text))
    if not data.strip():
        writer.writerow(header)
    writer.writerow([escape(c) for c in row])
    prefix = "" if not data or data.endswith(b"\n") else "\r\n"
    with path.open("a" if data.strip() else "w", newline="", encoding="utf-8") as handle:
        handle.write(prefix + out.getvalue())
