"""The staff match report's view: circles and rounds as rows of plain text."""
from __future__ import annotations

from dataclasses import astuple
from typing import Any

from generator.matching.pairs import TRIO
from generator.matching.stage import ROW_FIELDS, Matching


def matches_view(m: Matching) -> dict[str, Any]:
    people = m.people
    status = {(r.round, r.person_id): r.status for r in m.rows}
    circles: list[dict[str, Any]] = []
    if m.circles is not None:
        for c in m.circles.circles:
            roster = [{"name": people[p].name, "role": "facilitator" if p in c.facilitators else "member",
                        "department": people[p].department_label, "years": f"{people[p].years:g}",
                        "campus": people[p].campus or "remote", "status": status[("circles", p)]} for p in c.members]
            where = f"in person, {c.campus}" if c.mode == "in person" else "virtual"
            circles.append({"id": c.id, "where": where, "reasons": c.reasons, "bends": c.bends, "members": roster})
    rounds: list[dict[str, Any]] = []
    for plan in m.rounds:
        r = plan.result
        view: dict[str, Any] = {"name": plan.quarter.name, "kind": "mentor and mentee" if plan.quarter.kind == "mentor-mentee" else "same-level peers",
                "note": plan.note, "planned": r is not None, "sitting_out": len(plan.sitting_out), "pairs": [], "unmatched": [], "trios": 0}
        if r is not None:
            for pair in r.pairs:
                group = [people[pid] for pid, _ in pair.members]
                view["pairs"].append({
                    "id": pair.id, "members": "; ".join(f"{people[pid].name} ({role})" for pid, role in pair.members),
                    "status": plan.statuses.get(pair.id, "proposed"),
                    "support": "confirmed" if all(p.supervisor_confirmed for p in group)
                    else "pending: " + ", ".join(p.name for p in group if not p.supervisor_confirmed),
                    "score": f"{pair.score:.1f}", "reasons": "; ".join(pair.reasons), "bends": "; ".join(pair.bends)})
            view["trios"] = sum(TRIO in p.bends for p in r.pairs)
            view["unmatched"] = [{"name": people[pid].name, "why": why} for pid, why in r.unmatched]
        rounds.append(view)
    quality = {}
    if m.circles is not None:
        quality = {"same": m.circles.same_department_pairs, "bound": m.circles.department_bound, "hard": m.circles.hard_violations}
    return {"circles": circles, "rounds": rounds, "warnings": m.warnings, "quality": quality}


def matches_csv_rows(m: Matching) -> tuple[list[str], list[tuple]]:
    return list(ROW_FIELDS), [astuple(r) for r in m.rows]
