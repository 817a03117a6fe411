"""Small named cohorts for matching tests, built straight from Participant records."""
from __future__ import annotations

from generator.config.program import CircleSettings, PairSettings
from generator.matching.people import Participant

CIRCLES = CircleSettings(min_size=3, max_size=5, facilitator_min_years=5, new_max_years=2, experienced_min_years=5)
PAIRS = PairSettings(mentor_gap_years=3, peer_gap_years=4, mentor_capacity=1, allow_trios=True)


def person(name: str, years: float = 3, dept: str = "Neurology", wants: str = "Mentee or member", campus: str = "Gainesville",
           virtual_only: bool = False, supervisor: str = "", expertise=(), interests=(), preference: str = "",
           trained: bool = True, confirmed: bool = True) -> Participant:
    pid = name.lower().replace(" ", ".") + "@example.edu"
    return Participant(id=pid, name=name, department=dept.lower(), department_label=dept, campus=campus,
                       virtual_only=virtual_only, years=years, role_family="Clinical Research Coordinator", wants=wants,
                       expertise=frozenset(expertise), interests=frozenset(interests), supervisor=supervisor,
                       circle_preference=preference, listed=False, mentor_trained=trained, supervisor_confirmed=confirmed)


def email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.edu"


DEPARTMENTS = ["Neurology", "Surgery", "Psychiatry", "Cardiology", "Oncology", "Pediatrics", "Radiology"]


def cohort(n_circles: int = 3, per_circle: int = 4) -> list[Participant]:
    """n_circles facilitators (10 years), and per circle one new (1 year) and more mid-level members."""
    people = []
    for c in range(n_circles):
        people.append(person(f"Fac {c}", years=10, wants="Mentor or facilitator", dept=DEPARTMENTS[c % 7]))
        people.append(person(f"New {c}", years=1, dept=DEPARTMENTS[(c + 1) % 7]))
        for m in range(per_circle - 2):
            people.append(person(f"Mid {c}{m}", years=3 + m % 3, dept=DEPARTMENTS[(c + m + 2) % 7]))
    return sorted(people, key=lambda p: p.id)
