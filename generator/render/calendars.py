"""Calendar files (RFC 5545) written with the icalendar library, from the schedule's events.

A program writes one calendar per circle and per person, and most of their events are the
same: each event and the time zone are serialized once and the files are assembled from those
blocks (a 49-person build writes 57 calendars). icalendar makes the time zone (VTIMEZONE from
the system's zone data) and the calendar's own lines. The events are written here, line by
line, as icalendar writes them: its generic path costs ~0.2 ms an event, and 5,000 people in
circles have ~13,000 distinct events (each circle's meetings). tests/render/test_calendars.py
holds this writer to icalendar's bytes for the same event (escaping, folding, property order).
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Iterable

from icalendar import Calendar, Event as VEvent, Timezone

from generator.schedule.sequence import Stamped

PRODID = "-//crp-mentoring//program calendar//EN"


class Calendars:
    """Writes calendars in one time zone, each event serialized once."""

    def __init__(self, zone: str, first: dt.date, last: dt.date):
        self.zone = zone
        self.tz = zoneinfo.ZoneInfo(zone)
        # Transitions for the program's span only: a readable file, right across each DST change.
        self._vtimezone = Timezone.from_tzid(zone, first_date=first - dt.timedelta(days=366),
                                             last_date=last + dt.timedelta(days=366)).to_ical()
        self._events: dict[tuple[str, int, bool], bytes] = {}
        # The calendar's own lines, serialized once; only its name differs between files.
        self._head = b"BEGIN:VCALENDAR\r\n" + b"".join(_lines(k, v) for k, v in (
            ("version", "2.0"), ("prodid", PRODID), ("calscale", "GREGORIAN"), ("method", "PUBLISH")))
        self._zone_line = _lines("x-wr-timezone", zone)
        # "DTSTART;TZID=America/New_York:" as icalendar writes the zone parameter (and would quote it).
        timed = VEvent()
        timed.add("dtstart", dt.datetime(2000, 1, 1, tzinfo=self.tz))
        self._tzid = timed.to_ical().decode().split("\r\n")[1].partition(":")[0].removeprefix("DTSTART")

    @classmethod
    def spanning(cls, zone: str, stamped: Iterable[Stamped]) -> "Calendars":
        """A writer whose time zone covers every one of these events."""
        days = [d for s in stamped for d in (s.event.start, s.event.end)] or [dt.date.today()]
        return cls(zone, min(days), max(days))

    def ics(self, name: str, stamped: Iterable[Stamped], private: bool = False) -> bytes:
        """One calendar: every event with its UID and SEQUENCE, times in the zone with its VTIMEZONE.

        Video links go only into private calendars (a circle's, a person's), never the public one.
        """
        return self.named(name, self.body(stamped, private))

    def body(self, stamped: Iterable[Stamped], private: bool = False) -> bytes:
        """What a calendar holds but its name: the time zone (if an event has a time) and the events,
        in time order. People who see the same events share one body (a circle's members)."""
        events = sorted(stamped, key=lambda s: (s.event.start, s.event.start_time or dt.time(0), s.uid))
        timed = any(s.event.start_time is not None for s in events)
        return b"".join([self._vtimezone if timed else b"", *(self._event(s, private) for s in events)])

    def named(self, name: str, body: bytes) -> bytes:
        """A calendar file: its lines, its name and a body from `body`."""
        before, after = self.around(name)
        return b"".join([before, body, after])

    def around(self, name: str) -> tuple[bytes, bytes]:
        """What a calendar file named `name` holds before its body and after it."""
        # Written as icalendar writes this property (not escaped); a line break would end the line.
        one_line = name.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        return b"".join([self._head, _fold("X-WR-CALNAME:" + one_line), self._zone_line]), b"END:VCALENDAR\r\n"

    def _event(self, s: Stamped, private: bool) -> bytes:
        key = (s.uid, s.sequence, private and bool(s.event.link))
        if key not in self._events:
            self._events[key] = self._vevent(s, private)
        return self._events[key]

    def _vevent(self, s: Stamped, private: bool) -> bytes:
        """The event's lines in icalendar's order for a VEVENT: its canonical properties first
        (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE), then the rest alphabetically."""
        e = s.event
        if e.start_time is not None and e.end_time is not None:
            start = f"DTSTART{self._tzid}:{_stamp(e.start, e.start_time)}"
            end = f"DTEND{self._tzid}:{_stamp(e.end, e.end_time)}"
            transp = ""
        else:
            start = f"DTSTART;VALUE=DATE:{_day(e.start)}"
            end = f"DTEND;VALUE=DATE:{_day(e.end + dt.timedelta(days=1))}"  # DTEND of an all-day event is exclusive
            transp = "TRANSP:TRANSPARENT"
        description = " ".join(filter(None, [e.description, e.note and f"({e.note})"]))
        url = ""
        if private and e.link:
            description = f"{description}\nJoin: {e.link}".strip()
            url = "URL:" + e.link
        summary = ("Cancelled: " if e.cancelled else "") + e.title + (" (optional)" if e.optional else "")
        lines = ["BEGIN:VEVENT", "SUMMARY:" + _text(summary), start, end, f"DTSTAMP:{_day(s.stamp)}T000000Z",
                 "UID:" + _text(s.uid), f"SEQUENCE:{s.sequence}",
                 description and "DESCRIPTION:" + _text(description), e.where and "LOCATION:" + _text(e.where),
                 "STATUS:" + ("CANCELLED" if e.cancelled else "CONFIRMED"), transp, url, "END:VEVENT"]
        return b"".join(_fold(line) for line in lines if line)


def _stamp(day: dt.date, time: dt.time) -> str:
    """A local date-time as RFC 5545 writes it (seconds, no fraction)."""
    return f"{_day(day)}T{_clock(time)}"


@cache
def _day(day: dt.date) -> str:
    """20220111. Each date formatted once: strftime takes a microsecond, and 50,000 events (20,000
    people in circles) have a few hundred dates."""
    return f"{day:%Y%m%d}"


@cache
def _clock(time: dt.time) -> str:
    return f"{time:%H%M%S}"


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, as icalendar does it (in its order: a backslash first)."""
    return (value.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
            .replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n"))


def _fold(line: str) -> bytes:
    """One content line and its CRLF, folded at 75 octets as icalendar folds it: never inside a
    character, and never right after a backslash or caret (an escape stays whole)."""
    raw = line.encode("utf-8")
    if len(raw) < 75:  # icalendar folds a line only from 75 octets on
        return raw + b"\r\n"
    if len(raw) == len(line):  # ASCII (each person's calendar name): 74 characters a line, cut by slicing
        parts: list[str] = []
        start = 0
        while len(line) - start > 74:
            end = start + 74 - (line[start + 73] in "\\^")  # an escape's first character goes on with it
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts).encode("ascii") + b"\r\n"
    parts = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= 75:
            carried = [current.pop()] if len(current) > 1 and current[-1] in "\\^" else []
            parts.append("".join(current))
            current, size = carried, sum(len(c.encode("utf-8")) for c in carried)
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts).encode("utf-8") + b"\r\n"


def _lines(prop: str, value: str) -> bytes:
    """One calendar property as icalendar writes it (its escaping and line folding)."""
    one = Calendar()
    one.add(prop, value)
    return one.to_ical().removeprefix(b"BEGIN:VCALENDAR\r\n").removesuffix(b"END:VCALENDAR\r\n")


def ics(name: str, stamped: Iterable[Stamped], zone: str, private: bool = False) -> bytes:
    """A single calendar (tests, one-off files); a build uses one Calendars for all of its files."""
    events = list(stamped)
    return Calendars.spanning(zone, events).ics(name, events, private)
