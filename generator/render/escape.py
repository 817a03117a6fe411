"""Text from people is data: escape it for HTML and neutralize it for spreadsheets."""
from __future__ import annotations

import csv
import io
from typing import Iterable

from markupsafe import escape

#: Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def html(text: object) -> str:
    """HTML-escaped text, safe inside element content and quoted attributes."""
    return str(escape("" if text is None else str(text)))


def csv_cell(value: object) -> str:
    """A cell for a staff CSV export that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def to_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV for spreadsheets: every cell neutralized against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
