"""One round of rotating pairs: mentor/mentee by assignment, same-level peers by weighted matching.

Mentor/mentee rounds use scipy's linear_sum_assignment (exactly optimal for the scores, with
each mentor's capacity as extra columns scored lower, so load spreads before anyone takes a
second mentee). Peer rounds use rustworkx's maximum-weight matching (exact on the graph it is
given); the graph keeps each person's best few candidates, which is what keeps 5,000 people
within seconds. Hard rules are edges that do not exist: never the same partner twice, never a
supervisor or direct report, never a pair staff declined, mentors clearly more experienced,
peers at a similar level from another department.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import rustworkx as rx
from scipy.optimize import linear_sum_assignment

from generator.config.program import PairSettings
from generator.matching.people import EITHER, MENTOR, Participant

PRIORITY_BONUS = 20.0  # whoever sat out last round is matched first
SECOND_SLOT_PENALTY = 4.0  # a mentor's second mentee scores lower than anyone's first
CANDIDATES = 15  # peers kept per person in the sparsified graph
TRIO = "trio instead of a pair"


@dataclass(frozen=True)
class Pair:
    id: str
    kind: str  # "mentor-mentee" or "peer"
    members: tuple[tuple[str, str], ...]  # (person id, role): mentor, mentee or peer; three for a trio
    score: float
    reasons: tuple[str, ...]
    bends: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundResult:
    round: str
    kind: str
    pairs: tuple[Pair, ...]
    unmatched: tuple[tuple[str, str], ...]  # (person id, why), for staff to tell them
    weight: float  # the objective the solver maximized
    bound: float  # an upper bound on it (each person's best edge, halved)


@dataclass(frozen=True)
class Rules:
    """What no pair may break, and who goes first."""

    settings: PairSettings
    never: frozenset[frozenset[str]]  # past partners, reporting lines, declined pairs
    priority: frozenset[str]

    def allowed(self, a: Participant, b: Participant) -> bool:
        return frozenset((a.id, b.id)) not in self.never


def shared(a: Iterable[str], b: Iterable[str]) -> list[str]:
    return sorted(set(a) & set(b))


@dataclass(frozen=True)
class Features:
    """People as arrays, so a score against everyone is a few numpy operations (topics as bits)."""

    years: np.ndarray
    dept: np.ndarray
    interests: np.ndarray
    expertise: np.ndarray
    priority: np.ndarray
    never: tuple[frozenset[int], ...]  # per person: indices they may not be paired with

    @classmethod
    def of(cls, people: list[Participant], rules: Rules) -> "Features":
        topics = {t: 1 << i for i, t in enumerate(sorted({t for p in people for t in p.interests | p.expertise}))}
        index = {p.id: i for i, p in enumerate(people)}
        depts = {d: i for i, d in enumerate(sorted({p.department for p in people}))}
        never: list[set[int]] = [set() for _ in people]
        for pair in rules.never:
            a, b = tuple(pair) if len(pair) == 2 else (None, None)
            if a in index and b in index:
                never[index[a]].add(index[b])
                never[index[b]].add(index[a])
        def bits(values: frozenset[str]) -> int:
            return sum(topics[t] for t in values)
        return cls(np.array([p.years for p in people], dtype=float), np.array([depts[p.department] for p in people]),
                   np.array([bits(p.interests) for p in people], dtype=np.uint64),
                   np.array([bits(p.expertise) for p in people], dtype=np.uint64),
                   np.array([p.id in rules.priority for p in people], dtype=float), tuple(frozenset(n) for n in never))


def peer_row(f: Features, i: int, s: PairSettings) -> np.ndarray:
    """peer_score of person i against everyone, -inf where a rule forbids the pair."""
    gap = np.abs(f.years - f.years[i])
    value = 10.0 + 3.0 * np.bitwise_count(f.interests & f.interests[i]) - 0.5 * gap + PRIORITY_BONUS * (f.priority + f.priority[i])
    allowed = (gap <= s.peer_gap_years) & (f.dept != f.dept[i])
    allowed[i] = False
    if f.never[i]:
        allowed[list(f.never[i])] = False
    return np.where(allowed, value, -np.inf)


def mentor_matrix(f: Features, mentees: list[int], mentors: list[int], s: PairSettings) -> np.ndarray:
    """mentor_score for every mentee (rows) and mentor (columns), -inf where a rule forbids it."""
    e, m = np.array(mentees, dtype=int), np.array(mentors, dtype=int)
    value = (10.0 + 3.0 * np.bitwise_count(f.interests[e][:, None] & f.expertise[m][None, :])
             + 1.0 * (f.dept[e][:, None] != f.dept[m][None, :])
             + PRIORITY_BONUS * (f.priority[e][:, None] + f.priority[m][None, :]))
    allowed = (f.years[m][None, :] - f.years[e][:, None]) >= s.mentor_gap_years
    column = {person: j for j, person in enumerate(mentors)}
    for row, person in enumerate(mentees):
        for other in f.never[person]:
            if other in column:
                allowed[row, column[other]] = False
    return np.where(allowed, value, -np.inf)


# -- mentor / mentee ------------------------------------------------------------------------
def can_mentor(p: Participant, s: PairSettings) -> bool:
    return p.wants in (MENTOR, EITHER) and (p.mentor_trained or s.mentor_training_module is None)


def split_roles(people: list[Participant], s: PairSettings) -> tuple[list[Participant], list[Participant]]:
    """Mentors and mentees; flexible people ("Either") fill whichever side is short."""
    mentors = [p for p in people if p.wants == MENTOR and can_mentor(p, s)]
    mentees = [p for p in people if p.wants != MENTOR and p.wants != EITHER]
    mentees += [p for p in people if p.wants == MENTOR and not can_mentor(p, s)]  # untrained: take part as mentees
    flexible = sorted((p for p in people if p.wants == EITHER), key=lambda p: (-p.years, p.id))
    for p in flexible:
        short_of_mentors = len(mentors) * s.mentor_capacity < len(mentees) + 1
        (mentors if short_of_mentors and can_mentor(p, s) else mentees).append(p)
    return mentors, mentees


def mentor_score(mentor: Participant, mentee: Participant, rules: Rules) -> float | None:
    """How well a mentor's expertise meets a mentee's goals; None where a rule forbids it."""
    if mentor.years - mentee.years < rules.settings.mentor_gap_years or not rules.allowed(mentor, mentee):
        return None
    score = 10.0 + 3.0 * len(shared(mentee.interests, mentor.expertise)) + 1.0 * (mentor.department != mentee.department)
    return score + PRIORITY_BONUS * ((mentee.id in rules.priority) + (mentor.id in rules.priority))


def mentor_round(name: str, people: list[Participant], rules: Rules) -> RoundResult:
    s = rules.settings
    mentors, mentees = split_roles(people, s)
    f = Features.of(people, rules)
    index = {p.id: i for i, p in enumerate(people)}
    base = mentor_matrix(f, [index[p.id] for p in mentees], [index[p.id] for p in mentors], s)
    slots = [(m, k) for k in range(s.mentor_capacity) for m in mentors]
    # Capacity as extra columns, each later slot scored lower; forbidden pairs far below anything real.
    scores = np.concatenate([base - SECOND_SLOT_PENALTY * k for k in range(s.mentor_capacity)], axis=1) \
        if mentors else np.zeros((len(mentees), 0))
    scores = np.where(np.isfinite(scores), scores, -1e6)
    rows, cols = linear_sum_assignment(scores, maximize=True) if scores.size else ((), ())
    chosen = sorted(((slots[j][0], mentees[i]) for i, j in zip(rows, cols) if scores[i, j] > -1e5),
                    key=lambda pair: (pair[0].id, pair[1].id))
    weight = float(sum(scores[i, j] for i, j in zip(rows, cols) if scores[i, j] > -1e5))
    bound = float(sum(max((v for v in scores[i] if v > -1e5), default=0.0) for i in range(len(mentees))))
    # A mentor with capacity for two mentees has two pairs: each mentee meets the mentor on their own.
    pairs = [_mentor_pair(f"{name}-{n:03d}", mentor, mentee) for n, (mentor, mentee) in enumerate(chosen, start=1)]
    matched = {p for pair in pairs for p, _ in pair.members}
    unmatched = [(p.id, _why_no_mentor(p, mentors, rules)) for p in mentees if p.id not in matched]
    unmatched += [(m.id, "more mentors than mentees this round; first in line next round") for m in mentors if m.id not in matched]
    return RoundResult(name, "mentor-mentee", tuple(pairs), tuple(unmatched), weight, bound)


def _mentor_pair(pair_id: str, mentor: Participant, mentee: Participant, also: tuple[Participant, ...] = ()) -> Pair:
    """A mentor and a mentee (and, for a trio kept by staff, further mentees), in words."""
    reasons, bends = [], []
    for m in (mentee, *also):
        reasons.append(f"{mentor.name} has {mentor.years - m.years:g} more years of research experience than {m.name}")
        overlap = shared(m.interests, mentor.expertise)
        if overlap:
            reasons.append(f"{m.name}'s goals meet {mentor.name}'s expertise: {', '.join(overlap)}")
        else:
            bends.append(f"no shared topic between {m.name}'s goals and {mentor.name}'s expertise")
    members = ((mentor.id, "mentor"), *((m.id, "mentee") for m in (mentee, *also)))
    score = 10.0 + 3.0 * len(shared(mentee.interests, mentor.expertise)) + 1.0 * (mentor.department != mentee.department)
    return Pair(pair_id, "mentor-mentee", members, score, tuple(reasons), tuple(bends))


def _why_no_mentor(p: Participant, mentors: list[Participant], rules: Rules) -> str:
    s = rules.settings
    fitting = [m for m in mentors if mentor_score(m, p, rules) is not None]
    if not fitting:
        return (f"no mentor with at least {s.mentor_gap_years:g} more years of experience who is not a past partner, "
                "supervisor or report; first in line next round")
    return "all fitting mentors were taken this round; first in line next round"


# -- peers ----------------------------------------------------------------------------------
def peer_score(a: Participant, b: Participant, rules: Rules) -> float | None:
    """Same level, another department, something in common; None where a rule forbids it."""
    gap = abs(a.years - b.years)
    if gap > rules.settings.peer_gap_years or a.department == b.department or not rules.allowed(a, b):
        return None
    score = 10.0 + 3.0 * len(shared(a.interests, b.interests)) - 0.5 * gap
    return score + PRIORITY_BONUS * ((a.id in rules.priority) + (b.id in rules.priority))


def candidate_edges(people: list[Participant], rules: Rules) -> dict[tuple[int, int], float]:
    """Each person's best few allowed peers, over everyone (a sparse graph the exact matcher solves fast)."""
    f = Features.of(people, rules)
    edges: dict[tuple[int, int], float] = {}
    for i in range(len(people)):
        row = peer_row(f, i, rules.settings)
        allowed = np.flatnonzero(np.isfinite(row))
        if not len(allowed):
            continue
        # Best first; ties broken by position, which follows the sorted ids: deterministic.
        top = allowed[np.lexsort((allowed, -row[allowed]))[:CANDIDATES]]
        for j in top:
            edges[(min(i, int(j)), max(i, int(j)))] = float(row[j])
    return edges


