"""The one function that turns a program's dates and its groups into dated events.

The schedule page, the home page's key dates, personal pages and every calendar file read
these events; nothing else writes a date as a sentence.
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property
from dataclasses import dataclass, field, replace
from typing import Iterable

from generator.config.program import MeetingChange, MeetingPlan, Program
from generator.records import Decision
from generator.dates import long_date, time_range, zone_words
from generator.schedule.patterns import Pattern, PatternError, parse_pattern
from generator.validate import issues as act
from generator.validate.issues import DataIssue

EVERYONE = "everyone"
MENTORS = "mentors"
FACILITATORS = "facilitators"
CIRCLE = "circle:"  # audience of one circle's meetings: "circle:C01"
ROUND = "round:"  # audience of a pairs round's meeting window, those taking part in it: "round:Q1"


CHECKIN = "checkin-"  # a check-in's event key is this and the quarter its rows name: "checkin-Q2"


def checkin_key(quarter: str) -> str:
    """The event key of a quarter's check-in ("Q2" -> "checkin-Q2"): its calendar UID, and what
    answers, pages and reminders are keyed by."""
    return CHECKIN + quarter


@dataclass(frozen=True)
class Event:
    """One dated thing in the program: all day (no times) or timed in the program's time zone."""

    key: str  # stable identity across rebuilds; the calendar UID is made from it
    title: str
    kind: str  # application, announcement, kickoff, meeting, round, checkin, evaluation, training, meet-and-greet, wrap-up, other
    start: dt.date
    end: dt.date  # last day, included (equal to start for a timed event)
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    where: str = ""
    link: str = ""  # a video link: private, only on personal pages and private calendars
    description: str = ""
    audience: str = EVERYONE
    optional: bool = False
    cancelled: bool = False
    note: str = ""  # why it changed, when staff moved or cancelled it

    @property
    def timed(self) -> bool:
        return self.start_time is not None

    @property
    def quarter(self) -> str:
        """A check-in's quarter ("checkin-Q2" -> "Q2"); "" for any other event."""
        return self.key.removeprefix(CHECKIN) if self.kind == "checkin" else ""

    def when(self) -> str:
        """"Tuesday, January 11, 2022, 12:00-1:00 PM" or "January 6, 2025 to March 28, 2025"."""
        if self.timed:
            assert self.start_time is not None and self.end_time is not None
            return f"{self.start:%A}, {long_date(self.start)}, {time_range(self.start_time, self.end_time)}"
        if self.end != self.start:
            return f"{long_date(self.start)} to {long_date(self.end)}"
        return f"{self.start:%A}, {long_date(self.start)}"

    def is_after(self, today: dt.date) -> bool:
        return self.end >= today


@dataclass(frozen=True)
class CircleMeetings:
    """How one circle meets and where the pattern came from, with its dated meetings."""

    circle: str
    pattern: str  # in words, "" when the circle has none
    where: str
    link: str
    source: str  # "the Matches tab, row 4", "program.yml schedule.circles", "program.yml schedule.meetings"
    meetings: tuple[Event, ...]
    fact: str = ""  # the pattern as sent messages record it, 24-hour, whatever the wording (Pattern.fact)


