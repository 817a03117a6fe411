"""Evaluation results in aggregate: small groups suppressed, free text scrubbed, charts with tables."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from generator.config.forms import LIKERT_LABELS, FieldType, Form
from generator.evaluate.scrub import name_words, scrub
from generator.records import CheckIn
from generator.validate.workbook import Responses

MAX_COMMENTS = 8


@dataclass(frozen=True)
class Bar:
    label: str
    count: int | None  # None: suppressed (fewer than the minimum group size)
    share: float  # of respondents, 0 to 1 (0 when suppressed)


@dataclass(frozen=True)
class Item:
    question: str
    kind: str  # "likert", "yes_no" or "choice"
    bars: tuple[Bar, ...]
    headline: str  # e.g. "82% agree (mean 4.2 of 5)"


@dataclass(frozen=True)
class Section:
    title: str
    respondents: int
    suppressed: bool
    items: tuple[Item, ...] = ()
    comments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (question, scrubbed answers)
    note: str = ""


@dataclass(frozen=True)
class Summary:
    min_group: int
    sections: tuple[Section, ...]
    checkins: tuple[tuple[str, int, str], ...] = field(default=())  # (quarter, respondents, line)
    codes: tuple[tuple[str, int, tuple[tuple[str, int, str], ...]], ...] = field(default=())  # focus group


def _bars(counts: Counter, labels: list[tuple[object, str]], total: int, minimum: int) -> tuple[Bar, ...]:
    bars = []
    for key, label in labels:
        n = counts.get(key, 0)
        hidden = 0 < n < minimum
        bars.append(Bar(label, None if hidden else n, 0.0 if hidden else n / total))
    return tuple(bars)


def summarize_item(question: str, kind: str, values: list, options: Iterable[str], minimum: int) -> Item:
    """One question's answers as bars; any cell of fewer than `minimum` people is hidden."""
    total = len(values)
    counts = Counter(values)
    if kind == "likert":
        bars = _bars(counts, [(i, f"{i} {label}") for i, label in enumerate(LIKERT_LABELS, start=1)], total, minimum)
        agree = sum(counts[i] for i in (4, 5)) / total
        headline = f"{agree:.0%} agree or strongly agree (mean {sum(values) / total:.1f} of 5)"
    elif kind == "yes_no":
        bars = _bars(counts, [(True, "Yes"), (False, "No")], total, minimum)
        headline = f"{counts[True] / total:.0%} yes"
    else:
        bars = _bars(counts, [(o, o) for o in options], total, minimum)
        top = max(bars, key=lambda b: b.count or 0)
        headline = f"most often: {top.label}"
    return Item(question, kind, bars, headline)


def summarize_form(form: Form, model: str, records: Iterable, minimum: int, names: frozenset[str]) -> Section:
    records = list(records)
    if len(records) < minimum:
        return Section(form.title, len(records), True,
                       note=f"{len(records)} response(s): fewer than {minimum}, so nothing is published.")
    items, comments = [], []
    for f in form.fields_for(model):
        if f.personal:
            continue
        values = [r.get(f.id) for r in records if r.get(f.id) is not None]
        if f.type in (FieldType.likert, FieldType.yes_no, FieldType.single_choice) and len(values) >= minimum:
            kind = {FieldType.likert: "likert", FieldType.yes_no: "yes_no"}.get(f.type, "choice")
            items.append(summarize_item(f.label, kind, values, f.options, minimum))
        elif f.free_text and len(values) >= minimum:
            cleaned = sorted({scrub(v, names) for v in values if v.strip()})
            comments.append((f.label, tuple(cleaned[:MAX_COMMENTS])))
    return Section(form.title, len(records), False, tuple(items), tuple(comments))


def summarize(forms: dict[str, Form], model: str, responses: Responses, minimum: int) -> Summary:
    """Everything publishable about the evaluations, with nobody identifiable."""
    records = responses.records
    people = [a.full_name for a in records.applications] + [a.supervisor_name for a in records.applications]
    names = name_words(people)
    sections = tuple(summarize_form(forms[fid], model, responses.of(fid), minimum, names)
                     for fid in ("midpoint", "final") if fid in forms)
    checkins = []
    by_quarter: dict[str, list[CheckIn]] = {}
    for c in records.checkins:
        by_quarter.setdefault(c.quarter, []).append(c)
    for quarter in sorted(by_quarter):
        rows = by_quarter[quarter]
        if len(rows) < minimum:
            checkins.append((quarter, len(rows), f"fewer than {minimum} answers: not published"))
            continue
        satisfied = sum(r.satisfaction >= 4 for r in rows) / len(rows)
        continuing = sum(r.wants_to_continue for r in rows) / len(rows)
        meetings = sum(r.meetings_held for r in rows) / len(rows)
        checkins.append((quarter, len(rows), f"{satisfied:.0%} satisfied, {continuing:.0%} want to continue, "
                                             f"{meetings:.1f} meetings on average"))
    codes = []
    excerpts = records.excerpts
    for code in sorted({e.code for e in excerpts}):
        sub = Counter(e.subcode for e in excerpts if e.code == code)
        examples = tuple((s, n, scrub(next(e.text for e in excerpts if e.code == code and e.subcode == s), names))
                         for s, n in sorted(sub.items()))
        codes.append((code, sum(sub.values()), examples))
    return Summary(minimum, sections, tuple(checkins), tuple(codes))
