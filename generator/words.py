"""Counted nouns for what people read (pages, certificates, messages): "1 round", "3 rounds",
"2.5 hours", never "round(s)", which a printed certificate should not say."""
from __future__ import annotations


def counted(n: float, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular only for exactly one; a number written as briefly as it can be."""
    return f"{n:g} {noun if n == 1 else plural or noun + 's'}"