@dataclass(frozen=True)
class Schedule:
    zone: str
    program: tuple[Event, ...]  # public: no one's data, no private links
    circles: dict[str, CircleMeetings] = field(default_factory=dict)
    issues: tuple[DataIssue, ...] = ()  # located problems in the Matches tab's meeting columns
    problems: tuple[str, ...] = ()  # for the staff overview: a circle with no pattern, a change that matched nothing
    default: CircleMeetings | None = None  # circles: the program's default pattern, dated (the public schedule page)
    zone_name: str = ""  # the zone as readers know it, "New York time (EST/EDT)" (dates.zone_words)

    def for_person(self, circle: str | None = None, mentor: bool = False, facilitator: bool = False,
                   rounds: Iterable[str] = ()) -> list[Event]:
        """What one person's calendar holds: the program's events for them, their circle's meetings,
        and the windows of the rounds they take part in."""
        mine = audiences(circle, mentor, facilitator, rounds)
        return sorted((e for audience in mine for e in self._by_audience.get(audience, ())), key=order)

    def every_event(self) -> list[Event]:
        return sorted([*self.program, *(e for c in self.circles.values() for e in c.meetings)], key=order)

    @cached_property
    def _by_audience(self) -> dict[str, list[Event]]:
        """Events by audience, made once: a person's calendar is a few audiences' events, not a scan of all."""
        found: dict[str, list[Event]] = {}
        for e in self.every_event():
            found.setdefault(e.audience, []).append(e)
        return found


def audiences(circle: str | None = None, mentor: bool = False, facilitator: bool = False,
              rounds: Iterable[str] = ()) -> frozenset[str]:
    """Whose events a person sees: everyone's, mentors' or facilitators' if they are one, their
    circle's, and the rounds' they take part in (not one they sit out or were not matched in)."""
    return frozenset({EVERYONE} | ({MENTORS} if mentor else set()) | ({FACILITATORS} if facilitator else set())
                     | ({CIRCLE + circle} if circle else set()) | {ROUND + r for r in rounds})


#: On one day without times, the start comes first and the end last: a new program's key dates
#: listed "Q1: meet with your mentor" above "The program starts", both on January 6.
_DAY_RANK = {"kickoff": 0, "wrap-up": 2}


def order(event: Event) -> tuple:
    return (event.start, event.start_time or dt.time(0), _DAY_RANK.get(event.kind, 1), event.key)


def upcoming(events: Iterable[Event], today: dt.date, count: int = 3, kinds: tuple[str, ...] = ()) -> list[Event]:
    """The next events from `today` on (cancelled ones included: people need to know)."""
    ahead = [e for e in sorted(events, key=order) if e.is_after(today) and (not kinds or e.kind in kinds)]
    return ahead[:count]


