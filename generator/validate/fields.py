"""Parse one typed answer into a value, or say in plain words why it is not one."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Callable, Iterable, Literal

from generator.config.forms import LIKERT_LABELS, Field, FieldType
from generator.validate.conventions import US, Conventions
from generator.words import listed, options

Parsed = tuple[Any, str | None]  # (value, reason it is invalid)

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
# C0/C1 control characters other than tab and newline: never meaningful in an answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(raw: str) -> str:
    """Drop control characters (NUL and friends), normalize newlines, trim."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
_DATE = re.compile(r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})" + _TIME + "$")
#: A date with the month's English name, as a sheet shows a date typed that way (Sheets keeps the
#: format it was typed in): "March 1, 2022", "Tuesday, Mar. 1, 2022", "1 March 2022". Never ambiguous.
_NAMED = re.compile(r"^(?:([A-Za-z]+)\.?,?\s+)??(?:(\d{1,2})\s+([A-Za-z]+)\.?|([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?)"
                    r",?\s+(\d{4})" + _TIME + "$")
_MONTHS = {name: n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_WEEKDAYS = {name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def parse_timestamp(text: str, conv: Conventions = US) -> dt.datetime | None:
    """A date, or a date and time, as people and spreadsheets write it in the sheet's locale.

    A four-digit year first is always year-month-day (ISO); otherwise the locale decides
    whether 05/10/2021 is the 10th of May (en_US) or the 5th of October (en_GB). A month written
    as a word ("March 1, 2022") and a 12-hour clock ("2:30 PM") are read too.
    """
    text = text.strip()
    m = _DATE.match(text)
    if m:
        a, _, b, c, hh, mm, ss, half = m.groups()
        if len(a) == 4:
            y, mo, d = int(a), int(b), int(c)
        elif len(c) in (2, 4) and len(a) <= 2:
            first, second = int(a), int(b)
            mo, d = (first, second) if conv.dates == "MDY" else (second, first)
            y = int(c) if len(c) == 4 else 2000 + int(c) - (100 if int(c) > 68 else 0)
        else:
            return None
    else:
        m = _NAMED.match(text)
        if not m:
            return None
        weekday, d1, month1, month2, d2, year, hh, mm, ss, half = m.groups()
        mo = _MONTHS.get((month1 or month2).lower(), 0)
        y, d = int(year), int(d1 or d2)
        if weekday is not None:  # "Monday, March 1, 2022" was a Tuesday: a typo somewhere, not a guess
            try:
                if dt.date(y, mo, d).weekday() != _WEEKDAYS.get(weekday.lower()[:3]):
                    return None
            except ValueError:
                return None
    hour = int(hh or 0)
    if half:  # 12 AM is midnight, 12 PM noon; "14:00 PM" is no time
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    try:
        return dt.datetime(y, mo, d, hour, int(mm or 0), int(ss or 0))
    except ValueError:
        return None


_DATE_PART = re.compile(r"\d{1,4}([/.-])\d{1,2}\1\d{1,4}")
_TIME_PART = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_timestamps(cells: Iterable[str], conv: Conventions = US) -> dict[str, dt.datetime | None]:
    """parse_timestamp of each cleaned cell, for a tab's submission times at once. A sheet's
    times share a few hundred dates and fewer clock times than rows (237,000 distinct of
    330,000 at 20,000 people, in 450 dates and 47,000 times), so a cell that is just a date, one
    space and a time has each part parsed once; any other cell is parsed whole. The same
    results: the parts are exactly what the whole pattern's groups would be, and the date and
    time are checked as `datetime` checks them."""
    # Each part seen: its value (None: the right shape but no such date or time), or False when
    # it is not a plain date or time, so the cell is parsed whole.
    dates: dict[str, dt.date | None | Literal[False]] = {}
    clock: dict[str, dt.time | None | Literal[False]] = {}
    parsed: dict[str, dt.datetime | None] = {}
    for cell in cells:
        day, _, hour = cell.partition(" ")
        date = dates[day] if day in dates else dates.setdefault(day, _plain_date(day, conv))
        time = clock[hour] if hour in clock else clock.setdefault(hour, _clock(hour))
        if date is False or time is False:
            parsed[cell] = parse_timestamp(clean_text(cell), conv)
        else:
            parsed[cell] = None if date is None or time is None else dt.datetime.combine(date, time)
    return parsed


def _plain_date(text: str, conv: Conventions) -> dt.date | None | Literal[False]:
    return parse_date(text, conv) if _DATE_PART.fullmatch(text) else False


def _clock(text: str) -> dt.time | None | Literal[False]:
    match = _TIME_PART.fullmatch(text)
    if not match:
        return False
    hh, mm, ss = match.groups()
    try:
        return dt.time(int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None


def parse_date(text: str, conv: Conventions = US) -> dt.date | None:
    """A date in the formats people and Google Forms use; None if it is not one."""
    moment = parse_timestamp(text, conv)
    return None if moment is None else moment.date()


_NUMBER = {
    ".": re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?$"),
    ",": re.compile(r"^[+-]?(?:\d{1,3}(?:[.\u00a0 ]\d{3})+|\d*)(?:,\d+)?$"),
}


def parse_number(text: str, conv: Conventions = US) -> float | None:
    """A number written unambiguously for the sheet's locale: 1,200 and 4.5 in en_US, 4,5 in de_DE.

    "3,5" in an en_US sheet could be 3.5 or 35, and "1,,2" is a typo: neither is guessed at.
    """
    if not any(ch.isdigit() for ch in text) or not _NUMBER[conv.decimal].match(text):
        return None
    if conv.decimal == ",":
        text = text.replace(".", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _text(field: Field, text: str, conv: Conventions) -> Parsed:
    if field.type is FieldType.short_text and "\n" in text:
        text = " ".join(text.split())
    if field.max_words is not None and word_count(text) > field.max_words:
        return None, f"{word_count(text)} words; at most {field.max_words} are allowed"
    return text, None


def _email(field: Field, text: str, conv: Conventions) -> Parsed:
    if not _EMAIL.match(text):
        return None, "is not an email address (like name@example.edu)"
    return text.lower(), None


def _date(field: Field, text: str, conv: Conventions) -> Parsed:
    value = parse_date(text, conv)
    if value is None:
        return None, f"is not a date ({conv.date_hint})"
    return value, None


def _number(field: Field, text: str, conv: Conventions) -> Parsed:
    value = parse_number(text, conv)
    if value is None:
        if re.fullmatch(r"[+-]?\d+[.,]\d+", text):
            return None, f"is not an unambiguous number in this sheet (its locale {conv.locale} writes decimals with " \
                         f"'{conv.decimal}'): write it again, e.g. 3{conv.decimal}5"
        return None, "is not a number"
    if field.min is not None and value < field.min:
        return None, f"is below the minimum of {field.min:g}"
    if field.max is not None and value > field.max:
        return None, f"is above the maximum of {field.max:g}"
    return value, None


def _single(field: Field, text: str, conv: Conventions) -> Parsed:
    for option in field.options:
        if text.casefold() == option.casefold():
            return option, None
    for before, now in field.former_options:
        if text.casefold() == before.casefold():
            return now, None
    return None, f"is not one of the options: {options(field.options)}"


def split_choices(text: str, options: tuple[str, ...],
                  former: tuple[tuple[str, str], ...] = ()) -> tuple[list[str], list[str]]:
    """Split a multiple-choice answer; options may themselves contain commas (`former`: old
    wordings of options, read as the option they are now)."""
    known = {before.casefold(): now for before, now in former} | {o.casefold(): o for o in options}
    pieces = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    chosen: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = ", ".join(pieces[i:j]).casefold()
            if candidate in known:
                chosen.append(known[candidate])
                i = j
                break
        else:
            unknown.append(pieces[i])
            i += 1
    return chosen, unknown


def _multiple(field: Field, text: str, conv: Conventions) -> Parsed:
    chosen, unknown = split_choices(text, field.options, field.former_options)
    if unknown:
        found = listed('"' + u + '"' for u in unknown)
        return None, f"{found} {'is' if len(unknown) == 1 else 'are'} not among the options: {options(field.options)}"
    return tuple(dict.fromkeys(chosen)), None


def _likert(field: Field, text: str, conv: Conventions) -> Parsed:
    match = re.match(r"^\s*([1-5])(\s*[-:.].*)?$", text)
    if match:
        return int(match.group(1)), None
    for i, label in enumerate(LIKERT_LABELS, start=1):
        if text.casefold() == label.casefold():
            return i, None
    return None, "is not a rating from 1 to 5"


def _yes_no(field: Field, text: str, conv: Conventions) -> Parsed:
    folded = text.casefold()
    if folded in _YES:
        return True, None
    if folded in _NO:
        return False, None
    return None, "is not Yes or No"


PARSERS: dict[FieldType, Callable[[Field, str, Conventions], Parsed]] = {
    FieldType.short_text: _text,
    FieldType.long_text: _text,
    FieldType.email: _email,
    FieldType.date: _date,
    FieldType.number: _number,
    FieldType.single_choice: _single,
    FieldType.multiple_choice: _multiple,
    FieldType.likert: _likert,
    FieldType.yes_no: _yes_no,
}


def parse_answer(field: Field, raw: str, conv: Conventions = US) -> Parsed:
    """The value of one answer, or None and why; a blank answer is None with no reason."""
    text = unicodedata.normalize("NFC", clean_text(raw))
    if not text:
        return None, None
    return PARSERS[field.type](field, text, conv)
