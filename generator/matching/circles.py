"""Partition a cohort into circles: hard rules first, then stability, then the soft goals.

The search is a deterministic local search (random moves and swaps, accepted when the cost does
not rise; then, in a small cohort, every move and swap in turn until none lowers it) over a cost
that each circle contributes on its own, so a move re-prices two circles, priced before it is made.
Weights are ordered so that a hard rule outweighs any stability cost, and keeping an
announced circle outweighs any soft gain (department spread, balance, preferences).
"""
from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

from generator.config.program import CircleSettings
from generator.matching.check import Violation, can_facilitate, check_circles
from generator.matching.people import Participant, reporting_lines
from generator.records import PREFER_IN_PERSON, PREFER_VIRTUAL
from generator.words import counted

HARD = 1000.0  # per broken hard rule
STABLE = 100.0  # per person moved out of a kept (announced, pinned, approved) circle
FROZEN = 1e7  # the same, when kept circles must not be touched at all, and always for a locked placement
EXACT_UP_TO = 300  # cohorts up to this size go to the exact solver first (generator/matching/exact.py)
KEPT_METHOD = "as staff kept them"  # everyone in a kept circle and every rule holds: nothing to search
#: The cohort has ended: its circles are the record, read from the Matches tab and never re-planned
#: (a past round is history), whatever rule withdrawals left broken.
HISTORY_METHOD = "as staff kept them, the cohort over"
REPAIR_METHOD = "repair of the kept circles that broke a rule"  # everyone kept, and only the circles breaking a rule changed
W_DEPT, W_SIZE, W_MIX, W_FAC, W_PREF = 1.0, 0.5, 0.5, 0.3, 0.5
MOVES_PER_PERSON = 40  # at most; the search stops earlier once it stalls
PATIENCE_PER_PERSON = 8  # moves without a strict improvement before the search stops
SETTLE_MOVES, SETTLE_SWAPS = 200_000, 50_000  # every move (swap) is tried at the end where there are at most this many
GAIN = 1e-9  # a lower cost by less than this is rounding, not a gain
IN_PERSON, VIRTUAL = "in person", "virtual"


@dataclass(frozen=True)
class Slot:
    id: str
    mode: str
    campus: str = ""


@dataclass(frozen=True)
class Circle:
    id: str
    mode: str
    campus: str
    members: tuple[str, ...]
    facilitators: tuple[str, ...]
    score: float  # share of member pairs from different departments, 0 to 1
    reasons: tuple[str, ...]
    bends: tuple[str, ...]  # rules that could not hold, or soft goals that had to give


@dataclass(frozen=True)
class CirclePlan:
    circles: tuple[Circle, ...]
    problems: tuple[str, ...]  # why the rules cannot all hold for this cohort, before searching
    same_department_pairs: int
    department_bound: int  # fewest same-department pairs any partition into these circles could have
    violations: tuple[Violation, ...] = ()  # the checker's findings on these circles
    moved_from_kept: tuple[str, ...] = field(default=())
    moves: tuple[str, ...] = ()  # each move out of a kept circle, and the rule that forced it
    method: str = "local search"  # or "exact (CP-SAT)", KEPT_METHOD or REPAIR_METHOD
    optimal: bool = False  # proven: no partition keeping the rules does better on the objective

    @property
    def hard_violations(self) -> int:
        return len(self.violations)