def cohort_quarters(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """A circles cohort's quarters, Q1 to Q4, each with its last day: three months at a time from
    the start, the last one cut at the cohort's end (a nine-month cohort has three)."""
    out: list[tuple[str, dt.date]] = []
    for i in range(1, 5):
        month = start.month - 1 + 3 * i
        last = min(end, dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        if out and last <= out[-1][1]:
            break
        out.append((f"Q{i}", last))
    return out


def program_events(program: Program) -> tuple[Event, ...]:
    """The whole program's public events, for both models: the frame, rounds, surveys, staff-set events."""
    d, sc = program.dates, program.schedule
    events = [
        # Its dates say it all; "Apply by ..." stood beside "Applications for this cohort closed" once they had.
        Event("application", "Applications open", "application", d.application_open, d.application_close),
        Event("announcement", "Matches announced" if program.model == "rotating-pairs" else "Circles announced",
              "announcement", d.match_announcement, d.match_announcement,
              description="Each participant learns their partner and role." if program.model == "rotating-pairs"
              else "Each participant learns their circle and facilitators."),
    ]
    kinds = {e.kind for e in sc.events}
    if "kickoff" not in kinds:
        events.append(Event("start", "The program starts", "kickoff", d.cohort_start, d.cohort_start))
    if program.model == "rotating-pairs":
        for q in d.quarters:
            what = "mentor and mentee" if q.kind == "mentor-mentee" else "a same-level peer from another department"
            events.append(Event(f"round-{q.name}", f"{q.name}: meet with your {'partner' if q.kind == 'peer' else 'mentor or mentee'}",
                                # The program's words for the round, else what the round is; then what to do.
                                "round", q.start, q.end, description=f"{q.description or f'Matched as {what}.'} "
                                f"You and your partner choose when you meet: {d.meeting_cadence}.",
                                audience=ROUND + q.name))
            due = q.end + dt.timedelta(days=sc.checkin_due_days)
            events.append(Event(checkin_key(q.name), f"{q.name} check-in due", "checkin", due, due,
                                description="A short survey: how the round went, and whether you want to continue."))
    elif "checkin" in program.forms:  # circles: the quarterly check-in, due after each quarter of the cohort
        for name, end in cohort_quarters(d.cohort_start, d.cohort_end):
            due = end + dt.timedelta(days=sc.checkin_due_days)
            events.append(Event(checkin_key(name), f"{name} check-in due", "checkin", due, due,
                                description="A short survey: how the quarter went in your circle."))
    if program.model == "rotating-pairs":
        module = program.pairs.mentor_training_module
        if module and "training" not in kinds:
            title = next(m.title for m in program.curriculum if m.id == module)
            day = d.cohort_start - dt.timedelta(days=1)
            events.append(Event("training-due", f"{title} completed (mentors)", "training", day, day, audience=MENTORS,
                                description="Mentors complete the training before the program starts."))
    middle = sc.midpoint_evaluation or d.cohort_start + (d.cohort_end - d.cohort_start) / 2
    final = sc.final_evaluation or d.cohort_end
    events.append(Event("midpoint", "Mid-program evaluation", "evaluation", middle, middle,
                        description="A survey on how the program is going."))
    events.append(Event("final", "Final evaluation", "evaluation", final, final,
                        description="The end-of-program survey."))
    for e in sc.events:
        events.append(Event(f"event-{e.date:%Y%m%d}-{_slug(e.name)}", e.name, e.kind, e.date, e.date, e.start, e.end,
                            e.where, "", e.description, e.audience, e.optional, e.cancelled))
    if "wrap-up" not in kinds:
        events.append(Event("end", "The program ends", "wrap-up", d.cohort_end, d.cohort_end))
    return tuple(sorted(events, key=order))


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:40]


@dataclass(frozen=True)
class _Plan:
    pattern: Pattern
    where: str
    link: str
    source: str


def plan_schedule(program: Program, circles: Iterable[tuple[str, str, str]], decisions: Iterable[Decision] = (),
                  tab: str = "Matches", circles_round: str = "circles") -> Schedule:
    """Program events, and for circles each circle's dated meetings.

    `circles` is (id, mode, campus) for each circle formed; a circle's pattern comes from the
    Matches tab (any row of the circle), else program.yml schedule.circles, else schedule.meetings.
    """
    program_wide = program_events(program)
    if program.model != "circles":
        return Schedule(program.schedule.time_zone, program_wide, zone_name=_zone_name(program))
    sc = program.schedule
    from_tab, issues = _tab_plans(decisions, tab, circles_round)
    out: dict[str, CircleMeetings] = {}
    problems: list[str] = []
    used_changes: set[int] = set()
    for cid, mode, campus in circles:
        plan = from_tab.get(cid) or _configured(sc.circles.get(cid), f"program.yml schedule.circles.{cid}") \
            or _configured(sc.meetings, "program.yml schedule.meetings")
        if plan is None:
            problems.append(f"Circle {cid} has no meeting pattern: set one in its Matches tab rows (column meets) "
                            "or schedule.meetings in program.yml; its members see no meeting dates.")
            out[cid] = CircleMeetings(cid, "", "", "", "", ())
            continue
        where = plan.where or (f"In person, {campus} campus" if mode == "in person" else "Video call")
        out[cid] = _meetings(program, plan, cid, where, used_changes)
    for i, change in enumerate(sc.changes):
        if i not in used_changes:
            which = f"circle {change.circle}" if change.circle else "any circle"
            problems.append(f"program.yml schedule.changes[{i + 1}]: {which} has no meeting on {change.date}; "
                            "the change was not applied (check the date and the circle).")
    default = _configured(sc.meetings, "program.yml schedule.meetings")
    return Schedule(sc.time_zone, program_wide, out, tuple(issues), tuple(problems),
                    _meetings(program, default, "", default.where, set()) if default else None, _zone_name(program))


def _zone_name(program: Program) -> str:
    """The time zone as the program's pages and messages name it, over the dates it has events."""
    return zone_words(program.schedule.time_zone, program.dates.application_open, program.dates.cohort_end)


def _meetings(program: Program, plan: _Plan, cid: str, where: str, used_changes: set[int]) -> CircleMeetings:
    """A pattern's dated meetings over the cohort: holidays skipped, staff's changes applied.

    `cid` "" is the program's default pattern (the public schedule page): only changes for
    every circle apply to it, and no calendar holds its events.
    """
    sc = program.schedule
    meetings = []
    for day in plan.pattern.dates(program.dates.cohort_start, program.dates.cohort_end):
        if day in sc.holidays:
            continue
        event = Event(f"meeting-{cid}-{day:%Y%m%d}", f"Circle {cid} meeting" if cid else "Circle meeting", "meeting", day, day,
                      plan.pattern.start, plan.pattern.end, where, plan.link, audience=CIRCLE + cid)
        for i, change in enumerate(sc.changes):
            if change.date == day and change.circle in (None, cid or None):
                event = _changed(event, change)
                used_changes.add(i)
        meetings.append(event)
    return CircleMeetings(cid, plan.pattern.text(), where, plan.link, plan.source, tuple(sorted(meetings, key=order)),
                          plan.pattern.fact())


def _changed(event: Event, change: MeetingChange) -> Event:
    if change.cancelled:
        return replace(event, cancelled=True, note=change.note or "cancelled")
    day = change.moved_to or event.start
    return replace(event, start=day, end=day, start_time=change.start or event.start_time,
                   end_time=change.end or event.end_time, where=change.where or event.where,
                   note=change.note or f"moved from {long_date(event.start)}")


def _configured(plan: MeetingPlan | None, source: str) -> _Plan | None:
    if plan is None:
        return None
    return _Plan(parse_pattern(plan.pattern), plan.where, plan.link or "", source)  # validated at load


def _tab_plans(decisions: Iterable[Decision], tab: str, circles_round: str) -> tuple[dict[str, _Plan], list[DataIssue]]:
    """Patterns staff typed into the Matches tab: the first readable one per circle counts."""
    plans: dict[str, _Plan] = {}
    issues: list[DataIssue] = []
    for d in sorted(decisions, key=lambda d: d.row):
        if d.round != circles_round or not d.meets.strip():
            continue
        try:
            pattern = parse_pattern(d.meets)
        except PatternError as exc:
            issues.append(DataIssue(tab, d.row, "meets", d.meets[:120], f"{exc}; the circle keeps the program's "
                                    "default pattern", act.VALUE_IGNORED))
            continue
        place = d.place.strip()
        link = place if place.startswith(("https://", "http://")) else ""
        plan = _Plan(pattern, "Video call" if link else place, link, f"the {tab} tab, row {d.row}")
        earlier = plans.get(d.group_id)
        if earlier is None:
            plans[d.group_id] = plan
        elif (earlier.pattern, earlier.where, earlier.link) != (plan.pattern, plan.where, plan.link):
            issues.append(DataIssue(tab, d.row, "meets", d.meets[:120], f"circle {d.group_id} already has a meeting "
                                    f"pattern from {earlier.source}; that one counts", act.VALUE_IGNORED))
    return plans, issues


def survey_dates(program: Program) -> dict[str, dt.date]:
    """When each survey is due, as the schedule, the pages and the reminders date it (one truth):
    the mid-program and final evaluations, and each round's or quarter's check-in ("Q2")."""
    return {e.quarter or e.key: e.start for e in program_events(program)
            if e.key in ("midpoint", "final") or e.kind == "checkin"}
