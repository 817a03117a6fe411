"""Progress for staff and facilitators: modules, meetings, check-ins, withdrawals, completion."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.config.program import Program
from generator.matching.people import withdrawal_text
from generator.matching.stage import Matching
from generator.screen.eligibility import Screening
from generator.validate.workbook import Responses

GAP = 0.6  # a module fewer than 60% of a circle have completed is a knowledge gap to discuss


@dataclass(frozen=True)
class PersonProgress:
    name: str
    email: str
    group: str  # circle or this year's latest pair
    status: str  # active, or withdrew with date and reason
    modules_done: int
    modules_total: int
    mean_score: float | None
    meetings: int
    minutes: int
    checkins: int
    complete: bool  # all modules done and still active at the end: certificate and training record


@dataclass(frozen=True)
class CircleGaps:
    circle: str
    members: int
    gaps: tuple[str, ...]  # "Risk-Based Monitoring: 2 of 6 completed"


@dataclass(frozen=True)
class Progress:
    people: tuple[PersonProgress, ...]
    attrition: str
    reasons: tuple[tuple[str, int], ...]
    circles: tuple[CircleGaps, ...]


def progress(program: Program, responses: Responses, screenings: tuple[Screening, ...], matching: Matching,
             today: dt.date) -> Progress:
    """Everyone admitted, with what they have done so far; withdrawals are counted with reasons."""
    records = responses.records
    apps = records.application_of()
    admitted = [s.email for s in screenings if s.eligible]
    withdrawn = records.withdrawal_of()
    modules = {m.id: m.title for m in program.curriculum if m.knowledge_check or program.model == "circles"}
    done: dict[str, dict[str, float | None]] = defaultdict(dict)
    # Only what had happened by `today`: a report "as of" a date counts nothing later.
    for m in records.modules:
        if m.module in modules and m.completed_on <= today:
            done[m.email][m.module] = m.score
    meetings: dict[str, list[float]] = defaultdict(list)
    for meeting in records.meetings:
        if meeting.date <= today:
            meetings[meeting.email].append(meeting.minutes)
    checkins = Counter(c.email for c in records.checkins if c.submitted_at.date() <= today)
    group = {r.person_id: r.group_id for r in matching.rows if r.group_id}
    finished = today >= program.dates.cohort_end
    people = []
    for email in sorted(admitted, key=lambda e: apps[e].full_name):
        w = withdrawn.get(email)
        left = w is not None and w.date <= today
        status = withdrawal_text(w) if w is not None and left else "active"
        scores = [s for s in done[email].values() if s is not None]
        people.append(PersonProgress(
            apps[email].full_name, email, group.get(email, ""), status, len(done[email]), len(modules),
            round(sum(scores) / len(scores), 1) if scores else None, len(meetings[email]), int(sum(meetings[email])),
            checkins[email], finished and not left and len(done[email]) == len(modules)))
    reasons = Counter(w.reason for e, w in withdrawn.items() if e in set(admitted) and w.date <= today)
    total = sum(reasons.values())
    detail = ", ".join(f"{n} {r.lower()}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
    attrition = f"{total} of {len(admitted)} withdrew" + (f": {detail}" if total else "")
    circles = _gaps(matching, done, modules) if matching.circles is not None else ()
    return Progress(tuple(people), attrition, tuple(sorted(reasons.items())), circles)


def _gaps(matching: Matching, done: dict[str, dict], modules: dict[str, str]) -> tuple[CircleGaps, ...]:
    """For facilitators: modules most of the circle has not completed yet."""
    out = []
    for circle in matching.circles.circles:  # type: ignore[union-attr]
        members = circle.members
        gaps = []
        for module_id, title in modules.items():
            n = sum(module_id in done[m] for m in members)
            if members and n / len(members) < GAP:
                gaps.append(f"{title}: {n} of {len(members)} completed")
        out.append(CircleGaps(circle.id, len(members), tuple(gaps)))
    return tuple(out)
