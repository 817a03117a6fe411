"""Meeting patterns as staff write them: "2nd and 4th Tuesday 12:00-13:00", "every Monday 9am-10am"."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from generator.dates import time_range
from generator.words import listed

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4,
            "5th": 5, "fifth": 5, "last": -1}
MAX_LENGTH = 80
EXAMPLE = '"2nd and 4th Tuesday 12:00-13:00" or "every Monday 9am-10am"'

_TIME = r"(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?"
#: The earliest a meeting starts unless written with am: "1-2" is an afternoon, not 1 at night.
EARLIEST = dt.time(6)
_PATTERN = re.compile(
    rf"^\s*(?P<which>every(?:\s+other)?|[\w ,&]+?)\s+(?P<day>[a-z]+?)s?\s*,?\s+"
    rf"(?:from\s+)?(?P<start>{_TIME})\s*(?:-|–|to)\s*(?P<end>{_TIME})\s*$", re.IGNORECASE)


class PatternError(ValueError):
    """A pattern the build cannot read; the message says what was expected."""


@dataclass(frozen=True)
class Pattern:
    """Which weekdays of which weeks of the month, and the time of day (local to the program)."""

    weekday: int  # Monday = 0
    weeks: tuple[int, ...]  # 1-5, or -1 for the last; () with every/every other
    every: int  # 0 with weeks; 1 every week; 2 every other week
    start: dt.time
    end: dt.time

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Every day the pattern meets from `first` to `last`, both included."""
        day = first + dt.timedelta(days=(self.weekday - first.weekday()) % 7)
        out = []
        index = 0
        while day <= last:
            if self.every:
                if index % self.every == 0:
                    out.append(day)
            else:
                nth = (day.day - 1) // 7 + 1
                is_last = (day + dt.timedelta(days=7)).month != day.month
                if nth in self.weeks or (-1 in self.weeks and is_last):
                    out.append(day)
            day += dt.timedelta(days=7)
            index += 1
        return out

    def text(self) -> str:
        """Back in words, as every page shows it, to follow "meets": "on the 2nd and 4th Tuesday of
        the month, 12:00-1:00 PM", "every other Thursday, 3:00-4:00 PM"."""
        which = self._which()
        if not self.every:
            which = f"on the {which} of the month"
        return f"{which[0].lower()}{which[1:]}, {time_range(self.start, self.end)}"

    def fact(self) -> str:
        """"2nd and 4th Tuesday, 12:00-13:00": the pattern as a sent message's facts record it, the same
        whatever the pages' wording (a fact that changes sends the message again)."""
        return f"{self._which()}, {self.start:%H:%M}-{self.end:%H:%M}"

    def _which(self) -> str:
        day = calendar.day_name[self.weekday]
        if self.every == 1:
            which = f"Every {day}"
        elif self.every == 2:
            which = f"Every other {day}"
        else:
            names = {v: k for k, v in ORDINALS.items() if not k.isalpha() or k == "last"}
            words = [names[w] for w in self.weeks]
            which = f"{listed(words)} {day}"
        return which


def _time(text: str, half: str = "") -> tuple[dt.time, str]:
    """A time and the half of the day it was written with ("am", "pm" or ""); `half` is the end's,
    for a start written without one."""
    m = re.fullmatch(_TIME, text.strip(), re.IGNORECASE)
    if not m:
        raise PatternError(f"{text!r} is not a time (write 12:00 or 12pm)")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    own = (m.group(3) or "").lower().replace(".", "")
    if minute > 59 or hour > 23 or (own and not 1 <= hour <= 12):
        raise PatternError(f"{text!r} is not a time of day" + (": with am/pm the hour is 1 to 12" if own else ""))
    if own:
        return dt.time(hour % 12 + (12 if own == "pm" else 0), minute), own
    if half and 1 <= hour <= 12:  # "1-2pm", "3:30-4:30 p.m.": the start is in the end's half of the day
        return dt.time(hour % 12 + (12 if half == "pm" else 0), minute), half
    return dt.time(hour, minute), ""


def parse_pattern(text: str) -> Pattern:
    """Read a pattern or raise PatternError saying what is wrong and what is expected."""
    if len(text or "") > MAX_LENGTH:  # a pattern is a short phrase; a long cell is something else
        raise PatternError(f"{(text or '')[:40]!r}... is not a meeting pattern (too long); write it like {EXAMPLE}")
    m = _PATTERN.match(text or "")
    if not m:
        raise PatternError(f"{text!r} is not a meeting pattern; write it like {EXAMPLE}")
    day = m.group("day").lower()
    if day not in WEEKDAYS:
        raise PatternError(f"{m.group('day')!r} is not a day of the week, in {text!r}")
    which = m.group("which").lower().split()
    end, end_half = _time(m.group("end"))
    start, start_half = _time(m.group("start"), end_half)
    if start >= end and end_half == "pm" and not re.search(r"[ap]\.?m", m.group("start"), re.I):
        start = dt.time(start.hour - 12, start.minute)  # "11-12pm", "11:30-1pm": from the morning
    either = 'write am or pm ("1pm-2pm") or a 24-hour time ("13:00-14:00")'
    if end <= start:
        raise PatternError(f"in {text!r} the meeting ends before it starts" + ("" if end_half else f": {either}"))
    if start < EARLIEST and start_half != "am":
        raise PatternError(f"in {text!r} the meeting starts at {start:%H:%M}, at night: {either}")
    if which[0] == "every":
        return Pattern(WEEKDAYS[day], (), 2 if which[1:] == ["other"] else 1, start, end)
    words = [w for w in re.split(r"[\s,&]+", m.group("which").lower()) if w and w != "and"]
    unknown = [w for w in words if w not in ORDINALS]
    if unknown:
        raise PatternError(f"{unknown[0]!r} is not a week of the month (1st to 5th, or last), in {text!r}")
    return Pattern(WEEKDAYS[day], tuple(sorted({ORDINALS[w] for w in words}, key=lambda w: (w < 0, w))), 0, start, end)
