"""The pipeline's matching stage: both models to one list of placements staff can review."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.config.program import Program
from generator.matching.circles import CirclePlan, form_circles
from generator.matching.decisions import decisions_by_round
from generator.matching.people import Participant, participants
from generator.matching.rounds import RoundPlan, plan_year
from generator.screen.eligibility import Screening
from generator.validate.workbook import Responses

CIRCLES_ROUND = "circles"
ROW_FIELDS = ("round", "group_id", "person_id", "name", "role", "status", "score", "supervisor_support", "reasons")


@dataclass(frozen=True)
class MatchRow:
    """One person in one round: where they are placed, or why not."""

    round: str
    group_id: str
    person_id: str
    name: str
    role: str
    status: str  # proposed, approved, pinned, announced, locked; unmatched or sitting out
    score: float | None
    supervisor_support: str  # confirmed / pending
    reasons: str


@dataclass(frozen=True)
class Matching:
    model: str
    people: dict[str, Participant]
    circles: CirclePlan | None
    rounds: tuple[RoundPlan, ...]
    rows: tuple[MatchRow, ...]
    warnings: tuple[str, ...]


def _support(people: list[Participant]) -> str:
    pending = [p.name for p in people if not p.supervisor_confirmed]
    return "confirmed" if not pending else "pending: " + ", ".join(pending)


def match(program: Program, responses: Responses, screenings: tuple[Screening, ...], today: dt.date) -> Matching:
    """Circles as of today (or the cohort start, if earlier), or every plannable round of pairs."""
    decisions = decisions_by_round(responses.records.decisions)
    if program.model == "circles":
        as_of = max(today, program.dates.match_announcement)
        people, excluded = participants(responses, screenings, as_of)
        return _circles(program, people, decisions.get(CIRCLES_ROUND))
    people, excluded = participants(responses, screenings, today, program.pairs.mentor_training_module)
    continuing: dict[str, dict[str, bool]] = {}
    for c in responses.records.checkins:
        continuing.setdefault(c.quarter, {})[c.email] = c.wants_to_continue
    plans = plan_year(program, people, excluded, continuing, decisions, today)
    return _pairs(program, people, tuple(plans))


def _circles(program: Program, people: tuple[Participant, ...], decided) -> Matching:
    kept = {pl.person: gid for gid, placements in (decided.kept.items() if decided else ()) for pl in placements}
    status = {pl.person: pl.status for placements in (decided.kept.values() if decided else ()) for pl in placements}
    declined: dict[str, set[str]] = {}
    for gid, persons in (decided.declined.items() if decided else ()):
        for person in persons:
            declined.setdefault(person, set()).add(gid)
    assert program.circles is not None
    plan = form_circles(people, program.circles, kept, declined)
    by_id = {p.id: p for p in people}
    rows = []
    for circle in plan.circles:
        reasons = "; ".join(circle.reasons + circle.bends)
        for pid in circle.members:
            keeps = kept.get(pid) == circle.id
            rows.append(MatchRow(CIRCLES_ROUND, circle.id, pid, by_id[pid].name,
                                 "facilitator" if pid in circle.facilitators else "member",
                                 status[pid] if keeps else "proposed", circle.score, _support([by_id[pid]]), reasons))
    gone = sorted(set(kept) - set(by_id))
    warnings = list(decided.problems) if decided else []
    warnings += [f"{len(gone)} person(s) placed in announced circles are no longer taking part: their circles were checked again."] if gone else []
    if plan.moved_from_kept:
        warnings.append("Moved out of a kept circle to keep the rules: " + ", ".join(by_id[p].name for p in plan.moved_from_kept))
    return Matching("circles", by_id, plan, (), tuple(rows), tuple(list(plan.problems) + warnings))


def _pairs(program: Program, people: tuple[Participant, ...], plans: tuple[RoundPlan, ...]) -> Matching:
    by_id = {p.id: p for p in people}
    rows, warnings = [], []
    for plan in plans:
        if plan.result is None:
            continue
        for pair in plan.result.pairs:
            members = [by_id[m] for m, _ in pair.members]
            support = _support(members)
            status = plan.statuses.get(pair.id, "proposed")
            if status in ("announced", "locked") and support != "confirmed" and program.pairs.require_supervisor_support:
                warnings.append(f"{plan.quarter.name} {pair.id} was {status} before supervisor support was confirmed "
                                f"({support.removeprefix('pending: ')}).")
            reasons = "; ".join(pair.reasons + pair.bends)
            for pid, role in pair.members:
                rows.append(MatchRow(plan.quarter.name, pair.id, pid, by_id[pid].name, role, status, round(pair.score, 2),
                                     support, reasons))
        for pid, why in plan.result.unmatched:
            rows.append(MatchRow(plan.quarter.name, "", pid, by_id[pid].name, "", "unmatched", None, "", why))
        if plan.note:
            warnings.append(f"{plan.quarter.name}: {plan.note}")
    return Matching("rotating-pairs", by_id, None, plans, tuple(rows), tuple(warnings))
