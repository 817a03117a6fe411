"""Validate one tab against its form: header, every row, and the duplicate rule."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any, Mapping, Sequence

from generator.config.forms import TIMESTAMP, Field, Form
from generator.dates import long_date
from generator.sources.table import Table, cells_at, first_columns
from generator.validate import issues as act
from generator.validate.fields import clean_text, parse_answer, parse_timestamps
from generator.validate.conventions import US, Conventions
from generator.validate.header import resolve
from generator.validate.issues import DataIssue
from generator.words import counted

_SHOWN = 120  # characters of a bad value quoted in the report
#: No answer is this long (a 500-word statement is ~4,000 characters): a pasted file or a runaway cell.
MAX_CELL = 20_000


@dataclass(frozen=True, slots=True)
class Record:
    """One accepted response: its form, sheet row, submission time and parsed answers. (Slots: a
    20,000-person workbook has 460,000 of them, and an instance dictionary each was 46 MB.)"""

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


#: A `past_only` date may be this many days after the day it is submitted (a sheet or a receiver
#: in another time zone than the person); later, it cannot be the day something took place.
PAST_GRACE = dt.timedelta(days=1)


def after_submitted(field: Field, day: dt.date, submitted: dt.datetime) -> str | None:
    """Why a `past_only` date is not the day something took place, or None when it can be."""
    if day <= submitted.date() + PAST_GRACE:
        return None
    return (f"is after the day it was submitted ({long_date(submitted.date())}), and \"{field.label}\" asks when "
            "something took place: a typo in the date? Submit it again with the right date")


def validate_row(form: Form, model: str, tab: str, row: int, cells: Mapping[str, str],
                 conv: Conventions = US) -> tuple[Record | None, list[DataIssue]]:
    """Parse one row; a problem in a required answer leaves the row out, in an optional one drops the value."""
    records, found = _Rows(form, model, tab, conv).validate(tuple(cells), [tuple(cells.values())], [row])
    return records[0], found.get(0, [])


class _Rows:
    """validate_row for many rows of one tab at once, column by column: each column's distinct
    answers are parsed once (most cells repeat: options, ratings, dates), only a column with a bad
    answer is walked row by row, and each row's record is put together in one pass at the end
    (460,000 rows at 20,000 people: 4.4 s row by row, 2.5 s so)."""

    def __init__(self, form: Form, model: str, tab: str, conv: Conventions,
                 stages_read: frozenset[str] | None = None) -> None:
        self.form, self.tab, self.conv = form, tab, conv
        # (question, required, a problem leaves the row out)
        self.questions = tuple((f, f.required, f.required or f.id == form.identity) for f in form.fields_for(model))
        self.extras = form.extra_columns()
        #: With the fields the stages read, a required question no stage reads may be newer than
        #: the tab's first rows (see _predating); None: every row must answer it (a new submission).
        self.stages_read = stages_read
        #: What staff should know about the whole tab (rows kept without a newer question's answer).
        self.notes: list[DataIssue] = []

    def _predating(self, field: Field, answers: list[str], submitted: list[dt.datetime | None]) -> set[int]:
        """The rows submitted before a required question was first answered, blank in it: a question
        added to the form mid-year (hours spent, say) is newer than them, and they are kept without
        its answer, said once for the tab. (They were all left out: a year's check-ins at once.)"""
        if self.stages_read is None or field.id in self.stages_read or field.id == self.form.identity:
            return set()
        since = min((t for raw, t in zip(answers, submitted) if t is not None and raw.strip()), default=None)
        spared = {k for k, (raw, t) in enumerate(zip(answers, submitted))
                  if t is not None and not raw.strip() and (since is None or t < since)}
        if spared:
            first = f"was first answered on {long_date(since.date())}: the {counted(len(spared), 'row')} " \
                "submitted before then" if since else f"has no answer yet: the {counted(len(spared), 'row')}"
            self.notes.append(DataIssue(self.tab, None, field.id, "", f"\"{field.label}\" {first} predate the question "
                                        "(added to the form later) and are kept without its answer", act.KEPT_WITHOUT))
        return spared

    def validate(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]],
                 numbers: Sequence[int]) -> tuple[list[Record | None], dict[int, list[DataIssue]]]:
        """Each row's record (None if left out) and, by row index, each row's issues in column
        order. Cells are in `header` order (the first of two columns of one name counts), rows
        numbered as the sheet numbers them."""
        tab, conv, count = self.tab, self.conv, len(rows)
        place = first_columns(header)

        def column(name: str) -> list[str]:
            return list(map(itemgetter(place[name]), rows)) if name in place else [""] * count

        found: dict[int, list[DataIssue]] = {}  # row index -> its problems, in column order
        fatal: set[int] = set()
        times = column(TIMESTAMP)
        moment = parse_timestamps(set(times), conv)
        submitted = list(map(moment.__getitem__, times))
        if None in moment.values():
            for k, raw in enumerate(times):
                if moment[raw] is None:
                    why = "submission time is missing" if not raw.strip() else "submission time is not a date and time"
                    found.setdefault(k, []).append(DataIssue(tab, numbers[k], TIMESTAMP, shown(raw), why, act.ROW_LEFT_OUT))
                    fatal.add(k)
        values: list[list[Any]] = []
        for field, required, essential in self.questions:
            answers = column(field.id)
            value: dict[str, Any] = {}
            bad: dict[str, str] = {}
            for raw in set(answers):
                parsed, reason = (None, f"is {len(raw):,} characters long; at most {MAX_CELL:,} are read") \
                    if len(raw) > MAX_CELL else parse_answer(field, raw, conv)
                if reason is None and parsed is None and required:
                    reason = "a required answer is missing"
                value[raw] = None if reason else parsed
                if reason:
                    bad[raw] = reason
            values.append(list(map(value.__getitem__, answers)))
            if bad:
                action = act.ROW_LEFT_OUT if essential else act.VALUE_IGNORED
                spared = self._predating(field, answers, submitted) if required else set()
                for k, raw in enumerate(answers):
                    if raw in bad and k not in spared:
                        found.setdefault(k, []).append(DataIssue(tab, numbers[k], field.id, shown(raw), bad[raw], action))
                        if essential:
                            fatal.add(k)
        for extra in self.extras:
            answers = column(extra)
            cleaned = {raw: clean_text(raw) for raw in set(answers)}
            values.append(list(map(cleaned.__getitem__, answers)))
        ids = [f.id for f, _, _ in self.questions] + list(self.extras)
        form_id = self.form.id
        records: list[Record | None] = [
            Record(form_id, number, when, MappingProxyType(dict(zip(ids, row_values))))  # type: ignore[arg-type]
            for number, when, row_values in zip(numbers, submitted, zip(*values) if values else repeat(()))]
        for k in fatal:
            records[k] = None
            found[k] = [_as_left_out(i) for i in found[k]]
        return records, found


