"""The calendar writer writes each event as icalendar would, byte for byte.

The build writes events line by line (icalendar's generic path was the slowest part of a
5,000-person build); icalendar stays the reference: here it serializes the same event from
the same fields, and any difference in escaping, folding or property order fails.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given, settings, strategies as st
from icalendar import Calendar, Event as VEvent

from generator.render.calendars import Calendars, _fold
from generator.schedule.events import Event
from generator.schedule.sequence import Stamped

ZONE = "America/New_York"


def reference(s: Stamped, private: bool, zone: str = ZONE) -> bytes:
    """The event as icalendar serializes it (the writer's earlier code, kept as the oracle)."""
    e, tz = s.event, zoneinfo.ZoneInfo(zone)
    v = VEvent()
    v.add("uid", s.uid)
    v.add("dtstamp", dt.datetime.combine(s.stamp, dt.time(0), tzinfo=dt.timezone.utc))
    v.add("sequence", s.sequence)
    v.add("summary", ("Cancelled: " if e.cancelled else "") + e.title + (" (optional)" if e.optional else ""))
    if e.start_time is not None and e.end_time is not None:
        v.add("dtstart", dt.datetime.combine(e.start, e.start_time, tzinfo=tz))
        v.add("dtend", dt.datetime.combine(e.end, e.end_time, tzinfo=tz))
    else:
        v.add("dtstart", e.start)
        v.add("dtend", e.end + dt.timedelta(days=1))
        v.add("transp", "TRANSPARENT")
    description = " ".join(filter(None, [e.description, e.note and f"({e.note})"]))
    if private and e.link:
        description = f"{description}\nJoin: {e.link}".strip()
        v.add("url", e.link)
    if description:
        v.add("description", description)
    if e.where:
        v.add("location", e.where)
    v.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
    return v.to_ical()


# What people and staff type: accents, CJK, emoji, the characters TEXT escapes, and long runs
# of them so folding meets multi-byte characters and escapes at the 75th octet.
typed = st.text(st.sampled_from(list("abc XYZ,;:\\^\"'\n\r\tÅéü中文😀-_/.N")), max_size=200)
one_line = typed.map(lambda t: t.replace("\n", " ").replace("\r", " "))


@st.composite
def stamped(draw: st.DrawFn) -> Stamped:
    start = draw(st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31)))
    timed = draw(st.booleans())
    begin = draw(st.times()) if timed else None
    event = Event(key="k", title=draw(one_line), kind="meeting", start=start,
                  end=start if timed else start + dt.timedelta(days=draw(st.integers(0, 60))),
                  start_time=begin.replace(microsecond=0) if begin else None,
                  end_time=(begin.replace(microsecond=0) if begin else None),
                  where=draw(typed), link=draw(st.sampled_from(["", "https://video.example.edu/j/123?pwd=a,b;c"])),
                  description=draw(typed), optional=draw(st.booleans()), cancelled=draw(st.booleans()),
                  note=draw(typed))
    return Stamped(event, uid=draw(one_line.filter(bool)) + "@program", sequence=draw(st.integers(0, 40)),
                   stamp=draw(st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31))))


@settings(max_examples=400, deadline=None)
@given(stamped(), st.booleans())
def test_every_event_is_written_as_icalendar_writes_it(s: Stamped, private: bool) -> None:
    writer = Calendars(ZONE, dt.date(2021, 1, 1), dt.date(2027, 12, 31))
    assert writer._event(s, private) == reference(s, private)


def test_a_meeting_of_a_circle_reads_back_with_every_field() -> None:
    meeting = Event(key="meeting-C01", title="Circle C01 meeting", kind="meeting", start=dt.date(2022, 3, 8),
                    end=dt.date(2022, 3, 8), start_time=dt.time(12), end_time=dt.time(13),
                    where="Room 4, Building B; 2nd floor", link="https://video.example.edu/j/1",
                    description="Bring your questions about IRB amendments\\deviations.", note="moved from March 1")
    s = Stamped(meeting, "meeting-C01-20220308@circles.crp-mentoring", 2, dt.date(2022, 2, 20))
    calendar = Calendars(ZONE, dt.date(2022, 1, 1), dt.date(2022, 12, 31)).ics("Circles: Ana Núñez", [s], private=True)
    event = next(iter(Calendar.from_ical(calendar).walk("VEVENT")))
    assert str(event["LOCATION"]) == "Room 4, Building B; 2nd floor"
    assert str(event["DESCRIPTION"]) == ("Bring your questions about IRB amendments\\deviations. (moved from March 1)"
                                         "\nJoin: https://video.example.edu/j/1")
    assert event["DTSTART"].dt == dt.datetime(2022, 3, 8, 12, tzinfo=zoneinfo.ZoneInfo(ZONE))
    assert int(event["SEQUENCE"]) == 2
    assert Calendar.from_ical(calendar)["X-WR-CALNAME"] == "Circles: Ana Núñez"


@settings(max_examples=200, deadline=None)
@given(one_line)
def test_a_calendar_name_is_folded_as_icalendar_folds_it(name: str) -> None:
    assert _fold("X-WR-CALNAME:" + name) == icalendar_name_line(name)


def icalendar_name_line(name: str) -> bytes:
    one = Calendar()
    one.add("x-wr-calname", name)
    return one.to_ical().removeprefix(b"BEGIN:VCALENDAR\r\n").removesuffix(b"END:VCALENDAR\r\n")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab \\^,;")), min_size=60, max_size=320))
def test_a_long_plain_text_name_is_folded_as_icalendar_folds_it(name: str) -> None:
    """Plain-text names take a quicker path (slicing): escapes met at every place a line ends."""
    assert _fold("X-WR-CALNAME:" + name) == icalendar_name_line(name)


def test_no_folded_line_is_longer_than_75_octets_or_splits_a_character() -> None:
    line = "DESCRIPTION:" + "Résumé review 中文 😀 \\, " * 20
    folded = _fold(line)
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "") == line + "\r\n"


def test_a_program_name_over_two_lines_stays_one_calendar_line() -> None:
    calendar = Calendars(ZONE, dt.date(2022, 1, 1), dt.date(2022, 12, 31)).ics("Co-mentoring\ncircles", [])
    assert b"X-WR-CALNAME:Co-mentoring circles\r\n" in calendar
    assert Calendar.from_ical(calendar)["X-WR-CALNAME"] == "Co-mentoring circles"
