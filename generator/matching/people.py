"""Who can be matched, as plain records the algorithms read (converted once, at the boundary)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from generator.dates import long_date
from generator.records import EITHER, MENTOR, Application, Withdrawal
from generator.screen.eligibility import Screening
from generator.validate.workbook import Responses

__all__ = ["EITHER", "MENTOR", "Participant", "participants", "withdrawal_text", "department_key", "reporting_lines"]


@dataclass(frozen=True)
class Participant:
    id: str  # work email, lower case
    name: str
    department: str  # normalized, for comparisons
    department_label: str  # as typed, for reports
    campus: str
    virtual_only: bool
    years: float
    role_family: str
    wants: str  # the application's preferred_role answer
    expertise: frozenset[str]
    interests: frozenset[str]
    supervisor: str  # supervisor's email, lower case
    circle_preference: str
    listed: bool  # consented to be named on rosters
    mentor_trained: bool
    supervisor_confirmed: bool


def withdrawal_text(withdrawal: Withdrawal) -> str:
    """How a withdrawal reads on every staff page: 'withdrew on March 17, 2022 (Left the institution)'."""
    return f"withdrew on {long_date(withdrawal.date)} ({withdrawal.reason})"


def department_key(text: str) -> str:
    """'Medicine -  Cardiology ' and 'medicine - cardiology' are one department."""
    return " ".join(text.casefold().replace("&", "and").split())


def participants(responses: Responses, screenings: Iterable[Screening], as_of: dt.date | None,
                 training_module: str | None = None) -> tuple[tuple[Participant, ...], dict[str, str]]:
    """Eligible applicants still in the program on `as_of` (None: whatever their withdrawals), sorted
    by id; and why others are not.

    Sorting by id makes every algorithm independent of the sheet's row order.
    """
    records = responses.records
    apps = records.application_of()
    withdrawn = records.withdrawal_of()
    trained = {m.email for m in records.modules if m.module == training_module}
    confirmed = {s.email for s in records.support if s.confirmed}
    people, excluded = [], {}
    for s in screenings:
        w = withdrawn.get(s.email)
        if not s.eligible:
            excluded[s.email] = f"not eligible ({s.explanation})"
        elif not s.admitted:
            excluded[s.email] = s.admission or "not admitted"
        elif w is not None and as_of is not None and w.date <= as_of:
            excluded[s.email] = withdrawal_text(w)
        else:
            app = apps[s.email]
            # Supervisor support: confirmed by the committee, or a letter of support with the application.
            support = s.email in confirmed or app.letter_of_support
            people.append(_participant(app, s.email in trained, support))
    return tuple(sorted(people, key=lambda p: p.id)), excluded


def _participant(app: Application, trained: bool, confirmed: bool) -> Participant:
    return Participant(
        id=app.email, name=app.full_name, department=department_key(app.department), department_label=app.department,
        campus=app.campus, virtual_only=app.virtual_only, years=app.years, role_family=app.role_family,
        wants=app.preferred_role, expertise=app.expertise, interests=app.interests, supervisor=app.supervisor_email,
        circle_preference=app.circle_preference, listed=app.listed, mentor_trained=trained, supervisor_confirmed=confirmed,
    )


def reporting_lines(people: Iterable[Participant]) -> set[frozenset[str]]:
    """Pairs of participants where one supervises the other: never in one group."""
    ids = {p.id for p in people}
    return {frozenset((p.id, p.supervisor)) for p in people if p.supervisor in ids and p.supervisor != p.id}
