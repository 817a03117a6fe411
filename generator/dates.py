"""How dates and time zones read on every page, report and calendar."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=4096)  # a program has a few hundred distinct dates, each written thousands of times
def long_date(value: dt.date) -> str:
    """January 10, 2022: how dates are written on every page."""
    return f"{value:%B} {value.day}, {value.year}"


def _clock(moment: dt.time) -> tuple[str, str]:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}", "AM" if moment.hour < 12 else "PM"


@lru_cache(maxsize=1024)
def time_range(start: dt.time, end: dt.time) -> str:
    """"12:00-1:00 PM", "11:30 AM-12:30 PM": times as the programs' readers (US medical centers) write
    them, on every page and in every message; calendar files carry the times themselves."""
    (s, s_half), (e, e_half) = _clock(start), _clock(end)
    return f"{s}-{e} {e_half}" if s_half == e_half else f"{s} {s_half}-{e} {e_half}"


def zone_words(zone: str, start: dt.date, end: dt.date) -> str:
    """A time zone as readers know it: "New York time (EST/EDT)" for America/New_York, with the
    abbreviations it uses between `start` and `end` (a program crossing a daylight-saving change
    has both), instead of the IANA name alone."""
    from zoneinfo import ZoneInfo

    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    if "/" not in zone or zone.startswith("Etc/") or not place.replace(" ", "").replace("-", "").isalpha():
        return zone
    tz = ZoneInfo(zone)
    moments = [dt.datetime(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 15, 12, tzinfo=tz)
               for k in range((end.year - start.year) * 12 + end.month - start.month + 1)]
    # Standard time first (EST/EDT); a zone without letters for its times writes "-03": left out.
    names = dict.fromkeys(str(m.tzname()) for m in sorted(moments, key=lambda m: (m.dst() or dt.timedelta(0))))
    shown = [n for n in names if n.isalpha()]
    return f"{place} time" + (f" ({'/'.join(shown)})" if shown else "")
