"""Counted nouns for what people read (pages, certificates, messages): "1 round", "3 rounds",
"2.5 hours", never "round(s)", which a printed certificate should not say."""
from __future__ import annotations

from typing import Iterable


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular only for exactly one; a number written as briefly as it can be."""
    return f"{n:g} {noun if n == 1 else plural or noun + 's'}"


def listed(items: Iterable[str], more: int = 0, last: str = "and") -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C", "A, B and 2 more"; with
    last="or", choices: "A, B or C"."""
    words = [*items, *([f"{more:g} more"] if more else [])]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def options(items: Iterable[str]) -> str:
    """Choices as a message names them, each quoted (an option may hold a comma): '"A", "B" or "C"'."""
    return listed((f'"{item}"' for item in items), last="or")