def peer_round(name: str, people: list[Participant], rules: Rules) -> RoundResult:
    edges = candidate_edges(people, rules)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(people)))
    for (i, j), value in sorted(edges.items()):
        graph.add_edge(i, j, int(round(value * 100)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w) if edges else set()
    pairs: list[Pair] = []
    weight = 0.0
    for i, j in sorted((min(e), max(e)) for e in matching):
        a, b = people[i], people[j]
        weight += edges[(i, j)]
        pairs.append(_peer_pair(f"{name}-{len(pairs) + 1:03d}", [a, b]))
    best: dict[int, float] = {}
    for (i, j), v in edges.items():
        best[i] = max(best.get(i, 0.0), v)
        best[j] = max(best.get(j, 0.0), v)
    matched = {p for pair in pairs for p, _ in pair.members}
    unmatched = [(p.id, _why_no_peer(p, people, rules)) for p in people if p.id not in matched]
    return RoundResult(name, "peer", tuple(pairs), tuple(unmatched), weight, sum(best.values()) / 2)


def _peer_pair(pair_id: str, members: list[Participant]) -> Pair:
    a, b = members[0], members[1]
    reasons = [f"same level: {a.years:g} and {b.years:g} years of research experience",
               f"different departments: {a.department_label} and {b.department_label}"]
    common = shared(a.interests, b.interests)
    bends = () if common else (f"no shared career interest between {a.name} and {b.name}",)
    if common:
        reasons.append("shared interests: " + ", ".join(common))
    score = 10.0 + 3.0 * len(common) - 0.5 * abs(a.years - b.years)
    return Pair(pair_id, "peer", tuple((p.id, "peer") for p in members), score, tuple(reasons), bends)


def _why_no_peer(p: Participant, people: list[Participant], rules: Rules) -> str:
    s = rules.settings
    fitting = [q for q in people if q.id != p.id and peer_score(p, q, rules) is not None]
    if not fitting:
        return (f"no peer within {s.peer_gap_years:g} years of experience from another department who is not a past "
                "partner, supervisor or report; first in line next round")
    return "an odd number of fitting peers this round; first in line next round"


# -- trios ----------------------------------------------------------------------------------
def add_trios(result: RoundResult, people: dict[str, Participant], rules: Rules) -> RoundResult:
    """Where the program allows it, each unmatched person joins the best pair that fits them both."""
    if not rules.settings.allow_trios or not result.unmatched:
        return result
    pairs = list(result.pairs)
    still: list[tuple[str, str]] = []
    for pid, why in result.unmatched:
        p = people[pid]
        options = []
        for n, pair in enumerate(pairs):
            if len(pair.members) > 2:
                continue
            fits = _trio_fit(p, pair, people, rules)
            if fits is not None:
                options.append((fits, pair.id, n))
        if not options:
            still.append((pid, why))
            continue
        _, _, n = max(options)
        pair = pairs[n]
        role = "mentee" if pair.kind == "mentor-mentee" else "peer"
        pairs[n] = Pair(pair.id, pair.kind, (*pair.members, (pid, role)), pair.score,
                        pair.reasons + (f"{p.name} joins as a third: {why.split(';')[0]}",),
                        pair.bends + (TRIO,))
    return RoundResult(result.round, result.kind, tuple(pairs), tuple(still), result.weight, result.bound)


def _trio_fit(p: Participant, pair: Pair, people: dict[str, Participant], rules: Rules) -> float | None:
    members = [people[m] for m, _ in pair.members]
    if pair.kind == "mentor-mentee":
        mentor = next(people[m] for m, role in pair.members if role == "mentor")
        if p.wants == MENTOR or not all(rules.allowed(p, q) for q in members):
            return None
        return mentor_score(mentor, p, rules)
    scores = [peer_score(p, q, rules) for q in members]
    return None if any(v is None for v in scores) else sum(scores)  # type: ignore[arg-type]


def describe_kept(pair_id: str, kind: str, members: list[tuple[Participant, str]], rules: Rules, status: str) -> Pair:
    """A pair staff kept, explained like a new one, with any rule it breaks named."""
    people = [p for p, _ in members]
    mentees = [p for p, role in members if role != "mentor"]
    if kind == "mentor-mentee" and any(role == "mentor" for _, role in members) and mentees:
        mentor = next(p for p, role in members if role == "mentor")
        pair = _mentor_pair(pair_id, mentor, mentees[0], tuple(mentees[1:]))
    else:
        pair = _peer_pair(pair_id, people)
    broken = []
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if not rules.allowed(a, b):
                broken.append(f"rule broken: {a.name} and {b.name} are past partners, supervisor and report, or declined")
    if kind == "mentor-mentee":
        for p, role in members:
            if role == "mentee" and mentor_score(mentor, p, Rules(rules.settings, frozenset(), frozenset())) is None:
                broken.append(f"rule broken: {mentor.name} is not {rules.settings.mentor_gap_years:g} years more experienced than {p.name}")
    roles = tuple((p.id, role) for p, role in sorted(members, key=lambda m: (m[1] != "mentor", m[0].id)))
    return Pair(pair_id, kind, roles, pair.score, (f"kept as staff decided ({status})",) + pair.reasons, tuple(broken) + pair.bends)
