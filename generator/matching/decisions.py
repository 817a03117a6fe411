"""Staff decisions from the Matches tab: what is locked, pinned, declined, and past partners."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.records import DECLINED, KEEP, MENTOR_ROLE, Decision

__all__ = ["KEEP", "Placement", "RoundDecisions", "decisions_by_round", "declined_pairs"]


@dataclass(frozen=True)
class Placement:
    person: str
    role: str
    status: str


@dataclass(frozen=True)
class RoundDecisions:
    """For one round: groups staff want kept, and placements they declined."""

    kept: dict[str, tuple[Placement, ...]] = field(default_factory=dict)
    declined: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group id -> people declined in it
    problems: tuple[str, ...] = ()  # hand edits that contradict each other, for the match report


def decisions_by_round(rows: tuple[Decision, ...]) -> dict[str, RoundDecisions]:
    """Group the Matches tab by round; proposed rows are suggestions and carry no weight."""
    kept: dict[str, dict[str, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    declined: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    problems: dict[str, list[str]] = defaultdict(list)
    home: dict[tuple[str, str, str], str] = {}  # (round, person, role) -> the kept group
    for row in sorted(rows, key=lambda r: (r.round, r.group_id, r.email)):
        if row.status in KEEP:
            # A mentor may be kept in several pairs; anyone else in one group a round.
            key = (row.round, row.email, row.role if row.role == MENTOR_ROLE else "")
            if key in home and row.role != MENTOR_ROLE:
                problems[row.round].append(f"{row.email} is kept in both {home[key]} and {row.group_id} "
                                           f"(Matches tab row {row.row}); {home[key]} counts")
                continue
            home[key] = row.group_id
            kept[row.round][row.group_id].append(Placement(row.email, row.role, row.status))
        elif row.status == DECLINED:
            declined[row.round][row.group_id].append(row.email)
    rounds = set(kept) | set(declined)
    return {r: RoundDecisions({g: tuple(v) for g, v in kept[r].items()}, {g: tuple(v) for g, v in declined[r].items()},
                              tuple(problems[r])) for r in rounds}


def declined_pairs(decisions: dict[str, RoundDecisions]) -> set[frozenset[str]]:
    """Every pair of people staff declined together, in any round: never proposed again."""
    pairs: set[frozenset[str]] = set()
    for d in decisions.values():
        for people in d.declined.values():
            pairs.update(frozenset((a, b)) for i, a in enumerate(people) for b in people[i + 1:])
    return pairs
