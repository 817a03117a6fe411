"""Remove names and contact details from free text before anyone but staff reads it."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

# Local part: RFC 5322 "atext" characters and dots.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
PHONE = re.compile(r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
HANDLE = re.compile(r"(?<![\w@])@\w{2,}")

#: Words that are also common first or last names but carry meaning in comments.
_KEEP = frozenset({"will", "mark", "may", "june", "case", "hope", "grant", "major", "young", "long", "rich", "price", "white", "black", "green", "brown", "page", "hall", "bell", "ward", "lane", "best", "love", "joy", "faith", "chance", "rose", "dean", "chase", "hunt", "cash", "day", "king", "low", "little", "house", "ball"})


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The words of people's names worth redacting (3+ letters, not everyday words)."""
    words = set()
    for name in names:
        for word in re.findall(r"[^\W\d_][\w'-]*", name):
            if len(word) >= 3 and word.casefold() not in _KEEP:
                words.add(word.casefold())
    return frozenset(words)


@lru_cache(maxsize=8)
def _name_pattern(words: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])", re.IGNORECASE)


def scrub(text: str, names: frozenset[str] = frozenset()) -> str:
    """Text with emails, links, phone numbers, @handles and the given name words replaced."""
    text = EMAIL.sub("[email]", text)
    text = URL.sub("[link]", text)
    text = PHONE.sub("[phone]", text)
    text = HANDLE.sub("[name]", text)
    pattern = _name_pattern(names)
    return pattern.sub("[name]", text) if pattern else text
