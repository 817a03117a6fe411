"""Can anyone compute a small group from what we publish? The one check every release passes.

A release is a set of published numbers (facts), each a sum of cells of a table whose true
counts only the build knows. An attacker who reads every public page knows every fact and
can combine them: subtract one bar from a total, add two rows of a cross-tabulation, use
that counts are whole and never negative. A group of people is *exposed* when its size can
be pinned to between 1 and the minimum minus one (or when everyone but fewer than the
minimum gave one answer, which tells each respondent's answer). This module decides that by
exact linear algebra over the rationals, and, where a table has more than one dimension,
by integer programming for the bounds; it reads only the tables and the facts, never the
search that chose what to publish (see suppress.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import gcd, lcm
from typing import AbstractSet, Iterable, Sequence

#: A table with more answers than this gets its sensitive groups from single answers and their
#: complements only (all subsets of 20 options would be a million groups).
MAX_SUBSET_ANSWERS = 8


@dataclass(frozen=True)
class Group:
    """A set of cells that is a group of people (e.g. "mentors who answered Disagree or Strongly disagree")."""

    label: str
    cells: frozenset[int]
    #: When the group is everyone in a part of the table (all respondents, one role) except
    #: those giving one answer, that part's cells: a size of 0 then means the part answered
    #: unanimously, which tells each respondent's answer as surely as a small cell does.
    part: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Table:
    """The true counts behind one published table: cells, and the groups of people they make."""

    key: str
    cells: tuple[str, ...]
    values: tuple[int, ...]
    groups: tuple[Group, ...]
    #: For a table of answers by role: the cells of each answer across roles. Facts that are
    #: all sums of whole columns let a reader move counts between roles freely, so role
    #: groups then need no integer programming; any other fact on a crossed table does.
    columns: tuple[frozenset[int], ...] = ()

    @property
    def crossed(self) -> bool:
        return bool(self.columns)


@dataclass(frozen=True)
class Fact:
    """One published number: the sum of some cells of a table (weights allow a mean's total)."""

    table: str
    weights: tuple[tuple[int, int], ...]  # (cell index, coefficient)
    label: str

    @staticmethod
    def of(table: str, cells: Iterable[int], label: str) -> "Fact":
        return Fact(table, tuple((c, 1) for c in sorted(cells)), label)


@dataclass(frozen=True)
class Exposure:
    table: str
    group: str
    low: int
    high: int
    minimum: int
    reason: str = ""  # said instead of a size, for a figure that is not a sum of cells

    def __str__(self) -> str:
        if self.reason:
            return f"{self.table}: {self.group} {self.reason}"
        size = str(self.low) if self.low == self.high else f"between {self.low} and {self.high}"
        if self.high == 0:
            return f"{self.table}: {self.group} is 0, so all the others gave one answer (fewer than {self.minimum} did not)"
        return f"{self.table}: {self.group} can be computed as {size} people (fewer than {self.minimum})"


def answer_groups(prefix: str, cells: Sequence[frozenset[int]], answers: Sequence[str]) -> list[Group]:
    """Every set of answers within one part of a table (all respondents, or one role) as a group;
    `cells[i]` holds the cells of answer i in that part."""
    n = len(cells)
    if n <= MAX_SUBSET_ANSWERS:
        subsets = [s for k in range(1, n + 1) for s in combinations(range(n), k)]
    else:
        subsets = [(i,) for i in range(n)] + [tuple(j for j in range(n) if j != i) for i in range(n)] + [tuple(range(n))]
    part = frozenset().union(*cells) if cells else frozenset()
    groups = []
    for subset in subsets:
        names = " or ".join(answers[i] for i in subset) if len(subset) < n else "anything"
        groups.append(Group(f"{prefix}answering {names}", frozenset().union(*(cells[i] for i in subset)),
                            part if len(subset) == n - 1 and n > 1 else frozenset()))
    return groups


class _Span:
    """The row space of a set of facts over the rationals, kept in reduced echelon form.

    Rows are sparse ({column: whole number}, each row's entries without a common divisor) and
    elimination is fraction-free: tables are small and facts mostly 0/1 over a few cells, so it
    touches only the cells a fact names and never builds a Fraction. In reduced form a pivot
    column is 0 in every other row, so reducing a vector subtracts exactly the rows whose pivots
    it holds, in any order.
    """

    def __init__(self, size: int, facts: Iterable[Fact]) -> None:
        self.size = size
        self.rows: dict[int, dict[int, int]] = {}  # pivot column -> row (its pivot entry > 0)
        self._complement: list[list[int]] | None = None
        self._pack: list[int] | None = None
        for fact in facts:
            self.add(self._vector(fact.weights))

    @staticmethod
    def _vector(weights: Iterable[tuple[int, int]]) -> dict[int, int]:
        v: dict[int, int] = {}
        for cell, coefficient in weights:
            v[cell] = v.get(cell, 0) + coefficient
        return {c: a for c, a in v.items() if a}

    @staticmethod
    def _eliminate(v: dict[int, int], row: dict[int, int], pivot: int) -> dict[int, int]:
        """v scaled and less a multiple of row, so that v's pivot entry is 0 (and nothing grows needlessly)."""
        factor, head = v[pivot], row[pivot]
        out = {c: head * a for c, a in v.items()} if head != 1 else dict(v)
        for c, b in row.items():
            a = out.get(c, 0) - factor * b
            if a:
                out[c] = a
            else:
                out.pop(c, None)
        common = gcd(*out.values()) if head != 1 else 1
        return {c: a // common for c, a in out.items()} if common > 1 else out

    def _reduce(self, v: dict[int, int]) -> dict[int, int]:
        for pivot in [c for c in v if c in self.rows]:
            v = self._eliminate(v, self.rows[pivot], pivot)
        return v

    def add(self, v: dict[int, int]) -> None:
        v = self._reduce(v)
        if not v:
            return
        pivot = min(v)
        common = gcd(*v.values()) * (1 if v[pivot] > 0 else -1)
        if common != 1:
            v = {c: a // common for c, a in v.items()}
        for p, row in self.rows.items():
            if pivot in row:
                self.rows[p] = self._eliminate(row, v, pivot)
        self.rows[pivot] = v
        self._complement = self._pack = None

    def contains(self, weights: Iterable[tuple[int, int]]) -> bool:
        return not self._reduce(self._vector(weights))

    def complement(self) -> list[list[int]]:
        """A whole-number basis of the vectors orthogonal to every row, one per free column: the
        changes to a table that no fact can see (A d = 0)."""
        if self._complement is None:
            basis = []
            for free in (c for c in range(self.size) if c not in self.rows):
                # d[free] = 1 and d[p] = -row[free] / row[p], scaled to the smallest whole vector.
                solved = [(p, row[free], row[p]) for p, row in self.rows.items() if free in row]
                scale = lcm(*(head for _, _, head in solved))
                d = [0] * self.size
                d[free] = scale
                for p, entry, head in solved:
                    d[p] = -entry * (scale // head)
                common = gcd(*d)
                basis.append([a // common for a in d] if common > 1 else d)
            self._complement = basis
        return self._complement

    def holds(self, cells: AbstractSet[int]) -> bool:
        """Whether the sum of these cells (a group's size) lies in the span: the same answer as
        `contains`, found as orthogonality to the complement (the row space is exactly the vectors
        orthogonal to it), computed once per span rather than one elimination per group, and
        for all of the complement's vectors in one sum (see `_packed`)."""
        packed = self._packed()
        return not sum([packed[c] for c in cells])

    def _packed(self) -> list[int]:
        """Each cell's entries in the complement's vectors d_0..d_k-1 as one whole number,
        sum_j d_j[cell] * B**j. Summed over a group's cells this is sum_j v_j * B**j, where v_j is
        the group's product with d_j, and |v_j| <= M, the most any vector's absolute entries add
        up to. With B > M that sum is 0 only if every v_j is: the lowest nonzero v_j would have
        to be a multiple of B. Exact, and one addition per cell instead of one per cell and vector."""
        if self._pack is None:
            basis = self.complement()
            base = 1 + max((sum(abs(a) for a in d) for d in basis), default=0)
            powers = [base ** j for j in range(len(basis))]
            self._pack = [sum(d[cell] * power for power, d in zip(powers, basis)) for cell in range(self.size)]
        return self._pack


def _bounds(table: Table, facts: list[Fact], cells: frozenset[int]) -> tuple[int, int]:
    """The smallest and largest whole size the facts allow for a group (cells >= 0, integers)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(table.cells)
    a = np.zeros((len(facts), n))
    b = np.zeros(len(facts))
    for i, fact in enumerate(facts):
        for cell, coefficient in fact.weights:
            a[i, cell] += coefficient
        b[i] = sum(table.values[c] * w for c, w in fact.weights)
    objective = np.array([1.0 if i in cells else 0.0 for i in range(n)])
    constraint = LinearConstraint(a, b, b) if len(facts) else ()
    found = []
    for sign in (1, -1):
        result = milp(sign * objective, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, np.inf))
        found.append(round(sign * result.fun) if result.status == 0 else None)
    low, high = found
    return (0 if low is None else low, sum(table.values) if high is None else high)


def _zeros(table: Table, facts: list[Fact]) -> list[Fact]:
    """A published sum of 0 over non-negative counts makes each of its cells 0: say so, so that
    linear algebra sees what non-negativity tells a reader (A + B = 1 and B + C = 0 give A = 1)."""
    out = []
    for fact in facts:
        if all(w > 0 for _, w in fact.weights) and sum(table.values[c] * w for c, w in fact.weights) == 0:
            out += [Fact.of(fact.table, {c}, f"{fact.label} (so each part is 0)") for c, _ in fact.weights]
    return out


def _needs_bounds(table: Table, facts: list[Fact]) -> bool:
    if not table.crossed:
        return False
    unions = [table.columns]
    for fact in facts:
        cells = {c for c, _ in fact.weights}
        if any(0 < len(cells & col) < len(col) for col in unions[0]) or len({w for _, w in fact.weights}) > 1:
            return True
    return False


def table_exposures(table: Table, facts: Iterable[Fact], minimum: int, first: bool = False) -> list[Exposure]:
    """The groups of one table that the facts about it expose (`first`: stop at one, for a search
    that only needs to know whether any is; groups settled by linear algebra are judged first, so
    integer programming runs only when none of them is exposed)."""
    facts = [f for f in facts if f.table == table.key]
    bounded = _needs_bounds(table, facts)
    facts += _zeros(table, facts)
    span = _Span(len(table.cells), facts)
    # Every vector the facts span is 0 on a cell no fact names, so a group with such a cell is not
    # in the span (most groups, while few facts are kept): no elimination needed to say so.
    named = {c for fact in facts for c, _ in fact.weights}
    out, later = [], []
    values = table.values
    for group in table.groups:
        if group.cells <= named and span.holds(group.cells):  # the group's size follows from the facts
            true = sum([values[c] for c in group.cells])
            found = _exposure(table, group, true, true, minimum)
            if found:
                out.append(found)
                if first:
                    return out
        elif bounded and not ((true := sum([values[c] for c in group.cells])) >= minimum
                              or (true == 0 and not group.part)):
            # The true table satisfies every fact, so its size lies between the bounds: a group of
            # at least the minimum can never be pinned below it, and one of 0 never to 1 or more
            # (unless it is a part's rest, whose largest possible size matters). Otherwise, when
            # nothing but sums of whole answers (or a one-way table's cells) is published, a reader
            # can shift counts between the unknown cells at will.
            later.append(group)
    # Moves keep the total too: where the facts leave it open, the bounds below take it as known.
    moves = _Moves(table, _Span(len(table.cells), [*facts, Fact.of(table.key, range(len(table.cells)), "total")])) \
        if later else None
    for group in later:
        if moves is not None and moves.reach(group, minimum):
            continue  # another whole table with the same facts shows the group is not pinned small
        found = _exposure(table, group, *_bounds(table, facts, group.cells), minimum)
        if found:
            out.append(found)
            if first:
                return out
    return out


class _Moves:
    """Changes to a table that no published fact can see: whole vectors d with A d = 0.

    Integer programming (scipy's HiGHS) proves how small or large a group can be; often a witness
    is enough, and cheaper: the true table moved along one such change (or two) to another whole,
    non-negative table where the group is 0 or at least the minimum. Every fact holds there too,
    so a reader cannot tell the two apart, and the group is not exposed. Only when no witness
    turns up does the judge fall back to integer programming."""

    def __init__(self, table: Table, span: "_Span") -> None:
        self.values = table.values
        basis = span.complement()
        single = basis + [[-a for a in d] for d in basis]
        self.moves = single + [[a + b for a, b in zip(d, e)] for i, d in enumerate(single) for e in single[i + 1:]]

    def reach(self, group: Group, minimum: int) -> bool:
        """Whether a witness shows the group can be 0 or at least the minimum (for a part's rest of 0:
        at least 1)."""
        values = self.values
        true = sum(values[c] for c in group.cells)
        for d in self.moves:
            step = sum(d[c] for c in group.cells)
            if not step:
                continue
            room = min((values[i] // -a for i, a in enumerate(d) if a < 0), default=None)
            # The group changes by `step` per move: how many moves would reach 0 or the minimum.
            if true == 0:
                need = 1 if step > 0 else None
            elif step > 0:
                need = -(-(minimum - true) // step)
            else:
                need = -(-true // -step)
            if need is not None and (room is None or need <= room):
                return True
        return False


def _exposure(table: Table, group: Group, low: int, high: int, minimum: int) -> Exposure | None:
    small = 1 <= low and high < minimum
    unanimous = bool(group.part) and high == 0 and sum(table.values[c] for c in group.part) > 0
    return Exposure(table.key, group.label, low, high, minimum) if small or unanimous else None


def derivable(table: Table, facts: Iterable[Fact], weights: Iterable[tuple[int, int]]) -> bool:
    """Whether a figure (a rate's numerator, a mean's total) follows from the facts alone."""
    return _Span(len(table.cells), [f for f in facts if f.table == table.key]).contains(weights)


def exposures(tables: Iterable[Table], facts: Iterable[Fact], minimum: int) -> list[Exposure]:
    """Every exposed group in a whole release (all tables, all facts on every public page).

    Facts naming a table the release does not know are themselves an exposure: a number
    published with nothing to check it against.
    """
    tables = list(tables)
    facts = list(facts)
    known = {t.key for t in tables}
    out = [Exposure(f.table, f"{f.label} (no table to check it against)", 0, 0, minimum)
           for f in facts if f.table not in known]
    for table in tables:
        out.extend(table_exposures(table, facts, minimum))
    return out
