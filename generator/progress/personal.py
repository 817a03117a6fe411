"""What one participant sees on their personal page: their group, people, dates, progress and next steps.

Pure: it reads the build's results (matching, progress, schedule) and decides nothing anew;
what is shown about a group follows `announced`, the same rule as the public roster.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

from generator.config.program import Program
from generator.dates import long_date
from generator.matching.pairs import FIRST_IN_LINE
from generator.matching.stage import CIRCLES_ROUND, Matching, announced
from generator.progress.report import PersonProgress, Progress, completion_rules
from generator.records import EITHER, MENTOR, ModuleDone, Records
from generator.schedule.events import Event, Schedule, checkin_key, upcoming
from generator.schedule.windows import asked_from
from generator.validate.workbook import Responses


@dataclass(frozen=True)
class Mate:
    name: str
    email: str  # "" when the program does not share emails inside a group
    role: str
    department: str


@dataclass(frozen=True)
class Placement:
    """One round (or the circle) for this person, as far as it has been announced."""

    round: str
    dates: str  # "January 6, 2025 to March 28, 2025"; "" for circles
    kind: str  # circle, mentor-mentee or peer
    state: str  # announced, to be announced, never confirmed (the round ended first), unmatched, sitting out, not planned yet
    group: str
    role: str
    mates: tuple[Mate, ...]
    why: str  # unmatched / sitting out: the reason; otherwise ""
    next_step: str
    over: bool = False  # a round that has ended (its meetings are behind the person)

    @property
    def mates_title(self) -> str:
        """What the person calls those they are placed with: "Your circle", "Your mentee" (a mentor's),
        "Your mentor", "Your partner", "Your partners" (a trio)."""
        if self.kind == "circle":
            return "Your circle"
        roles = {m.role for m in self.mates}
        word = roles.pop() if roles in ({"mentor"}, {"mentee"}) else "partner"
        return f"Your {word}" + ("s" if len(self.mates) > 1 else "")


#: A round's placement states that keep its meeting window off the person's calendar.
OUT_OF_ROUND = ("unmatched", "sitting out")


@dataclass(frozen=True)
class ModuleLine:
    title: str
    done_on: str  # "" when not yet
    score: str  # knowledge-check score, "" when none


@dataclass(frozen=True)
class CheckInLine:
    """A quarter's check-in on a person's page: the last one due and the next, whether answered."""

    quarter: str  # "Q3"
    due: str  # its due day, in words
    answered: str  # the day of their answer, in words; "" when not yet
    past: bool  # its due day has passed
    asked: bool = True  # it is asked for already (windows.asked_from): its reminder has gone


@dataclass(frozen=True)
class MemberProgress:
    """A circle member as their facilitator follows them: the domain's facilitators audit each
    member's e-learning to find the circle's knowledge gaps."""

    name: str
    role: str  # member or facilitator: co-facilitators take the modules too, and count in the gaps
    modules: str  # "3 of 5"
    meetings: int
    status: str  # active, or withdrew on ...


@dataclass(frozen=True)
class PersonalView:
    email: str
    name: str
    status: str  # active, or withdrew on ... (reason)
    placements: tuple[Placement, ...]
    meets: str  # circles: "2nd and 4th Tuesday, 12:00-13:00, New York time (EST/EDT)"; "" otherwise
    where: str
    link: str
    events: tuple[Event, ...]  # everything on this person's calendar
    next_events: tuple[Event, ...]
    modules: tuple[ModuleLine, ...]
    progress: PersonProgress | None
    completion: str  # the program's completion rules in words
    mentor: bool
    facilitator: bool
    circle: str
    rounds: tuple[str, ...] = ()  # pairs: the rounds they take part in (placed, or still to be)
    #: form id -> when its next answer is due, in words ("July 4, 2025"), from their calendar's surveys
    surveys_due: Mapping[str, str] = field(default_factory=dict)
    #: A facilitator's circle: each member's modules and meetings, and the modules to discuss.
    circle_progress: tuple[MemberProgress, ...] = ()
    circle_gaps: tuple[str, ...] = ()
    #: form id -> when they answered it, in words, for the surveys answered once (the mid-program
    #: and final evaluations): "Mid-program evaluation (answered May 20, 2022)", not a bare link.
    surveys_answered: Mapping[str, str] = field(default_factory=dict)
    #: The quarterly check-in last due and the next one: the link recurs, so a page says which
    #: quarter it is for and whether theirs is answered (one left unanswered was not shown).
    checkins: tuple[CheckInLine, ...] = ()

    @property
    def checkin_to_answer(self) -> str:
        """The quarter their check-in link preselects: the one last due if it is not answered,
        else the next one if not answered yet and asked for already (a link preselecting Q3 in
        July, with Q2 answered, invited an answer about a quarter just begun); "" otherwise."""
        return next((c.quarter for c in self.checkins if not c.answered and c.asked), "")

    @property
    def by_round(self) -> tuple[tuple[Placement, ...], ...]:
        """The placements round by round, in order: a mentor with two mentees has two pairs in a
        round, shown under one heading (the page showed "Q1: mentor and mentee round" twice)."""
        out: list[list[Placement]] = []
        for pl in self.placements:
            if out and out[-1][0].round == pl.round:
                out[-1].append(pl)
            else:
                out.append([pl])
        return tuple(tuple(group) for group in out)


def personal_views(program: Program, records: Records, matching: Matching, report: Progress, schedule: Schedule,
                   today: dt.date, admitted: list[str],
                   answered: Mapping[str, Mapping[str, dt.date]] | None = None) -> list[PersonalView]:
    """One view per admitted participant, as of `today` (`answered`: a survey's event key -> email ->
    the day of their latest answer: "midpoint", "final", "checkin-Q2")."""
    shown = announced(program, matching, today)
    apps = records.application_of()
    withdrawn = records.withdrawal_of()
    by_person: dict[str, list] = {}
    members: dict[tuple[str, str], list] = {}
    for row in matching.as_told:  # a proposed move shows once staff announce it
        by_person.setdefault(row.person_id, []).append(row)
        if row.group_id:
            members.setdefault((row.round, row.group_id), []).append(row)
    prog = {p.email: p for p in report.people}
    done = {(m.email, m.module): m for m in records.modules}
    views = []
    # (circle, mentor, facilitator, rounds) -> their calendar, its next events, each survey's next
    # due date, the check-ins last due and next
    timelines: dict[tuple[str, bool, bool, tuple[str, ...]],
                    tuple[tuple[Event, ...], tuple[Event, ...], dict[str, str], tuple[Event, ...]]] = {}
    answered = answered or {}
    once = {e.key for e in schedule.program if e.kind == "evaluation"}
    rounds = _rounds(program, today, matching)
    rules = completion_rules(program)
    share = program.personal_pages.share_email_in_group
    groups: dict[tuple[str, str], tuple[tuple[str, Mate], ...]] = {}

    def mates(row) -> tuple[Mate, ...]:
        """The others in row's group whose placement was announced too (the group's list made once)."""
        key = (row.round, row.group_id)
        if key not in groups:
            groups[key] = _announced_members(members.get(key, []), shown, apps, share)
        return tuple(mate for person, mate in groups[key] if person != row.person_id)

    # A module's line reads the same for everyone who has not done it, or did it the same day with the same score.
    lines: dict[tuple, ModuleLine] = {}

    def line(title: str, done_it: ModuleDone | None) -> ModuleLine:
        key = (title, done_it.completed_on, done_it.score) if done_it else (title,)
        if key not in lines:
            lines[key] = ModuleLine(title, long_date(done_it.completed_on) if done_it else "", _score(done_it))
        return lines[key]

    training = program.pairs.mentor_training_module if program.model == "rotating-pairs" else None
    curriculum = {mentor: [m for m in program.curriculum if program.model == "circles" or m.id == training and mentor]
                  for mentor in (False, True)}
    gaps = {c.circle: c.gaps for c in report.circles}
    followed: dict[str, tuple[MemberProgress, ...]] = {}

    def circle_members(circle: str) -> tuple[MemberProgress, ...]:
        """The announced members of a circle with their progress, once per circle."""
        if circle not in followed:
            # Everyone in the circle, facilitators first: the modules to discuss are counted over
            # them all ("3 of 7 completed"), so the table lists the same seven.
            rows = sorted((r for r in members.get((CIRCLES_ROUND, circle), [])
                           if (r.round, r.group_id, r.person_id) in shown), key=lambda r: (r.role != "facilitator", r.name))
            followed[circle] = tuple(MemberProgress(r.name, r.role, f"{pp.modules_done} of {pp.modules_total}", pp.meetings,
                                                    pp.status)
                                     for r in rows if (pp := prog.get(r.person_id)) is not None)
        return followed[circle]

    for email in admitted:
        app = apps[email]
        rows = by_person.get(email, [])
        placements = tuple(_placements(program, rounds, rows, shown, mates, today))
        circle = next((p.group for p in placements if p.kind == "circle" and p.state == "announced"), "")
        role_of = {p.role for p in placements if p.state == "announced"}
        # Mentor training is for everyone who may mentor, before their first mentor round is announced.
        mentor = "mentor" in role_of or (program.model == "rotating-pairs" and app.preferred_role in (MENTOR, EITHER))
        facilitator = "facilitator" in role_of
        # Pairs: the rounds whose window is on their calendar (not one they sit out or were not matched in).
        taking = tuple(p.round for p in placements if p.kind != "circle" and p.state not in OUT_OF_ROUND)
        sees = (circle, mentor, facilitator, taking)
        if sees not in timelines:  # the same for everyone in a circle with the same roles
            events = tuple(schedule.for_person(circle or None, mentor=mentor, facilitator=facilitator, rounds=taking))
            timelines[sees] = (events, tuple(upcoming(events, today, 4)), _surveys_due(events, today),
                               _checkins_around(events, today))
        events, coming, due, checkins = timelines[sees]
        plan = schedule.circles.get(circle) if circle else None
        modules = tuple(line(m.title, done.get((email, m.id))) for m in curriculum[mentor])
        w = withdrawn.get(email)
        if w is not None:  # what they took part in; no round still to come, nor a place to wait for
            placements = tuple(pl for pl in placements if pl.state == "announced")
        views.append(PersonalView(
            email, app.full_name, f"withdrew on {long_date(w.date)} ({w.reason})" if w else "active", placements,
            f"{plan.pattern}, {schedule.zone_name}" if plan and plan.pattern else "", plan.where if plan else "",
            plan.link if plan else "", events, coming if w is None else (),
            modules, prog.get(email), rules, mentor, facilitator, circle, taking, due,
            circle_members(circle) if facilitator and circle and w is None else (),
            gaps.get(circle, ()) if facilitator and circle and w is None else (),
            {f: long_date(days[email]) for f, days in answered.items() if f in once and email in days},
            tuple(CheckInLine(e.quarter, long_date(e.start),
                              long_date(day) if (day := answered.get(e.key, {}).get(email)) else "", e.start < today,
                              today >= asked_from(program, e.start))
                  for e in checkins)))
    return views


def answered_days(responses: Responses, schedule: Schedule) -> dict[str, dict[str, dt.date]]:
    """A survey's event key -> email -> the day of their latest answer: an evaluation's event is
    keyed by its form ("midpoint"), a quarter's check-in by the quarter its rows name ("checkin-Q2")."""
    keys = {e.key: e.kind for e in schedule.program if e.kind in ("evaluation", "checkin")}
    out: dict[str, dict[str, dt.date]] = {}
    for form in ("checkin", *(k for k, kind in keys.items() if kind == "evaluation")):
        for r in responses.of(form):
            key = checkin_key(r["quarter"]) if form == "checkin" else form
            if key in keys:
                latest, day = out.setdefault(key, {}), r.submitted_at.date()
                if day > latest.get(r["email"], dt.date.min):
                    latest[r["email"]] = day
    return out


