"""Remove names and contact details from free text before anyone but staff reads it."""
from __future__ import annotations

import re
from typing import Iterable

# Local part: RFC 5322 "atext" characters and dots.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
PHONE = re.compile(r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
HANDLE = re.compile(r"(?<![\w@])@\w{2,}")

#: Words that are also names: redacted when capitalized ("Mark Hall"), kept in lower case
#: ("mark my calendar"), so comments stay readable without letting a name through.
_KEEP = frozenset({"will", "mark", "may", "june", "case", "hope", "grant", "major", "young", "long", "rich", "price", "white", "black", "green", "brown", "page", "hall", "bell", "ward", "lane", "best", "love", "joy", "faith", "chance", "rose", "dean", "chase", "hunt", "cash", "day", "king", "low", "little", "house", "ball"})


_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of people's names worth redacting (3+ letters)."""
    return frozenset(w.casefold() for name in names for w in _WORD.findall(name) if len(w) >= 3)


def _is_name(word: str, names: frozenset[str]) -> bool:
    folded = word.casefold()
    return folded in names and (folded not in _KEEP or word[:1].isupper())


def _redact(match: re.Match[str], names: frozenset[str]) -> str:
    word = match.group(0)
    base = re.sub(r"['\u2019]s$", "", word)  # Rivera's -> Rivera
    if base != word and _is_name(base, names):
        return "[name]" + word[len(base):]
    return "[name]" if _is_name(word, names) else word


def scrub(text: str, names: frozenset[str] = frozenset()) -> str:
    """Text with emails, links, phone numbers, @handles and the given name words replaced.

    Names are found word by word (a set lookup), so thousands of names cost no more than a few.
    """
    text = EMAIL.sub("[email]", text)
    text = URL.sub("[link]", text)
    text = PHONE.sub("[phone]", text)
    text = HANDLE.sub("[name]", text)
    return _WORD.sub(lambda m: _redact(m, names), text) if names else text
