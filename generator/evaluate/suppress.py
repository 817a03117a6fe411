"""Choosing what to publish: each candidate figure in turn, kept only if nothing becomes exposed.

This is the search; disclosure.py is the judge. Offering the largest cells first and
skipping any figure that would expose a group gives complementary suppression for free: the
last bar of a question whose one small bar is hidden is hidden too, because with the total
it would give the small one away.
"""
from __future__ import annotations

from typing import Sequence

from generator.evaluate.disclosure import Fact, Table, table_exposures


def publish(table: Table, candidates: Sequence[Sequence[Fact]], minimum: int) -> tuple[Fact, ...]:
    """The facts to publish about one table. Each candidate is a bundle taken whole or not at all
    (a role comparison is shown for every role or for none)."""
    kept: list[Fact] = []
    for bundle in candidates:
        if not table_exposures(table, [*kept, *bundle], minimum, first=True):
            kept.extend(bundle)
    return tuple(kept)
