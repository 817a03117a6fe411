"""Schedules are data: dated meetings from a pattern, holidays skipped, changes applied, calendars that update."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml
from icalendar import Calendar

from generator.config.program import load_program
from generator.errors import ConfigError
from generator.records import Decision
from generator.render.calendars import ics
from generator.schedule.events import CIRCLE, EVERYONE, MENTORS, ROUND, plan_schedule
from generator.schedule.patterns import PatternError, parse_pattern
from generator.schedule.sequence import revise
from tests.conftest import EXAMPLES, FORMS

TUESDAY_DST = dt.date(2022, 3, 13)  # US daylight saving time began on Sunday, March 13, 2022


def variant(tmp_path, name: str, edit) -> object:
    data = yaml.safe_load(EXAMPLES[name].read_text())
    edit(data)
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "program.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_program(path, FORMS).program


def vevents(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


@pytest.mark.parametrize("text, words, first", [
    ("2nd and 4th Tuesday 12:00-13:00", "on the 2nd and 4th Tuesday of the month, 12:00-1:00 PM", dt.date(2022, 1, 11)),
    ("every Monday 9am-10am", "every Monday, 9:00-10:00 AM", dt.date(2022, 1, 10)),
    ("every other Thursday, 3pm to 4:30pm", "every other Thursday, 3:00-4:30 PM", dt.date(2022, 1, 13)),
    ("last Friday 8:00-9:00", "on the last Friday of the month, 8:00-9:00 AM", dt.date(2022, 1, 28)),
    # As people write a range in the US: the end's am or pm holds for the start.
    ("2nd Tuesday, 1-2pm", "on the 2nd Tuesday of the month, 1:00-2:00 PM", dt.date(2022, 1, 11)),
    ("every Wednesday 3:30-4:30 p.m.", "every Wednesday, 3:30-4:30 PM", dt.date(2022, 1, 12)),
    ("every Wednesday 11-12pm", "every Wednesday, 11:00 AM-12:00 PM", dt.date(2022, 1, 12)),
    ("every Wednesday 11:30-1 PM", "every Wednesday, 11:30 AM-1:00 PM", dt.date(2022, 1, 12)),
])
def test_patterns_staff_write_are_read(text, words, first):
    pattern = parse_pattern(text)
    assert pattern.text() == words
    assert pattern.dates(dt.date(2022, 1, 10), dt.date(2022, 2, 28))[0] == first


@pytest.mark.parametrize("text, why", [("Tuesdays at noon", "is not a meeting pattern"),
                                       ("2nd Funday 12:00-13:00", "not a day of the week"),
                                       ("6th Monday 12:00-13:00", "not a week of the month"),
                                       ("2nd Tuesday 13:00-12:00", "ends before it starts"),
                                       ("2nd Tuesday 25:00-26:00", "not a time"),
                                       # 1 o'clock at night is not when a circle meets: say how to write it.
                                       ("2nd Tuesday 1-2", r"starts at 01:00, at night: write am or pm"),
                                       ("2nd Tuesday 12-1", r"ends before it starts: write am or pm"),
                                       ("2nd Tuesday 13-14pm", "with am/pm the hour is 1 to 12")])
def test_unreadable_patterns_say_why(text, why):
    with pytest.raises(PatternError, match=why):
        parse_pattern(text)


def test_circle_meetings_keep_their_local_time_across_the_daylight_saving_change(circles):
    schedule = plan_schedule(circles.program, [("C01", "virtual", "")])
    meetings = schedule.circles["C01"].meetings
    assert len(meetings) == 18  # 2nd and 4th Tuesday, January 11 to September 27, 2022
    revisions, _ = revise("demo", meetings, {}, dt.date(2022, 1, 1))
    events = {e["DTSTART"].dt.date(): e for e in vevents(ics("C01", revisions.values(), schedule.zone, private=True))}
    before, after = events[dt.date(2022, 3, 8)], events[dt.date(2022, 3, 22)]
    assert before["DTSTART"].dt.hour == after["DTSTART"].dt.hour == 12  # noon on the wall clock, both times
    assert before["DTSTART"].params["TZID"] == "America/New_York"
    as_utc = [e["DTSTART"].dt.astimezone(dt.timezone.utc).hour for e in (before, after)]
    assert as_utc == [17, 16]  # EST then EDT
    zones = Calendar.from_ical(ics("C01", revisions.values(), schedule.zone)).walk("VTIMEZONE")
    assert [z["TZID"] for z in zones] == ["America/New_York"]
    assert {c.name for c in zones[0].subcomponents} >= {"STANDARD", "DAYLIGHT"}


def test_a_holiday_on_a_meeting_day_skips_that_meeting(tmp_path):
    program = variant(tmp_path, "circles", lambda d: d["schedule"].update(holidays=["2022-03-22"]))
    days = [e.start for e in plan_schedule(program, [("C01", "virtual", "")]).circles["C01"].meetings]
    assert dt.date(2022, 3, 8) in days and dt.date(2022, 3, 22) not in days and len(days) == 17


def test_one_changed_meeting_changes_one_sequence_and_every_uid_stays(tmp_path, circles):
    first = plan_schedule(circles.program, [("C01", "virtual", ""), ("C02", "virtual", "")])
    before, state = revise("demo", first.every_event(), {}, dt.date(2022, 1, 1))
    moved = variant(tmp_path, "circles", lambda d: d["schedule"].update(
        changes=[{"date": "2022-04-12", "circle": "C02", "start": "15:00", "end": "16:00", "note": "room clash"}]))
    second = plan_schedule(moved, [("C01", "virtual", ""), ("C02", "virtual", "")])
    after, _ = revise("demo", second.every_event(), state, dt.date(2022, 2, 1))
    assert set(after) == set(before)
    raised = [u for u in after if after[u].sequence != before[u].sequence]
    assert raised == ["meeting-C02-20220412@demo.crp-mentoring"] and after[raised[0]].sequence == 1
    assert after[raised[0]].stamp == dt.date(2022, 2, 1)
    event = next(e for e in vevents(ics("C02", after.values(), second.zone)) if e["UID"] == raised[0])
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt.hour == 15
    # A rebuild with nothing changed changes nothing.
    again, _ = revise("demo", second.every_event(), _, dt.date(2022, 3, 1))
    assert {u: (s.sequence, s.stamp) for u, s in again.items()} == {u: (s.sequence, s.stamp) for u, s in after.items()}


def test_a_meeting_that_disappears_is_published_as_cancelled_not_dropped(tmp_path, circles):
    first = plan_schedule(circles.program, [("C01", "virtual", "")])
    before, state = revise("demo", first.every_event(), {}, dt.date(2022, 1, 1))
    later = variant(tmp_path, "circles", lambda d: d["schedule"].update(holidays=["2022-03-22"]))
    after, _ = revise("demo", plan_schedule(later, [("C01", "virtual", "")]).every_event(), state, dt.date(2022, 2, 1))
    gone = after["meeting-C01-20220322@demo.crp-mentoring"]
    assert gone.event.cancelled and gone.sequence == 1
    event = next(e for e in vevents(ics("C01", after.values(), "America/New_York")) if e["UID"] == gone.uid)
    assert event["STATUS"] == "CANCELLED"


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(tmp_path):
    program = variant(tmp_path, "circles", lambda d: d["schedule"].update(
        changes=[{"date": "2022-02-08", "cancelled": True, "note": "campus closed"}]))
    meetings = plan_schedule(program, [("C01", "virtual", "")]).circles["C01"].meetings
    feb8 = next(e for e in meetings if e.start == dt.date(2022, 2, 8))
    assert feb8.cancelled and feb8.note == "campus closed" and len(meetings) == 18


def test_video_links_go_only_into_private_calendars(tmp_path):
    program = variant(tmp_path, "circles", lambda d: d["schedule"]["meetings"].update(link="https://video.example.edu/c"))
    schedule = plan_schedule(program, [("C01", "virtual", "")])
    revisions, _ = revise("demo", schedule.every_event(), {}, dt.date(2022, 1, 1))
    assert b"video.example.edu" in ics("C01", revisions.values(), schedule.zone, private=True)
    assert b"video.example.edu" not in ics("C01", revisions.values(), schedule.zone)


def test_a_pattern_typed_into_the_matches_tab_sets_that_circles_meetings(circles):
    rows = [Decision(5, "circles", "C02", "a@x.edu", "member", "locked", "every Thursday 15:00-16:00", "Room 101"),
            Decision(6, "circles", "C02", "b@x.edu", "member", "locked", "1st Monday 9:00-10:00", ""),
            Decision(7, "circles", "C03", "c@x.edu", "member", "locked", "Thursdays at three", "")]
    schedule = plan_schedule(circles.program, [("C01", "virtual", ""), ("C02", "virtual", ""), ("C03", "virtual", "")],
                             rows)
    assert schedule.circles["C02"].pattern == "every Thursday, 3:00-4:00 PM"
    assert schedule.circles["C02"].where == "Room 101" and schedule.circles["C02"].source == "the Matches tab, row 5"
    assert schedule.circles["C01"].pattern == schedule.circles["C03"].pattern == "on the 2nd and 4th Tuesday of the month, 12:00-1:00 PM"
    issues = {(i.row, i.column): i for i in schedule.issues}
    assert set(issues) == {(6, "meets"), (7, "meets")}
    assert "already has a meeting pattern from the Matches tab, row 5" in issues[(6, "meets")].reason
    assert "is not a meeting pattern" in issues[(7, "meets")].reason and issues[(7, "meets")].value == "Thursdays at three"
    assert schedule.circles["C03"].meetings  # the bad row leaves the default, never a circle without dates


def test_a_circle_with_no_pattern_anywhere_is_named_for_staff(tmp_path):
    program = variant(tmp_path, "circles", lambda d: d["schedule"].pop("meetings"))
    schedule = plan_schedule(program, [("C01", "virtual", "")])
    assert schedule.circles["C01"].meetings == ()
    assert any("Circle C01 has no meeting pattern" in p for p in schedule.problems)


def test_a_change_that_matches_no_meeting_is_reported(tmp_path):
    program = variant(tmp_path, "circles", lambda d: d["schedule"].update(changes=[{"date": "2022-02-09", "cancelled": True}]))
    problems = plan_schedule(program, [("C01", "virtual", "")]).problems
    assert any("changes[1]: any circle has no meeting on 2022-02-09" in p for p in problems)


@pytest.mark.parametrize("edit, where", [
    (lambda d: d["schedule"]["meetings"].update(pattern="twice a month"), "'schedule.meetings'"),
    (lambda d: d["schedule"].update(time_zone="America/Gainesville"), "is not a time zone"),
    (lambda d: d["schedule"].update(holidays=["2022-02-30"]), "'schedule.holidays[1]'"),
    (lambda d: d["schedule"].update(holidays=["2023-07-04"]), "schedule.holidays[1] 2023-07-04 is outside the program"),
    (lambda d: d["schedule"].update(changes=[{"date": "2022-03-08", "moved_to": "2022-10-04"}]),
     "schedule.changes[1].moved_to 2022-10-04 is outside the program"),
    (lambda d: d["schedule"]["events"][0].update(start="13:00"), "end must be after start"),
])
def test_bad_schedule_settings_are_config_errors_naming_the_key(tmp_path, edit, where):
    with pytest.raises(ConfigError) as caught:
        variant(tmp_path, "circles", edit)
    assert where in str(caught.value) and "program.yml" in str(caught.value)


def test_rotating_pairs_events_are_the_rounds_check_ins_evaluations_and_mentor_training(pairs):
    schedule = plan_schedule(pairs.program, [])
    by_key = {e.key: e for e in schedule.program}
    q1 = pairs.program.dates.quarters[0]
    assert (by_key["round-Q1"].start, by_key["round-Q1"].end) == (q1.start, q1.end)
    assert by_key["checkin-Q1"].start == q1.end + dt.timedelta(days=7)
    assert by_key["round-Q1"].description.endswith("You and your partner choose when you meet: at least 3 meetings a quarter.")
    # The program's words for the round replace the generic sentence (the two were printed one after the other).
    assert by_key["round-Q1"].description.startswith(q1.description + " You and your partner choose") and \
        by_key["round-Q1"].description.count("Matched as") == 1
    plain = plan_schedule(pairs.program.model_copy(update={"dates": pairs.program.dates.model_copy(update={
        "quarters": tuple(q.model_copy(update={"description": ""}) for q in pairs.program.dates.quarters)})}), [])
    assert {e.key: e for e in plain.program}["round-Q2"].description.startswith(
        "Matched as a same-level peer from another department. You and your partner")
    training = [e for e in schedule.program if e.kind == "training"]
    assert training and {e.audience for e in training} == {MENTORS}
    assert training[0] not in schedule.for_person() and training[0] in schedule.for_person(mentor=True)
    kinds = {e.kind for e in schedule.program}
    assert {"application", "announcement", "kickoff", "round", "checkin", "evaluation", "wrap-up"} <= kinds
    assert not schedule.circles and all(e.audience in (EVERYONE, MENTORS) for e in schedule.program if e.kind != "round")
    # A round's window is on the calendars of those taking part in it, and no one else's.
    assert {e.audience for e in schedule.program if e.kind == "round"} == {ROUND + q.name for q in pairs.program.dates.quarters}
    assert by_key["round-Q1"] not in schedule.for_person() and by_key["round-Q1"] in schedule.for_person(rounds=["Q1"])
    assert by_key["round-Q2"] not in schedule.for_person(rounds=["Q1"])


def test_a_persons_events_are_the_programs_and_their_own_circles_only(circles):
    schedule = plan_schedule(circles.program, [("C01", "virtual", ""), ("C02", "virtual", "")])
    mine = schedule.for_person("C01")
    assert {e.audience for e in mine} == {EVERYONE, CIRCLE + "C01"}
    assert len([e for e in mine if e.kind == "meeting"]) == 18


def test_the_public_meeting_days_come_from_the_same_expansion_as_the_circles(tmp_path):
    from generator.render.site import default_meetings

    program = variant(tmp_path, "circles", lambda d: d["schedule"].update(
        holidays=["2022-03-22"], changes=[{"date": "2022-02-08", "cancelled": True}]))
    schedule = plan_schedule(program, [("C01", "virtual", "")])
    pattern, months = default_meetings(schedule)
    assert pattern == "on the 2nd and 4th Tuesday of the month, 12:00-1:00 PM, New York time (EST/EDT)"
    assert dict(months)["February 2022"] == "22" and dict(months)["March 2022"] == "8"
    assert [e.start for e in schedule.default.meetings if not e.cancelled] == \
           [e.start for e in schedule.circles["C01"].meetings if not e.cancelled]


def test_a_long_or_pathological_cell_is_refused_at_once_not_backtracked():
    """Before: nested repetition in the pattern's regex took exponential time on a cell of words."""
    from generator.schedule.patterns import PatternError, parse_pattern

    for cell in ["aaaa " * 15 + "!", "x y " * 19 + "z", "1st " * 30 + "Tuesday 12:00-13:00"]:
        with pytest.raises(PatternError):
            parse_pattern(cell)


