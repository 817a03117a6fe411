"""Each applicant is eligible or not, with the criteria they did not meet, in words."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Mapping

from generator.config.program import AtLeastRule, EqualsRule, MinMonthsRule, OneOfRule, Program
from generator.validate.rows import Record


@dataclass(frozen=True)
class Screening:
    email: str
    eligible: bool
    unmet: tuple[str, ...]  # the criteria not met, as program.yml words them
    admitted: bool = False  # eligible and within the places (every eligible applicant, without a limit)
    waitlist: int | None = None  # position on the waiting list, from 1
    admission: str = ""  # why admitted first, or where on the list, in words
    joined: dt.date | None = None  # came off the waiting list on this day (a withdrawal freed the place)

    @property
    def explanation(self) -> str:
        return "meets every criterion" if self.eligible else "does not meet: " + "; ".join(self.unmet)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (a partial month does not count)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def rule_met(rule: Any, value: Any, program: Program) -> bool:
    """Whether one answer meets one rule; a missing answer never does."""
    if value is None:
        return False
    if isinstance(rule, EqualsRule):
        return value == rule.value
    if isinstance(rule, OneOfRule):
        return value in rule.values
    if isinstance(rule, AtLeastRule):
        return value >= rule.value
    if isinstance(rule, MinMonthsRule):
        reference = getattr(program.dates, rule.reference)
        return months_between(value, reference) >= rule.months
    raise TypeError(f"unknown rule {rule!r}")


def screen_applicant(program: Program, application: Record) -> Screening:
    unmet = tuple(r.criterion for r in program.eligibility if not rule_met(r, application.get(r.field), program))
    return Screening(application["email"], not unmet, unmet)


def screen(program: Program, applications: tuple[Record, ...],
           withdrawn: Mapping[str, dt.date] | None = None) -> tuple[Screening, ...]:
    """Every applicant's screening and admission, in application order.

    With `admission.places`, eligible applicants are ranked by the first configured preference
    they meet, then by when they applied. The first `places` are admitted; the rest wait in that
    order. Each withdrawal (in date order) frees a place for the next person waiting, who joins
    on that date: a withdrawal moves the list up, and never re-admits the past.
    """
    screenings = [screen_applicant(program, a) for a in applications]
    rules = program.admission
    withdrawn = withdrawn or {}
    if rules.places is None:
        return tuple(replace(s, admitted=s.eligible) for s in screenings)

    def rank(a: Record) -> tuple[int, dt.datetime, str]:
        first = next((i for i, p in enumerate(rules.prefer) if _answer(a.get(p.field)) & set(p.values)), len(rules.prefer))
        return first, a.submitted_at, a["email"]

    ranked = sorted((a for a, s in zip(applications, screenings) if s.eligible), key=rank)
    why = {a["email"]: _why(rules, a, rank(a)[0]) for a in ranked}
    admitted: dict[str, dt.date | None] = {a["email"]: None for a in ranked[:rules.places]}
    waiting = [a["email"] for a in ranked[rules.places:]]
    for email, day in sorted(withdrawn.items(), key=lambda item: (item[1], item[0])):
        if email in waiting:
            waiting.remove(email)
        elif email in admitted and waiting:
            promoted = waiting.pop(0)
            admitted[promoted] = day
    position = {email: n for n, email in enumerate(waiting, start=1)}

    def decided(s: Screening) -> Screening:
        if s.email in admitted:
            came = admitted[s.email]
            return replace(s, admitted=True, joined=came, admission=f"admitted ({why[s.email]})" + (
                f"; joined {came:%Y-%m-%d}, when a place came free" if came else ""))
        if s.email in position:
            n = position[s.email]
            return replace(s, waitlist=n, admission=f"waiting list, position {n} of {len(waiting)} "
                                                     f"({rules.places} places; {why[s.email]})")
        return s
    return tuple(decided(s) for s in screenings)


def _why(rules: Any, application: Record, pref: int) -> str:
    if pref == len(rules.prefer):
        return "by application date"
    p = rules.prefer[pref]
    return f"preferred: {p.field.replace('_', ' ')} {', '.join(sorted(_answer(application.get(p.field)) & set(p.values)))}"


def _answer(value: Any) -> set[str]:
    """An answer as a set of options (a multiple-choice answer is several)."""
    if value is None:
        return set()
    if isinstance(value, (set, frozenset, tuple, list)):
        return {str(v) for v in value}
    return {str(value)}
