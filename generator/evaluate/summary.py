"""Evaluation results a program can publish: response rates, items by survey and round, comparisons,
the focus-group codebook. Small groups never show, directly or by arithmetic (see disclosure.py)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from generator.config.forms import FieldType, Form
from generator.config.program import Program
from generator.evaluate.disclosure import Fact, Group, Table, answer_groups, derivable
from generator.evaluate.items import Item, summarize_item, summarize_number
from generator.evaluate.scrub import name_words, scrub
from generator.evaluate.suppress import publish
from generator.matching.stage import Matching
from generator.schedule.events import checkin_key, survey_dates
from generator.screen.eligibility import Screening
from generator.validate.rows import Record
from generator.validate.workbook import Responses

MAX_COMMENTS = 8
CODEBOOK_TABLE = "Focus group: excerpts by code"
SURVEYS = ("midpoint", "final")
_KINDS = {FieldType.likert: "likert", FieldType.yes_no: "yes_no", FieldType.single_choice: "choice"}
_ROLE_NAMES = {"facilitator": "Facilitators", "member": "Members", "mentor": "Mentors", "mentee": "Mentees",
               "peer": "Peers"}


@dataclass(frozen=True)
class Section:
    """One survey (or one round of check-ins): who was asked, who answered, what they said."""

    key: str
    title: str
    due: dt.date
    invited: int | None  # taking part on the due date, so asked to answer (None: not published)
    respondents: int | None  # None: fewer than the minimum answered, nothing is published
    items: tuple[Item, ...] = ()
    comments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (question, scrubbed answers)
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """The same question across surveys or rounds: (section title, respondents, share agreeing)."""

    question: str
    rows: tuple[tuple[str, int, float], ...]


@dataclass(frozen=True)
class CodeCount:
    name: str
    definition: str
    question: str
    cells: frozenset[int]
    count: int | None
    subcodes: tuple[tuple[str, frozenset[int], int | None], ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    held_on: dt.date | None
    attendees: int | None
    excerpts: int | None
    codes: tuple[CodeCount, ...]
    uncoded: int  # excerpts whose code or second-level code is not in the codebook (staff fix them)


@dataclass(frozen=True)
class Participation:
    """How many were admitted and how many still take part (as of the build day), where publishable.

    Withdrawals are people too: the counts "taking part then" on each survey's date, side by
    side, tell how many left between two dates, so they are cells of one table the release
    check judges like any answer."""

    admitted: int | None
    active: int | None
    #: The cells of the participation table behind each figure, for the release check.
    admitted_cells: frozenset[int] = frozenset()
    active_cells: frozenset[int] = frozenset()
    on: tuple[tuple[dt.date, frozenset[int]], ...] = ()

    def cells_on(self, day: dt.date) -> frozenset[int]:
        return dict(self.on)[day]


@dataclass(frozen=True)
class Summary:
    min_group: int
    comment_min: int
    participation: Participation
    sections: tuple[Section, ...]  # mid-program and final evaluations
    rounds: tuple[Section, ...]  # check-ins, one per round
    comparisons: tuple[Comparison, ...]
    codebook: Codebook | None
    #: The true counts behind every published figure: for the release check, never shown.
    tables: tuple[Table, ...]
    #: Whose answers a round's check-in counts, where not everyone's (pairs).
    rounds_note: str = ""


PARTICIPATION_TABLE = "Taking part: withdrawals between survey dates"
ROUNDS_NOTE = ("Each round counts the answers of those matched in it: someone who sat a round out answers its "
               "check-in only to be matched in the next.")


def participation(admitted: Iterable[str], withdrawn_on: Mapping[str, dt.date], dates: Iterable[dt.date],
                  minimum: int) -> tuple[Participation, dict[dt.date, int | None], Table]:
    """Who was taking part on each survey's date, as a table of withdrawals between those dates.

    Cell i holds those who withdrew after date i-1 and on or before date i; the next cell those
    who withdrew after the last date; the last cell those still taking part. "Taking part on
    date i" is the sum of the cells after i. Every run of consecutive cells is a group (the
    people who left between two dates), so no published count can be subtracted from another
    to show that fewer than the minimum left in between.
    """
    days = sorted(set(dates))
    values = [0] * (len(days) + 2)
    for email in admitted:
        left = withdrawn_on.get(email)
        values[len(days) + 1 if left is None else next((i for i, d in enumerate(days) if left <= d), len(days))] += 1
    names = [f"withdrew by {d.isoformat()}" for d in days] + ["withdrew after the last survey", "still taking part"]
    groups = tuple(Group(" and ".join(dict.fromkeys((names[a], names[b]))), frozenset(range(a, b + 1)))
                   for a in range(len(values)) for b in range(a, len(values)))
    table = Table(PARTICIPATION_TABLE, tuple(names), tuple(values), groups)
    everyone, still = frozenset(range(len(values))), frozenset({len(values) - 1})
    on = {d: frozenset(range(i + 1, len(values))) for i, d in enumerate(days)}
    candidates = [[Fact.of(table.key, everyone, "admitted"), Fact.of(table.key, still, "still taking part")]]
    candidates += [[Fact.of(table.key, on[d], f"taking part on {d.isoformat()}")] for d in days]
    facts = publish(table, candidates, minimum)

    def shown(cells: frozenset[int]) -> int | None:
        return sum(values[i] for i in cells) if derivable(table, facts, ((i, 1) for i in cells)) else None

    return (Participation(shown(everyone), shown(still), everyone, still, tuple(on.items())),
            {d: shown(on[d]) for d in days}, table)


def respondents_table(title: str) -> str:
    return f"{title}: respondents"


def summarize_section(key: str, title: str, due: dt.date, invited: int | None, form: Form, model: str,
                      records: Sequence[Record], program: Program, names: frozenset[str],
                      roles: dict[str, str] | None = None, skip: Iterable[str] = ()) -> tuple[Section, list[Table]]:
    minimum, comment_min = program.privacy.min_group_size, program.privacy.min_comment_group
    head = Table(respondents_table(title), ("respondents",), (len(records),), (Group("answering", frozenset({0})),))
    if not records:
        return Section(key, title, due, invited, None, note="No responses yet."), [head]
    if not publish(head, [[Fact.of(head.key, {0}, "respondents")]], minimum):
        return Section(key, title, due, invited, None,
                       note=f"Results appear once at least {minimum} people have answered."), [head]
    items, tables, comments = [], [head], []
    for f in form.fields_for(model):
        if f.personal or f.id in skip:
            continue
        answered = [(r[form.identity], r.get(f.id)) for r in records if r.get(f.id) is not None]
        if not answered:
            continue  # an optional question nobody answered (or a sheet without its column yet)
        table_key = f"{title}: {f.label}"
        if f.type in _KINDS:
            item, table, _ = summarize_item(table_key, f.id, f.label, _KINDS[f.type], answered, f.options, minimum, roles)
        elif f.type is FieldType.number:
            item, table, _ = summarize_number(table_key, f.id, f.label, [float(v) for _, v in answered], minimum)
        elif f.free_text:
            writers = [v for _, v in answered if v.strip()]
            if len(writers) >= comment_min:  # words identify people sooner than numbers do
                comments.append((f.label, tuple(sorted({scrub(v, names) for v in set(writers)})[:MAX_COMMENTS])))
            continue
        else:
            continue
        items.append(item)
        tables.append(table)
    return Section(key, title, due, invited, len(records), tuple(items), tuple(comments)), tables


def _roles(matching: Matching, round_name: str) -> dict[str, str]:
    return {r.person_id: _ROLE_NAMES.get(r.role, r.role.title()) for r in matching.rows if r.round == round_name and r.role}


def comparisons(sections: Sequence[Section]) -> tuple[Comparison, ...]:
    """Questions asked in more than one survey or round, side by side, where each share is published."""
    by_field: dict[str, list[tuple[str, Item]]] = {}
    for section in sections:
        for item in section.items:
            if item.kind in ("likert", "yes_no"):
                by_field.setdefault(item.field, []).append((section.title, item))
    out = []
    for entries in by_field.values():
        rows = tuple((title, item.overall.n, item.overall.agree_share) for title, item in entries
                     if item.overall.n is not None and item.overall.agree_share is not None)
        if len(rows) > 1:
            out.append(Comparison(entries[-1][1].question, rows))  # type: ignore[arg-type]
    return tuple(out)


def summarize_codebook(program: Program, responses: Responses, names: frozenset[str]) -> tuple[Codebook | None, Table | None]:
    """Focus-group excerpts counted per first- and second-level code, under the same rules as answers."""
    book = program.evaluation.codebook
    excerpts = responses.records.excerpts
    if not book or not excerpts:
        return None, None
    minimum = program.privacy.min_group_size
    cells = [(c.name, s) for c in book for s in c.subcodes]
    index = {cell: i for i, cell in enumerate(cells)}
    counted = Counter((e.code, e.subcode) for e in excerpts if (e.code, e.subcode) in index)
    values = tuple(counted.get(cell, 0) for cell in cells)
    code_cells = {c.name: frozenset(index[(c.name, s)] for s in c.subcodes) for c in book}
    groups = answer_groups("excerpts ", [code_cells[c.name] for c in book], [c.name for c in book])
    for c in book:
        groups += answer_groups(f"{c.name} excerpts ", [frozenset({index[(c.name, s)]}) for s in c.subcodes], list(c.subcodes))
    key = CODEBOOK_TABLE
    table = Table(key, tuple(f"{c}: {s}" for c, s in cells), values, tuple(groups))
    everything = frozenset(range(len(cells)))
    candidates = [[Fact.of(key, everything, "excerpts")]]
    candidates += [[Fact.of(key, code_cells[c.name], c.name)]
                   for c in sorted(book, key=lambda c: -sum(values[i] for i in code_cells[c.name]))]
    candidates += [[Fact.of(key, {index[cell]}, f"{cell[0]}: {cell[1]}")] for cell in sorted(cells, key=lambda x: -values[index[x]])]
    facts = publish(table, candidates, minimum)

    def shown(cells_: frozenset[int]) -> int | None:
        return sum(values[i] for i in cells_) if cells_ and derivable(table, facts, ((i, 1) for i in cells_)) else None

    fg = program.evaluation.focus_group
    quotes_ok = fg is not None and fg.attendees >= program.privacy.min_comment_group
    codes = []
    for c in book:
        quotes = tuple(sorted({scrub(e.text, names) for e in excerpts if e.code == c.name and (e.code, e.subcode) in index}))[:2] \
            if quotes_ok else ()
        codes.append(CodeCount(c.name, c.definition, c.question, code_cells[c.name], shown(code_cells[c.name]),
                               tuple((s, frozenset({index[(c.name, s)]}), shown(frozenset({index[(c.name, s)]}))) for s in c.subcodes),
                               quotes))
    uncoded = sum(1 for e in excerpts if (e.code, e.subcode) not in index)
    return Codebook(fg.held_on if fg else None, fg.attendees if fg else None, shown(everything), tuple(codes), uncoded), table


def summarize(program: Program, forms: dict[str, Form], responses: Responses, screenings: Sequence[Screening],
              matching: Matching) -> Summary:
    """Everything publishable about the evaluations, with nobody identifiable."""
    records = responses.records
    names = name_words([a.full_name for a in records.applications] + [a.supervisor_name for a in records.applications])
    due = survey_dates(program)
    circles_roles = _roles(matching, "circles") if program.model == "circles" else None
    by_round: dict[str, list[Record]] = {}
    if "checkin" in forms:
        for r in responses.of("checkin"):
            by_round.setdefault(str(r["quarter"]), []).append(r)
    round_names = sorted(by_round, key=lambda q: due.get(q, program.dates.cohort_end))
    surveys = [fid for fid in SURVEYS if fid in forms]
    taking, invited, people = participation(
        [s.email for s in screenings if s.admitted], {e: w.date for e, w in records.withdrawal_of().items()},
        [due[fid] for fid in surveys] + [due.get(q, program.dates.cohort_end) for q in round_names],
        program.privacy.min_group_size)
    sections, rounds, tables = [], [], [people]
    for fid in surveys:
        section, t = summarize_section(fid, forms[fid].title, due[fid], invited[due[fid]],
                                       forms[fid], program.model, responses.of(fid), program, names, circles_roles)
        sections.append(section)
        tables += t
    for name in round_names:
        when = due.get(name, program.dates.cohort_end)
        # Pairs: the round as those in it saw it. Someone who sat it out answered only to be matched
        # in the next (no meetings, no match to rate): their zero would read as pairs meeting less.
        # (A circle is the whole cohort; one left by a withdrawal is in no row today, yet was in it.)
        if program.model == "circles":
            roles, answers = circles_roles, by_round[name]
        else:
            roles = _roles(matching, name)
            answers = [r for r in by_round[name] if r["email"] in roles]
        section, t = summarize_section(checkin_key(name), f"{name} check-in", when, invited[when],
                                       forms["checkin"], program.model, answers, program, names, roles, skip=("quarter",))
        rounds.append(section)
        tables += t
    codebook, code_table = summarize_codebook(program, responses, names)
    if code_table is not None:
        tables.append(code_table)
    return Summary(program.privacy.min_group_size, program.privacy.min_comment_group, taking, tuple(sections), tuple(rounds),
                   comparisons(sections) + comparisons(rounds), codebook, tuple(tables),
                   "" if program.model == "circles" else ROUNDS_NOTE)
