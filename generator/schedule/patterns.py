"""Meeting patterns as staff write them: "2nd and 4th Tuesday 12:00-13:00", "every Monday 9am-10am"."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from generator.words import listed

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4,
            "5th": 5, "fifth": 5, "last": -1}
MAX_LENGTH = 80
EXAMPLE = '"2nd and 4th Tuesday 12:00-13:00" or "every Monday 9am-10am"'

_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?"
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
        """Back in words, as every page shows it."""
        day = calendar.day_name[self.weekday]
        if self.every == 1:
            which = f"Every {day}"
        elif self.every == 2:
            which = f"Every other {day}"
        else:
            names = {v: k for k, v in ORDINALS.items() if not k.isalpha() or k == "last"}
            words = [names[w] for w in self.weeks]
            which = f"{listed(words)} {day}"
        return f"{which}, {self.start:%H:%M}-{self.end:%H:%M}"


def _time(text: str) -> dt.time:
    m = re.fullmatch(_TIME, text.strip(), re.IGNORECASE)
    if not m:
        raise PatternError(f"{text!r} is not a time (write 12:00 or 12pm)")
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise PatternError(f"{text!r} is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise PatternError(f"{text!r} is not a time of day")
    return dt.time(hour, minute)


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
    start, end = _time(m.group("start")), _time(m.group("end"))
    if end <= start:
        raise PatternError(f"in {text!r} the meeting ends before it starts")
    if which[0] == "every":
        return Pattern(WEEKDAYS[day], (), 2 if which[1:] == ["other"] else 1, start, end)
    words = [w for w in re.split(r"[\s,&]+", m.group("which").lower()) if w and w != "and"]
    unknown = [w for w in words if w not in ORDINALS]
    if unknown:
        raise PatternError(f"{unknown[0]!r} is not a week of the month (1st to 5th, or last), in {text!r}")
    return Pattern(WEEKDAYS[day], tuple(sorted({ORDINALS[w] for w in words}, key=lambda w: (w < 0, w))), 0, start, end)
