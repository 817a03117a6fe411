"""Each applicant is eligible or not, with the criteria they did not meet, in words."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.config.program import AtLeastRule, EqualsRule, MinMonthsRule, OneOfRule, Program
from generator.validate.rows import Record


@dataclass(frozen=True)
class Screening:
    email: str
    eligible: bool
    unmet: tuple[str, ...]  # the criteria not met, as program.yml words them

    @property
    def explanation(self) -> str:
        return "meets every criterion" if self.eligible else "; ".join(self.unmet)


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


def screen(program: Program, applications: tuple[Record, ...]) -> tuple[Screening, ...]:
    """Every applicant's screening, in application order."""
    return tuple(screen_applicant(program, a) for a in applications)
