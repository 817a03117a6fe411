"""Circles in words: why a circle fits, and which soft goal had to give."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from generator.matching.people import Participant
from generator.words import listed

if TYPE_CHECKING:
    from generator.matching.circles import Circle, _Search


def _names(people: list[Participant]) -> str:
    return listed(p.name for p in people)


def describe_circle(search: "_Search", c: int) -> "Circle":
    from generator.matching.circles import IN_PERSON, Circle

    s, slot = search.s, search.slots[c]
    members = sorted(search.members[c], key=lambda i: search.people[i].id)
    people = [search.people[i] for i in members]
    facs = [search.people[i] for i in members if search.fac[i]]
    depts = Counter(p.department_label for p in people)
    size = len(people)
    pairs = size * (size - 1) // 2
    score = 1.0 if pairs == 0 else round(1 - search.dpairs[c] / pairs, 3)
    reasons = [f"{size} members from {len(depts)} departments" + ("; no two share a department" if search.dpairs[c] == 0 else "")]
    if facs:
        reasons.append(f"facilitated by {_names(facs)}")
    reasons.append(f"mixes {search.n_new[c]} new (at most {s.new_max_years:g} years) and {search.n_exp[c]} experienced "
                   f"(at least {s.experienced_min_years:g} years) members")
    campuses = sorted({p.campus or "remote" for p in people})
    reasons.append(f"meets in person on the {slot.campus} campus" if slot.mode == IN_PERSON
                   else f"meets virtually ({', '.join(campuses)})")
    bends = []  # hard rules are the checker's (generator/matching/check.py); these are soft goals
    shared = [f"{n} members share {d}" for d, n in sorted(depts.items()) if n > 1]
    if shared:
        bends.append("department spread: " + "; ".join(shared))
    unmet = [p for i, p in zip(members, people) if search._un(i, c)]
    if unmet:
        bends.append(f"circle preference not met for {_names(unmet)}")
    return Circle(slot.id, slot.mode, slot.campus, tuple(p.id for p in people), tuple(p.id for p in facs),
                  score, tuple(reasons), tuple(bends))
