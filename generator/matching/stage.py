"""The pipeline's matching stage: both models to one list of placements staff can review."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.config.program import Program
from generator.dates import long_date
from generator.matching.check import Violation, check_year
from generator.matching.circles import CirclePlan, form_circles
from generator.matching.decisions import RoundDecisions, decisions_by_round, declined_pairs
from generator.matching.people import Participant, participants
from generator.records import LOCKED, Withdrawal
from generator.screen.eligibility import Screening
from generator.validate.workbook import Responses
from generator.words import counted, listed

if TYPE_CHECKING:  # the rounds (numpy, scipy) load only for a rotating-pairs program
    from generator.matching.rounds import RoundPlan

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
    warnings: tuple[str, ...]  # said once, at the top of the match report
    violations: tuple[Violation, ...] = ()  # hard rules the final groups break, from the one checker
    #: Of the warnings, those saying the cohort itself cannot meet the rules (too few facilitators,
    #: nobody trained to mentor in a round): what `check` asks staff to fix before building.
    shortfalls: tuple[str, ...] = ()
    #: While applications come in, a sentence saying the groups are drawn from those admitted so
    #: far: the match report shows it, and `check` then notes shortfalls instead of asking to fix them.
    provisional: str = ""
    #: Announced placements the plan proposes to change (a circle member moved to fill a circle
    #: withdrawals left too small): until staff announce the move, what the person and their
    #: circle were told, and what pages, rosters and messages show (`as_told`).
    told: tuple[MatchRow, ...] = ()
    #: Of the violations, those in circles with members staff locked, while the cohort runs: the
    #: matcher never moves a locked person, so they stay until staff change the Matches tab
    #: (`check` notes them instead of asking to fix them).
    locked_broken: tuple[Violation, ...] = ()

    @property
    def as_told(self) -> tuple[MatchRow, ...]:
        """The rows as people see them: the plan's, but a proposed move's person in the group
        they were told (staff review the plan itself: `rows`, matches.csv)."""
        if not self.told:
            return self.rows
        moved = {(r.round, r.person_id) for r in self.told}
        return tuple(r for r in self.rows if (r.round, r.person_id) not in moved) + self.told

    def broken(self, round_name: str, group: str = "") -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.round == round_name and (not group or v.group == group))


def _support(people: list[Participant]) -> str:
    pending = [p.name for p in people if not p.supervisor_confirmed]
    return "confirmed" if not pending else "pending: " + ", ".join(pending)


def match(program: Program, responses: Responses, screenings: tuple[Screening, ...], today: dt.date) -> Matching:
    """Circles as of today (or the cohort start, if earlier), or every plannable round of pairs."""
    decisions = decisions_by_round(responses.records.decisions)
    if program.model == "circles":
        as_of = max(today, program.dates.match_announcement)
        people, excluded = participants(responses, screenings, as_of)
        found = circles_matching(program, people, decisions.get(CIRCLES_ROUND), program.dates.ended(today))
        if program.dates.applications_closed(today):
            return found
        return replace(found, provisional=(
            f"Applications are open until {long_date(program.dates.application_close)}: these circles are drawn from "
            f"the {counted(len(people), 'person', 'people')} admitted so far, to show where the cohort stands; "
            "they are formed once applications close."))
    # Everyone eligible: a withdrawal acts from its date on, round by round (plan_year).
    people, _ = participants(responses, screenings, None, program.pairs.mentor_training_module)
    ids = {p.id for p in people}
    withdrawn = {pid: w for pid, w in responses.records.withdrawal_of().items() if pid in ids}
    continuing: dict[str, dict[str, bool]] = {}
    for c in responses.records.checkins:
        continuing.setdefault(c.quarter, {})[c.email] = c.wants_to_continue
    joined = {s.email: s.joined for s in screenings if s.joined is not None}
    return pairs_matching(program, people, withdrawn, continuing, decisions, today, joined)


def pairs_matching(program: Program, people: tuple[Participant, ...], withdrawn: dict[str, Withdrawal],
                   continuing: dict[str, dict[str, bool]], decisions: dict[str, RoundDecisions], today: dt.date,
                   joined: dict[str, dt.date] | None = None) -> Matching:
    """The year of rounds from plain records, checked by the one checker."""
    from generator.matching.rounds import plan_year

    plans = plan_year(program, people, withdrawn, continuing, decisions, today, joined or {})
    found = check_year([(pl.quarter.name, pl.quarter.kind, pl.result.pairs) for pl in plans if pl.result is not None],
                       {p.id: p for p in people}, program.pairs, declined_pairs(decisions))
    return _pairs(program, people, tuple(plans), tuple(found))


def circles_matching(program: Program, people: tuple[Participant, ...], decided: RoundDecisions | None,
                     history: bool = False) -> Matching:
    """The circles from plain records (`history`: the cohort has ended, kept circles are the record)."""
    kept = {pl.person: gid for gid, placements in (decided.kept.items() if decided else ()) for pl in placements}
    placed = {pl.person: pl for placements in (decided.kept.values() if decided else ()) for pl in placements}
    fixed = frozenset(pid for pid, pl in placed.items() if pl.status == LOCKED)
    declined: dict[str, set[str]] = {}
    for gid, persons in (decided.declined.items() if decided else ()):
        for person in persons:
            declined.setdefault(person, set()).add(gid)
    assert program.circles is not None
    plan = form_circles(people, program.circles, kept, declined, history=history, fixed=fixed)
    by_id = {p.id: p for p in people}
    rows = []
    for circle in plan.circles:
        reasons = "; ".join(circle.reasons + tuple(v.text for v in plan.violations if v.group == circle.id) + circle.bends)
        for pid in circle.members:
            keeps = kept.get(pid) == circle.id
            rows.append(MatchRow(CIRCLES_ROUND, circle.id, pid, by_id[pid].name,
                                 "facilitator" if pid in circle.facilitators else "member",
                                 placed[pid].status if keeps else "proposed", circle.score, _support([by_id[pid]]), reasons))
    moved_to = {r.person_id: r.group_id for r in rows if r.person_id in plan.moved_from_kept}
    told = tuple(MatchRow(CIRCLES_ROUND, kept[pid], pid, by_id[pid].name, placed[pid].role or "member", placed[pid].status,
                          None, _support([by_id[pid]]), f"as announced; a move to {moved_to.get(pid, 'another circle')} "
                          "is proposed")
                 for pid in plan.moved_from_kept if pid in placed and placed[pid].status in PUBLISHED and pid in by_id)
    gone = sorted(set(kept) - set(by_id))
    warnings = list(decided.problems) if decided else []
    warnings += [f"{counted(len(gone), 'person', 'people')} placed in announced circles {'is' if len(gone) == 1 else 'are'} "
                 "no longer taking part: their circles were checked again."] if gone else []
    # A circle id typed by hand (C99 for C09) makes a circle of one, which the search then fills.
    for gid, placements in sorted(decided.kept.items() if decided else ()):
        if len(placements) == 1:
            who = by_id[placements[0].person].name if placements[0].person in by_id else placements[0].person
            warnings.append(f"{gid} has only one person kept in the Matches tab ({who}): if {gid} is a typo for "
                            f"another circle, correct it there; as it is, {gid} is a circle of its own")
    warnings += list(plan.moves)
    warnings += [f"{v.group}: {v.why} (no one is placed there; set a smaller count or admit more people)"
                 for v in plan.violations if v.rule == "circle size" and not v.people]
    locked_in = {c.id for c in plan.circles if fixed & set(c.members)}
    locked_broken = () if history else tuple(v for v in plan.violations if v.group in locked_in)
    if locked_broken:
        where = sorted({v.group for v in locked_broken})
        warnings.append(f"{listed(where)} {'break' if len(where) > 1 else 'breaks'} a rule with members staff locked "
                        f"({'; '.join(v.why for v in locked_broken)}): a locked placement is never moved, so "
                        f"{'they stay' if len(where) > 1 else 'it stays'} so. To have the matcher propose a move, "
                        "set the locked rows of a circle that could give or take a member to announced in the "
                        "Matches tab.")
    return Matching("circles", by_id, plan, (), tuple(rows), tuple(list(plan.problems) + warnings), plan.violations,
                    tuple(plan.problems), told=told, locked_broken=locked_broken)


def _pairs(program: Program, people: tuple[Participant, ...], plans: tuple[RoundPlan, ...],
           found: tuple[Violation, ...]) -> Matching:
    by_id = {p.id: p for p in people}
    rows, warnings, shortfalls = [], [], []
    for plan in plans:
        if plan.result is None:
            continue
        broken: dict[str, list[str]] = {}
        for v in found:
            if v.round == plan.quarter.name:
                broken.setdefault(v.group, []).append(v.text)
        for pair in plan.result.pairs:
            members = [by_id[m] for m, _ in pair.members]
            support = _support(members)
            status = plan.statuses.get(pair.id, "proposed")
            if status in ("announced", "locked") and support != "confirmed" and program.pairs.require_supervisor_support:
                warnings.append(f"{plan.quarter.name} {pair.id} was {status} before supervisor support was confirmed "
                                f"({support.removeprefix('pending: ')}).")
            reasons = "; ".join(pair.reasons + tuple(broken.get(pair.id, ())) + pair.bends)
            for pid, role in pair.members:
                rows.append(MatchRow(plan.quarter.name, pair.id, pid, by_id[pid].name, role, status, round(pair.score, 2),
                                     support, reasons))
        for pid, why in plan.result.unmatched:
            rows.append(MatchRow(plan.quarter.name, "", pid, by_id[pid].name, "", "unmatched", None, "", why))
        for pid, why in plan.sitting_out:
            if pid in by_id:
                rows.append(MatchRow(plan.quarter.name, "", pid, by_id[pid].name, "", "sitting out", None, "", why))
        if plan.note:
            warnings.append(f"{plan.quarter.name}: {plan.note}")
            shortfalls.append(warnings[-1])
    return Matching("rotating-pairs", by_id, None, plans, tuple(rows), tuple(warnings), found, tuple(shortfalls))


#: Statuses that make a placement public (to the person and on the roster) once the day has come.
PUBLISHED = ("announced", "locked")


def announced(program: Program, matching: Matching, today: dt.date) -> frozenset[tuple[str, str, str]]:
    """(round, group, person) placements staff announced or locked, visible as of `today`.

    The one rule for the public roster and personal pages: nothing before the announcement
    date, and never a proposal or an approval staff have not announced yet.
    """
    if today < program.dates.match_announcement:
        return frozenset()
    return frozenset((r.round, r.group_id, r.person_id) for r in matching.as_told
                     if r.group_id and r.status in PUBLISHED)
