"""The hard rules, checked on the final groups: one judge, independent of the searches.

It reads groups (circle members; pair members with their roles), the people and the
program's settings, and nothing the search computed. Whatever made the groups (a solver,
the local search, a trio step, a row staff kept by hand in the Matches tab), this is what
the staff report counts and names.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol, Sequence

from generator.config.program import CircleSettings, PairSettings
from generator.records import EITHER, MENTOR
from generator.words import counted
from generator.words import listed

MENTOR_ROLE, MENTEE_ROLE, PEER_ROLE = "mentor", "mentee", "peer"


@dataclass(frozen=True)
class Violation:
    """A hard rule one group breaks, naming who is affected and why."""

    round: str  # "circles" or the quarter's name
    group: str  # the circle or pair id; "" for someone in no group
    rule: str  # short name, the same words in every report
    people: tuple[str, ...]  # ids of the people concerned
    why: str

    @property
    def text(self) -> str:
        return f"rule broken ({self.rule}): {self.why}"


class _Person(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def years(self) -> float: ...
    @property
    def department(self) -> str: ...
    @property
    def campus(self) -> str: ...
    @property
    def virtual_only(self) -> bool: ...
    @property
    def supervisor(self) -> str: ...
    @property
    def wants(self) -> str: ...
    @property
    def mentor_trained(self) -> bool: ...


class _Circle(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def campus(self) -> str: ...
    @property
    def members(self) -> tuple[str, ...]: ...
    @property
    def facilitators(self) -> tuple[str, ...]: ...


class _Group(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def members(self) -> tuple[tuple[str, str], ...]: ...


def _names(people: Iterable[_Person]) -> str:
    return listed(p.name for p in people)


def _reporting(group: Sequence[_Person]) -> list[tuple[_Person, _Person]]:
    """(report, supervisor) pairs inside one group."""
    ids = {p.id: p for p in group}
    return [(p, ids[p.supervisor]) for p in group if p.supervisor in ids and p.supervisor != p.id]


def can_facilitate(p: _Person, s: CircleSettings) -> bool:
    return p.wants == MENTOR and p.years >= s.facilitator_min_years


# -- circles ------------------------------------------------------------------------------
def check_circles(circles: Sequence[_Circle], people: Mapping[str, _Person], s: CircleSettings,
                  declined: Mapping[str, Iterable[str]] | None = None) -> list[Violation]:
    """Every hard rule of the circles model, on the circles as they are."""
    declined = declined or {}
    found: list[Violation] = []

    def broken(circle: str, rule: str, who: Iterable[_Person], why: str) -> None:
        found.append(Violation("circles", circle, rule, tuple(p.id for p in who), why))

    placed = Counter(m for c in circles for m in c.members)
    for pid, times in sorted(placed.items()):
        if times > 1:
            broken("", "one circle each", [people[pid]], f"{people[pid].name} is in {times} circles")
    for pid in sorted(set(people) - set(placed)):
        broken("", "everyone placed", [people[pid]], f"{people[pid].name} is in no circle")
    for c in circles:
        group = [people[m] for m in c.members]
        if not group:
            broken(c.id, "circle size", [], f"{c.id} has no members (the minimum is {s.min_size})")
            continue
        if len(group) < s.min_size:
            broken(c.id, "circle size", group, f"{c.id} has {len(group)} members, fewer than the minimum of {s.min_size}")
        if len(group) > s.max_size:
            broken(c.id, "circle size", group, f"{c.id} has {len(group)} members, more than the maximum of {s.max_size}")
        unfit = [people[f] for f in c.facilitators if f not in c.members or not can_facilitate(people[f], s)]
        if unfit:
            broken(c.id, "facilitator", unfit, f"{_names(unfit)} facilitate {c.id} without volunteering to lead "
                   f"with at least {s.facilitator_min_years:g} years")
        if not any(can_facilitate(p, s) for p in group):
            broken(c.id, "facilitator", [], f"{c.id} has no member who volunteered to facilitate with at least "
                   f"{s.facilitator_min_years:g} years")
        if not any(p.years <= s.new_max_years for p in group):
            broken(c.id, "experience mix", [], f"{c.id} has no new member (at most {s.new_max_years:g} years)")
        if not any(p.years >= s.experienced_min_years for p in group):
            broken(c.id, "experience mix", [], f"{c.id} has no experienced member (at least {s.experienced_min_years:g} years)")
        for report, boss in _reporting(group):
            broken(c.id, "supervisor apart", [report, boss], f"{report.name} shares {c.id} with their supervisor {boss.name}")
        if c.mode == "in person":
            for p in group:
                if p.virtual_only or p.campus != c.campus:
                    why = "can only attend virtually" if p.virtual_only else f"is on the {p.campus or 'remote'} campus"
                    broken(c.id, "in-person campus", [p], f"{p.name} {why} but {c.id} meets in person on the {c.campus} campus")
        for p in group:
            if c.id in set(declined.get(p.id, ())):
                broken(c.id, "declined by staff", [p], f"staff declined {p.name} in {c.id}")
    return found


# -- rotating pairs -----------------------------------------------------------------------
def can_mentor(p: _Person, s: PairSettings) -> bool:
    """Volunteered to mentor (or either role) and, where the program requires it, trained."""
    return p.wants in (MENTOR, EITHER) and (p.mentor_trained or s.mentor_training_module is None)


def check_round(name: str, kind: str, groups: Sequence[_Group], people: Mapping[str, _Person], s: PairSettings,
                never: Mapping[frozenset[str], str]) -> list[Violation]:
    """Every hard rule of one round of pairs; `never` maps a pair of people to why they may not meet."""
    found: list[Violation] = []

    def broken(group: str, rule: str, who: Iterable[_Person], why: str) -> None:
        found.append(Violation(name, group, rule, tuple(p.id for p in who), why))

    roles: dict[str, list[tuple[str, str]]] = {}
    mentees_of: Counter[str] = Counter()
    for g in groups:
        for pid, role in g.members:
            roles.setdefault(pid, []).append((g.id, role))
        mentors = [pid for pid, role in g.members if role == MENTOR_ROLE]
        if len(mentors) == 1:
            mentees_of[mentors[0]] += sum(role == MENTEE_ROLE for _, role in g.members)
    for pid, placed in sorted(roles.items()):
        if len(placed) > 1 and not all(role == MENTOR_ROLE for _, role in placed):
            broken(placed[0][0], "one group a round", [people[pid]],
                   f"{people[pid].name} is in {len(placed)} groups: {', '.join(g for g, _ in placed)}")
    for pid, count in sorted(mentees_of.items()):
        if count > s.mentor_capacity:
            groups_of = ", ".join(g for g, role in roles[pid] if role == MENTOR_ROLE)
            broken(roles[pid][0][0], "mentor capacity", [people[pid]],
                   f"{people[pid].name} mentors {count} mentees ({groups_of}); the capacity is {s.mentor_capacity}")
    for g in groups:
        group = [people[pid] for pid, _ in g.members]
        role_of = dict(g.members)
        largest = 3 if s.allow_trios else 2
        if len(group) < 2:
            broken(g.id, "group size", group, f"{g.id} has {counted(len(group), 'member')}; a pair needs two")
        elif len(group) > largest:
            broken(g.id, "group size", group, f"{g.id} has {len(group)} members; at most {largest} "
                   + ("(a trio)" if s.allow_trios else "(the program does not allow trios)"))
        if kind == "mentor-mentee":
            _check_mentoring(g.id, group, role_of, s, broken)
        else:
            _check_peers(g.id, group, role_of, s, broken)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                why = never.get(frozenset((a.id, b.id)))
                if why:
                    broken(g.id, "never together", [a, b], f"{a.name} and {b.name} {why}")
    return found


def _check_mentoring(gid: str, group: list[_Person], role: dict[str, str], s: PairSettings, broken) -> None:
    mentors = [p for p in group if role[p.id] == MENTOR_ROLE]
    mentees = [p for p in group if role[p.id] != MENTOR_ROLE]
    wrong = [p for p in mentees if role[p.id] != MENTEE_ROLE]
    if wrong:
        broken(gid, "roles", wrong, f"{_names(wrong)} in {gid} should be a mentor or a mentee in a mentoring round")
    if len(mentors) != 1:
        broken(gid, "one mentor", mentors or group,
               f"{gid} has {f'{len(mentors)} mentors' if mentors else 'no mentor'}; a mentoring group has one")
    for m in mentors:
        if m.wants not in (MENTOR, EITHER):
            broken(gid, "mentor volunteered", [m], f"{m.name} mentors in {gid} without volunteering to mentor")
        elif not can_mentor(m, s):
            broken(gid, "mentor training", [m], f"{m.name} mentors in {gid} before completing mentor training "
                   f"({s.mentor_training_module})")
        for e in mentees:
            if m.years - e.years < s.mentor_gap_years:
                broken(gid, "mentor experience", [m, e], f"{m.name} has {m.years - e.years:g} more years than "
                       f"{e.name}; a mentor needs at least {s.mentor_gap_years:g} more")


def _check_peers(gid: str, group: list[_Person], role: dict[str, str], s: PairSettings, broken) -> None:
    wrong = [p for p in group if role[p.id] != PEER_ROLE]
    if wrong:
        broken(gid, "roles", wrong, f"{_names(wrong)} in {gid} should be a peer in a peer round")
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            if abs(a.years - b.years) > s.peer_gap_years:
                broken(gid, "same level", [a, b], f"{a.name} and {b.name} are {abs(a.years - b.years):g} years apart; "
                       f"peers differ by at most {s.peer_gap_years:g}")
            if a.department == b.department:
                broken(gid, "another department", [a, b], f"{a.name} and {b.name} work in the same department")


def never_together(people: Mapping[str, _Person], declined: Iterable[frozenset[str]]) -> dict[frozenset[str], str]:
    """Pairs who may never meet before any round: reporting lines and pairs staff declined."""
    never: dict[frozenset[str], str] = {}
    for pair in declined:
        never[pair] = "were declined together by staff"
    for _, report, boss in sorted((p.id, p, people[p.supervisor]) for p in people.values()
                                  if p.supervisor in people and p.supervisor != p.id):
        never[frozenset((report.id, boss.id))] = f"are report and supervisor ({boss.name} supervises {report.name})"
    return never


def check_year(rounds: Sequence[tuple[str, str, Sequence[_Group]]], people: Mapping[str, _Person], s: PairSettings,
               declined: Iterable[frozenset[str]] = ()) -> list[Violation]:
    """Every round in order: (name, kind, groups); earlier rounds' partners become 'never' for later ones."""
    never = never_together(people, declined)
    found: list[Violation] = []
    for name, kind, groups in rounds:
        found += check_round(name, kind, groups, people, s, never)
        for g in groups:
            ids = [pid for pid, _ in g.members]
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    never.setdefault(frozenset((a, b)), f"were partners in {name}")
    return found
