"""One round of rotating pairs: mentor/mentee by assignment, same-level peers by weighted matching.

Mentor/mentee rounds are an assignment (scipy's sparse full bipartite matching, exact for the
graph it is given, with each mentor's capacity as extra columns scored lower, so load spreads
before anyone takes a second mentee). Peer rounds use rustworkx's maximum-weight matching. Up to
EXACT_UP_TO people the graph holds every allowed pair, so the result is proven optimal for the
scores; above it, each person's best few candidates, which keeps memory linear in the cohort
(and above SPLIT_ABOVE peers, bands of neighbouring years solved one by one, half of them in a
child process on the other core: generator/forked.py); the bound then says how far from
optimal it can be (bench/bench_matching.py prints it).

Hard rules are edges that do not exist: never the same partner twice, never a supervisor or
direct report, never a pair staff declined, mentors clearly more experienced, peers at a
similar level from another department. generator/matching/check.py checks them again on the
final groups, independently.
"""
from __future__ import annotations

import math
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Iterable

import numpy as np
import rustworkx as rx

from generator.config.program import PairSettings
from generator.forked import Forked
from generator.matching.check import can_mentor
from generator.matching.decisions import STAY
from generator.matching.people import EITHER, MENTOR, Participant

PRIORITY_BONUS = 20.0  # whoever sat out last round is matched first
SECOND_SLOT_PENALTY = 4.0  # a mentor's second mentee scores lower than anyone's first
EXACT_UP_TO = 600  # cohorts up to this size are solved over every allowed pair: proven optimal
CANDIDATES = 15  # above it, peers kept per person in the sparse graph
RANKED = 4 * CANDIDATES  # peers ranked ahead per person, of whom the first CANDIDATES not yet hubs are kept
ROWS = 64  # people scored at once against their joint window of peers (memory: ROWS x window)
MENTOR_CANDIDATES = 40  # and mentors per mentee (cheaper: a mentee's list is one row of a bipartite graph)
MENTOR_RANKED = 3 * MENTOR_CANDIDATES  # mentors ranked ahead per mentee, of whom the first MENTOR_CANDIDATES still open are kept
HUB_DEGREE = 3 * CANDIDATES  # edges one person may collect from others' lists before they look elsewhere
SPLIT_ABOVE = 3000  # peer rounds larger than this are solved in parts
PART_SIZE = 1000
REPAIR_PASSES = 8  # rounds of widening the sparse mentor graph where someone waits beside a free mentor
CHUNK = 512  # mentees scored against all mentors at a time (bounds memory)
#: Ends the reason a person is unmatched in a round, for staff; their own page says it in its own words.
FIRST_IN_LINE = "first in line next round"
SMALL_ASSIGNMENT = 20_000  # edges: up to here a mentor round is solved by rustworkx, not scipy (see _assign_small)
OFFSET = 1e4  # lifts pair scores above the "not matched" column: as many pairs as possible, then the best
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
    bound: float  # an upper bound on it (each mentee's best mentor; each person's best peer, halved)
    optimal: bool = False  # solved over every allowed pair: no pairing scores more (proposals weighed too)
    note: str = ""  # a problem of the whole round, said once
    proposals: int = 0  # pairs published as proposals that the solver weighed (STAY points each)


@dataclass(frozen=True)
class Rules:
    """What no pair may break, and who goes first."""

    settings: PairSettings
    never: frozenset[frozenset[str]]  # past partners, reporting lines, declined pairs
    priority: frozenset[str]
    proposed: frozenset[frozenset[str]] = frozenset()  # published proposals: first among equals

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


def _peer_values(others: tuple[np.ndarray, np.ndarray, np.ndarray],
                 them: tuple[Any, Any, Any]) -> tuple[np.ndarray, np.ndarray]:
    """peer_score's number for people `them` against `others` (each (years, interest bits, priority),
    broadcast against each other), before any rule; and the gap in years. The one place the
    numpy paths compute it, so a row, a block and a kind of person get the same floats."""
    gap = np.abs(others[0] - them[0])
    value = (10.0 + 3.0 * np.bitwise_count(others[1] & them[1]) - 0.5 * gap + PRIORITY_BONUS * (others[2] + them[2]))
    return value, gap


