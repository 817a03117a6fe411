"""Progress for staff and facilitators: modules, meetings, check-ins, withdrawals, completion."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from generator.config.program import Completion, Program
from generator.matching.people import withdrawal_text
from generator.matching.stage import Matching
from generator.records import Meeting, Withdrawal
from generator.schedule.windows import answers_close
from generator.screen.eligibility import Screening
from generator.validate.workbook import Responses
from generator.words import counted, listed

GAP = 0.6  # a module fewer than 60% of a circle have completed is a knowledge gap to discuss


@dataclass(frozen=True)
class Unlogged:
    """Meetings a person's check-in reports that the meeting log lacks, where logging them would
    meet a rule: a round's (pairs) or the program's (circles: `round` is "")."""

    round: str
    logged: int
    reported: int
    need: int

    def __str__(self) -> str:
        """"1 of 2 logged in Q3, the check-in reports 3": as a staff export shows it."""
        where = f" in {self.round}, the check-in reports" if self.round else ", the check-ins report"
        return f"{self.logged} of {self.need} logged{where} {self.reported}"


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
    rounds: int  # rounds taken part in (rotating pairs; 0 for circles)
    final_evaluation: bool
    meeting_hours: float  # from the meeting log, not from what the program expects
    module_hours: float  # estimated hours of the modules completed
    complete: bool  # met the program's completion rules by the end: certificate and training record
    missing: str  # the rules not met (so far, while in progress), in words; "" when none
    #: Completion not decided yet: still taking part, not completed, and participants' forms still
    #: take answers (through the grace days after the end, when a late final evaluation still counts).
    in_progress: bool
    #: Taking part, but a rule can no longer be met whatever they do (too few rounds left).
    out_of_reach: bool = False
    #: Where their check-ins report enough meetings for a rule the meeting log does not meet
    #: (completion counts the log): logging those meetings, even late, would meet it.
    unlogged: tuple[Unlogged, ...] = ()

    @property
    def can_complete(self) -> bool:
        """Completion not decided yet and still within reach."""
        return self.in_progress and not self.out_of_reach

    @property
    def standing(self) -> str:
        """Completion as staff read it: "Yes", "Not yet: ..." while it can still be met, "No: ..."
        once it cannot (after the end, or out of reach before it)."""
        if self.complete:
            return "Yes"
        if self.can_complete:
            return "Not yet: " + (self.missing or "every rule met so far")
        return "No: " + self.missing

    @property
    def hours(self) -> float:
        return round(self.meeting_hours + self.module_hours, 1)


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
    finished: bool = False  # the program has ended as of the build's day: completions are awarded
    answers_close: dt.date | None = None  # the last day a rule can still be met (windows.answers_close)

    @property
    def completed(self) -> int:
        return sum(p.complete for p in self.people)

    @property
    def taking_part(self) -> int:
        return sum(p.in_progress for p in self.people)

    @property
    def can_still_complete(self) -> int:
        return sum(p.can_complete for p in self.people)

    @property
    def cannot_complete(self) -> int:
        """Taking part, but no longer able to complete (too few rounds left: `out_of_reach`)."""
        return sum(p.in_progress and p.out_of_reach for p in self.people)

    @property
    def to_log(self) -> int:
        """Can still complete, and reported in check-ins meetings that would meet a rule once logged
        (`PersonProgress.unlogged`)."""
        return sum(p.can_complete and bool(p.unlogged) for p in self.people)

    @property
    def on_track(self) -> int:
        """Taking part and meeting every rule so far (while the program runs)."""
        return sum(p.in_progress and not p.missing for p in self.people)


def progress(program: Program, responses: Responses, screenings: tuple[Screening, ...], matching: Matching,
             today: dt.date) -> Progress:
    """Everyone admitted, with what they have done so far; withdrawals are counted with reasons.

    `responses` is the build's view as of `today` (Responses.as_of): it holds nothing later,
    so nothing here filters by date again; `today` only says whether rounds and the program are over.
    """
    records = responses.records
    apps = records.application_of()
    admitted = [s.email for s in screenings if s.admitted]
    withdrawn = records.withdrawal_of()
    modules = {m.id: m.title for m in program.curriculum if m.knowledge_check or program.model == "circles"}
    done: dict[str, dict[str, float | None]] = defaultdict(dict)
    for m in records.modules:
        if m.module in modules:
            done[m.email][m.module] = m.score
    meetings: dict[str, list[float]] = defaultdict(list)
    for meeting in records.meetings:
        meetings[meeting.email].append(meeting.minutes)
    checkins = Counter(c.email for c in records.checkins)
    reported: dict[str, dict[str, float]] = defaultdict(dict)  # email -> quarter -> meetings its check-in reports
    for c in records.checkins:
        reported[c.email][c.quarter] = c.meetings_held
    evaluated = {r["email"] for r in responses.of("final")}
    group = {r.person_id: r.group_id for r in matching.rows if r.group_id}
    rounds = _rounds_logged(program, matching, records.meetings, withdrawn, today)
    need = program.completion.min_meetings_per_round
    rounds_left = sum(not q.ended(today) for q in program.dates.quarters)
    hours = {m.id: m.estimated_hours for m in program.curriculum}
    finished = program.dates.ended(today)
    closes = answers_close(program)
    people = []
    for email in sorted(admitted, key=lambda e: apps[e].full_name):
        w = withdrawn.get(email)
        left = w is not None
        status = withdrawal_text(w) if w is not None else "active"
        scores = [s for s in done[email].values() if s is not None]
        taken = sum(n >= need for _, n in rounds[email])
        short = [(name, n) for name, n in rounds[email] if n < need]
        beyond = program.model == "rotating-pairs" and not _rounds_within_reach(program.completion, taken, short,
                                                                                rounds_left)
        unlogged = () if left else _unlogged(program, len(meetings[email]), reported[email], short, taken)
        missing = _missing(program.completion, len(modules), left, len(done[email]), len(meetings[email]),
                           taken, email in evaluated, program.model, short, rounds_left if beyond else None, unlogged)
        complete = finished and not missing
        people.append(PersonProgress(
            apps[email].full_name, email, group.get(email, ""), status, len(done[email]), len(modules),
            round(sum(scores) / len(scores), 1) if scores else None, len(meetings[email]), int(sum(meetings[email])),
            checkins[email], taken, email in evaluated, round(sum(meetings[email]) / 60, 1),
            round(sum(hours.get(m, 0) for m in done[email]), 1), complete, missing,
            not left and not complete and today <= closes, beyond, unlogged))
    reasons = Counter(w.reason for e, w in withdrawn.items() if e in set(admitted))
    total = sum(reasons.values())
    detail = ", ".join(f"{n} {r.lower()}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0])))
    attrition = f"{total} of {len(admitted)} withdrew" + (f": {detail}" if total else "")
    circles = _gaps(matching, done, modules) if matching.circles is not None else ()
    return Progress(tuple(people), attrition, tuple(sorted(reasons.items())), circles, finished, closes)


def _rounds_logged(program: Program, matching: Matching, meetings: Iterable[Meeting],
                   withdrawn: dict[str, Withdrawal], today: dt.date) -> dict[str, list[tuple[str, int]]]:
    """Per person, each round over in which they had a group and were still in the program when
    it ended, with the meetings they logged within the round's dates (the round counts toward
    completion with the program's meetings per round)."""
    logged: dict[str, list[dt.date]] = defaultdict(list)
    for m in meetings:
        logged[m.email].append(m.date)
    over = {q.name: q for q in program.dates.quarters if q.ended(today)}  # a round counts once it is over
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for rnd, person in sorted({(r.round, r.person_id) for r in matching.rows if r.group_id}):
        q, w = over.get(rnd), withdrawn.get(person)
        if q is None or (w is not None and w.date <= q.end):
            continue
        out[person].append((q.name, sum(q.start <= d <= q.end for d in logged[person])))
    return out


