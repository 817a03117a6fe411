"""Staff decisions from the Matches tab: what is locked, pinned, declined, and past partners."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.records import DECLINED, KEEP, MENTOR_ROLE, PROPOSED, Decision

__all__ = ["KEEP", "STAY", "Placement", "RoundDecisions", "decisions_by_round", "declined_pairs"]

#: Points for keeping a pair published to the Matches tab as a proposal: a change of plans (a
#: withdrawal, a late joiner) re-pairs others only where that gains more than this per pair kept,
#: less than one shared topic (3), so proposals never outweigh what the pairs are for.
STAY = 2.0


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
    #: Pairs of people in one proposed group: published suggestions, preferred among equally good matchings.
    proposed: frozenset[frozenset[str]] = frozenset()


def decisions_by_round(rows: tuple[Decision, ...]) -> dict[str, RoundDecisions]:
    """Group the Matches tab by round. Proposed rows are suggestions: they weigh only where two
    matchings are equally good, so re-matching after a change moves as few published pairs as it can."""
    kept: dict[str, dict[str, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    declined: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    proposed: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
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
        elif row.status == PROPOSED:
            proposed[row.round][row.group_id].append(row.email)
    rounds = set(kept) | set(declined) | set(proposed)
    return {r: RoundDecisions({g: tuple(v) for g, v in kept[r].items()}, {g: tuple(v) for g, v in declined[r].items()},
                              tuple(problems[r]), frozenset(_pairs_within(proposed[r].values()))) for r in rounds}


def _pairs_within(groups) -> set[frozenset[str]]:
    return {frozenset((a, b)) for people in groups for i, a in enumerate(people) for b in people[i + 1:] if a != b}


def declined_pairs(decisions: dict[str, RoundDecisions]) -> set[frozenset[str]]:
    """Every pair of people staff declined together, in any round: never proposed again."""
    pairs: set[frozenset[str]] = set()
    for d in decisions.values():
        pairs |= _pairs_within(d.declined.values())
    return pairs