def _plain(value: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Peer scores without the priority bonus of partners with `priority`: candidates are chosen
    on it, best first (see `_sparse_edges`), and the bound sums it (see `candidate_edges`)."""
    return value - PRIORITY_BONUS * priority


def peer_row(f: Features, i: int, s: PairSettings, among: np.ndarray | None = None) -> np.ndarray:
    """peer_score of person i against everyone (or the sorted indices `among`), -inf where a rule forbids the pair."""
    cols = np.arange(len(f.years)) if among is None else among
    value, gap = _peer_values((f.years[cols], f.interests[cols], f.priority[cols]),
                              (f.years[i], f.interests[i], f.priority[i]))
    allowed = (gap <= s.peer_gap_years) & (f.dept[cols] != f.dept[i])
    allowed[cols == i] = False
    if f.never[i]:
        allowed[np.isin(cols, list(f.never[i]))] = False
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


def _best(row: np.ndarray, allowed: np.ndarray, k: int, salt: int) -> np.ndarray:
    """The k best allowed columns of a score row."""
    return allowed[_positions(row[allowed], allowed, k, salt)]


def _positions(values: np.ndarray, ids: np.ndarray, k: int, salt: int) -> np.ndarray:
    """Where in `ids` the k best by `values` are. Scores tie often (they count shared topics), so
    ties are broken by a fixed hash of (row, column): deterministic, but spread out, so that equal
    candidates are not everyone's same few (that leaves most of a sparse graph unmatchable)."""
    at = np.arange(len(ids))
    if len(ids) > 4 * k:
        top = np.argpartition(-values, 4 * k - 1)[:4 * k]
        at = np.flatnonzero(values >= values[top].min())
    some, score = ids[at], values[at]
    tiebreak = _spread(some, salt)
    return at[np.lexsort((some, tiebreak, -score))[:k]]


def _spread(ids: np.ndarray, salt: int | np.ndarray) -> np.ndarray:
    """The fixed hash of (row, column) that orders equal candidates (see _positions)."""
    return ((ids.astype(np.int64) + 1) * 2654435761 + (np.asarray(salt, dtype=np.int64) + 1) * 40503) % _MODULUS


_MODULUS = 4294967291


def _mentor_lists(plain: np.ndarray, allowed: np.ndarray, rows: np.ndarray, indegree: np.ndarray, hub: int,
                  greedy: np.ndarray) -> list[np.ndarray]:
    """Each row's mentors (columns) for the sparse graph, choosing row after row and counting each
    mentor's lists in `indegree` as it goes: the MENTOR_CANDIDATES best by `plain` (in `_positions`'
    order, `rows` the salts) among the allowed mentors in fewer than `hub` lists, topped up from the
    others when too few are; and the row's `greedy` mentor (-1: none).

    ROWS rows are ranked at once against the mentors open before them, a few times more than a
    row needs; a row then takes the first of its ranked who are still open, which is what ranking
    its own row would give (they are the best of the larger set that lie in the smaller one). A
    row with too few left is chosen alone, as every row once was."""
    k = MENTOR_CANDIDATES
    lists: list[np.ndarray] = []
    fits = np.any(allowed, axis=1).tolist()
    for start in range(0, len(plain), ROWS):
        ranked = _top(plain[start:start + ROWS], np.flatnonzero(indegree >= hub), rows[start:start + ROWS], MENTOR_RANKED)
        for r, line in enumerate(ranked, start=start):
            if not fits[r]:
                lists.append(line)  # nothing allowed: empty
                continue
            chosen = line[indegree[line] < hub][:k]
            if len(chosen) < k:
                cols = np.flatnonzero(allowed[r])
                chosen = _best(plain[r], cols[indegree[cols] < hub], k, int(rows[r]))
                if len(chosen) < k:
                    chosen = np.concatenate([chosen, _best(plain[r], np.setdiff1d(cols, chosen), k - len(chosen),
                                                           int(rows[r]))])
            if greedy[r] >= 0 and not (chosen == greedy[r]).any():
                chosen = np.append(chosen, greedy[r])
            indegree[chosen] += 1
            lists.append(chosen)
    return lists


def _top(values: np.ndarray, shut: np.ndarray, salts: np.ndarray, count: int) -> list[np.ndarray]:
    """Per row of `values` (-inf where not allowed), its first `count` allowed columns but the
    `shut` ones, in `_positions`' order (best value, then the fixed hash of (column, the row's
    salt)); fewer where fewer are allowed. For a block of rows at once.

    Value and hash make one number per cell, value * 2**32 - hash, exact in a float for whole
    values below 2**20: mentor scores are sums of whole points (`mentor_matrix`), so one partition
    per row ranks them."""
    n, width = values.shape
    count = min(count, width)
    if not count or not n:
        return [np.zeros(0, dtype=np.int64)] * n
    assert float(values.max(initial=0.0)) < 2.0 ** 20
    # _spread's hash, added up from its two halves (each below the modulus, so one subtraction wraps it).
    mixed = np.add.outer(_spread(np.zeros(n, dtype=np.int64) - 1, salts).astype(float),
                         _spread(np.arange(width), -1).astype(float))
    np.subtract(mixed, _MODULUS, out=mixed, where=mixed >= _MODULUS)
    key = values * 2.0 ** 32
    key -= mixed
    key[:, shut] = -np.inf
    top = np.argpartition(key, width - count, axis=1)[:, width - count:]
    got = np.take_along_axis(key, top, axis=1)
    order = np.argsort(-got, axis=1, kind="stable")
    top, got = np.take_along_axis(top, order, axis=1), np.take_along_axis(got, order, axis=1)
    return [line[:held] for line, held in zip(top, np.isfinite(got).sum(axis=1).tolist())]


def mentor_round(name: str, people: list[Participant], rules: Rules, exact_up_to: int = EXACT_UP_TO) -> RoundResult:
    """Mentees to mentor slots by an exact sparse assignment: over every allowed pair for small
    cohorts (proven optimal for the scores); for large ones over each mentee's best few, spread
    so no mentor is in far more lists than the average, then widened where someone waits while a
    mentor has room (memory linear in the cohort)."""
    s = rules.settings
    mentors, mentees = split_roles(people, s)
    f = Features.of(people, rules)
    index = {p.id: i for i, p in enumerate(people)}
    mentee_ix, mentor_ix = [index[p.id] for p in mentees], [index[p.id] for p in mentors]
    everyone = len(people) <= exact_up_to or len(mentors) <= MENTOR_CANDIDATES
    n_e, n_m, cap = len(mentees), len(mentors), s.mentor_capacity
    edges: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray]] = ([], [], [], [])
    keys = _keys(people)
    mentee_keys, mentor_keys = keys[mentee_ix], keys[mentor_ix]
    mentee_array, mentor_array = np.array(mentee_ix, dtype=int), np.array(mentor_ix, dtype=int)
    best = np.zeros(n_e)
    slot_best = np.zeros(n_m)  # each mentor's best mentee: the other side of the bound
    fits = np.zeros(n_e, dtype=bool)
    bonus = PRIORITY_BONUS * f.priority[mentor_ix] if n_m else np.zeros(0)
    indegree = np.zeros(n_m, dtype=int)
    hub = math.ceil(1.2 * MENTOR_CANDIDATES * n_e / max(n_m, 1))

    def add(rows: np.ndarray, chosen: np.ndarray, value: np.ndarray) -> None:
        """Edges from mentees `rows` to mentors `chosen` (columns), scoring `value`, one per slot of the mentor."""
        # Not part of the score: the bonus for a published proposal, and (over every allowed pair,
        # where it makes the optimum unique; on a sparse graph it would only slow the solver
        # threefold) a fixed tie-break whose sum over an assignment stays below one score step (1).
        extra = _stay(_proposed(rules, people, mentee_array[rows], mentor_array[chosen]), len(chosen))
        if everyone:
            extra = extra + _ties(mentee_keys[rows], mentor_keys[chosen]) * (0.5 / (TIES * (n_e + 1)))
        for k in range(cap):  # each later slot of a mentor scores lower: load spreads first
            edges[0].append(rows)
            edges[1].append(chosen + k * n_m)
            edges[2].append(OFFSET + value - SECOND_SLOT_PENALTY * k)
            edges[3].append(extra)

    greedy = np.full(n_e, -1) if everyone else _most_fitted(f, mentee_ix, mentor_ix, s)
    for start in range(0, n_e, CHUNK):
        block = mentor_matrix(f, mentee_ix[start:start + CHUNK], mentor_ix, s)
        allowed = np.isfinite(block)
        if n_m:
            slot_best = np.maximum(slot_best, np.where(allowed, block, 0).max(axis=0))
        rows = np.arange(start, start + len(block))
        fit = allowed.any(axis=1)
        fits[rows] = fit
        if fit.any():
            best[rows[fit]] = block[fit].max(axis=1)
        if everyone:
            at, to = np.nonzero(allowed)
        else:
            # Without the mentors' priority bonus (else every list is last round's waiting mentors),
            # and mentors already in many lists last: else every list names the same popular few.
            lists = _mentor_lists(block - bonus, allowed, rows, indegree, hub, greedy[rows])
            at = np.repeat(np.arange(len(lists)), [len(chosen) for chosen in lists])
            to = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
        add(rows[at], to, block[at, to])
    assigned, weight = _assign(edges, n_e, n_m * cap)
    for _ in range(0 if everyone else REPAIR_PASSES):
        # Someone fitting waits while a mentor has room: give them edges to the mentors with room.
        load = np.bincount([c % n_m for c in assigned.values()], minlength=n_m)
        room = np.flatnonzero(load < cap)
        waiting = [i for i in range(n_e) if fits[i] and i not in assigned]
        if not len(room) or not waiting:
            break
        for start in range(0, len(waiting), CHUNK):
            part = waiting[start:start + CHUNK]
            block = mentor_matrix(f, [mentee_ix[i] for i in part], [mentor_ix[j] for j in room], s)
            for r, i in enumerate(part):
                full = np.full(n_m, -np.inf)
                full[room] = block[r]
                allowed = room[np.isfinite(block[r])]
                chosen = _best(full - bonus, allowed, MENTOR_CANDIDATES, i)
                add(np.full(len(chosen), i), chosen, full[chosen])
        before = len(assigned)
        assigned, weight = _assign(edges, n_e, n_m * cap)
        if len(assigned) == before:
            break
    chosen_pairs = sorted(((mentors[c % n_m], mentees[r]) for r, c in assigned.items()), key=lambda pair: (pair[0].id, pair[1].id))
    # A mentor with capacity for two mentees has two pairs: each mentee meets the mentor on their own.
    pairs = [_mentor_pair(f"{name}-{n:03d}", mentor, mentee, s) for n, (mentor, mentee) in enumerate(chosen_pairs, start=1)]
    matched = {p for pair in pairs for p, _ in pair.members}
    note = _no_mentors_note(name, people, mentors, s)
    unmatched = [(p.id, _why_no_mentor(p, bool(fits[i]), note, s)) for i, p in enumerate(mentees) if p.id not in matched]
    unmatched += [(m.id, "more mentors than mentees this round; " + FIRST_IN_LINE) for m in mentors if m.id not in matched]
    # No assignment scores more than every mentee's best mentor, nor more than every mentor slot's best mentee.
    by_slots = float(sum(max(0.0, slot_best[j] - SECOND_SLOT_PENALTY * k) for j in range(n_m) for k in range(cap)))
    return RoundResult(name, "mentor-mentee", tuple(pairs), tuple(unmatched), weight, min(float(best.sum()), by_slots),
                       optimal=everyone, note=note, proposals=len(rules.proposed))