def completion_rules(program: Program) -> str:
    """The program's completion rules in words, as staff and participants read them."""
    rule = program.completion
    parts = ["still taking part at the end"]
    if program.curriculum and rule.min_modules != 0:  # 0: modules do not count (the pairs' mentor training)
        parts.append("every module" if rule.min_modules is None else f"at least {counted(rule.min_modules, 'module')}")
    if rule.min_meetings:
        parts.append(f"at least {counted(rule.min_meetings, 'meeting')} logged")
    if program.model == "rotating-pairs" and rule.min_rounds:
        per = (f" with at least {counted(rule.min_meetings_per_round, 'meeting')} logged in each"
               if rule.min_meetings_per_round else "")
        parts.append(f"took part in at least {counted(rule.min_rounds, 'round')}{per}")
    if rule.final_evaluation:
        parts.append("answered the final evaluation")
    return ", ".join(parts)


def _unlogged(program: Program, logged: int, reported: dict[str, float], short: list[tuple[str, int]],
              taken: int) -> tuple[Unlogged, ...]:
    """Where a person's check-ins (quarter -> meetings reported) report enough meetings for a
    rule the meeting log does not meet: the program's meetings (their total), or a round's."""
    rule = program.completion
    said = int(sum(reported.values()))
    if logged < rule.min_meetings <= said:
        return (Unlogged("", logged, said, rule.min_meetings),)
    if program.model != "rotating-pairs" or taken >= rule.min_rounds:
        return ()
    need = rule.min_meetings_per_round
    return tuple(Unlogged(name, n, int(reported[name]), need) for name, n in short if reported.get(name, 0) >= need)


