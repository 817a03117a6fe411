"""Circles by an exact solver (OR-Tools CP-SAT), for cohorts small enough to prove the optimum.

The hard rules are constraints; the objective is lexicographic, by weights that no lower goal
can outweigh: fewest people moved out of kept circles, then fewest same-department member
pairs, then fewest unmet meeting preferences, then facilitators spread most evenly, then the
most even circle sizes. The solver
runs on one worker with a deterministic time limit, so the same input gives the same circles
on any machine. It returns None when the rules cannot all hold (the local search then finds
the arrangement that breaks the fewest, and the report names them) or when it finds nothing
in time.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.config.program import CircleSettings
from generator.matching.check import can_facilitate
from generator.matching.people import Participant, reporting_lines
from generator.records import PREFER_IN_PERSON, PREFER_VIRTUAL

if TYPE_CHECKING:
    from generator.matching.circles import Slot

WORK_LIMIT = 20.0  # CP-SAT's deterministic time units (about seconds on one core); same answer everywhere


@dataclass(frozen=True)
class Exact:
    assign: tuple[int, ...]  # circle index per person, in the people's order
    optimal: bool  # proven; otherwise the best the solver found within the limit


def _unmet(p: Participant, slot: "Slot") -> bool:
    in_person = slot.mode == "in person"
    return (p.circle_preference == PREFER_IN_PERSON and not in_person) or (p.circle_preference == PREFER_VIRTUAL and in_person)


def solve_circles(people: tuple[Participant, ...], s: CircleSettings, slots: list["Slot"], kept: dict[str, str],
                  declined: dict[str, set[str]], fixed: frozenset[str] = frozenset()) -> Exact | None:
    """The best circles that keep every hard rule and leave each `fixed` (locked) person in their
    kept circle; None when there are none (or none found in time)."""
    from ortools.sat.python import cp_model

    n, k = len(people), len(slots)
    index = {slot.id: c for c, slot in enumerate(slots)}
    pid = {p.id: i for i, p in enumerate(people)}
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{c}") for c in range(k)] for i in range(n)]
    for i, p in enumerate(people):
        model.add_exactly_one(x[i])
        if p.id in fixed and kept.get(p.id) in index:
            model.add(x[i][index[kept[p.id]]] == 1)
        for c, slot in enumerate(slots):
            mismatch = slot.mode == "in person" and (p.virtual_only or p.campus != slot.campus)
            if mismatch or slot.id in declined.get(p.id, ()):
                model.add(x[i][c] == 0)
    for c in range(k):
        column = [x[i][c] for i in range(n)]
        model.add_linear_constraint(sum(column), s.min_size, s.max_size)
        model.add_at_least_one([x[i][c] for i, p in enumerate(people) if can_facilitate(p, s)] or [model.new_constant(0)])
        model.add_at_least_one([x[i][c] for i, p in enumerate(people) if p.years <= s.new_max_years] or [model.new_constant(0)])
        model.add_at_least_one([x[i][c] for i, p in enumerate(people)
                                if p.years >= s.experienced_min_years] or [model.new_constant(0)])
    for pair in reporting_lines(people):
        a, b = (pid[q] for q in pair)
        for c in range(k):
            model.add_bool_or([x[a][c].Not(), x[b][c].Not()])
    _break_symmetry(model, x, slots, kept, declined)

    moved = [x[i][index[kept[p.id]]].Not() for i, p in enumerate(people) if p.id in kept]
    departments: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        departments[p.department].append(i)
    same = []
    for d, members in sorted(departments.items()):
        if len(members) < 2:
            continue
        top = min(len(members), s.max_size)
        for c in range(k):
            y = model.new_int_var(0, top, f"n_{d}_{c}")
            model.add(y == sum(x[i][c] for i in members))
            pairs = model.new_int_var(0, top * (top - 1) // 2, f"pairs_{d}_{c}")
            for t in range(top):  # y(y-1)/2 is convex: above each of its chords, equal at the integers
                model.add(pairs >= t * y - t * (t + 1) // 2)
            same.append(pairs)
    unmet = [x[i][c] for i, p in enumerate(people) for c, slot in enumerate(slots) if _unmet(p, slot)]
    biggest, smallest = model.new_int_var(0, n, "biggest"), model.new_int_var(0, n, "smallest")
    most, fewest = model.new_int_var(0, n, "most_facilitators"), model.new_int_var(0, n, "fewest_facilitators")
    facilitators = [i for i, p in enumerate(people) if can_facilitate(p, s)]
    for c in range(k):
        size = sum(x[i][c] for i in range(n))
        model.add(biggest >= size)
        model.add(smallest <= size)
        leads = sum(x[i][c] for i in facilitators)
        model.add(most >= leads)
        model.add(fewest <= leads)
    w_fac = n + 1  # facilitators spread evenly (a circle of 4 beside one of 1 was seen) before sizes
    w_unmet = (n + 1) * w_fac  # one unmet preference outweighs any facilitator or size spread
    w_same = (n + 1) * w_unmet
    w_moved = (n * n // 2 + 1) * w_same
    model.minimize(w_moved * sum(moved) + w_same * sum(same) + w_unmet * sum(unmet) + w_fac * (most - fewest)
                   + (biggest - smallest))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = WORK_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    assign = tuple(next(c for c in range(k) if solver.boolean_value(x[i][c])) for i in range(n))
    return Exact(assign, status == cp_model.OPTIMAL)


def _break_symmetry(model, x, slots: list["Slot"], kept: dict[str, str], declined: dict[str, set[str]]) -> None:
    """Circles nobody is kept in or declined from, of the same mode and campus, are interchangeable:
    number them by their first member (person j can only be in the first j+1 of them)."""
    special = set(kept.values()) | {c for cs in declined.values() for c in cs}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c, slot in enumerate(slots):
        if slot.id not in special:
            groups[(slot.mode, slot.campus)].append(c)
    for group in groups.values():
        for j in range(len(x)):
            for m in group[j + 1:]:
                model.add(x[j][m] == 0)
