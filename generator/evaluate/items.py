"""One question's answers as a publishable item: true counts in a table, shown figures chosen safely.

Every figure an item shows (a response count, a bar, the share agreeing, the median) is
either one of the facts the publisher chose or follows from them exactly, so showing it
tells nothing the release check has not already judged.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median
from typing import Any, Sequence

from generator.config.forms import LIKERT_LABELS
from generator.evaluate.disclosure import Fact, Group, Table, answer_groups, derivable
from generator.evaluate.suppress import publish

#: Answers counted as agreeing on a five-point scale, and as "yes".
AGREE = (4, 5)
ALL = "All respondents"


@dataclass(frozen=True)
class Bar:
    label: str
    cells: frozenset[int]
    count: int | None  # None: not published
    share: float | None  # of the part's respondents


@dataclass(frozen=True)
class Part:
    """The answers of all respondents, or of one role, to one question."""

    name: str
    cells: frozenset[int]
    n: int | None
    bars: tuple[Bar, ...]
    agree_cells: frozenset[int]
    agree: int | None  # respondents agreeing (4-5) or answering yes, when it follows from the facts
    median: str | None  # the median answer, when every bar is published

    @property
    def agree_share(self) -> float | None:
        return None if self.agree is None or not self.n else self.agree / self.n


@dataclass(frozen=True)
class Item:
    table: str
    field: str
    question: str
    kind: str  # likert, yes_no, choice or number
    parts: tuple[Part, ...]  # all respondents first, then each role when the comparison is safe
    note: str = ""
    mean: float | None = None  # number questions: the average answer
    middle: float | None = None  # number questions: the median answer

    @property
    def overall(self) -> Part:
        return self.parts[0]


def scale(kind: str, options: Sequence[str]) -> list[tuple[Any, str]]:
    if kind == "likert":
        return [(i, label) for i, label in enumerate(LIKERT_LABELS, start=1)]
    if kind == "yes_no":
        return [(True, "Yes"), (False, "No")]
    return [(o, o) for o in options]


def _agree_keys(kind: str) -> tuple[Any, ...]:
    return AGREE if kind == "likert" else (True,) if kind == "yes_no" else ()


def summarize_item(key: str, field: str, question: str, kind: str, answers: Sequence[tuple[str, Any]],
                   options: Sequence[str], minimum: int, roles: dict[str, str] | None = None) -> tuple[Item, Table, tuple[Fact, ...]]:
    """One question: the table of true counts, the facts chosen to publish, and the item showing them.

    `answers` are (respondent, answer) pairs; `roles` names each respondent's role for a
    comparison between roles, shown only when every role's whole table, or at least every
    role's share agreeing, can be published.
    """
    labels = scale(kind, options)
    role_of = roles or {}
    names = sorted({role_of.get(who, "Other") for who, _ in answers}) if roles else [ALL]
    k = len(labels)
    index = {key_: i for i, (key_, _) in enumerate(labels)}
    counts = Counter((names.index(role_of.get(who, "Other")) if roles else 0, index[a]) for who, a in answers if a in index)
    values = tuple(counts.get((r, a), 0) for r in range(len(names)) for a in range(k))
    cell_names = tuple(f"{n}: {label}" for n in names for _, label in labels)

    def cells_of(r: int | None, a: int) -> frozenset[int]:
        return frozenset(rr * k + a for rr in range(len(names)) if r is None or rr == r)

    all_answers = [cells_of(None, a) for a in range(k)]
    groups: list[Group] = answer_groups("", all_answers, [label for _, label in labels])
    if len(names) > 1:
        for r, name in enumerate(names):
            groups += answer_groups(f"{name.lower()} ", [cells_of(r, a) for a in range(k)], [label for _, label in labels])
    table = Table(key, cell_names, values, tuple(groups), tuple(all_answers) if len(names) > 1 else ())
    everyone = frozenset(range(len(values)))
    candidates: list[list[Fact]] = [[Fact.of(key, everyone, f"{question}: responses")]]
    order = sorted(range(k), key=lambda a: (-sum(values[c] for c in all_answers[a]), a))
    candidates += [[Fact.of(key, all_answers[a], f"{question}: {labels[a][1]}")] for a in order]
    role_n = [sum(values[r * k:(r + 1) * k]) for r in range(len(names))]
    agree_at = [index[key_] for key_ in _agree_keys(kind)]
    if len(names) > 1 and min(role_n) >= minimum and "Other" not in names:
        candidates.append([Fact.of(key, cells_of(r, a), f"{question}: {names[r]}: {labels[a][1]}")
                           for r in range(len(names)) for a in range(k)])
        if len(agree_at) > 1:
            # Where the whole table by role would give someone away, the share agreeing by role
            # may not: each role's respondents and how many of them agreed, for every role or none.
            candidates.append([fact for r in range(len(names)) for fact in (
                Fact.of(key, frozenset().union(*(cells_of(r, a) for a in range(k))), f"{question}: {names[r]}: responses"),
                Fact.of(key, frozenset().union(*(cells_of(r, a) for a in agree_at)), f"{question}: {names[r]}: agreeing"))])
    facts = publish(table, candidates, minimum)
    if not facts or facts[0] != candidates[0][0]:
        facts = ()  # without a published count, nothing about the answers is shown (not even zeros)

    def part(name: str, r: int | None) -> Part:
        cells = frozenset().union(*(cells_of(r, a) for a in range(k)))
        n = sum(values[c] for c in cells)
        shown_n = n if derivable(table, facts, ((c, 1) for c in cells)) else None
        bars = []
        for a, (_, label) in enumerate(labels):
            bar_cells = cells_of(r, a)
            count = sum(values[c] for c in bar_cells)
            shown = derivable(table, facts, ((c, 1) for c in bar_cells))
            bars.append(Bar(label, bar_cells, count if shown else None, count / n if shown and n else None))
        agree_cells = frozenset().union(*(cells_of(r, a) for a in agree_at)) if agree_at else frozenset()
        agree = sum(values[c] for c in agree_cells)
        agree_shown = bool(agree_cells) and shown_n is not None and derivable(table, facts, ((c, 1) for c in agree_cells))
        middle = _median_label(bars) if kind == "likert" and n and all(b.count is not None for b in bars) else None
        return Part(name, cells, shown_n, tuple(bars), agree_cells, agree if agree_shown else None, middle)

    parts = [part(ALL, None)]
    if len(names) > 1:
        by_role = [part(name, r) for r, name in enumerate(names)]
        if all(all(b.count is not None for b in p.bars) or (p.n is not None and p.agree is not None) for p in by_role):
            parts += by_role
    note = ""
    if parts[0].n is not None and all(b.count is None for b in parts[0].bars):
        note = f"No breakdown: it would show how fewer than {minimum} people answered."
    return Item(key, field, question, kind, tuple(parts), note), table, facts


def _median_label(bars: Sequence[Bar]) -> str:
    """The median answer on the five-point scale ("between Neutral and Agree" when it falls between)."""
    m = median([a for a, b in enumerate(bars) for _ in range(b.count or 0)])
    low = int(m)
    return LIKERT_LABELS[low] if m == low else f"between {LIKERT_LABELS[low]} and {LIKERT_LABELS[low + 1]}"


def summarize_number(key: str, field: str, question: str, values: Sequence[float], minimum: int) -> tuple[Item, Table, tuple[Fact, ...]]:
    """A number question (meetings held): its average and median, for enough respondents only."""
    n = len(values)
    table = Table(key, ("respondents",), (n,), (Group("answering", frozenset({0})),))
    facts = publish(table, [[Fact.of(key, {0}, f"{question}: responses")]], minimum)
    shown = bool(facts)
    part = Part(ALL, frozenset({0}), n if shown else None, (), frozenset(), None, None)
    mean = round(sum(values) / n, 1) if shown else None
    return Item(key, field, question, "number", (part,), "" if shown else f"Fewer than {minimum} answers: not published.",
                mean, median(values) if shown else None), table, facts
