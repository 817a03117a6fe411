"""Calendar files (RFC 5545) written with the icalendar library, from the schedule's events."""
from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Iterable

from icalendar import Calendar, Event as VEvent

from generator.schedule.sequence import Stamped

PRODID = "-//crp-mentoring//program calendar//EN"


def ics(name: str, stamped: Iterable[Stamped], zone: str, private: bool = False) -> bytes:
    """One calendar: every event with its UID and SEQUENCE, times in `zone` with a VTIMEZONE.

    Video links go only into private calendars (a circle's, a person's), never the public one.
    """
    tz = zoneinfo.ZoneInfo(zone)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone)
    stamped = list(stamped)
    for s in sorted(stamped, key=lambda s: (s.event.start, s.event.start_time or dt.time(0), s.uid)):
        e = s.event
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
        cal.add_component(v)
    if stamped:  # transitions for the program's span only: a readable file, right across each DST change
        days = [s.event.start for s in stamped] + [s.event.end for s in stamped]
        cal.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366), last_date=max(days) + dt.timedelta(days=366))
    return cal.to_ical()
