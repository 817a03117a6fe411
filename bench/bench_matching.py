"""Matching at 49, 500, 5,000 and 20,000 people, on the build's own code path.

    python bench/bench_matching.py                     # both models, every size
    python bench/bench_matching.py 49 500              # some sizes
    python bench/bench_matching.py --model pairs 5000  # one model

Each (model, size) runs in its own process, so its peak memory is its own (ru_maxrss).

Circles: form_circles as the build calls it (the exact CP-SAT solver first up to its size
limit, the local search otherwise), then again with every circle kept and 1% late
applicants, as after an announcement. The objective is the number of same-department
member pairs; the bound is the fewest any partition into the same number of circles could
have, so a result equal to the bound, or one the solver proved, is optimal.

Rotating pairs: the whole year through pairs_matching (mentor/mentee and peer rounds, trios,
history, the checker), everyone continuing; then the year again with Q1 kept as announced.
Per round: pairs, time, score against its bound (each mentee's best mentor; half the sum of
each person's best peer), and whether the solver proved it optimal.

Hard violations are counted by generator/matching/check.py on the final groups.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cohorts import cohort, program  # noqa: E402

SIZES = [49, 500, 5000, 20000]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def circles(n: int) -> None:
    from generator.matching.circles import form_circles

    loaded = program("circles")
    people = cohort(loaded, n)
    assert loaded.program.circles is not None, "the circles example has circle settings"
    s = loaded.program.circles.model_copy(update={"count": None if n != 49 else 7,
                                                  "in_person": {"Gainesville": max(1, n // 25), "Jacksonville": max(1, n // 50)}})
    start = time.perf_counter()
    plan = form_circles(people, s)
    took = time.perf_counter() - start
    print(f"circles   n={len(people):>6}  circles={len(plan.circles):>5}  time={took:7.2f}s  method={plan.method}"
          f"  hard violations={plan.hard_violations}  {_circle_quality(plan)}", flush=True)
    # After the announcement: every circle kept, 1% late applicants.
    kept = {m: c.id for c in plan.circles for m in c.members}
    late = tuple(dataclasses.replace(p, id=f"late.{p.id}", name=f"{p.name} (late)", supervisor="")
                 for p in people[:: 100][: max(1, n // 100)])
    everyone = tuple(sorted(people + late, key=lambda p: p.id))
    start = time.perf_counter()
    again = form_circles(everyone, s, kept=kept)
    took = time.perf_counter() - start
    print(f"  + {len(late)} late  time={took:7.2f}s  circles={len(again.circles)}  moved out of kept circles="
          f"{len(again.moved_from_kept)}  hard violations={again.hard_violations}  {_circle_quality(again)}"
          f"  peak memory={peak_mb():.0f} MB", flush=True)


def _circle_quality(plan) -> str:
    pairs = sum(len(c.members) * (len(c.members) - 1) // 2 for c in plan.circles)
    excess = plan.same_department_pairs - plan.department_bound
    if plan.optimal:
        verdict = "proven optimal (CP-SAT)" if plan.method.startswith("exact") else "proven optimal (every goal at its bound)"
    elif excess == 0:
        verdict = "department spread at its bound (the whole objective not proven)"
    else:
        verdict = f"{excess} above the bound ({100 * excess / max(pairs, 1):.2f}% of {pairs} member pairs)"
    sizes = [len(c.members) for c in plan.circles]
    leads = [len(c.facilitators) for c in plan.circles]
    return (f"sizes {min(sizes)}-{max(sizes)}  facilitators {min(leads)}-{max(leads)}  same-dept pairs={plan.same_department_pairs} bound={plan.department_bound}:"
            f" {verdict}")


def pairs(n: int) -> None:
    from generator.matching.decisions import Placement, RoundDecisions
    from generator.matching.stage import pairs_matching

    loaded = program("rotating-pairs")
    people = cohort(loaded, n)
    continuing = {q.name: {p.id: True for p in people} for q in loaded.program.dates.quarters}
    today = loaded.program.dates.cohort_end
    start = time.perf_counter()
    m = pairs_matching(loaded.program, people, {}, continuing, {}, today)
    took = time.perf_counter() - start
    rounds = [(plan, plan.result) for plan in m.rounds if plan.result is not None]
    print(f"pairs     n={n:>6}  year={took:7.2f}s ({took / len(rounds):.2f}s a round)  "
          f"hard violations={len(m.violations)}", flush=True)
    for plan, r in rounds:
        quality = "proven optimal (exact over every allowed pair)" if r.optimal else \
            f"{100 * r.weight / r.bound:.2f}% of the bound {r.bound:.0f}" if r.bound else "no bound"
        print(f"  {plan.quarter.name} {plan.quarter.kind:<13} groups={len(r.pairs):>5} "
              f"trios={sum(len(p.members) == 3 for p in r.pairs):>3} unmatched={len(r.unmatched):>4}  "
              f"score={r.weight:.0f}: {quality}", flush=True)
    q1 = rounds[0][1]
    kept = {p.id: tuple(Placement(pid, role, "announced") for pid, role in p.members) for p in q1.pairs}
    start = time.perf_counter()
    again = pairs_matching(loaded.program, people, {}, continuing, {"Q1": RoundDecisions(kept=kept)}, today)
    took = time.perf_counter() - start
    def groups(plan):
        return {tuple(sorted(p.members)) for p in plan.result.pairs} if plan.result else set()
    same = sum(groups(a) == groups(b) for a, b in zip(m.rounds, again.rounds))
    print(f"  with Q1 kept as announced: year={took:7.2f}s  rounds unchanged={same}/{len(rounds)}  "
          f"hard violations={len(again.violations)}  peak memory={peak_mb():.0f} MB", flush=True)
    if not q1.optimal and n <= 5000:
        # Last (its memory is not the build's): the same first round over every allowed pair, the exact
        # optimum the sparse graph is measured against.
        from generator.matching.pairs import Rules, mentor_round
        from generator.matching.people import reporting_lines
        exact = mentor_round("Q1", list(people), Rules(loaded.program.pairs, frozenset(reporting_lines(people)), frozenset()),
                             exact_up_to=10**9)
        print(f"  Q1 over every allowed pair (exact): score={exact.weight:.0f}, groups={len(exact.pairs)}; the sparse graph "
              f"reaches {100 * q1.weight / exact.weight:.2f}% of the optimum", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--model", choices=["circles", "pairs"])
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        (circles if args.model == "circles" else pairs)(args.sizes[0])
        return
    print(f"{sys.platform}, Python {sys.version.split()[0]}; {dt.datetime.now():%Y-%m-%d %H:%M}", flush=True)
    for size in args.sizes or SIZES:
        for model in [args.model] if args.model else ["circles", "pairs"]:
            subprocess.run([sys.executable, __file__, "--one", "--model", model, str(size)], check=True)


if __name__ == "__main__":
    main()
