"""One submitted form, checked with the build's own row validation, as the row to append.

The row is written the way the build reads it back: answers cleaned (no control characters,
NFC), the timestamp in ISO form (unambiguous in every sheet locale), numbers with the
sheet's decimal mark, and checked once more under the sheet's conventions before it is
accepted, so a receiver never writes a row the build would then reject.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from generator.config.forms import TIMESTAMP, TOKEN, FieldType, Form
from generator.validate.conventions import US, Conventions
from generator.validate.fields import clean_text, parse_number
from generator.validate.rows import after_submitted, validate_row

#: A field people never see; bots fill it in. A submission with it is dropped quietly.
HONEYPOT = "website"
#: Tokens are URL-safe base64 (see validate.tokens); anything else is not a token.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{0,64}$")


@dataclass(frozen=True)
class Submission:
    row: dict[str, str] | None  # the cells to append, by column id; None if rejected
    errors: tuple[str, ...]  # what the person must fix, in their words
    spam: bool = False


def sheet_time(moment: dt.datetime) -> str:
    """The Timestamp as receivers write it: ISO date and time, read the same in every locale."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _answer(values: list[str]) -> str:
    cleaned = (unicodedata.normalize("NFC", clean_text(v)) for v in values)
    return ", ".join(v for v in cleaned if v)


def _for_sheet(form: Form, model: str, cells: dict[str, str], conv: Conventions) -> dict[str, str]:
    """Numbers with the sheet's decimal mark; everything else is already as the sheet reads it."""
    out = dict(cells)
    for field in form.fields_for(model):
        if field.type is FieldType.number and cells.get(field.id):
            value = parse_number(cells[field.id], US)
            if value is not None:
                text = f"{value:.10g}" if value != int(value) else str(int(value))
                out[field.id] = text.replace(".", conv.decimal)
    return out


def accept_submission(form: Form, model: str, posted: Mapping[str, list[str]], now: dt.datetime,
                      conv: Conventions = US) -> Submission:
    """Validate a submission as the build will validate its row; every problem is listed."""
    if any(v.strip() for v in posted.get(HONEYPOT, [])):
        return Submission(None, (), spam=True)
    cells = {TIMESTAMP: sheet_time(now)}
    for field in form.asked(model):
        cells[field.id] = _answer(posted.get(field.id, []))
    if form.signed:
        token = (posted.get(TOKEN) or [""])[0].strip()
        if not _TOKEN.match(token):
            return Submission(None, ("Your personal link is damaged: open the link from your email again.",))
        cells[TOKEN] = token
    labels = {f.id: f.label for f in form.fields}
    record, issues = validate_row(form, model, form.tab, 0, cells, US)
    if issues:
        return Submission(None, tuple(_said(labels.get(i.column, i.column), i.reason) for i in issues))
    assert record is not None
    late = [(f, why) for f in form.asked(model) if f.past_only and record.get(f.id) is not None
            and (why := after_submitted(f, record[f.id], now))]
    if late:  # the build would leave the row out
        return Submission(None, tuple(_said(f.label, why) for f, why in late))
    row = _for_sheet(form, model, cells, conv)
    _, issues = validate_row(form, model, form.tab, 0, row, conv)
    if issues:  # the sheet's locale could not hold an answer as given
        return Submission(None, tuple(_said(labels.get(i.column, i.column), i.reason) for i in issues))
    return Submission(row, ())


def _said(label: str, reason: str) -> str:
    """A question and what is wrong with its answer: "Campus: a required answer is missing", but
    "How can you attend? (a required answer is missing)", not "attend?: a ..." (Code.gs says the same)."""
    return f"{label} ({reason})" if label.endswith(("?", ":", "!")) else f"{label}: {reason}"