def test_a_calendar_state_written_by_earlier_versions_still_matches_every_unchanged_event(circles, pairs):
    """The state's event fields and their hash are what they always were (every field, dates
    and times as ISO text, hashed from json.dumps sorted): an upgrade must not raise the
    SEQUENCE of every event in people's calendars."""
    import dataclasses
    import hashlib
    import json

    for loaded, circles_of in ((circles, [("C01", "virtual", ""), ("C02", "in person", "Gainesville")]), (pairs, [])):
        events = list(plan_schedule(loaded.program, circles_of).every_event())
        _, state = revise("demo", events, {}, dt.date(2022, 1, 1))
        assert any(e.start_time for e in events) and any(e.start_time is None for e in events)
        for event in events:
            plain = {k: (v.isoformat() if isinstance(v, (dt.date, dt.time)) else v)
                     for k, v in dataclasses.asdict(event).items()}
            kept = state["events"][f"{event.key}@demo.crp-mentoring"]
            assert kept["event"] == plain and list(kept["event"]) == [f.name for f in dataclasses.fields(event)]
            assert kept["hash"] == hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()[:16]


def test_a_time_zone_reads_as_people_know_it():
    """Applicants read "New York time (EST/EDT)", not "the America/New_York time zone" alone;
    the abbreviations are those the zone uses while the program runs, standard time first."""
    from generator.dates import zone_words

    year = (dt.date(2021, 10, 1), dt.date(2022, 9, 30))
    assert zone_words("America/New_York", *year) == "New York time (EST/EDT)"
    assert zone_words("America/New_York", dt.date(2022, 1, 1), dt.date(2022, 2, 28)) == "New York time (EST)"
    assert zone_words("America/Phoenix", *year) == "Phoenix time (MST)"
    assert zone_words("Europe/London", *year) == "London time (GMT/BST)"
    assert zone_words("America/Sao_Paulo", *year) == "Sao Paulo time"  # its times are written -03
    assert zone_words("UTC", *year) == "UTC" and zone_words("Etc/GMT+5", *year) == "Etc/GMT+5"
    assert zone_words("America/Port-au-Prince", *year) == "Port-au-Prince time (EST/EDT)"


def test_pages_and_messages_name_the_zone_one_way(circles):
    """The schedule holds the zone's name once; the personal page's "meets" and the announcement's
    "Coming up" read it (they said "(America/New_York)")."""
    schedule = plan_schedule(circles.program, [("C01", "virtual", "")])
    assert schedule.zone == "America/New_York" and schedule.zone_name == "New York time (EST/EDT)"


def test_on_one_day_the_program_starts_first_and_ends_last(tmp_path):
    """A new pairs program without a kickoff event listed "Q1: meet with your mentor or mentee"
    above "The program starts", both on its first day, and "The program ends" above the final
    evaluation due that last day."""
    from generator.schedule.events import program_events

    def no_events(data):
        data["schedule"]["events"] = [e for e in data["schedule"].get("events", []) if e["kind"] not in ("kickoff", "wrap-up")]

    program = variant(tmp_path, "pairs", no_events)
    keys = [e.key for e in program_events(program)]
    assert keys.index("start") < keys.index("round-Q1")
    assert keys.index("final") < keys.index("end")
    first = [e for e in program_events(program) if e.start == program.dates.cohort_start]
    assert [e.key for e in first] == ["start", "round-Q1"]