def _as_left_out(issue: DataIssue) -> DataIssue:
    return DataIssue(issue.tab, issue.row, issue.column, issue.value, issue.reason, act.ROW_LEFT_OUT)


_row = attrgetter("row")


def keep_latest(form: Form, tab: str, records: list[Record]) -> tuple[list[Record], list[DataIssue]]:
    """Of several submissions with the same key, the latest counts; the others are listed."""
    if not form.unique:
        return records, []
    answers = [rec.values for rec in records]
    keys = list(zip(*([_key(v) for v in map(itemgetter(k), answers)] for k in form.unique)))
    if len(set(keys)) == len(keys):  # each key once (the usual tab): every record counts
        return sorted(records, key=_row), []
    latest: dict[tuple, Record] = {}
    for key, rec in sorted(zip(keys, records), key=lambda pair: (pair[1].submitted_at, pair[1].row)):
        latest[key] = rec
    kept = sorted(latest.values(), key=_row)
    kept_rows = {r.row for r in kept}
    issues = []
    for key, rec in zip(keys, records):
        if rec.row not in kept_rows:
            winner = latest[key]
            shown_key = ", ".join(f"{k} {rec[k]}" for k in form.unique)
            issues.append(DataIssue(tab, rec.row, form.unique[0], str(rec[form.unique[0]]),
                                    f"duplicate submission ({shown_key}); row {winner.row} is the latest and counts",
                                    act.SUPERSEDED))
    return kept, issues


def _key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def validate_tab(form: Form, model: str, tab: str, table: Table, conv: Conventions = US,
                 stages_read: frozenset[str] | None = None) -> TabResult:
    """Every row of a tab: accepted records (duplicates resolved) and every issue, located. With
    `stages_read` (the fields the stages read), rows older than a required question no stage reads
    are kept without its answer."""
    resolved = resolve(form, model, tab, table)
    table, issues = resolved.table, list(resolved.issues)
    header = table.header
    # The cells read (the first column of a name, as for every answer); a row with none but
    # empty or spaces is blank (any() stops at the first that is not).
    firsts = sorted(first_columns(header).values())
    read = cells_at(firsts)
    every = len(firsts) == len(header)
    filled = [any(map(str.strip, cells if every else read(cells))) for cells in table.rows]
    numbers = [n for n, f in enumerate(filled, start=2) if f]
    rows = _Rows(form, model, tab, conv, stages_read)
    records, found = rows.validate(
        header, [cells for cells, f in zip(table.rows, filled) if f] if len(numbers) < len(filled) else table.rows, numbers)
    issues.extend(rows.notes)
    blank = [DataIssue(tab, n, "", "", "row is blank", act.ROW_SKIPPED) for n, f in enumerate(filled, start=2) if not f]
    # Issues in row order (each row's in column order), blank rows among them.
    located = sorted([(numbers[k], row_issues) for k, row_issues in found.items()] + [(i.row, [i]) for i in blank],
                     key=itemgetter(0))
    issues.extend(i for _, row_issues in located for i in row_issues)
    accepted = [r for r in records if r is not None]
    kept, dup_issues = keep_latest(form, tab, accepted)
    return TabResult(tuple(kept), tuple(issues + dup_issues))
