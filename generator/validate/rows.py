"""Validate one tab against its form: header, every row, and the duplicate rule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from generator.config.forms import TIMESTAMP, Field, Form
from generator.sources.table import Table
from generator.validate import issues as act
from generator.validate.fields import clean_text, parse_answer, parse_timestamp
from generator.validate.conventions import US, Conventions
from generator.validate.header import resolve
from generator.validate.issues import DataIssue

_SHOWN = 120  # characters of a bad value quoted in the report
#: No answer is this long (a 500-word statement is ~4,000 characters): a pasted file or a runaway cell.
MAX_CELL = 20_000


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


def validate_row(form: Form, model: str, tab: str, row: int, cells: Mapping[str, str],
                 conv: Conventions = US) -> tuple[Record | None, list[DataIssue]]:
    """Parse one row; a problem in a required answer leaves the row out, in an optional one drops the value."""
    return _Rows(form, model, tab, conv).validate(row, cells)


class _Rows:
    """validate_row for every row of one tab: what is the same for each row (the questions, each
    one's parsed answers so far) worked out once, not once per row (115,000 rows at 5,000 people)."""

    def __init__(self, form: Form, model: str, tab: str, conv: Conventions) -> None:
        self.form, self.tab, self.conv = form, tab, conv
        # (question, its answers parsed so far, required, a problem leaves the row out). Most cells
        # repeat (options, ratings, dates), so a tab of 20,000 rows parses each distinct answer once.
        self.questions: tuple[tuple[Field, dict[str, tuple[Any, str | None]], bool, bool], ...] = tuple(
            (f, {}, f.required, f.required or f.id == form.identity) for f in form.fields_for(model))
        self.extras = form.extra_columns()

    def validate(self, row: int, cells: Mapping[str, str]) -> tuple[Record | None, list[DataIssue]]:
        tab, conv = self.tab, self.conv
        values: dict[str, Any] = {}
        issues: list[DataIssue] = []
        fatal = False
        raw_time = cells.get(TIMESTAMP, "")
        submitted = parse_timestamp(clean_text(raw_time), conv)
        if submitted is None:
            why = "submission time is missing" if not raw_time.strip() else "submission time is not a date and time"
            issues.append(DataIssue(tab, row, TIMESTAMP, shown(raw_time), why, act.ROW_LEFT_OUT))
            fatal = True
        for field, seen, required, essential in self.questions:
            raw = cells.get(field.id, "")
            parsed = seen.get(raw)
            if parsed is None:
                parsed = seen[raw] = (None, f"is {len(raw):,} characters long; at most {MAX_CELL:,} are read") \
                    if len(raw) > MAX_CELL else parse_answer(field, raw, conv)
            value, reason = parsed
            if reason is None and value is None and required:
                reason = "a required answer is missing"
            if reason is None:
                values[field.id] = value
                continue
            fatal = fatal or essential
            issues.append(DataIssue(tab, row, field.id, shown(raw), reason,
                                    act.ROW_LEFT_OUT if essential else act.VALUE_IGNORED))
            values[field.id] = None
        for extra in self.extras:
            values[extra] = clean_text(cells.get(extra, ""))
        if fatal or submitted is None:
            return None, [_as_left_out(i) for i in issues]
        return Record(self.form.id, row, submitted, MappingProxyType(values)), issues


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


def validate_tab(form: Form, model: str, tab: str, table: Table, conv: Conventions = US) -> TabResult:
    """Every row of a tab: accepted records (duplicates resolved) and every issue, located."""
    resolved = resolve(form, model, tab, table)
    table, issues = resolved.table, list(resolved.issues)
    accepted: list[Record] = []
    rows = _Rows(form, model, tab, conv)
    for row, cells in table.records():
        if not any(map(str.strip, cells.values())):  # every cell empty or spaces (stops at the first that is not)
            issues.append(DataIssue(tab, row, "", "", "row is blank", act.ROW_SKIPPED))
            continue
        record, row_issues = rows.validate(row, cells)
        issues.extend(row_issues)
        if record is not None:
            accepted.append(record)
    kept, dup_issues = keep_latest(form, tab, accepted)
    return TabResult(tuple(kept), tuple(issues + dup_issues))