def _most_fitted(f: Features, mentees: list[int], mentors: list[int], s: PairSettings) -> np.ndarray:
    """A mentor for as many mentees as the experience gap allows (per mentee: a column of `mentors`, or -1).

    Who can mentor whom is nested: a senior mentee fits only senior mentors, a junior one fits
    those and more. So the most senior mentees choose first, each taking the least senior mentor
    with room who fits; for the gap alone this places as many as any assignment can. The sparse
    graph includes these edges, so the solver, which maximizes pairs first, can only do as well or
    better; without them, everyone's best-scoring (often senior) mentors fill up with juniors while
    senior mentees wait beside junior mentors with room."""
    out = np.full(len(mentees), -1)
    if not mentors:
        return out
    by_years = np.argsort(f.years[mentors], kind="stable")
    slots = np.repeat(by_years, s.mentor_capacity)  # mentor columns, least senior first, one per place
    slot_years = f.years[np.array(mentors)][slots]
    free = np.arange(len(slots) + 1)  # union-find: the next free place at or after each place

    def next_free(k: int) -> int:
        root = k
        while free[root] != root:
            root = free[root]
        while free[k] != root:
            free[k], k = root, free[k]
        return root

    for row in sorted(range(len(mentees)), key=lambda r: (-f.years[mentees[r]], r)):
        k = next_free(int(np.searchsorted(slot_years, f.years[mentees[row]] + s.mentor_gap_years, "left")))
        skipped = 0
        while k < len(slots) and mentors[slots[k]] in f.never[mentees[row]]:
            skipped += 1  # a past partner or a reporting line: the next place, and keep this one open
            k = next_free(k + 1) if skipped < 8 else len(slots)
        if k < len(slots):
            out[row] = slots[k]
            free[k] = k + 1
    return out


TIES = 64  # distinct tie-break values per pair


def _keys(people: list[Participant]) -> np.ndarray:
    """A fixed number per person, from their id only (not their place in the list)."""
    return np.array([zlib.crc32(p.id.encode()) for p in people], dtype=np.uint64)


