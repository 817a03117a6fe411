"""A located problem in the data, for the staff data-issues report."""
from __future__ import annotations

from dataclasses import dataclass

# What the build did with the row or value, in the report's words.
ROW_LEFT_OUT = "row left out"
VALUE_IGNORED = "value ignored, rest of row kept"
SUPERSEDED = "superseded by a later submission"
COLUMN_IGNORED = "column ignored"
COLUMN_BLANK = "column read as blank"
COLUMNS_MERGED = "columns merged, row by row"
READ_AS = "file read, see the encoding"
READ_SEPARATED = "file read, see the separator"
TAB_MISSING = "tab read as empty"
ROW_SKIPPED = "blank row skipped"
QUARANTINED = "response quarantined (left out)"
KEPT_WITHOUT = "rows kept without this answer"


@dataclass(frozen=True)
class DataIssue:
    """One problem staff can find and fix: tab, sheet row, column, value, why, and what was done."""

    tab: str
    row: int | None  # the row number as the sheet shows it (header is row 1); None for the whole tab
    column: str
    value: str
    reason: str
    action: str

    def sort_key(self) -> tuple:
        return (self.tab, self.row or 0, self.column, self.reason)