def _surveys_due(events: tuple[Event, ...], today: dt.date) -> dict[str, str]:
    """Each survey's next due date on a calendar, by form id: a survey's event is keyed by its form
    ("midpoint", "final", "checkin-Q2")."""
    due: dict[str, str] = {}
    for e in events:  # in date order
        if e.kind in ("checkin", "evaluation") and not e.cancelled and e.start >= today:
            due.setdefault("checkin" if e.kind == "checkin" else e.key, long_date(e.start))
    return due


def _checkins_around(events: tuple[Event, ...], today: dt.date) -> tuple[Event, ...]:
    """The check-in last due before `today` and the next one due (on `today` or later), either
    missing before the first and after the last."""
    checks = [e for e in events if e.kind == "checkin" and not e.cancelled]  # in date order
    return (*[e for e in checks if e.start < today][-1:], *[e for e in checks if e.start >= today][:1])


def _score(done) -> str:
    return "" if done is None or done.score is None else f"{done.score:g}"


class _Round(NamedTuple):
    """What every participant's page says of a round before their own part in it."""

    name: str
    span: str  # its dates, in words
    kind: str
    later: str  # the next round's name ("" for the last)
    later_start: str  # the next round's first day, in words ("" for the last)
    over: bool  # it has ended
    pending: Placement  # their group, not announced yet
    yours: Mapping[str, str]  # person -> why they sit it out, in their words (the round's plan says)
    to_do: Mapping[str, str]  # person -> what they can do to take part (none once the round is over)


