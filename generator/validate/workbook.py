"""Validate every tab of a program's workbook and link responses to applicants."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from generator.config.forms import TOKEN, Field, Form
from generator.dates import long_date
from generator.config.program import LoadedProgram, Program
from generator.sources.table import Table, Workbook, first_columns
from generator.validate import issues as act
from generator.validate.conventions import conventions
from generator.validate.issues import DataIssue
from generator.validate.rows import Record, after_submitted, validate_tab
from generator.validate.tokens import SECRET_ENV, verify
from generator.records import stages_read
from generator.words import counted, listed, options

if TYPE_CHECKING:
    from generator.records import Records


@dataclass(frozen=True)
class Responses:
    """Accepted records per form id, and every data issue found on the way."""

    by_form: dict[str, tuple[Record, ...]]
    issues: tuple[DataIssue, ...]
    notes: tuple[str, ...] = ()  # what staff should know about how the data was checked

    @cached_property
    def records(self) -> "Records":
        """The same responses as typed records, for the stages (built once, on first use)."""
        from generator.records import typed

        return typed(self.by_form)

    def of(self, form_id: str) -> tuple[Record, ...]:
        return self.by_form.get(form_id, ())

    def as_of(self, today: dt.date) -> "Responses":
        """What was known on `today`: rows submitted, and events dated, on or before it.

        The one place "as of" is decided; every stage and page after it sees only this view,
        so a build dated in November shows November on every page and report. Data issues
        stay whole: a bad row is worth fixing whatever its date.
        """
        from generator.records import EVENT_DATES

        kept: dict[str, tuple[Record, ...]] = {}
        later = 0
        for form_id, records in self.by_form.items():
            event = EVENT_DATES.get(form_id)
            kept[form_id] = tuple(r for r in records if r.submitted_at.date() <= today
                                  and (event is None or r[event] is None or r[event] <= today))
            later += len(records) - len(kept[form_id])
        note = (f"As of {long_date(today)}: {counted(later, 'row')} submitted or dated later "
                f"{'is' if later == 1 else 'are'} not counted.",) if later else ()
        return replace(self, by_form=kept, notes=self.notes + note)


def validate_workbook(loaded: LoadedProgram, workbook: Workbook, secret: str | None = None) -> Responses:
    """All forms of the program: per-tab validation, then links to applicants, modules and tokens."""
    model = loaded.program.model
    conv = conventions(workbook.locale)
    by_form: dict[str, tuple[Record, ...]] = {}
    issues: list[DataIssue] = list(workbook.issues)
    for form_id, form in loaded.forms.items():
        tab = loaded.tab_of(form_id)
        if tab in workbook.missing or tab not in workbook.tabs:
            issues.append(DataIssue(tab, None, "", "", f"tab for the {form.title} form was not found", act.TAB_MISSING))
            by_form[form_id] = ()
            continue
        result = validate_tab(form, model, tab, workbook.tabs[tab], conv, stages_read(form_id, model))
        by_form[form_id] = result.records
        issues.extend(result.issues)
    applicants = {r["email"] for r in by_form.get("application", ())}
    app_tab = loaded.tab_of("application") if "application" in loaded.forms else ""
    left_out = _left_out(app_tab, workbook.tabs.get(app_tab), "email", issues)
    modules = {m.id for m in loaded.program.curriculum}
    for form_id, form in loaded.forms.items():
        if form_id == "application" or not form.links_to_applicant:
            continue
        kept, link_issues = _link(loaded.tab_of(form_id), form.identity, by_form[form_id], applicants,
                                  left_out, app_tab)
        if form_id == "module_progress":
            kept, module_issues = _known_modules(loaded.tab_of(form_id), kept, modules)
            link_issues += module_issues
        if form.signed and secret:
            kept, token_issues = _signed(loaded.tab_of(form_id), loaded.program.slug, form, kept, secret)
            link_issues += token_issues
        by_form[form_id] = kept
        issues.extend(link_issues)
    for form_id, (first, last) in _program_spans(loaded).items():
        if by_form.get(form_id):
            by_form[form_id], outside = _within(loaded.tab_of(form_id), form_id, by_form[form_id], first, last)
            issues.extend(outside)
    for form_id, form in loaded.forms.items():
        for field in form.fields_for(model):
            if field.past_only and by_form.get(form_id):
                by_form[form_id], ahead = _not_after_submitted(loaded.tab_of(form_id), field, by_form[form_id])
                issues.extend(ahead)
    if by_form.get("checkin"):
        by_form["checkin"], early = _checkins_in_time(loaded.tab_of("checkin"), by_form["checkin"], loaded.program)
        issues.extend(early)
    signed = [f.title for f in loaded.forms.values() if f.signed]
    notes = () if secret or not signed else (
        f"Response tokens were not checked ({', '.join(signed)}): set {SECRET_ENV} to check them.",)
    return Responses(by_form, tuple(sorted(issues, key=DataIssue.sort_key)), notes)


def with_tab(loaded: LoadedProgram, responses: Responses, form_id: str, table: Table) -> Responses:
    """`responses` with one form's tab read again from `table`: validated and linked to the
    applicants as `validate_workbook` does, for a tab with no other check (not signed, no module
    ids, no program dates): the demo's Matches tab as it grows round by round, without validating
    every other tab again."""
    form = loaded.forms[form_id]
    assert not form.signed and form_id != "module_progress" and form_id not in _program_spans(loaded), \
        f"with_tab reads a tab checked only by itself and its link to the applicants, not {form_id}"
    tab = loaded.tab_of(form_id)
    result = validate_tab(form, loaded.program.model, tab, table, conventions(None))
    records, issues = result.records, list(result.issues)
    if form.links_to_applicant:
        records, link_issues = _link(tab, form.identity, records, {r["email"] for r in responses.of("application")},
                                     {}, loaded.tab_of("application"))
        issues += link_issues
    kept = tuple(i for i in responses.issues if i.tab != tab)
    return replace(responses, by_form={**responses.by_form, form_id: records},
                   issues=tuple(sorted(kept + tuple(issues), key=DataIssue.sort_key)))


def _signed(tab: str, program: str, form: Form, records: tuple[Record, ...], secret: str) -> tuple[tuple[Record, ...], list[DataIssue]]:
    """Responses whose link token does not match their email are quarantined, not counted.

    A row with a staff-only column filled was entered by staff in the sheet: it needs no token.
    """
    by_staff = [f.id for f in form.fields if f.staff_only]
    kept, issues = [], []
    for rec in records:
        token = rec.get(TOKEN) or ""
        if any(rec.get(f) not in (None, "") for f in by_staff) or verify(secret, program, rec[form.identity], token,
                                                                           form.signed_by):
            kept.append(rec)
        else:
            why = "has no token from a personal link" if not token else "token does not match this email (forged or altered link)"
            issues.append(DataIssue(tab, rec.row, TOKEN, token[:12], f"response {why}", act.QUARANTINED))
    return tuple(kept), issues


def _left_out(tab: str, table: Table | None, identity: str, issues: list[DataIssue]) -> dict[str, int]:
    """The emails of application rows left out for a bad answer, each with its first such row:
    the rows that link to them then say where the fix is, instead of only that no application
    has their email (one bad date in an application left out all that person's rows, each
    looking like a problem of its own)."""
    rows = {i.row for i in issues if i.tab == tab and i.action == act.ROW_LEFT_OUT and i.row}
    column = first_columns(table.header).get(identity) if table is not None and rows else None
    if table is None or column is None:
        return {}
    found: dict[str, int] = {}
    for offset, cells in enumerate(table.rows):
        if offset + 2 in rows and column < len(cells) and cells[column].strip():
            found.setdefault(cells[column].strip().lower(), offset + 2)
    return found


def _link(tab: str, identity: str, records: tuple[Record, ...], applicants: set[str], left_out: dict[str, int],
          app_tab: str) -> tuple[tuple[Record, ...], list[DataIssue]]:
    if all(rec.values[identity] in applicants for rec in records):  # the usual tab: every row is an applicant's
        return records, []
    kept, issues = [], []
    for rec in records:
        if rec[identity] in applicants:
            kept.append(rec)
        else:
            row = left_out.get(rec[identity])
            why = (f"this person's application was left out ({app_tab} row {row}): fix that row and this one counts"
                   if row else "no accepted application has this email")
            issues.append(DataIssue(tab, rec.row, identity, rec[identity], why, act.ROW_LEFT_OUT))
    return tuple(kept), issues


def _program_spans(loaded: LoadedProgram) -> dict[str, tuple[dt.date, dt.date]]:
    """The dates a meeting or a withdrawal can have (its form's event date, `EVENT_DATES`): a
    meeting within the program, a withdrawal from the day applications opened (an admitted person
    can leave before the start) to its end. (Modules are left alone: mentor training comes before
    the start, and a module finished after the end may still be counted.)"""
    d = loaded.program.dates
    return {"meeting_log": (d.cohort_start, d.cohort_end), "withdrawal": (d.application_open, d.cohort_end)}


def _within(tab: str, form_id: str, records: tuple[Record, ...], first: dt.date,
            last: dt.date) -> tuple[tuple[Record, ...], list[DataIssue]]:
    """Rows whose date lies outside the program are left out, each named: a year typed wrong
    (1900, 2099) would otherwise count as a meeting, or be waited for as a later one."""
    from generator.records import EVENT_DATES

    field = EVENT_DATES[form_id]
    if all(rec.values[field] is None or first <= rec.values[field] <= last for rec in records):
        return records, []
    kept, issues = [], []
    for rec in records:
        day = rec.values[field]
        if day is None or first <= day <= last:
            kept.append(rec)
        else:
            issues.append(DataIssue(tab, rec.row, field, day.isoformat(),
                                    f"is outside the program ({long_date(first)} to {long_date(last)}): "
                                    "a typo in the date?", act.ROW_LEFT_OUT))
    return tuple(kept), issues


def _not_after_submitted(tab: str, field: Field, records: tuple[Record, ...]) -> tuple[tuple[Record, ...], list[DataIssue]]:
    """A `past_only` date (a meeting held) after the day its row was submitted is a typo, or
    something logged in advance and perhaps never done: the row is left out, named, rather than
    counted (in a later round) from that day on (rows.after_submitted, the receivers' rule too)."""
    late = [(rec, why) for rec in records if rec.values.get(field.id) is not None
            and (why := after_submitted(field, rec.values[field.id], rec.submitted_at))]
    if not late:
        return records, []
    issues = [DataIssue(tab, rec.row, field.id, rec[field.id].isoformat(), why, act.ROW_LEFT_OUT) for rec, why in late]
    gone = {rec.row for rec, _ in late}
    return tuple(rec for rec in records if rec.row not in gone), issues


def _checkins_in_time(tab: str, records: tuple[Record, ...], program: Program) -> tuple[tuple[Record, ...], list[DataIssue]]:
    """A check-in is about a quarter the program has one for, answered once that quarter has
    begun: from the day the previous quarter's check-in was due (the program's first day for the
    first). An answer before then (Q3 chosen in June, meant for Q2) or for a quarter with no
    check-in (Q4 in a nine-month cohort) would count as that quarter's, reminder and all: it is
    left out, and the row says what to change."""
    from generator.schedule.events import survey_dates  # here: the schedule reads validate's issues

    due = sorted((day, key) for key, day in survey_dates(program).items() if key not in ("midpoint", "final"))
    if not due:
        return records, []
    # quarter -> the day its check-in opens, and why then
    opens = {key: (due[n - 1][0], f"when the {due[n - 1][1]} check-in was due") if n
             else (program.dates.cohort_start, "the program's first day") for n, (_, key) in enumerate(due)}
    kept, issues = [], []
    for rec in records:
        quarter, day = str(rec["quarter"]), rec.submitted_at.date()
        if quarter not in opens:
            why = (f"{quarter} has no check-in in this program (its check-ins: {listed([k for _, k in due])}): if "
                   "another quarter was meant, change it in this row")
        elif day < opens[quarter][0]:
            first, then = opens[quarter]
            why = (f"answered on {long_date(day)}, before the {quarter} check-in opened on {long_date(first)} ({then}): "
                   "if another quarter was meant, change it in this row")
        else:
            kept.append(rec)
            continue
        issues.append(DataIssue(tab, rec.row, "quarter", quarter, why, act.ROW_LEFT_OUT))
    return (records, []) if not issues else (tuple(kept), issues)


def _known_modules(tab: str, records: tuple[Record, ...], modules: set[str]) -> tuple[tuple[Record, ...], list[DataIssue]]:
    kept, issues = [], []
    for rec in records:
        if rec["module"] in modules:
            kept.append(rec)
        else:
            issues.append(DataIssue(tab, rec.row, "module", rec["module"],
                                    f"is not a module of the curriculum: {options(sorted(modules))}", act.ROW_LEFT_OUT))
    return tuple(kept), issues
