"""Every header layout the reader accepts, as a coordinator's sheet may have it, and the answers
one person posts: shared by the round-trip tests of both receivers."""
from __future__ import annotations

import datetime as dt
from typing import Any

from generator.config.forms import TIMESTAMP, TOKEN, Form
from generator.receiver.accept import accept_submission
from generator.sources.table import Table
from generator.validate.rows import validate_tab
from tests.helpers import application

NOW = dt.datetime(2021, 10, 20, 9, 5, 7)


def curly(text: str) -> str:
    return text.replace("'", "\u2019")


def layouts(form: Form, model: str) -> dict[str, list[str]]:
    """Header rows, by the name of the layout."""
    ids = form.columns_for(model)
    labels = ["Timestamp"] + [f.label for f in form.fields_for(model)] + (["token"] if form.signed else [])
    out = {
        "field ids": ids,
        "question texts (a Google Form's response sheet)": labels,
        "reordered, with a column staff added": list(reversed(ids[:5])) + ["Notes from staff"] + ids[5:],
        "curly quotes, stray spaces, capitals and '*'": [f"  {curly(h).upper()} *" for h in labels],
        "'email ' with a trailing space": [h + " " if h == form.identity else h for h in ids],
        "a question deleted and re-created in the form": labels + [form.field(form.identity).label],
    }
    if form.field(form.identity).type.value == "email":
        out["Google Forms' own 'Email Address' column"] = ["Timestamp", "Email Address"] + [
            f.label for f in form.fields_for(model) if f.id != form.identity] + (["token"] if form.signed else [])
    return out


def answers(form: Form, model: str) -> dict[str, list[str]]:
    """What a browser posts for one person: every question answered, some awkwardly."""
    row = application(full_name="Kim O\u2019Neil-Osei", email="kim.osei@ufhealth.example.edu",
                      job_title="=HYPERLINK(\"http://x\")", department="007 Cardiology, 1,2,3",
                      goals="Line one\nline two, with \"quotes\" and a NUL\x00", field_of_study="'Biology")
    row.pop(TIMESTAMP)
    posted: dict[str, list[str]] = {}
    for f in form.fields_for(model):
        value = row.get(f.id, "")
        if not value:
            value = {"date": "2021-09-01", "number": "3", "likert": "4", "yes_no": "Yes", "email": row["email"]}.get(
                f.type.value, f.options[0] if f.options else "Something to say")
        posted[f.id] = [v.strip() for v in value.split(",")] if f.type.value == "multiple_choice" else [value]
    return posted


def expected(form: Form, model: str, posted: dict[str, list[str]]) -> dict[str, Any]:
    """The values the build should read back: the submission as the receiver accepts it, parsed."""
    accepted = accept_submission(form, model, posted, NOW)
    assert accepted.row is not None, accepted.errors
    result = validate_tab(form, model, form.tab, Table(tuple(accepted.row), (tuple(accepted.row.values()),)))
    (record,) = result.records
    return {k: v for k, v in record.values.items() if k != TOKEN}


def read_back(form: Form, model: str, table: Table, email: str) -> dict[str, Any]:
    """The record the build accepts for this person from the tab, with no issue on that row."""
    result = validate_tab(form, model, form.tab, table)
    mine = [r for r in result.records if r.get(form.identity) == email]
    assert len(mine) == 1, [i for i in result.issues]
    row_issues = [i for i in result.issues if i.row == mine[0].row]
    assert not row_issues, row_issues
    return {k: v for k, v in mine[0].values.items() if k != TOKEN}
