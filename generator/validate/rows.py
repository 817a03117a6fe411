"""Validate one tab against its form: header, every row, and the duplicate rule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from generator.config.forms import TIMESTAMP, Form
from generator.sources.table import Table
from generator.validate import issues as act
from generator.validate.fields import clean_text, parse_answer, parse_timestamp
from generator.validate.issues import DataIssue

_SHOWN = 120  # characters of a bad value quoted in the report


@dataclass(frozen=True)
class Record:
    """One accepted response: its form, sheet row, submission time and parsed answers."""

    form: str
    row: int
    submitted_at: dt.datetime
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class TabResult:
    records: tuple[Record, ...]
    issues: tuple[DataIssue, ...]


def shown(value: str) -> str:
    """A bad value as quoted in the report: cleaned and cut to a readable length."""
    text = clean_text(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _heading(text: str) -> str:
    return " ".join(text.casefold().replace("*", "").split()).rstrip(":?. ")


def resolve_header(form: Form, model: str, table: Table) -> Table:
    """Columns by field id, or by question text as a Google Form's response sheet names them
    (with "Timestamp" first). Anything else is reported by check_header as not a question."""
    by_label = {_heading(f.label): f.id for f in form.fields_for(model)}
    by_label["timestamp"] = TIMESTAMP
    ids = set(form.columns_for(model))
    header = [name if name in ids else by_label.get(_heading(name), name) for name in table.header]
    return Table(tuple(header), table.rows)


def check_header(form: Form, model: str, tab: str, table: Table) -> list[DataIssue]:
    """Missing, extra and duplicate columns, each located on the header row."""
    expected = form.columns_for(model)
    found: list[str] = []
    issues = []
    for name in table.header:
        if name in found:
            issues.append(DataIssue(tab, 1, name, name, "column header appears twice; the first column is used", act.COLUMN_IGNORED))
        found.append(name)
    for name in expected:
        if name not in found:
            issues.append(DataIssue(tab, 1, name, "", "expected column is missing", act.COLUMN_BLANK))
    for name in dict.fromkeys(found):
        if name and name not in expected:
            issues.append(DataIssue(tab, 1, name, name, f"column is not a question of the {form.title} form", act.COLUMN_IGNORED))
    return issues


def validate_row(form: Form, model: str, tab: str, row: int, cells: Mapping[str, str]) -> tuple[Record | None, list[DataIssue]]:
    """Parse one row; a problem in a required answer leaves the row out, in an optional one drops the value."""
    values: dict[str, Any] = {}
    issues: list[DataIssue] = []
    fatal = False
    raw_time = cells.get(TIMESTAMP, "")
    submitted = parse_timestamp(clean_text(raw_time))
    if submitted is None:
        why = "submission time is missing" if not raw_time.strip() else "submission time is not a date and time"
        issues.append(DataIssue(tab, row, TIMESTAMP, shown(raw_time), why, act.ROW_LEFT_OUT))
        fatal = True
    for field in form.fields_for(model):
        raw = cells.get(field.id, "")
        value, reason = parse_answer(field, raw)
        if reason is None and value is None and field.required:
            reason = "a required answer is missing"
        if reason is None:
            values[field.id] = value
            continue
        essential = field.required or field.id == form.identity
        fatal = fatal or essential
        issues.append(DataIssue(tab, row, field.id, shown(raw), reason, act.ROW_LEFT_OUT if essential else act.VALUE_IGNORED))
        values[field.id] = None
    for extra in form.extra_columns():
        values[extra] = clean_text(cells.get(extra, ""))
    if fatal or submitted is None:
        issues = [_as_left_out(i) for i in issues]
        return None, issues
    return Record(form.id, row, submitted, MappingProxyType(values)), issues


def _as_left_out(issue: DataIssue) -> DataIssue:
    return DataIssue(issue.tab, issue.row, issue.column, issue.value, issue.reason, act.ROW_LEFT_OUT)


def keep_latest(form: Form, tab: str, records: list[Record]) -> tuple[list[Record], list[DataIssue]]:
    """Of several submissions with the same key, the latest counts; the others are listed."""
    if not form.unique:
        return records, []
    latest: dict[tuple, Record] = {}
    for rec in sorted(records, key=lambda r: (r.submitted_at, r.row)):
        latest[tuple(_key(rec[k]) for k in form.unique)] = rec
    kept = sorted(latest.values(), key=lambda r: r.row)
    kept_rows = {r.row for r in kept}
    issues = []
    for rec in records:
        if rec.row not in kept_rows:
            winner = latest[tuple(_key(rec[k]) for k in form.unique)]
            key = ", ".join(f"{k} {rec[k]}" for k in form.unique)
            issues.append(DataIssue(tab, rec.row, form.unique[0], str(rec[form.unique[0]]),
                                    f"duplicate submission ({key}); row {winner.row} is the latest and counts",
                                    act.SUPERSEDED))
    return kept, issues


def _key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def validate_tab(form: Form, model: str, tab: str, table: Table) -> TabResult:
    """Every row of a tab: accepted records (duplicates resolved) and every issue, located."""
    table = resolve_header(form, model, table)
    issues = check_header(form, model, tab, table)
    accepted: list[Record] = []
    for row, cells in table.records():
        if not any(v.strip() for v in cells.values()):
            issues.append(DataIssue(tab, row, "", "", "row is blank", act.ROW_SKIPPED))
            continue
        record, row_issues = validate_row(form, model, tab, row, cells)
        issues.extend(row_issues)
        if record is not None:
            accepted.append(record)
    kept, dup_issues = keep_latest(form, tab, accepted)
    return TabResult(tuple(kept), tuple(issues + dup_issues))
