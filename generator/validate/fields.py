"""Parse one typed answer into a value, or say in plain words why it is not one."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Callable

from generator.config.forms import LIKERT_LABELS, Field, FieldType

Parsed = tuple[Any, str | None]  # (value, reason it is invalid)

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d")
_TIME_SUFFIXES = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S")
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


_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _fast(text: str) -> dt.datetime | None:
    """The two shapes almost every row has (ISO, and Google Forms' M/D/YYYY H:MM:SS), without strptime."""
    try:
        if len(text) == 10 and text[4] == "-":
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        m = _US.match(text)
        if m:
            mo, d, y, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
            return dt.datetime(y, mo, d, hh, mm, ss)
    except ValueError:
        return None
    return None


def parse_date(text: str) -> dt.date | None:
    """A date in the formats people and Google Forms use; None if it is not one."""
    fast = _fast(text)
    if fast is not None:
        return fast.date()
    for fmt in _DATE_FORMATS:
        for suffix in _TIME_SUFFIXES:
            try:
                return dt.datetime.strptime(text, fmt + suffix).date()
            except ValueError:
                continue
    return None


def parse_timestamp(text: str) -> dt.datetime | None:
    """A submission time as Google Forms writes it (M/D/YYYY H:MM:SS) or ISO."""
    fast = _fast(text)
    if fast is not None:
        return fast
    for fmt in _DATE_FORMATS:
        for suffix in _TIME_SUFFIXES:
            try:
                return dt.datetime.strptime(text, fmt + suffix)
            except ValueError:
                continue
    return None


def _text(field: Field, text: str) -> Parsed:
    if field.type is FieldType.short_text and "\n" in text:
        text = " ".join(text.split())
    if field.max_words is not None and word_count(text) > field.max_words:
        return None, f"{word_count(text)} words; at most {field.max_words} are allowed"
    return text, None


def _email(field: Field, text: str) -> Parsed:
    if not _EMAIL.match(text):
        return None, "is not an email address (like name@example.edu)"
    return text.lower(), None


def _date(field: Field, text: str) -> Parsed:
    value = parse_date(text)
    if value is None:
        return None, "is not a date (use YYYY-MM-DD or MM/DD/YYYY)"
    return value, None


def _number(field: Field, text: str) -> Parsed:
    try:
        value = float(text.replace(",", "")) if re.fullmatch(r"[+-]?[\d,]*\.?\d+", text) else None
    except ValueError:
        value = None
    if value is None:
        return None, "is not a number"
    if field.min is not None and value < field.min:
        return None, f"is below the minimum of {field.min:g}"
    if field.max is not None and value > field.max:
        return None, f"is above the maximum of {field.max:g}"
    return value, None


def _single(field: Field, text: str) -> Parsed:
    for option in field.options:
        if text.casefold() == option.casefold():
            return option, None
    return None, f"is not one of the options {list(field.options)}"


def split_choices(text: str, options: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Split a multiple-choice answer; options may themselves contain commas."""
    known = {o.casefold(): o for o in options}
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


def _multiple(field: Field, text: str) -> Parsed:
    chosen, unknown = split_choices(text, field.options)
    if unknown:
        return None, f"{unknown} not among the options {list(field.options)}"
    return tuple(dict.fromkeys(chosen)), None


def _likert(field: Field, text: str) -> Parsed:
    match = re.match(r"^\s*([1-5])(\s*[-:.].*)?$", text)
    if match:
        return int(match.group(1)), None
    for i, label in enumerate(LIKERT_LABELS, start=1):
        if text.casefold() == label.casefold():
            return i, None
    return None, "is not a rating from 1 to 5"


def _yes_no(field: Field, text: str) -> Parsed:
    folded = text.casefold()
    if folded in _YES:
        return True, None
    if folded in _NO:
        return False, None
    return None, "is not Yes or No"


PARSERS: dict[FieldType, Callable[[Field, str], Parsed]] = {
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


def parse_answer(field: Field, raw: str) -> Parsed:
    """The value of one answer, or None and why; a blank answer is None with no reason."""
    text = unicodedata.normalize("NFC", clean_text(raw))
    if not text:
        return None, None
    return PARSERS[field.type](field, text)