def circle_count(people: tuple[Participant, ...], s: CircleSettings) -> int:
    """As configured; otherwise circles of middling size, but no more than there are
    facilitators, new and experienced members to go round (and never fewer than the
    size bounds allow)."""
    if s.count:
        return s.count
    n = len(people)
    fewest = max(1, math.ceil(n / s.max_size))
    scarce = min(sum(can_facilitate(p, s) for p in people), sum(p.years <= s.new_max_years for p in people),
                 sum(p.years >= s.experienced_min_years for p in people), n // s.min_size)
    middling = round(n / ((s.min_size + s.max_size) // 2))
    return max(fewest, min(middling, scarce))


def check_inputs(people: tuple[Participant, ...], s: CircleSettings, k: int) -> list[str]:
    """Every reason the hard rules cannot all hold, said for staff, before any search."""
    n = len(people)
    problems = []
    if not k * s.min_size <= n <= k * s.max_size:
        problems.append(f"{n} participants cannot fill {k} circles of {s.min_size} to {s.max_size} members.")
    facs = [p for p in people if can_facilitate(p, s)]
    if len(facs) < k:
        problems.append(f"Only {counted(len(facs), 'facilitator volunteer')} with at least {s.facilitator_min_years:g} "
                        f"years for {k} circles: {counted(k - len(facs), 'circle')} will have none.")
    new = sum(p.years <= s.new_max_years for p in people)
    if new < k:
        problems.append(f"Only {counted(new, 'new member')} (at most {s.new_max_years:g} years) for {k} circles: "
                        f"{counted(k - new, 'circle')} cannot mix experience.")
    exp = sum(p.years >= s.experienced_min_years for p in people)
    if exp < k:
        problems.append(f"Only {counted(exp, 'experienced member')} (at least {s.experienced_min_years:g} years) "
                        f"for {k} circles.")
    for campus, count in s.in_person.items():
        local = [p for p in people if p.campus == campus and not p.virtual_only]
        if len(local) < count * s.min_size:
            problems.append(f"{counted(count, 'in-person circle')} on the {campus} campus need {count * s.min_size} members "
                            f"who can attend in person; {len(local)} can.")
        if sum(can_facilitate(p, s) for p in local) < count:
            problems.append(f"{counted(count, 'in-person circle')} on the {campus} campus need as many facilitators there; "
                            f"{sum(can_facilitate(p, s) for p in local)} can attend in person.")
    return problems


def slots(k: int, s: CircleSettings, kept_ids: list[str]) -> list[Slot]:
    """Circle ids (kept ones first, so they keep their place) and modes: in-person ones first."""
    ids = sorted(kept_ids)
    n = 1
    while len(ids) < k:
        candidate = f"C{n:02d}"
        if candidate not in ids:
            ids.append(candidate)
        n += 1
    ids.sort()
    modes = [(IN_PERSON, campus) for campus, count in s.in_person.items() for _ in range(count)]
    return [Slot(cid, *(modes[i] if i < len(modes) else (VIRTUAL, ""))) for i, cid in enumerate(ids)]


class _Search:
    """The mutable state of one search; only this class mutates, and only its own arrays."""

    def __init__(self, people, s: CircleSettings, circle_slots, kept: dict[str, str], declined: dict[str, set[str]],
                 stable: float = STABLE, fixed: frozenset[str] = frozenset()):
        self.people, self.s, self.slots = people, s, circle_slots
        self.min_size, self.max_size = s.min_size, s.max_size
        n, k = len(people), len(circle_slots)
        index = {c.id: i for i, c in enumerate(circle_slots)}
        pid = {p.id: i for i, p in enumerate(people)}
        depts = {d: i for i, d in enumerate(sorted({p.department for p in people}))}
        self.dept = [depts[p.department] for p in people]
        self.new = [p.years <= s.new_max_years for p in people]
        self.exp = [p.years >= s.experienced_min_years for p in people]
        self.fac = [can_facilitate(p, s) for p in people]
        # _mismatch and _unmet as flags looked up in place(), the search's innermost step.
        self.in_person = [c.mode == IN_PERSON for c in circle_slots]
        self.slot_campus = [c.campus for c in circle_slots]
        self.virtual_only = [p.virtual_only for p in people]
        self.campus = [p.campus for p in people]
        self.wants_in_person = [p.circle_preference == PREFER_IN_PERSON for p in people]
        self.wants_virtual = [p.circle_preference == PREFER_VIRTUAL for p in people]
        self.locked = [index.get(kept.get(p.id, ""), -1) for p in people]
        # What moving each person out of their kept circle costs: `stable`, and never worth it
        # (above any rule) for a placement staff locked.
        self.stay = [FROZEN if p.id in fixed else stable for p in people]
        self.forbidden = [{index[g] for g in declined.get(p.id, ()) if g in index} for p in people]
        self.conflicts: list[list[int]] = [[] for _ in range(n)]
        for pair in reporting_lines(people):
            a, b = (pid[x] for x in pair)
            self.conflicts[a].append(b)
            self.conflicts[b].append(a)
        self.target = n / k
        self.new_t = sum(self.new) / k
        self.exp_t = sum(self.exp) / k
        self.fac_t = sum(self.fac) / k
        self.assign = [-1] * n
        self.members: list[set[int]] = [set() for _ in range(k)]
        self.size = [0] * k
        self.dcount: list[Counter[int]] = [Counter() for _ in range(k)]
        self.dpairs = [0] * k
        self.n_new, self.n_exp, self.n_fac = [0] * k, [0] * k, [0] * k
        self.n_conf, self.n_mis, self.n_unmet, self.n_forb = [0] * k, [0] * k, [0] * k, [0] * k
        self.n_moved = [0.0] * k  # the `stay` of each member moved in from a kept circle

    @staticmethod
    def _mismatch(p: Participant, c: Slot) -> bool:
        return c.mode == IN_PERSON and (p.virtual_only or p.campus != c.campus)

    @staticmethod
    def _unmet(p: Participant, c: Slot) -> bool:
        return (p.circle_preference == PREFER_IN_PERSON and c.mode != IN_PERSON) or \
               (p.circle_preference == PREFER_VIRTUAL and c.mode == IN_PERSON)

    def _mis(self, i: int, c: int) -> bool:
        """_mismatch(people[i], slots[c]), from the flags."""
        return self.in_person[c] and (self.virtual_only[i] or self.campus[i] != self.slot_campus[c])

    def _un(self, i: int, c: int) -> bool:
        """_unmet(people[i], slots[c]), from the flags."""
        return self.wants_virtual[i] if self.in_person[c] else self.wants_in_person[i]

    def place(self, i: int, c: int, sign: int) -> None:
        """Add (sign=1) or remove (sign=-1) person i to or from circle c, updating the aggregates.
        (Run millions of times in a large cohort's search: flags are read, not recomputed.)"""
        d = self.dept[i]
        dcount = self.dcount[c]
        if sign < 0:
            self.members[c].discard(i)
            dcount[d] -= 1
            self.dpairs[c] -= dcount[d]
        else:
            self.dpairs[c] += dcount[d]
            dcount[d] += 1
            self.members[c].add(i)
        self.size[c] += sign
        if self.new[i]:
            self.n_new[c] += sign
        if self.exp[i]:
            self.n_exp[c] += sign
        if self.fac[i]:
            self.n_fac[c] += sign
        if self.conflicts[i]:
            self.n_conf[c] += sign * sum(1 for j in self.conflicts[i] if self.assign[j] == c)
        if self.in_person[c]:
            if self.virtual_only[i] or self.campus[i] != self.slot_campus[c]:
                self.n_mis[c] += sign
            if self.wants_virtual[i]:
                self.n_unmet[c] += sign
        elif self.wants_in_person[i]:
            self.n_unmet[c] += sign
        if self.forbidden[i] and c in self.forbidden[i]:
            self.n_forb[c] += sign
        locked = self.locked[i]
        if locked != -1 and locked != c:
            self.n_moved[c] += sign * self.stay[i]
        self.assign[i] = c if sign > 0 else -1

    def hard(self, c: int) -> int:
        return self._hard(self.size[c], self.n_new[c], self.n_exp[c], self.n_fac[c],
                          self.n_conf[c], self.n_mis[c], self.n_forb[c])

    def _hard(self, size: int, n_new: int, n_exp: int, n_fac: int, n_conf: int, n_mis: int, n_forb: int) -> int:
        return (max(0, self.min_size - size) + max(0, size - self.max_size) + (n_fac == 0)
                + (n_new == 0) + (n_exp == 0) + n_conf + n_mis + n_forb)

    def cost(self, c: int) -> float:
        return self._price(self.size[c], self.dpairs[c], self.n_new[c], self.n_exp[c], self.n_fac[c], self.n_conf[c],
                           self.n_mis[c], self.n_forb[c], self.n_moved[c], self.n_unmet[c])

    def _price(self, size: int, dpairs: int, n_new: int, n_exp: int, n_fac: int, n_conf: int, n_mis: int,
               n_forb: int, n_moved: float, n_unmet: int) -> float:
        """A circle's cost from its counts: what cost() says of a circle, and what a move would
        make of one before it is made."""
        return (HARD * self._hard(size, n_new, n_exp, n_fac, n_conf, n_mis, n_forb) + n_moved
                + W_DEPT * dpairs + W_SIZE * (size - self.target) ** 2
                + W_MIX * ((n_new - self.new_t) ** 2 + (n_exp - self.exp_t) ** 2)
                + W_FAC * (n_fac - self.fac_t) ** 2 + W_PREF * n_unmet)

    def _ties(self, i: int, c: int) -> tuple[int, bool, bool, bool, float]:
        """What person i brings to circle c beyond the counts of kinds: reporting lines to its
        members, an in-person mismatch, an unmet preference, a declined circle, a move out of a
        kept one, priced (the terms place() adds or removes)."""
        conf = 0
        if self.conflicts[i]:
            assign = self.assign
            conf = sum(1 for j in self.conflicts[i] if assign[j] == c)
        locked = self.locked[i]
        return conf, self._mis(i, c), self._un(i, c), c in self.forbidden[i], \
            self.stay[i] if locked != -1 and locked != c else 0.0

    def priced_move(self, i: int, b: int) -> tuple[float, float]:
        """cost(a) and cost(b) were person i moved from their circle a to b, without moving them
        (nine in ten moves the search tries are rejected: they then change nothing)."""
        a, d = self.assign[i], self.dept[i]
        new, exp, fac = self.new[i], self.exp[i], self.fac[i]
        conf, mis, un, forb, moved = self._ties(i, a)
        cost_a = self._price(self.size[a] - 1, self.dpairs[a] - self.dcount[a][d] + 1, self.n_new[a] - new,
                             self.n_exp[a] - exp, self.n_fac[a] - fac, self.n_conf[a] - conf, self.n_mis[a] - mis,
                             self.n_forb[a] - forb, self.n_moved[a] - moved, self.n_unmet[a] - un)
        conf, mis, un, forb, moved = self._ties(i, b)
        cost_b = self._price(self.size[b] + 1, self.dpairs[b] + self.dcount[b][d], self.n_new[b] + new,
                             self.n_exp[b] + exp, self.n_fac[b] + fac, self.n_conf[b] + conf, self.n_mis[b] + mis,
                             self.n_forb[b] + forb, self.n_moved[b] + moved, self.n_unmet[b] + un)
        return cost_a, cost_b

    def priced_swap(self, i: int, j: int) -> tuple[float, float]:
        """cost(a) and cost(b) were person i (in circle a) and person j (in b) swapped, without
        swapping them."""
        a, b = self.assign[i], self.assign[j]
        return self._swapped(i, j, a), self._swapped(j, i, b)

    def _swapped(self, out: int, into: int, c: int) -> float:
        """The cost of circle c were `out` (a member) replaced by `into` (from another circle)."""
        d_out, d_in = self.dept[out], self.dept[into]
        dpairs = self.dpairs[c]
        if d_out != d_in:
            dcount = self.dcount[c]
            dpairs += dcount[d_in] - dcount[d_out] + 1
        conf_o, mis_o, un_o, forb_o, moved_o = self._ties(out, c)
        conf_i, mis_i, un_i, forb_i, moved_i = self._ties(into, c)
        if conf_i and out in self.conflicts[into]:
            conf_i -= 1  # their reporting line leaves with `out`
        return self._price(self.size[c], dpairs, self.n_new[c] - self.new[out] + self.new[into],
                           self.n_exp[c] - self.exp[out] + self.exp[into], self.n_fac[c] - self.fac[out] + self.fac[into],
                           self.n_conf[c] - conf_o + conf_i, self.n_mis[c] - mis_o + mis_i,
                           self.n_forb[c] - forb_o + forb_i, self.n_moved[c] - moved_o + moved_i,
                           self.n_unmet[c] - un_o + un_i)

    def move(self, i: int, b: int) -> None:
        self.place(i, self.assign[i], -1)
        self.place(i, b, 1)

    # -- construction ----------------------------------------------------------------------
    def start(self) -> None:
        """Kept members in their circles; a facilitator in every other circle; the rest dealt by department."""
        k = len(self.slots)
        rest = []
        for i in range(len(self.people)):
            if self.locked[i] >= 0:
                self.place(i, self.locked[i], 1)
            else:
                rest.append(i)
        order = sorted(rest, key=lambda i: (not self.fac[i], self.dept[i], -self.people[i].years, self.people[i].id))
        pointer = 0
        for i in order:
            best = self._deal_target(i, pointer)
            self.place(i, best, 1)
            pointer = (best + 1) % k

    def _deal_target(self, i: int, pointer: int) -> int:
        """The first circle round the ring from `pointer` that suits person i. The ring is walked
        only as far as needed (listing it whole for everyone was quadratic: 4 s at 20,000 people)."""
        k = len(self.slots)
        if self.fac[i] and 0 in self.n_fac:
            for step in range(k):
                c = (pointer + step) % k
                if self.n_fac[c] == 0 and not self._mis(i, c):
                    return c
        cap = math.ceil(self.target)
        for limit in (cap, self.s.max_size):
            for step in range(k):
                c = (pointer + step) % k
                if self.size[c] < limit and not self._mis(i, c) and c not in self.forbidden[i]:
                    return c
        return min(((pointer + step) % k for step in range(k)), key=lambda c: self.size[c])

    # -- improvement -----------------------------------------------------------------------
    def improve(self, rng: random.Random) -> None:
        n, k = len(self.people), len(self.slots)
        if k < 2:
            return
        stalled = 0
        # Each circle's cost, kept as moves are accepted. A move or swap is priced before it is made
        # (nine in ten are rejected, and then nothing changes), so "before" is a lookup.
        costs = [self.cost(c) for c in range(k)]
        for _ in range(MOVES_PER_PERSON * n):
            stalled += 1
            if stalled > PATIENCE_PER_PERSON * n:
                break
            i = rng.randrange(n)
            a = self.assign[i]
            b = rng.randrange(k - 1)
            b += b >= a
            before = costs[a] + costs[b]
            if rng.random() < 0.5:
                cost_a, cost_b = self.priced_move(i, b)
                if cost_a + cost_b > before:
                    continue
                self.move(i, b)
            else:
                others = self.members[b]
                if not others:
                    continue
                j = _pick(others, rng)
                cost_a, cost_b = self.priced_swap(i, j)
                if cost_a + cost_b > before:
                    continue
                self.move(i, b)
                self.move(j, a)
            if cost_a + cost_b < before:
                stalled = 0
            costs[a], costs[b] = cost_a, cost_b


    def settle(self, moves: int = SETTLE_MOVES, swaps: int = SETTLE_SWAPS, rounds: int = 10) -> None:
        """After the random search: every move of one person, then every swap, tried in turn and
        made when it lowers the cost, until none does, where there are few enough to try them all.
        The random search stops after a stretch without gain and can miss the last improving move
        (a 12-person cohort in 3 circles was left one move short of sizes within one); this leaves
        none behind."""
        n, k = len(self.people), len(self.slots)
        try_moves, try_swaps = 1 < k and n * (k - 1) <= moves, 1 < k and n * (n - 1) // 2 <= swaps
        for _ in range(rounds if try_moves or try_swaps else 0):
            better = False
            for i in range(n) if try_moves else ():
                for b in range(k):
                    a = self.assign[i]
                    if b != a and sum(self.priced_move(i, b)) < self.cost(a) + self.cost(b) - GAIN:
                        self.move(i, b)
                        better = True
            for i in range(n) if try_swaps else ():
                for j in range(i + 1, n):
                    a, b = self.assign[i], self.assign[j]
                    if a != b and sum(self.priced_swap(i, j)) < self.cost(a) + self.cost(b) - GAIN:
                        self.move(i, b)
                        self.move(j, a)
                        better = True
            if not better:
                return

    def repair(self, rng: random.Random, sample: int = 400, rounds: int = 5) -> None:
        """Targeted: for each circle still breaking a rule, the best move or swap with a sample of others."""
        n, k = len(self.people), len(self.slots)
        if k < 2:
            return
        for _ in range(rounds):
            broken = [c for c in range(k) if self.hard(c)]
            if not broken:
                return
            for a in broken:
                members = sorted(self.members[a])
                self._repair_circle(a, rng.sample(range(n), min(sample, n)), rng.sample(members, min(12, len(members))))

    def _repair_circle(self, a: int, candidates: list[int], members: list[int]) -> None:
        best: float = 0.0
        best_move: tuple[int, int | None] | None = None
        for j in candidates:
            b = self.assign[j]
            if b == a:
                continue
            base = self.cost(a) + self.cost(b)
            self.move(j, a)
            delta = self.cost(a) + self.cost(b) - base
            if delta < best:
                best, best_move = delta, (j, None)
            for i in members:
                if i == j or self.assign[i] != a:
                    continue
                self.move(i, b)
                delta = self.cost(a) + self.cost(b) - base
                if delta < best:
                    best, best_move = delta, (j, i)
                self.move(i, a)
            self.move(j, b)
        if best_move is not None:
            incoming, outgoing = best_move
            b = self.assign[incoming]
            self.move(incoming, a)
            if outgoing is not None:
                self.move(outgoing, b)


    def polish(self, tries: int = 3000) -> None:
        """Last: whoever shares a department with someone in their circle tries swaps with people in
        other circles (those whose own department is not in this circle, and whose circle lacks
        theirs); a swap is kept when no rule or kept place gets worse and same-department pairs go
        down. Few people share, so this looks far beyond the random search's reach, cheaply."""
        k = len(self.slots)
        if k < 2:
            return
        for _ in range(3):
            crowded = [i for a in range(k) if self.dpairs[a] for i in sorted(self.members[a])
                       if self.locked[i] != a and self.dcount[a][self.dept[i]] > 1]
            if not crowded or not any([self._swap_out(i, tries) for i in crowded]):
                return

    def _swap_out(self, i: int, tries: int) -> bool:
        a = self.assign[i]
        if self.dcount[a][self.dept[i]] < 2:
            return False  # an earlier swap already thinned this department here
        tried = 0
        for j in range(len(self.people)):
            b = self.assign[j]
            if b == a or self.locked[j] == b or self.dcount[b][self.dept[i]] or self.dcount[a][self.dept[j]]:
                continue
            before = self._ranked(a, b)
            self.move(i, b)
            self.move(j, a)
            if self._ranked(a, b) < before:
                return True
            self.move(j, b)
            self.move(i, a)
            tried += 1
            if tried >= tries:
                break
        return False

    def _ranked(self, a: int, b: int) -> tuple[int, float, int]:
        """What ranks above sizes and preferences, over two circles: rules, moves out of kept circles,
        same-department pairs."""
        return self.hard(a) + self.hard(b), self.n_moved[a] + self.n_moved[b], self.dpairs[a] + self.dpairs[b]


def _pick(members: set[int], rng: random.Random) -> int:
    """A random member. Iterating a set of ints depends only on the values and the history of
    additions and removals, both fixed by the sorted input and the seed: deterministic."""
    return tuple(members)[rng.randrange(len(members))]


def department_bound(people: tuple[Participant, ...], k: int) -> int:
    """Fewest same-department pairs any partition into k circles can have: spread each evenly."""
    total = 0
    for count in Counter(p.department for p in people).values():
        q, r = divmod(count, k)
        total += r * (q + 1) * q // 2 + (k - r) * q * (q - 1) // 2
    return total


def count_for(people: tuple[Participant, ...], s: CircleSettings, kept_ids: set[str]) -> int:
    """How many circles. With kept circles and no configured count, only as many more as the
    sizes require: a late applicant joins a circle with room instead of reshaping kept ones."""
    if s.count:
        return max(s.count, len(kept_ids))
    if kept_ids:
        return max(len(kept_ids), math.ceil(len(people) / s.max_size))
    return circle_count(people, s)


def form_circles(people: tuple[Participant, ...], s: CircleSettings, kept: dict[str, str] | None = None,
                 declined: dict[str, set[str]] | None = None, seed: int = 0, exact_up_to: int = EXACT_UP_TO,
                 history: bool = False, fixed: frozenset[str] = frozenset()) -> CirclePlan:
    """Circles for a cohort; `kept` maps person -> circle id staff keep; `declined` person -> circle ids;
    `fixed`: the kept people staff locked.

    Kept circles are touched only when no arrangement that leaves them as they are keeps every
    hard rule; each move then names the rule. A locked person is never moved: a rule only such
    a move could keep stays broken, and is reported. Small cohorts go to the exact solver first.
    With `history` (the cohort has ended) kept circles are never touched: the rules they break
    are reported as what happened, not repaired.
    """
    kept, declined = kept or {}, declined or {}
    if not people:
        return CirclePlan((), ("No eligible, active participants to place.",), 0, 0)
    present = {p.id for p in people}
    kept = {p: c for p, c in kept.items() if p in present}
    k = count_for(people, s, set(kept.values()))
    problems = tuple(check_inputs(people, s, k))
    circle_slots = slots(k, s, sorted(set(kept.values())))
    by_id = {p.id: p for p in people}
    bound = department_bound(people, k)

    def local(stable: float, everyone: bool = True) -> _Search:
        """The search; without `everyone`, only the circles that break a rule are worked on."""
        search = _Search(people, s, circle_slots, kept, declined, stable, fixed)
        search.start()
        rng = random.Random(seed)
        if everyone:
            search.improve(rng)
            search.settle()
        search.repair(rng)
        search.polish()
        return search

    if len(kept) == len(people):
        as_kept = _Search(people, s, circle_slots, kept, declined, FROZEN)
        as_kept.start()
        broken = check_circles(_circles(as_kept), by_id, s, declined)
        if not broken:
            # Nobody moved is the objective's first goal, and only this arrangement reaches it:
            # no search (or solver) could return anything else.
            return _result(as_kept, problems, bound, by_id, declined, [], KEPT_METHOD, True)
        if history:  # a circle withdrawals left too small in July is what the cohort ended with
            return _result(as_kept, problems, bound, by_id, declined, [], HISTORY_METHOD)
        if len(people) > exact_up_to:
            # A withdrawal left a kept circle breaking a rule (no facilitator, too small). Left as
            # they are, the kept circles cannot all hold (`broken`), so some kept place must give;
            # repair only the circles that break a rule, each with its best move or swap. When that
            # leaves every rule kept, it is what the whole-cohort search would be asked to beat
            # (fewest rules broken first), without its cost (two searches over everyone).
            repaired = local(STABLE, everyone=False)
            if not check_circles(_circles(repaired), by_id, s, declined):
                return _result(repaired, problems, bound, by_id, declined, broken, REPAIR_METHOD)
    frozen = local(FROZEN)
    frozen_found = check_circles(_circles(frozen), by_id, s, declined)
    if len(people) <= exact_up_to:
        from generator.matching.exact import solve_circles

        exact = solve_circles(people, s, circle_slots, kept, declined, fixed)
        moves = sum(1 for i, p in enumerate(people) if p.id in kept and circle_slots[exact.assign[i]].id != kept[p.id]) \
            if exact is not None else 0
        if exact is not None and not (moves and not frozen_found):  # never trade stability for an unproven gain
            search = _Search(people, s, circle_slots, kept, declined, fixed=fixed)
            for i, c in enumerate(exact.assign):
                search.place(i, c, 1)
            return _result(search, problems, bound, by_id, declined, frozen_found, "exact (CP-SAT)", exact.optimal)
    if not kept or not frozen_found:
        return _result(frozen, problems, bound, by_id, declined, frozen_found)
    free = local(STABLE)
    if len(check_circles(_circles(free), by_id, s, declined)) < len(frozen_found):
        return _result(free, problems, bound, by_id, declined, frozen_found)
    return _result(frozen, problems, bound, by_id, declined, frozen_found)


def _circles(search: _Search) -> tuple[Circle, ...]:
    from generator.matching.explain import describe_circle

    return tuple(describe_circle(search, c) for c in range(len(search.slots)))


def _result(search: _Search, problems: tuple[str, ...], bound: int, by_id: dict[str, Participant],
            declined: dict[str, set[str]], frozen_found: list[Violation], method: str = "local search",
            optimal: bool = False) -> CirclePlan:
    circles = _circles(search)
    found = check_circles(circles, by_id, search.s, declined)
    moved = tuple(search.people[i].id for i in range(len(search.people))
                  if search.locked[i] >= 0 and search.assign[i] != search.locked[i])
    forced = "; ".join(sorted({v.why for v in frozen_found})) or "a hard rule"
    position = {p.id: i for i, p in enumerate(search.people)}
    moves = tuple(f"{by_id[pid].name} moved from {search.slots[search.locked[i]].id} to {search.slots[search.assign[i]].id}: "
                  f"with every kept circle left as it is, the rules cannot all hold ({forced})"
                  for i, pid in ((position[pid], pid) for pid in moved))
    return CirclePlan(circles, problems, sum(search.dpairs), bound, tuple(found), moved, moves, method,
                      optimal or _at_every_bound(search, bound, found, moved))


def _at_every_bound(search: _Search, bound: int, found: list[Violation], moved: tuple[str, ...]) -> bool:
    """Optimal without a solver's proof: every rule holds and each goal of the lexicographic objective
    (generator/matching/exact.py) is at a value no partition into these circles can go below: nobody
    moved, the department bound, no unmet preference, facilitators and sizes as even as their counts allow."""
    n, k = len(search.people), len(search.slots)
    leads = sum(search.fac)
    return (not found and not moved and sum(search.dpairs) == bound and sum(search.n_unmet) == 0
            and max(search.n_fac) - min(search.n_fac) <= (1 if leads % k else 0)
            and max(search.size) - min(search.size) <= (1 if n % k else 0))
