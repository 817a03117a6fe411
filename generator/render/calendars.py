"""Calendar files (RFC 5545) written with the icalendar library, from the schedule's events.

A program writes one calendar per circle and per person, and most of their events are the
same: each event and the time zone are serialized once by icalendar and the files are
assembled from those blocks (a 49-person build writes 57 calendars).
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
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

    @classmethod
    def spanning(cls, zone: str, stamped: Iterable[Stamped]) -> "Calendars":
        """A writer whose time zone covers every one of these events."""
        days = [d for s in stamped for d in (s.event.start, s.event.end)] or [dt.date.today()]
        return cls(zone, min(days), max(days))

    def ics(self, name: str, stamped: Iterable[Stamped], private: bool = False) -> bytes:
        """One calendar: every event with its UID and SEQUENCE, times in the zone with its VTIMEZONE.

        Video links go only into private calendars (a circle's, a person's), never the public one.
        """
        begin = b"".join([self._head, _lines("x-wr-calname", name), self._zone_line])
        events = sorted(stamped, key=lambda s: (s.event.start, s.event.start_time or dt.time(0), s.uid))
        timed = any(s.event.start_time is not None for s in events)
        return b"".join([begin, self._vtimezone if timed else b"", *(self._event(s, private) for s in events),
                         b"END:VCALENDAR\r\n"])

    def _event(self, s: Stamped, private: bool) -> bytes:
        key = (s.uid, s.sequence, private and bool(s.event.link))
        if key not in self._events:
            self._events[key] = self._vevent(s, private).to_ical()
        return self._events[key]

    def _vevent(self, s: Stamped, private: bool) -> VEvent:
        e = s.event
        v = VEvent()
        v.add("uid", s.uid)
        v.add("dtstamp", dt.datetime.combine(s.stamp, dt.time(0), tzinfo=dt.timezone.utc))
        v.add("sequence", s.sequence)
        v.add("summary", ("Cancelled: " if e.cancelled else "") + e.title + (" (optional)" if e.optional else ""))
        if e.start_time is not None and e.end_time is not None:
            v.add("dtstart", dt.datetime.combine(e.start, e.start_time, tzinfo=self.tz))
            v.add("dtend", dt.datetime.combine(e.end, e.end_time, tzinfo=self.tz))
        else:
            v.add("dtstart", e.start)
            v.add("dtend", e.end + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
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
        return v


def _lines(prop: str, value: str) -> bytes:
    """One calendar property as icalendar writes it (its escaping and line folding)."""
    one = Calendar()
    one.add(prop, value)
    return one.to_ical().removeprefix(b"BEGIN:VCALENDAR\r\n").removesuffix(b"END:VCALENDAR\r\n")


def ics(name: str, stamped: Iterable[Stamped], zone: str, private: bool = False) -> bytes:
    """A single calendar (tests, one-off files); a build uses one Calendars for all of its files."""
    events = list(stamped)
    return Calendars.spanning(zone, events).ics(name, events, private)