def _rounds_within_reach(rule: Completion, taken: int, short: list[tuple[str, int]], rounds_left: int) -> bool:
    """Can the rounds rule still be met: the rounds taken part in, those over that a late meeting
    log could still make count, and the rounds not over yet."""
    return taken + len(short) + rounds_left >= rule.min_rounds


def _missing(rule: Completion, total_modules: int, withdrew: bool, modules: int, meetings: int,
             rounds: int, evaluated: bool, model: str, short: list[tuple[str, int]] | None = None,
             out_of_reach_left: int | None = None, unlogged: tuple[Unlogged, ...] = ()) -> str:
    """The completion rules a person has not met (so far), in words; empty when none. `short`: the
    rounds over in which they had a group but too few meetings logged (a late log still counts);
    `out_of_reach_left`: the rounds not over yet, when too few are left to meet the rule;
    `unlogged`: where their check-ins report the meetings the log lacks."""
    gaps = []
    if withdrew:
        gaps.append("withdrew")
    need_modules = total_modules if rule.min_modules is None else rule.min_modules
    if modules < need_modules:
        gaps.append(f"{modules} of {need_modules} modules completed")
    if meetings < rule.min_meetings:
        gaps.append(f"{meetings} of {rule.min_meetings} meetings logged"
                    + "".join(f" (the check-ins report {u.reported})" for u in unlogged if not u.round))
    if model == "rotating-pairs" and rounds < rule.min_rounds:
        short = short or []
        why = f" (meetings logged: {_short_rounds(short, rule.min_meetings_per_round, unlogged)})" if short else ""
        left = out_of_reach_left
        out_of_reach = "" if left is None or withdrew else \
            f", with {'no round' if not left else 'only ' + counted(left, 'round')} left"
        gaps.append(f"took part in {rounds} of the {rule.min_rounds} rounds needed{why}{out_of_reach}")
    if rule.final_evaluation and not evaluated:
        gaps.append("final evaluation not answered")
    return "; ".join(gaps)


def _short_rounds(short: list[tuple[str, int]], need: int, unlogged: tuple[Unlogged, ...]) -> str:
    """"1 of 2 in Q1, 0 of 2 in Q2", and where a round's check-in reports enough meetings,
    "; the check-in reports 3 in Q1" (the log is what counts)."""
    said = [f"{u.reported} in {u.round}" for u in unlogged if u.round]
    check = f"; the check-in{'s' if len(said) > 1 else ''} report{'' if len(said) > 1 else 's'} {listed(said)}" \
        if said else ""
    return ", ".join(f"{n} of {need} in {name}" for name, n in short) + check


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
