"""Matching at 49, 500 and 5,000 people: time, hard-rule violations, quality against the best possible.

    python bench/bench_matching.py            # all sizes
    python bench/bench_matching.py 49 500     # some

Circles: the objective is the number of same-department member pairs; the bound is the fewest
any partition into the same number of circles could have (each department spread evenly), so
a result equal to the bound is proven optimal. Mentor/mentee: linear_sum_assignment is exact
for its scores; the bound is every mentee's best mentor. Peers: the optimum is rustworkx's
exact maximum-weight matching on the full graph of allowed pairs (up to 500 people); beyond
that, the bound is half the sum of each person's best allowed peer over the full graph.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import rustworkx as rx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cohorts import cohort, program  # noqa: E402
from generator.matching.circles import form_circles  # noqa: E402
from generator.matching.pairs import Features, Rules, mentor_round, mentor_score, peer_round, peer_row, peer_score  # noqa: E402
from generator.matching.people import reporting_lines  # noqa: E402

SIZES = [49, 500, 5000]


def circles(n: int) -> None:
    loaded = program("circles")
    people = cohort(loaded, n)
    s = loaded.program.circles.model_copy(update={"count": None if n != 49 else 7,
                                                  "in_person": {"Gainesville": max(1, n // 25), "Jacksonville": max(1, n // 50)}})
    start = time.perf_counter()
    plan = form_circles(people, s)
    took = time.perf_counter() - start
    pairs = sum(len(c.members) * (len(c.members) - 1) // 2 for c in plan.circles)
    excess = plan.same_department_pairs - plan.department_bound
    verdict = "optimal (equals the bound)" if excess == 0 else f"{excess} above the bound ({100 * excess / pairs:.2f}% of {pairs} member pairs)"
    print(f"circles   n={len(people):>5}  circles={len(plan.circles):>4}  time={took:6.2f}s  hard violations={plan.hard_violations}"
          f"  same-dept pairs={plan.same_department_pairs} bound={plan.department_bound}: {verdict}"
          + (f"  [infeasible: {'; '.join(plan.problems)}]" if plan.problems else ""))


def exact_peer_optimum(people, rules) -> float:
    """rustworkx's exact maximum-weight matching on the full graph of allowed peer pairs."""
    f = Features.of(people, rules)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(people)))
    for i in range(len(people)):
        row = peer_row(f, i, rules.settings)
        for j in np.flatnonzero(np.isfinite(row)):
            if j > i:
                graph.add_edge(i, int(j), int(round(row[j] * 100)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    return sum(graph.get_edge_data(i, j) for i, j in matching) / 100


def best_peer_bound(people, rules) -> float:
    """Half the sum of everyone's best allowed peer over all pairs: no matching can score more."""
    f = Features.of(people, rules)
    best = [peer_row(f, i, rules.settings).max() for i in range(len(people))]
    return float(sum(b for b in best if np.isfinite(b)) / 2)


def violations(result, people, rules) -> int:
    """Pairs that break a hard rule, checked with the scalar rule definitions."""
    by_id = {p.id: p for p in people}
    count = 0
    for pair in result.pairs:
        if pair.kind == "peer":
            a, b = (by_id[m] for m, _ in pair.members[:2])
            count += peer_score(a, b, rules) is None
        else:
            mentor = next(by_id[m] for m, role in pair.members if role == "mentor")
            count += sum(mentor_score(mentor, by_id[m], rules) is None for m, role in pair.members if role == "mentee")
    return count


def pairs(n: int) -> None:
    loaded = program("rotating-pairs")
    people = list(cohort(loaded, n))
    rules = Rules(loaded.program.pairs, frozenset(reporting_lines(people)), frozenset())
    start = time.perf_counter()
    mentoring = mentor_round("Q1", people, rules)
    took = time.perf_counter() - start
    print(f"mentoring n={n:>5}  pairs={len(mentoring.pairs):>4}  time={took:6.2f}s  "
          f"hard violations={violations(mentoring, people, rules)}  score={mentoring.weight:.0f}: optimal for its scores "
          f"(exact assignment); every mentee's best mentor would give {mentoring.bound:.0f} "
          f"({100 * mentoring.weight / max(mentoring.bound, 1):.1f}%) if capacity allowed; unmatched={len(mentoring.unmatched)}")
    start = time.perf_counter()
    peers = peer_round("Q2", people, rules)
    took = time.perf_counter() - start
    if n <= 500:
        optimum = exact_peer_optimum(people, rules)
        quality = f"optimum {optimum:.0f} ({100 * peers.weight / optimum:.2f}% of it)"
    else:
        bound = best_peer_bound(people, rules)
        quality = f"bound {bound:.0f} ({100 * peers.weight / bound:.2f}% of it)"
    print(f"peers     n={n:>5}  pairs={len(peers.pairs):>4}  time={took:6.2f}s  hard violations={violations(peers, people, rules)}  "
          f"score={peers.weight:.0f}, {quality}; unmatched={len(peers.unmatched)}")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or SIZES:
        circles(size)
        pairs(size)