def _rounds(program: Program, today: dt.date, matching: Matching) -> list[_Round]:
    """The year's rounds in words, once for everyone's pages (rotating pairs)."""
    quarters = program.dates.quarters
    spans = [f"{long_date(q.start)} to {long_date(q.end)}" for q in quarters]
    yours = {plan.quarter.name: plan.yours for plan in matching.rounds}
    to_do = {plan.quarter.name: plan.to_do for plan in matching.rounds}
    out = []
    for i, (q, span) in enumerate(zip(quarters, spans)):
        over = q.ended(today)  # nothing left to do in it, and nothing still to be announced
        out.append(_Round(q.name, span, q.kind, quarters[i + 1].name if i + 1 < len(quarters) else "",
                          long_date(quarters[i + 1].start) if i + 1 < len(quarters) else "", over,
                          _pending(program, q.name, span, q.kind, today, over), yours.get(q.name, {}),
                          {} if over else to_do.get(q.name, {})))
    return out


def _placements(program: Program, rounds: list[_Round], rows: list, shown: frozenset,
                mates: Callable[[Any], tuple[Mate, ...]], today: dt.date) -> list[Placement]:
    out = []
    if program.model == "circles":
        row = next((r for r in rows if r.group_id), None)
        if row is None:
            return [Placement(CIRCLES_ROUND, "", "circle", "unmatched", "", "", (), "no circle has a place for you yet",
                              f"The program coordinator ({program.contact.email}) will tell you when a place is found.")]
        if (row.round, row.group_id, row.person_id) not in shown:
            return [_pending(program, row.round, "", "circle", today)]
        return [Placement(CIRCLES_ROUND, "", "circle", "announced", row.group_id, row.role,
                          mates(row), "", "")]
    by_round: dict[str, list] = {}
    for row in rows:  # a mentor with capacity may have several groups in a round
        by_round.setdefault(row.round, []).append(row)
    for q in rounds:
        mine = by_round.get(q.name, ())
        if not mine:
            out.append(Placement(q.name, q.span, q.kind, "not planned yet", "", "", (), "",
                                 "You were not in a group this round." if q.over else
                                 "Matches for this round are made after the previous round's check-in.", q.over))
        for row in mine:
            if row.status == "unmatched":  # the reason as staff read it, less what the next step says
                out.append(Placement(q.name, q.span, q.kind, "unmatched", "", "", (),
                                     row.reasons.removesuffix("; " + FIRST_IN_LINE),
                                     f"You have priority in {q.later}, which starts on {q.later_start}: you are among "
                                     "the first matched." if q.later else "This was the last round of the year."))
            elif row.status == "sitting out":
                out.append(Placement(q.name, q.span, q.kind, "sitting out", "", "", (),
                                     q.yours.get(row.person_id, row.reasons), q.to_do.get(row.person_id, "")))
            elif (row.round, row.group_id, row.person_id) not in shown:
                out.append(q.pending)
            else:
                out.append(Placement(q.name, q.span, q.kind, "announced", row.group_id, row.role,
                                     mates(row), "", "", q.over))
    return out


def _pending(program: Program, name: str, span: str, kind: str, today: dt.date, over: bool = False) -> Placement:
    if over:  # said in the tense of the day: a round behind them is not still to be announced
        return Placement(name, span, kind, "never confirmed", "", "", (), "",
                         f"This round ended before your group was confirmed. If that is not right, write to "
                         f"{program.contact.email}.", True)
    day = program.dates.match_announcement
    when = f"on {long_date(day)}" if today < day else "once staff have confirmed it (and supervisors' support, where needed)"
    return Placement(name, span, kind, "to be announced", "", "", (), "", f"Your group will be announced {when}.")


def _announced_members(rows: list, shown: frozenset, apps: dict, share: bool) -> tuple[tuple[str, Mate], ...]:
    """A group's members whose placement was announced, facilitators first, each with the person
    it is: each member's page lists all but themselves."""
    announced_rows = sorted((r for r in rows if (r.round, r.group_id, r.person_id) in shown),
                            key=lambda r: (r.role != "facilitator", r.role != "mentor", r.name))
    return tuple((r.person_id, Mate(r.name, r.person_id if share else "", r.role,
                                    apps[r.person_id].department if r.person_id in apps else "")) for r in announced_rows)
