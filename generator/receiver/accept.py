"""One submitted form, checked with the build's own row validation, as the row to append."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from generator.config.forms import TIMESTAMP, Form
from generator.validate.rows import validate_row

#: A field people never see; bots fill it in. A submission with it is dropped quietly.
HONEYPOT = "website"


@dataclass(frozen=True)
class Submission:
    row: dict[str, str] | None  # the cells to append, by column; None if rejected
    errors: tuple[str, ...]  # what the person must fix, in their words
    spam: bool = False


def sheet_time(moment: dt.datetime) -> str:
    """The Timestamp as a Google Form's response sheet writes it."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment.minute:02d}:{moment.second:02d}"


def accept_submission(form: Form, model: str, posted: Mapping[str, list[str]], now: dt.datetime) -> Submission:
    """Validate a submission as the build will validate its row; every problem is listed."""
    if any(v.strip() for v in posted.get(HONEYPOT, [])):
        return Submission(None, (), spam=True)
    cells = {TIMESTAMP: sheet_time(now)}
    for field in form.fields_for(model):
        cells[field.id] = ", ".join(v.strip() for v in posted.get(field.id, []) if v.strip())
    for extra in form.extra_columns():
        cells[extra] = (posted.get(extra) or [""])[0].strip()
    _, issues = validate_row(form, model, form.tab, 0, cells)
    if issues:
        labels = {f.id: f.label for f in form.fields}
        return Submission(None, tuple(f"{labels.get(i.column, i.column)}: {i.reason}" for i in issues))
    return Submission(cells, ())
