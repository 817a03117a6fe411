"""Counted nouns for what people read (pages, certificates, messages): "1 round", "3 rounds",
"2.5 hours", never "round(s)", which a printed certificate should not say."""
from __future__ import annotations

from typing import Iterable


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular only for exactly one; a number written as briefly as it can be."""
    return f"{n:g} {noun if n == 1 else plural or noun + 's'}"


def listed(items: Iterable[str], more: int = 0) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C", "A, B and 2 more"."""
    words = [*items, *([f"{more:g} more"] if more else [])]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
