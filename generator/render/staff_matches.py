"""The staff match report's view: circles and rounds as rows of plain text."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from generator.dates import long_date
from generator.matching.circles import HISTORY_METHOD, KEPT_METHOD
from generator.matching.decisions import STAY
from generator.matching.rounds import RoundPlan
from generator.matching.stage import PUBLISHED, ROW_FIELDS, Matching
from generator.words import counted


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
            circles.append({"id": c.id, "where": where, "reasons": c.reasons if c.members else (),
                            "rules": [v.why for v in m.broken("circles", c.id)], "bends": c.bends, "members": roster})
    rounds: list[dict[str, Any]] = []
    for plan in m.rounds:
        r = plan.result
        broken = m.broken(plan.quarter.name)
        view: dict[str, Any] = {"name": plan.quarter.name, "kind": "mentor and mentee" if plan.quarter.kind == "mentor-mentee" else "same-level peers",
                "note": plan.note, "planned": r is not None, "sitting_out": len(plan.sitting_out), "pairs": [], "unmatched": [], "trios": 0, "never": "",
                "hard": len(broken), "method": _method(r.optimal, r.weight, r.bound, r.proposals) if r is not None and r.pairs else ""}
        if r is not None:
            for pair in r.pairs:
                group = [people[pid] for pid, _ in pair.members]
                view["pairs"].append({
                    "id": pair.id, "members": "; ".join(f"{people[pid].name} ({role})" for pid, role in pair.members),
                    "status": plan.statuses.get(pair.id, "proposed"),
                    "support": "confirmed" if all(p.supervisor_confirmed for p in group)
                    else "pending: " + ", ".join(p.name for p in group if not p.supervisor_confirmed),
                    "score": f"{pair.score:.1f}", "reasons": "; ".join(pair.reasons),
                    "rules": "; ".join(v.why for v in broken if v.group == pair.id), "bends": "; ".join(pair.bends)})
            view["trios"] = sum(len(p.members) == 3 for p in r.pairs)
            view["never"] = _never_announced(plan)
            view["unmatched"] = [{"name": people[pid].name, "why": why} for pid, why in r.unmatched]
        rounds.append(view)
    quality = {}
    if m.circles is not None:
        cp = m.circles
        quality = {"same": cp.same_department_pairs, "bound": cp.department_bound, "hard": len(m.broken("circles")),
                   "unplaced": [v.why for v in m.broken("circles") if not v.group],
                   "method": ("proven optimal (exact solver, CP-SAT)" if cp.method.startswith("exact") else
                              "as staff kept them: everyone is in a kept circle and every rule holds, so moving "
                              "anyone could only lose stability, the first goal" if cp.method == KEPT_METHOD else
                              "proven optimal: every goal is at its lower bound") if cp.optimal else
                   ("the cohort has ended: its circles are the record, as staff kept them, and are not planned "
                    "again; a rule broken here is what withdrawals left" if cp.method == HISTORY_METHOD else
                    "department spread optimal: it equals the bound" if cp.same_department_pairs == cp.department_bound
                    else f"{cp.method}; not proven optimal")}
    return {"circles": circles, "rounds": rounds, "warnings": m.warnings, "quality": quality, "provisional": m.provisional}


def _never_announced(plan: RoundPlan) -> str:
    """A round over with groups staff never announced (waiting for a supervisor, forgotten): their
    members' pages say so, and a coordinator may have told them after all."""
    assert plan.result is not None
    never = [pair.id for pair in plan.result.pairs if plan.statuses.get(pair.id, "proposed") not in PUBLISHED]
    if not plan.ended or not never:
        return ""
    q = plan.quarter
    return (f"{q.name} ended on {long_date(q.end)} with {counted(len(never), 'group')} never announced "
            f"({', '.join(never)}): their members' pages say the round ended before their group was confirmed, "
            "and meetings they logged in it still count toward completion. If a group was told after all, "
            "set its rows to announced in the Matches tab.")


def _method(optimal: bool, weight: float, bound: float, proposals: int = 0) -> str:
    kept = f"; published proposals count {STAY:g} points a pair, so some may stay where a new pair would score a little more" \
        if proposals else ""
    if optimal:
        return "proven optimal for the scores (exact, over every allowed pair)" + kept
    return (f"score {weight:.0f}, at least {100 * weight / bound:.1f}% of the best possible ({bound:.0f} bounds it)" + kept) \
        if bound else ""


def matches_csv_rows(m: Matching) -> tuple[list[str], list[tuple]]:
    return list(ROW_FIELDS), [tuple(getattr(r, f.name) for f in fields(r)) for r in m.rows]  # not astuple: no deep copies
