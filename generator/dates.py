"""How dates and time zones read on every page, report and calendar."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=4096)  # a program has a few hundred distinct dates, each written thousands of times
def long_date(value: dt.date) -> str:
    """January 10, 2022: how dates are written on every page."""
    return f"{value:%B} {value.day}, {value.year}"


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