def _ties(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair, a fixed tie-break in [0, TIES) from the two people's keys (symmetric).

    Scores tie often; a solver then picks one of many equally good matchings by its own internal
    order, which shifts whenever anyone joins or leaves, so one withdrawal could reshuffle dozens
    of proposed pairs. With a fixed, tiny preference per pair the optimum is unique, and removing
    one person changes only the pairs along one alternating path from them."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    with np.errstate(over="ignore"):
        mixed = (low * np.uint64(2654435761)) ^ (high * np.uint64(40503)) ^ (high >> np.uint64(7))
    return (mixed % np.uint64(TIES)).astype(float)


def _stay(proposed: np.ndarray | None, size: int) -> np.ndarray:
    """The bonus for keeping each pair published as a proposal (STAY points), else 0."""
    return np.zeros(size) if proposed is None else np.where(proposed, STAY, 0.0)


def _proposed(rules: Rules, people: list[Participant], a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Which of the index pairs (a[k], b[k]) were proposed together (None: no proposals this round)."""
    if not rules.proposed:
        return None
    return np.array([frozenset((people[i].id, people[j].id)) in rules.proposed for i, j in zip(a.tolist(), b.tolist())],
                    dtype=bool)


def _assign(edges: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray]], n_rows: int,
            n_cols: int) -> tuple[dict[int, int], float]:
    """Maximum-weight assignment of rows to columns over the given edges (rows, columns, scores,
    and what is weighed beside the score): row -> column, and its score."""
    if not n_rows:
        return {}, 0.0
    # One "not matched" column per row keeps a full matching possible; it scores below any pair.
    rows = np.concatenate(edges[0] + [np.arange(n_rows)])
    cols = np.concatenate(edges[1] + [n_cols + np.arange(n_rows)])
    scores = np.concatenate(edges[2] + [np.ones(n_rows)])
    vals = scores + np.concatenate(edges[3] + [np.zeros(n_rows)])
    width = n_cols + n_rows
    keys, first = np.unique(rows * width + cols, return_index=True)  # an edge listed twice counts once
    small = _assign_small(rows[first], cols[first], vals[first], n_rows, n_cols) \
        if len(first) <= SMALL_ASSIGNMENT else None
    if small is not None:
        r_ind, c_ind = small
    else:
        from scipy.sparse import coo_matrix  # here, not at the top: most builds never load scipy
        from scipy.sparse.csgraph import min_weight_full_bipartite_matching

        graph = coo_matrix((vals[first], (rows[first], cols[first])), shape=(n_rows, width)).tocsr()
        r_ind, c_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    real = c_ind < n_cols
    assigned = dict(zip(r_ind[real].tolist(), c_ind[real].tolist()))
    # The chosen edges' scores, without what was weighed beside them: looked up by their sorted keys.
    chosen = first[np.searchsorted(keys, r_ind[real] * width + c_ind[real])]
    return assigned, float((scores[chosen] - OFFSET).sum())


def _assign_small(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int,
                  n_cols: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The same assignment as `_assign`'s, for a small graph, by rustworkx's blossom in exact
    integers: a small round then never imports scipy (0.2 s, most of a 49-person year's matching).

    Every row has its "not matched" column at 1, so a full assignment's value is the real
    edges' values less 1 each, plus the row count: a maximum-weight matching over the real edges
    weighed `value - 1` (all positive) is a best full assignment. Scores are whole numbers and a
    tie-break is a multiple of 0.5 / (TIES * (rows + 1)) (`mentor_round`), so times 2 * TIES *
    (rows + 1) every weight is an integer and nothing is rounded; where one is not, None (scipy)."""
    real = cols < n_cols
    rows, cols, vals = rows[real], cols[real], vals[real]
    scaled = (vals - 1.0) * (2 * TIES * (n_rows + 1))
    weights = np.rint(scaled)
    if len(weights) and float(np.abs(scaled - weights).max()) > 1e-6:
        return None
    column = np.arange(n_cols, n_cols + n_rows)  # each row's "not matched" column unless matched below
    edges = list(zip(rows.tolist(), (n_rows + cols).tolist(), weights.astype(np.int64).tolist()))
    for row, col in _blossom(n_rows + n_cols, edges, max_cardinality=False):
        column[row] = col - n_rows
    return np.arange(n_rows), column


def _blossom(nodes: int, edges: list[tuple[int, int, int]], max_cardinality: bool) -> list[tuple[int, int]]:
    """A maximum-weight matching over whole-number weights (rustworkx's blossom): its pairs, (lower, higher)."""
    graph = rx.PyGraph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(edges)
    return sorted((min(e), max(e)) for e in rx.max_weight_matching(graph, max_cardinality=max_cardinality,
                                                                    weight_fn=lambda w: w))


def _mentor_pair(pair_id: str, mentor: Participant, mentee: Participant, s: PairSettings,
                 also: tuple[Participant, ...] = ()) -> Pair:
    """A mentor and a mentee (and, in a trio, a further mentee), in words."""
    reasons, bends = [], []
    for m in (mentee, *also):
        reasons.append(f"{mentor.name} has {mentor.years - m.years:g} more years of research experience than {m.name}")
        overlap = shared(m.interests, mentor.expertise)
        if overlap:
            reasons.append(f"{m.name}'s goals meet {mentor.name}'s expertise: {', '.join(overlap)}")
        else:
            bends.append(f"no shared topic between {m.name}'s goals and {mentor.name}'s expertise")
        if m.wants == MENTOR and not can_mentor(m, s):
            reasons.append(f"{m.name} volunteered to mentor and takes part as a mentee until mentor training "
                           f"({s.mentor_training_module}) is complete")
    members = ((mentor.id, "mentor"), *((m.id, "mentee") for m in (mentee, *also)))
    score = 10.0 + 3.0 * len(shared(mentee.interests, mentor.expertise)) + 1.0 * (mentor.department != mentee.department)
    return Pair(pair_id, "mentor-mentee", members, score, tuple(reasons), tuple(bends))


def _no_mentors_note(name: str, people: list[Participant], mentors: list[Participant], s: PairSettings) -> str:
    """Said once for the round, when the cohort itself has nobody who can mentor."""
    if mentors:
        return ""
    volunteers = [p for p in people if p.wants in (MENTOR, EITHER)]
    if not volunteers:
        return (f"nobody in {name} volunteered to mentor (preferred role Mentor or Either), so no mentee can be "
                "matched; ask experienced participants to volunteer")
    return (f"nobody in {name} can mentor: {len(volunteers)} volunteered but none has completed mentor training "
            f"({s.mentor_training_module}); record the training in the Modules tab, then build again")


def _why_no_mentor(p: Participant, fits: bool, note: str, s: PairSettings) -> str:
    if p.wants == MENTOR and not can_mentor(p, s):
        # Read by staff and, after "You were not matched in Q1:", by the person: no he, she or they.
        return (f"mentor training ({s.mentor_training_module}) is not completed yet: complete it to be matched as a "
                "mentor" + ("" if fits else "; as a mentee, no mentor fits either"))
    if note:
        return "no mentor available this round; " + FIRST_IN_LINE
    if not fits:
        return (f"no mentor with at least {s.mentor_gap_years:g} more years of experience who is not a past partner, "
                "supervisor or report; " + FIRST_IN_LINE)
    return "all fitting mentors were taken this round; " + FIRST_IN_LINE


# -- peers ----------------------------------------------------------------------------------
def peer_score(a: Participant, b: Participant, rules: Rules) -> float | None:
    """Same level, another department, something in common; None where a rule forbids it."""
    gap = abs(a.years - b.years)
    if gap > rules.settings.peer_gap_years or a.department == b.department or not rules.allowed(a, b):
        return None
    score = 10.0 + 3.0 * len(shared(a.interests, b.interests)) - 0.5 * gap
    return score + PRIORITY_BONUS * ((a.id in rules.priority) + (b.id in rules.priority))


def candidate_edges(people: list[Participant], rules: Rules, everyone: bool = False,
                    part: np.ndarray | None = None) -> tuple[dict[tuple[int, int], float], np.ndarray]:
    """Allowed peer pairs: all of them (`everyone`), or each person's best few, over everyone
    (or, with `part`, among those in the same part; the bound still looks at everyone).

    The sparse graph caps how many edges end at one person, so people everyone would choose
    (many shared interests) do not collect all the edges while others are left with none.
    Returns the edges and, per person, the best score without priority bonus of anyone who fits
    them (-inf: nobody): half their sum, plus the bonus of every person with priority, bounds
    any matching over all allowed pairs.
    """
    f = Features.of(people, rules)
    if not everyone:
        return _sparse_edges(f, rules.settings, part), _best_fits(f, rules.settings)
    n = len(people)
    edges: dict[tuple[int, int], float] = {}
    order, lows, highs = _windows(f, rules.settings)
    best = np.full(n, -np.inf)
    for i in range(n):
        allowed, value, plain = _fits(f, rules.settings, i, order[lows[i]:highs[i]])
        if len(allowed):
            best[i] = _plain(plain.max(), f.priority[i])
            for j, v in zip(allowed.tolist(), value.tolist()):
                edges.setdefault((i, j) if i < j else (j, i), v)
    return edges, best


def _windows(f: Features, s: PairSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People by years, and where each one's window starts and ends in that order: only people
    within the peer gap can fit, and sorted by years they are a slice, order[lows[i]:highs[i]]."""
    order = np.argsort(f.years, kind="stable")
    years = f.years[order]
    return (order, np.searchsorted(years, f.years - s.peer_gap_years, "left"),
            np.searchsorted(years, f.years + s.peer_gap_years, "right"))


def _sparse_edges(f: Features, s: PairSettings, part: np.ndarray | None,
                  wanted: frozenset[int] | None = None) -> dict[tuple[int, int], float]:
    """candidate_edges' sparse graph: each person's best few peers (in their part), for everyone or
    for the people of the `wanted` parts only (a part's edges never leave it, so they are the same)."""
    n = len(f.years)
    edges: dict[tuple[int, int], float] = {}
    order, lows, highs = _windows(f, s)
    ranked = _ranked(f, s, part, wanted)
    degree = np.zeros(n, dtype=int)
    who = range(n) if wanted is None or part is None else np.flatnonzero(np.isin(part, list(wanted))).tolist()
    for i in who:
        ids, values, complete = ranked[i]
        # Chosen on the plain score, best first (see _positions): otherwise everyone's few
        # candidates would be the people who sat out last round, and the rest would have nobody.
        # People already in HUB_DEGREE edges are passed over while CANDIDATES others are open.
        at = np.flatnonzero(degree[ids] < HUB_DEGREE)[:CANDIDATES]
        if len(at) < CANDIDATES:
            if complete:
                at = np.arange(min(CANDIDATES, len(ids)))  # fewer open than wanted: the best of all
            else:
                ids, values = _choose(f, s, i, order[lows[i]:highs[i]], part, degree)
                at = np.arange(len(ids))
        for j, v in zip(ids[at].tolist(), values[at].tolist()):
            key = (i, j) if i < j else (j, i)
            if key not in edges:
                edges[key] = v
                degree[i] += 1
                degree[j] += 1
    return edges


def _fits(f: Features, s: PairSettings, i: int, window: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who in `window` fits person i as a peer: their ids, scores, and scores without their priority bonus."""
    row = peer_row(f, i, s, window)
    fit = np.isfinite(row)
    allowed, value = window[fit], row[fit]
    return allowed, value, _plain(value, f.priority[allowed])


def _choose(f: Features, s: PairSettings, i: int, window: np.ndarray, part: np.ndarray | None,
            degree: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Person i's CANDIDATES from their whole window, for when the first RANKED of them were not enough."""
    allowed, value, plain = _fits(f, s, i, window)
    if part is not None:
        same = part[allowed] == part[i]
        allowed, value, plain = allowed[same], value[same], plain[same]
    open_ = np.flatnonzero(degree[allowed] < HUB_DEGREE)
    if len(open_) < CANDIDATES:
        open_ = np.arange(len(allowed))
    at = open_[_positions(plain[open_], allowed[open_], CANDIDATES, i)]
    return allowed[at], value[at]


def _ranked(f: Features, s: PairSettings, part: np.ndarray | None,
            wanted: frozenset[int] | None = None) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """Per person, the peers in their part who fit them, best first in `_positions`' order: at least
    the first RANKED (all when fewer), with their scores and whether that is all of them (for the
    people of the `wanted` parts only, when given).

    Scored ROWS people of a part at a time, neighbours by years, as one matrix against their joint
    window: the same arithmetic as `peer_row`, so the same numbers, without a Python round per person."""
    n = len(f.years)
    group = np.zeros(n, dtype=np.int64) if part is None else np.asarray(part, dtype=np.int64)
    order = np.lexsort((f.years, group))  # by part, then by years
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ranked: list[tuple[np.ndarray, np.ndarray, bool]] = [(np.zeros(0, dtype=np.int64), np.zeros(0), True)] * n
    starts = (np.flatnonzero(np.diff(group[order])) + 1).tolist()
    for a, b in zip([0, *starts], [*starts, n]):  # each part is a slice of `order`
        if wanted is not None and int(group[order[a]]) not in wanted:
            continue
        years = f.years[order[a:b]]
        lows = a + np.searchsorted(years, years - s.peer_gap_years, "left")
        highs = a + np.searchsorted(years, years + s.peer_gap_years, "right")
        for start in range(a, b, ROWS):
            stop = min(start + ROWS, b)
            rows, lo, hi = order[start:stop], int(lows[start - a]), int(highs[stop - 1 - a])
            cols = order[lo:hi]
            value, gap = _peer_values((f.years[cols][None, :], f.interests[cols][None, :], f.priority[cols][None, :]),
                                      (f.years[rows][:, None], f.interests[rows][:, None], f.priority[rows][:, None]))
            at = np.arange(lo, hi)
            allowed = ((gap <= s.peer_gap_years) & (f.dept[cols][None, :] != f.dept[rows][:, None])  # not themselves
                       & (at[None, :] >= lows[start - a:stop - a, None]) & (at[None, :] < highs[start - a:stop - a, None]))
            barred = [(r, rank[j] - lo) for r, i in enumerate(rows.tolist()) for j in f.never[i] if lo <= rank[j] < hi]
            if barred:
                allowed[tuple(np.array(barred).T)] = False
            plain = np.where(allowed, _plain(value, f.priority[cols][None, :]), -np.inf)
            if plain.shape[1] > RANKED:  # each row's RANKED-th best score: all at least as good are kept
                cut = -np.partition(-plain, RANKED - 1, axis=1)[:, RANKED - 1]
                keep = allowed & (plain >= cut[:, None])
            else:
                keep = allowed
            r, c = np.nonzero(keep)
            ids = cols[c]
            tiebreak = _spread(ids, rows[r])
            # By row, then score (best first), then hash, as one integer: the scores as their rank
            # among the block's (exact), the hash below 2**32 and different for each column of a row
            # (so the column itself, _positions' last key, never decides). One sort, not four.
            _, level = np.unique(-plain[r, c], return_inverse=True)
            levels = int(level.max(initial=0)) + 1
            assert len(rows) * levels < 2 ** 31  # the key fits in 63 bits (a block holds ROWS x window cells)
            by = np.argsort(((r * levels + level) << 32) | tiebreak)
            r, c, ids = r[by], c[by], ids[by]
            first = np.searchsorted(r, np.arange(len(rows)))
            head = np.arange(len(r)) - first[r] < RANKED  # ties past the RANKED-th are not needed: drop them
            r, ids, scores = r[head], ids[head], value[r[head], c[head]]
            bounds = np.searchsorted(r, np.arange(len(rows) + 1))
            total = allowed.sum(axis=1)
            for k, i in enumerate(rows.tolist()):
                ranked[i] = (ids[bounds[k]:bounds[k + 1]], scores[bounds[k]:bounds[k + 1]], bounds[k + 1] - bounds[k] == total[k])
    return ranked


def _best_fits(f: Features, s: PairSettings) -> np.ndarray:
    """Per person, the best score without priority bonus of anyone who fits them as a peer (-inf:
    nobody), as the every-pair path of `candidate_edges` computes it.

    Everyone of one kind (years, interests, priority) scores the same with a given person, so each
    is scored against the kinds within their years (a few hundred, not thousands of people), a
    kind fitting them while it holds someone from another department who is not barred to them."""
    n = len(f.years)
    kinds: dict[tuple[float, int, float], int] = {}
    kind = np.array([kinds.setdefault(key, len(kinds))
                     for key in zip(f.years.tolist(), f.interests.tolist(), f.priority.tolist())], dtype=np.int64)
    first = np.zeros(len(kinds), dtype=np.int64)
    first[kind[::-1]] = np.arange(n)[::-1]  # someone of each kind, for its years, interests and priority
    by_years = np.argsort(f.years[first], kind="stable")
    first, place = first[by_years], np.empty(len(kinds), dtype=np.int64)
    place[by_years] = np.arange(len(kinds))
    kind = place[kind]  # kinds numbered by years from here on
    k_years, k_interests, k_priority = f.years[first], f.interests[first], f.priority[first]
    # How many of each kind per department: a kind fits person i when more of it are outside i's department
    # than are barred to i there.
    per_dept = np.zeros((len(kinds), int(f.dept.max()) + 1), dtype=np.int64)
    np.add.at(per_dept, (kind, f.dept), 1)
    outside = per_dept.sum(axis=1)[:, None] - per_dept
    best = np.full(n, -np.inf)
    order = np.argsort(f.years, kind="stable")
    for start in range(0, n, ROWS):
        rows = order[start:start + ROWS]
        y = f.years[rows]
        lo = int(np.searchsorted(k_years, (y - s.peer_gap_years).min(), "left"))
        hi = int(np.searchsorted(k_years, (y + s.peer_gap_years).max(), "right"))
        ky = k_years[lo:hi]
        value, gap = _peer_values((ky[None, :], k_interests[lo:hi][None, :], k_priority[lo:hi][None, :]),
                                  (y[:, None], f.interests[rows][:, None], f.priority[rows][:, None]))
        room = outside[lo:hi][:, f.dept[rows]].T
        barred = [(r, kind[j] - lo) for r, i in enumerate(rows.tolist()) for j in f.never[i]
                  if f.dept[j] != f.dept[i] and lo <= kind[j] < hi]
        if barred:
            np.subtract.at(room, tuple(np.array(barred).T), 1)
        allowed = ((room > 0) & (gap <= s.peer_gap_years) & (ky[None, :] >= (y - s.peer_gap_years)[:, None])
                   & (ky[None, :] <= (y + s.peer_gap_years)[:, None]))
        plain = np.where(allowed, _plain(value, k_priority[lo:hi][None, :]), -np.inf)
        best[rows] = _plain(plain.max(axis=1), f.priority[rows])
    return best


def _matching(keys: np.ndarray, edges: dict[tuple[int, int], float],
              proposed: Callable[[np.ndarray, np.ndarray], np.ndarray | None] = lambda a, b: None) -> list[tuple[int, int]]:
    """Maximum-cardinality, then maximum-weight matching over the given edges (rustworkx's blossom);
    `keys` per node give each pair its fixed tie-break, `proposed` says which pairs come first (see _ties)."""
    if not edges:
        return []
    n = len(keys)
    pairs = sorted(edges)
    a, b = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    ties = _ties(keys[a], keys[b]).astype(int).tolist()
    stay = _stay(proposed(a, b), len(pairs)).tolist()
    # Scores step by 0.5 (50 in hundredths); all tie-breaks of a matching together (under TIES
    # each, n / 2 pairs) stay below one step.
    scale = n + 1
    return _blossom(n, [(i, j, int(round((edges[(i, j)] + bonus) * 100)) * scale + t)
                        for (i, j), t, bonus in zip(pairs, ties, stay)], max_cardinality=True)


def _parts(people: list[Participant], name: str) -> np.ndarray | None:
    """Above SPLIT_ABOVE people, a peer round is solved in parts of at least PART_SIZE, each a band
    of neighbouring years of experience (the blossom's time grows faster than its size; peers are
    of a similar level, so a band holds nearly everyone's best peers). A band ends between two
    years' values, so one person joining or leaving moves a boundary only when a band's count
    crosses the size; a single value holding more than twice the size is split by a fixed hash of
    the round and the person. None: one part."""
    if len(people) <= SPLIT_ABOVE:
        return None
    years = sorted(Counter(p.years for p in people).items())
    band: dict[float, int] = {}
    bands, count = 0, 0
    for value, many in years:
        if count >= PART_SIZE:
            bands, count = bands + 1, 0
        band[value] = bands
        count += many
    # The last band may be small: it joins the one before.
    if count < PART_SIZE and bands:
        band = {v: min(b, bands - 1) for v, b in band.items()}
    part = np.array([band[p.years] for p in people])
    sizes = Counter(part.tolist())
    out = np.zeros(len(people), dtype=int)
    next_part = 0
    for b in sorted(sizes):
        k = max(1, sizes[b] // PART_SIZE) if sizes[b] > 2 * PART_SIZE else 1
        members = np.flatnonzero(part == b)
        out[members] = next_part + np.array([zlib.crc32(f"{name}:{people[i].id}".encode()) % k for i in members])
        next_part += k
    return out


def _halves(part: np.ndarray) -> tuple[frozenset[int], frozenset[int]]:
    """The parts in two groups of neighbouring bands, about half of the people each (the second
    empty when there is one part)."""
    sizes = np.bincount(part)
    cut = int(np.searchsorted(np.cumsum(sizes), sizes.sum() / 2))
    cut = min(max(cut, 1), len(sizes) - 1) if len(sizes) > 1 else 1
    return frozenset(range(cut)), frozenset(range(cut, len(sizes)))


def peer_round(name: str, people: list[Participant], rules: Rules, exact_up_to: int = EXACT_UP_TO) -> RoundResult:
    """Maximum-weight matching: on every allowed pair for small cohorts (proven optimal), on a
    sparse graph of each person's best candidates for large ones (solved part by part above
    SPLIT_ABOVE), then those left over are matched among themselves over every allowed pair."""
    everyone = len(people) <= exact_up_to
    part = None if everyone else _parts(people, name)
    keys = _keys(people)

    def among(ids: np.ndarray | list[int]) -> Callable[[np.ndarray, np.ndarray], np.ndarray | None]:
        index = np.asarray(ids)
        return lambda a, b: _proposed(rules, people, index[a], index[b])

    if part is None:
        edges, best = candidate_edges(people, rules, everyone, part)
        matching = _matching(keys, edges, among(np.arange(len(people))))
    else:
        f = Features.of(people, rules)
        best = _best_fits(f, rules.settings)

        def solve(wanted: frozenset[int]) -> list[tuple[int, int, float]]:
            """The wanted parts' sparse graphs and matchings: (i, j, score) per pair."""
            edges = _sparse_edges(f, rules.settings, part, wanted)
            local = np.zeros(len(people), dtype=int)
            members = {k: np.flatnonzero(part == k) for k in sorted(wanted)}
            for ids in members.values():
                local[ids] = np.arange(len(ids))
            within: dict[int, dict[tuple[int, int], float]] = {k: {} for k in members}
            for (i, j), v in edges.items():  # candidates are chosen within a part: both ends share it
                within[int(part[i])][(int(local[i]), int(local[j]))] = v
            found = []
            for k, ids in members.items():
                for a, b in _matching(keys[ids], within[k], among(ids)):
                    i, j = int(ids[a]), int(ids[b])
                    found.append((i, j, edges[(i, j)]))
            return found

        # The parts are independent: half of them are solved in a child process on the other core
        # (where one can be forked; else here), the same pairs either way.
        first, second = _halves(part)
        beside = Forked(partial(solve, second)) if second else None
        solved = solve(first)
        solved += (beside.wait() if beside else None) or []
        edges = {(i, j): v for i, j, v in solved}
        matching = [(i, j) for i, j, _ in solved]
    if not everyone:
        # Those a sparse graph left out may still fit each other: match them over every allowed pair.
        done = {i for pair in matching for i in pair}
        left = [i for i in range(len(people)) if i not in done and np.isfinite(best[i])]
        more, _ = candidate_edges([people[i] for i in left], rules, everyone=True)
        for x, y in _matching(keys[left], more, among(left)):
            key = (min(left[x], left[y]), max(left[x], left[y]))
            edges[key] = more[(x, y)]
            matching.append(key)
    pairs: list[Pair] = []
    weight = 0.0
    for i, j in sorted(matching):
        a, b = people[i], people[j]
        weight += edges[(i, j)]
        pairs.append(_peer_pair(f"{name}-{len(pairs) + 1:03d}", [a, b]))
    bound = float(best[np.isfinite(best)].sum() / 2
                  + PRIORITY_BONUS * sum(1 for i, p in enumerate(people) if p.id in rules.priority and np.isfinite(best[i])))
    matched = {p for pair in pairs for p, _ in pair.members}
    unmatched = [(p.id, _why_no_peer(bool(np.isfinite(best[i])), rules.settings)) for i, p in enumerate(people)
                 if p.id not in matched]
    return RoundResult(name, "peer", tuple(pairs), tuple(unmatched), weight, bound, optimal=everyone,
                       proposals=len(rules.proposed))


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


def _why_no_peer(fits: bool, s: PairSettings) -> str:
    if not fits:
        return (f"no peer within {s.peer_gap_years:g} years of experience from another department who is not a past "
                "partner, supervisor or report; " + FIRST_IN_LINE)
    return "an odd number of fitting peers this round; " + FIRST_IN_LINE


# -- trios ----------------------------------------------------------------------------------
def add_trios(result: RoundResult, people: dict[str, Participant], rules: Rules) -> RoundResult:
    """Where the program allows it, each unmatched person joins the best pair that fits them all,
    within every rule: a mentor takes a further mentee only below their capacity.

    Scored with numpy against every open pair at once, so thousands left over stay fast."""
    s = rules.settings
    if not s.allow_trios or not result.unmatched or not result.pairs:
        return result
    group = list(people.values())
    f = Features.of(group, rules)
    index = {p.id: i for i, p in enumerate(group)}
    pairs = list(result.pairs)
    slots = [n for n, pair in enumerate(pairs) if len(pair.members) == 2]
    usable = np.ones(len(slots), dtype=bool)
    mentoring = result.kind == "mentor-mentee"
    first = np.array([index[pairs[n].members[0][0]] for n in slots])  # the mentor, in a mentoring pair
    second = np.array([index[pairs[n].members[1][0]] for n in slots])
    load = np.zeros(len(group), dtype=int)  # mentees per mentor
    for pair in pairs:
        if mentoring:
            load[index[pair.members[0][0]]] += len(pair.members) - 1
    mentors = np.unique(first) if mentoring else first
    column = np.searchsorted(mentors, first) if mentoring else None
    still: list[tuple[str, str]] = []
    for pid, why in result.unmatched:
        i, p = index[pid], people[pid]
        if mentoring:
            if p.wants == MENTOR and can_mentor(p, s):
                still.append((pid, why))
                continue
            scores = mentor_matrix(f, [i], mentors.tolist(), s)[0][column]
            never = np.isin(second, list(f.never[i])) if f.never[i] else np.zeros(len(slots), dtype=bool)
            fits = usable & np.isfinite(scores) & (load[first] < s.mentor_capacity) & ~never
        else:
            row = peer_row(f, i, s)
            scores = row[first] + row[second]
            fits = usable & np.isfinite(scores)
        if not fits.any():
            still.append((pid, why))
            continue
        values = np.where(fits, scores, -np.inf)
        k = int(np.flatnonzero(values == values.max())[-1])  # best fit; ties to the later pair
        usable[k] = False
        n = slots[k]
        pair = pairs[n]
        role = "mentee" if mentoring else "peer"
        if mentoring:
            load[first[k]] += 1
        pairs[n] = Pair(pair.id, pair.kind, (*pair.members, (pid, role)), pair.score,
                        pair.reasons + (f"{p.name} joins as a third: {why.split(';')[0]}",),
                        pair.bends + (TRIO,))
    return replace(result, pairs=tuple(pairs), unmatched=tuple(still))


def describe_kept(pair_id: str, kind: str, members: list[tuple[Participant, str]], rules: Rules, status: str) -> Pair:
    """A group staff kept, explained like a new one. Rules it breaks are the checker's to name
    (generator/matching/check.py), whatever the group looks like: one mentor, none, or two."""
    people = [p for p, _ in members]
    mentors = [p for p, role in members if role == "mentor"]
    mentees = [p for p, role in members if role != "mentor"]
    if kind == "mentor-mentee" and len(mentors) == 1 and mentees:
        pair = _mentor_pair(pair_id, mentors[0], mentees[0], rules.settings, tuple(mentees[1:]))
    elif kind == "peer" and len(people) >= 2:
        pair = _peer_pair(pair_id, people)
    else:
        pair = Pair(pair_id, kind, (), 0.0, ())
    roles = tuple((p.id, role) for p, role in sorted(members, key=lambda m: (m[1] != "mentor", m[0].id)))
    return Pair(pair_id, kind, roles, pair.score, (f"kept as staff decided ({status})",) + pair.reasons, pair.bends)
