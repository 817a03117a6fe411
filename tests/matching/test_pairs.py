"""Rotating pairs: four rounds, never the same partner twice, opt-outs, trios and priority."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import subprocess
import sys
from collections import Counter

import numpy as np

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.matching import pairs as pairs_module
from generator.matching.decisions import Placement, RoundDecisions
from generator.matching.pairs import Rules, add_trios, mentor_round, peer_round, split_roles
from generator.matching.rounds import plan_year
from generator.matching.stage import match
from tests.conftest import REPO
from tests.matching.cohorts import PAIRS, email, person

NONE = Rules(PAIRS, frozenset(), frozenset())
MENTOR = "Mentor or facilitator"


def partners(result) -> set[frozenset[str]]:
    out = set()
    for pair in result.pairs:
        ids = [m for m, _ in pair.members]
        out.update(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1:])
    return out


def matched_once(result, capacity: int = 1) -> bool:
    """Mentees and peers are in one group a round; a mentor in at most `capacity` pairs."""
    seen = Counter(m for pair in result.pairs for m, role in pair.members if role != "mentor")
    mentors = Counter(m for pair in result.pairs for m, role in pair.members if role == "mentor")
    return all(v == 1 for v in seen.values()) and all(v <= capacity for v in mentors.values()) and not (set(seen) & set(mentors))


def test_mentor_is_clearly_more_experienced_and_meets_the_mentees_goals():
    people = [person("Maya Mentor", years=12, wants=MENTOR, dept="Surgery", expertise=["Regulatory and IRB", "Budgets and billing"]),
              person("Omar Mentor", years=9, wants=MENTOR, dept="Oncology", expertise=["Data management"]),
              person("Nia New", years=1, interests=["Regulatory and IRB"]),
              person("Ken New", years=2, interests=["Data management"])]
    result = mentor_round("Q1", people, NONE)
    pairs = {frozenset(m for m, _ in p.members) for p in result.pairs}
    assert pairs == {frozenset((email("Maya Mentor"), email("Nia New"))), frozenset((email("Omar Mentor"), email("Ken New")))}
    maya = next(p for p in result.pairs if email("Maya Mentor") in dict(p.members))
    assert "Maya Mentor has 11 more years of research experience than Nia New" in maya.reasons
    assert "Nia New's goals meet Maya Mentor's expertise: Regulatory and IRB" in maya.reasons


def test_no_mentor_with_enough_experience_leaves_the_mentee_unmatched_with_the_reason():
    people = [person("Maya Mentor", years=5, wants=MENTOR), person("Nia New", years=4)]
    result = mentor_round("Q1", people, Rules(PAIRS.model_copy(update={"allow_trios": False}), frozenset(), frozenset()))
    assert result.pairs == ()
    assert dict(result.unmatched)[email("Nia New")].startswith("no mentor with at least 3 more years of experience")


def test_mentors_must_be_trained_when_the_program_requires_it():
    s = PAIRS.model_copy(update={"mentor_training_module": "mentor-training"})
    people = [person("Maya Mentor", years=12, wants=MENTOR, trained=False), person("Nia New", years=1)]
    mentors, mentees = split_roles(people, s)
    assert mentors == [] and {p.name for p in mentees} == {"Maya Mentor", "Nia New"}


def test_capacity_spreads_mentees_before_anyone_takes_a_second():
    s = PAIRS.model_copy(update={"mentor_capacity": 2})
    people = [person(f"Mentor {i}", years=15, wants=MENTOR, dept=f"D{i}", expertise=["Leadership and supervision"]) for i in range(3)]
    people += [person(f"Mentee {i}", years=1, dept="X", interests=["Leadership and supervision"]) for i in range(4)]
    result = mentor_round("Q1", people, Rules(s, frozenset(), frozenset()))
    load = sorted(Counter(m for p in result.pairs for m, role in p.members if role == "mentor").values())
    assert load == [1, 1, 2] and result.unmatched == ()
    assert all(len(p.members) == 2 for p in result.pairs)  # each mentee meets the mentor on their own


def test_peers_are_same_level_from_another_department():
    people = [person("A", years=3, dept="Surgery"), person("B", years=4, dept="Surgery"),
              person("C", years=3, dept="Oncology"), person("D", years=20, dept="Oncology")]
    result = peer_round("Q2", people, NONE)
    assert partners(result) == {frozenset((email("A"), email("C")))}
    assert {pid for pid, _ in result.unmatched} == {email("B"), email("D")}


def test_supervisor_and_report_are_never_paired():
    boss = person("Bo Boss", years=12, wants=MENTOR, dept="Surgery")
    report = person("Rae Report", years=1, dept="Surgery", supervisor=boss.id)
    other = person("Ola Other", years=10, wants=MENTOR, dept="Oncology")
    never = frozenset({frozenset((boss.id, report.id))})
    result = mentor_round("Q1", [boss, report, other], Rules(PAIRS, never, frozenset()))
    assert frozenset((boss.id, report.id)) not in partners(result)
    assert frozenset((other.id, report.id)) in partners(result)


def test_an_odd_one_joins_a_trio_or_waits_with_a_reason():
    people = [person("A", years=3, dept="Surgery"), person("B", years=3, dept="Oncology"), person("C", years=4, dept="Psychiatry")]
    result = add_trios(peer_round("Q2", people, NONE), {p.id: p for p in people}, NONE)
    assert len(result.pairs) == 1 and len(result.pairs[0].members) == 3 and result.unmatched == ()
    no_trios = Rules(PAIRS.model_copy(update={"allow_trios": False}), frozenset(), frozenset())
    waiting = add_trios(peer_round("Q2", people, no_trios), {p.id: p for p in people}, no_trios)
    assert len(waiting.unmatched) == 1
    assert waiting.unmatched[0][1] == "an odd number of fitting peers this round; first in line next round"


def test_whoever_sat_out_is_matched_first_next_round():
    people = [person("A", years=3, dept="Surgery"), person("B", years=3, dept="Oncology"), person("C", years=3, dept="Psychiatry")]
    no_trios = PAIRS.model_copy(update={"allow_trios": False})
    first = peer_round("Q2", people, Rules(no_trios, frozenset(), frozenset()))
    (out, _), = first.unmatched
    second = peer_round("Q4", people, Rules(no_trios, frozenset(), frozenset({out})))
    assert out not in {pid for pid, _ in second.unmatched}


def year(people, continuing, decisions=None, today=dt.date(2026, 1, 1), program=None):
    return plan_year(program, tuple(sorted(people, key=lambda p: p.id)), {}, continuing, decisions or {}, today)


def test_the_pairs_example_year(built, pairs):
    g = built["pairs"].gathered
    m = match(pairs.program, g.responses, g.screenings, dt.date(2026, 1, 1))
    seen: set[frozenset[str]] = set()
    for plan in m.rounds:
        r = plan.result
        assert r is not None and matched_once(r, pairs.program.pairs.mentor_capacity)
        assert not (partners(r) & seen), f"repeat partners in {plan.quarter.name}"
        seen |= partners(r)
        for pair in r.pairs:
            ids = [pid for pid, _ in pair.members]
            if plan.quarter.kind == "mentor-mentee":
                mentor = next(m.people[pid] for pid, role in pair.members if role == "mentor")
                assert mentor.mentor_trained
                assert all(mentor.years - m.people[pid].years >= 3 for pid, role in pair.members if role == "mentee")
            else:
                depts = [m.people[pid].department for pid in ids]
                assert len(set(depts)) == len(depts)
    answers = {(c["quarter"], c["email"]): c["wants_to_continue"] for c in g.responses.of("checkin")}
    for prev, plan in zip(m.rounds, m.rounds[1:]):
        for pair in plan.result.pairs:
            for pid, _ in pair.members:
                assert answers.get((prev.quarter.name, pid)) is True
        opted_out = [pid for (q, pid), yes in answers.items() if q == prev.quarter.name and not yes]
        sitting = dict(plan.sitting_out)
        assert all("do not want to continue" in sitting[pid] for pid in opted_out if pid in m.people)


def test_later_rounds_wait_for_the_check_in(built, pairs):
    g = built["pairs"].gathered
    m = match(pairs.program, g.responses, g.screenings, dt.date(2025, 2, 1))
    planned = [p.quarter.name for p in m.rounds if p.result is not None]
    assert planned == ["Q1"]
    assert m.rounds[1].note.startswith("matched after March 14, 2025, once the Q1 check-in answers are in")


@pytest.mark.parametrize("status", ["approved", "pinned", "announced", "locked"])
def test_kept_pairs_stay_and_a_declined_pair_never_returns(pairs, status):
    people = [person(f"M{i}", years=12, wants=MENTOR, dept=f"D{i}") for i in range(3)] + \
             [person(f"N{i}", years=1, dept="X") for i in range(3)]
    cont = {q: {p.id: True for p in people} for q in ("Q1", "Q2", "Q3")}
    first = year(people, cont, program=pairs.program)
    q1 = first[0].result
    keep, drop = q1.pairs[0], q1.pairs[1]
    decisions = {"Q1": RoundDecisions(
        kept={keep.id: tuple(Placement(pid, role, status) for pid, role in keep.members)},
        declined={drop.id: tuple(pid for pid, _ in drop.members)})}
    again = year(people, cont, decisions, program=pairs.program)
    r1 = again[0].result
    assert keep.members in [p.members for p in r1.pairs] and again[0].statuses[keep.id] == status
    dropped = frozenset(pid for pid, _ in drop.members)
    for plan in again:
        assert dropped not in partners(plan.result)


def test_a_kept_pair_whose_member_left_frees_the_partner_only(pairs):
    people = [person(f"M{i}", years=12, wants=MENTOR, dept=f"D{i}") for i in range(3)] + \
             [person(f"N{i}", years=1, dept="X") for i in range(3)]
    first = year(people, {}, program=pairs.program)[0].result
    decisions = {"Q1": RoundDecisions(kept={p.id: tuple(Placement(pid, role, "locked") for pid, role in p.members)
                                            for p in first.pairs})}
    leaver = first.pairs[0].members[1][0]
    after = year([p for p in people if p.id != leaver], {}, decisions, today=dt.date(2025, 1, 2), program=pairs.program)[0]
    assert {p.members for p in after.result.pairs[:2]} == {p.members for p in first.pairs[1:]}
    assert f"Q1-001: {leaver} not taking part in Q1; the partner is matched again" in after.note
    # Both gone (neither opted in to the round): nobody is left to match again, and none is said to be.
    both = first.pairs[1].members[0][0], first.pairs[1].members[1][0]
    alone = year([p for p in people if p.id not in both], {}, decisions, today=dt.date(2025, 1, 2), program=pairs.program)[0]
    assert f"Q1-002: {', '.join(sorted(both))} not taking part in Q1" in alone.note
    assert f"Q1-002: {', '.join(sorted(both))} not taking part in Q1; the partner" not in alone.note


def test_announcing_before_supervisor_support_is_flagged(built, pairs):
    g = built["pairs"].gathered
    m = match(pairs.program, g.responses, g.screenings, dt.date(2026, 1, 1))
    announced = [r for r in m.rows if r.status == "announced"]
    assert announced and all(r.supervisor_support == "confirmed" for r in announced)
    approved = [r for r in m.rows if r.status == "approved"]
    assert all(r.supervisor_support.startswith("pending") for r in approved)


def test_same_data_any_row_order_same_pairs(built, pairs):
    g = built["pairs"].gathered
    shuffled = dataclasses.replace(g.responses, by_form={
        form: tuple(random.Random(11).sample(rows, len(rows))) for form, rows in g.responses.by_form.items()})
    today = dt.date(2026, 1, 1)
    assert match(pairs.program, g.responses, g.screenings, today).rows == \
        match(pairs.program, shuffled, tuple(reversed(g.screenings)), today).rows


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 30), st.integers(0, 10_000))
def test_nobody_is_matched_twice_and_rules_hold(n, seed):
    rng = random.Random(seed)
    people = [person(f"P{i}", years=rng.randint(0, 20), dept=rng.choice("ABCD"), wants=rng.choice([MENTOR, "Mentee or member", "Either"]),
                     interests=rng.sample(["x", "y", "z"], 2), expertise=rng.sample(["x", "y", "z"], 1)) for i in range(n)]
    for solve in (mentor_round, peer_round):
        result = add_trios(solve("Q", people, NONE), {p.id: p for p in people}, NONE)
        assert matched_once(result)
        placed = {m for p in result.pairs for m, _ in p.members}
        assert placed.isdisjoint(pid for pid, _ in result.unmatched)
        assert placed | {pid for pid, _ in result.unmatched} >= {p.id for p in people} - placed
        by_id = {p.id: p for p in people}
        for pair in result.pairs:
            if pair.kind == "peer":
                depts = [by_id[m].department for m, _ in pair.members]
                assert len(set(depts)) == len(depts)
            else:
                mentor = next(by_id[m] for m, role in pair.members if role == "mentor")
                assert all(mentor.years - by_id[m].years >= 3 for m, role in pair.members if role == "mentee")


def _objective(rules: Rules, people, result) -> float:
    """What the mentor round maximizes, recomputed from its pairs: scores, second-slot penalties,
    proposals kept, and the fixed tie-breaks (over every allowed pair)."""
    by_id = {p.id: p for p in people}
    mentors, mentees = pairs_module.split_roles(people, rules.settings)
    keys = dict(zip((p.id for p in people), pairs_module._keys(people).tolist()))
    slot: Counter[str] = Counter()
    total = 0.0
    for pair in sorted(result.pairs, key=lambda q: q.id):
        mentor = next(m for m, role in pair.members if role == "mentor")
        mentee = next(m for m, role in pair.members if role == "mentee")
        tie = pairs_module._ties(np.array([keys[mentee]], dtype=np.uint64), np.array([keys[mentor]], dtype=np.uint64))[0]
        total += (pairs_module.mentor_score(by_id[mentor], by_id[mentee], rules) - pairs_module.SECOND_SLOT_PENALTY * slot[mentor]
                  + tie * 0.5 / (pairs_module.TIES * (len(mentees) + 1)))
        slot[mentor] += 1
    return total


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 40), st.integers(1, 2), st.integers(0, 10_000))
def test_a_small_mentor_round_solved_without_scipy_is_as_good_as_scipys(n, capacity, seed):
    # Small rounds go to rustworkx's blossom in exact integers (no scipy import); scipy's solver
    # stays for large ones. Both are exact: the same objective, whichever of equal optima they pick.
    rng = random.Random(seed)
    people = [person(f"P{i:02d}", years=rng.randint(0, 20), dept=rng.choice("ABCD"),
                     wants=rng.choice([MENTOR, "Mentee or member", "Either"]),
                     interests=rng.sample(["x", "y", "z"], 2), expertise=rng.sample(["x", "y", "z"], rng.randint(0, 2)))
              for i in range(n)]
    priority = frozenset(p.id for p in people if rng.random() < 0.15)
    rules = Rules(PAIRS.model_copy(update={"mentor_capacity": capacity}), frozenset(), priority)
    small = mentor_round("Q", people, rules)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pairs_module, "SMALL_ASSIGNMENT", -1)
        large = mentor_round("Q", people, rules)
    assert len(small.pairs) == len(large.pairs)
    assert _objective(rules, people, small) == pytest.approx(_objective(rules, people, large), abs=1e-9)
    assert small.weight == large.weight and small.optimal and large.optimal


def test_a_49_person_year_never_loads_scipy():
    code = ("import sys, datetime as dt; from generator.pipeline import gather; from generator.options import BuildOptions; "
            "from tests.conftest import EXAMPLES; "
            "g = gather(BuildOptions(program=EXAMPLES['pairs'], run_mkdocs=False, today=dt.date(2026, 1, 15))); "
            "assert len(g.matching.rows) > 100; print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "False"


def test_hand_edited_matches_tab_is_reported_not_fatal(pairs):
    people = [person(f"M{i}", years=12, wants=MENTOR, dept=f"D{i}") for i in range(2)] + \
             [person(f"N{i}", years=1, dept="X") for i in range(2)]
    decisions = {"Q1": RoundDecisions(
        kept={"Q1-001": (Placement(email("M0"), "mentor", "announced"),),
              "Q1-002": (Placement(email("M1"), "mentor", "locked"), Placement(email("N0"), "mentee", "locked"))},
        problems=("n0@example.edu is kept in both Q1-002 and Q1-009 (Matches tab row 7); Q1-002 counts",))}
    plan = year(people, {}, decisions, today=dt.date(2025, 1, 2), program=pairs.program)[0]
    assert "Q1-001 has only one person in the Matches tab (m0@example.edu); they are matched again" in plan.note
    assert "n0@example.edu is kept in both Q1-002 and Q1-009" in plan.note
    assert matched_once(plan.result) and {m for p in plan.result.pairs for m, _ in p.members} == {p.id for p in people}


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 25), st.integers(0, 10_000))
def test_vectorized_scores_equal_the_rule_definitions(n, seed):
    """The numpy scoring used for speed must say exactly what peer_score and mentor_score say."""
    import numpy as np

    from generator.matching.pairs import Features, mentor_matrix, mentor_score, peer_row, peer_score

    rng = random.Random(seed)
    people = [person(f"P{i}", years=rng.randint(0, 20), dept=rng.choice("ABC"), interests=rng.sample("wxyz", 2),
                     expertise=rng.sample("wxyz", rng.randint(0, 3))) for i in range(n)]
    people.sort(key=lambda p: p.id)
    never = frozenset({frozenset((people[0].id, people[-1].id))})
    rules = Rules(PAIRS, never, frozenset({people[1].id}))
    f = Features.of(people, rules)
    matrix = mentor_matrix(f, list(range(n)), list(range(n)), PAIRS)
    for i, a in enumerate(people):
        row = peer_row(f, i, PAIRS)
        for j, b in enumerate(people):
            expected = peer_score(a, b, rules) if i != j else None
            assert (expected is None and row[j] == -np.inf) or row[j] == expected
            expected = mentor_score(b, a, rules)
            assert (expected is None and matrix[i, j] == -np.inf) or matrix[i, j] == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 70), st.integers(0, 10_000), st.booleans())
def test_the_sparse_peer_graph_scored_in_blocks_is_the_one_chosen_person_by_person(n, seed, in_parts):
    """Large peer rounds rank everyone's candidates in blocks and keep the first who are not hubs yet;
    that must give exactly the graph of choosing each person's candidates from their own row, one
    person after another (`_choose`), and the bound the every-pair graph gives. Tiny limits here make
    the hub cap, the fallback past the ranked few, block edges and parts all happen."""
    from generator.matching.pairs import Features, candidate_edges

    rng = random.Random(seed)
    people = [person(f"P{i}", years=rng.choice([0, 1, 1.5, 2, 2.25, 3, 4, 6, 9]), dept=rng.choice("ABC"),
                     interests=rng.sample("wxyz", rng.randint(0, 3))) for i in range(n)]
    ids = [p.id for p in people]
    never = frozenset(frozenset(rng.sample(ids, 2)) for _ in range(n // 2)) if n > 1 else frozenset()
    rules = Rules(PAIRS, never, frozenset(rng.sample(ids, n // 5)))
    part = np.array([rng.randrange(3) for _ in people]) if in_parts else None
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("CANDIDATES", 2), ("RANKED", 3), ("HUB_DEGREE", 3), ("ROWS", 4)):
            patch.setattr(pairs_module, name, value)
        edges, best = candidate_edges(people, rules, part=part)
        f = Features.of(people, rules)
        if part is not None:  # a part's graph, made alone (as a split round's halves are), is the same
            for wanted in (frozenset({0}), frozenset({1, 2})):
                assert pairs_module._sparse_edges(f, PAIRS, part, wanted) == \
                    {k: v for k, v in edges.items() if part[k[0]] in wanted}
        order = np.argsort(f.years, kind="stable")
        years = f.years[order]
        degree = np.zeros(n, dtype=int)
        expected: dict[tuple[int, int], float] = {}
        for i in range(n):
            window = order[np.searchsorted(years, f.years[i] - PAIRS.peer_gap_years, "left"):
                           np.searchsorted(years, f.years[i] + PAIRS.peer_gap_years, "right")]
            for j, v in zip(*(a.tolist() for a in pairs_module._choose(f, PAIRS, i, window, part, degree))):
                if (min(i, j), max(i, j)) not in expected:
                    expected[(min(i, j), max(i, j))] = v
                    degree[[i, j]] += 1
    assert edges == expected
    assert np.array_equal(best, candidate_edges(people, rules, everyone=True)[1])


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 90), st.integers(0, 10_000), st.integers(1, 6))
def test_mentor_lists_ranked_in_blocks_are_the_ones_chosen_mentee_by_mentee(n, seed, hub):
    """Large mentor rounds rank a block of mentees' mentors at once and keep the first who are not
    in `hub` lists yet; that must give exactly the lists of choosing each mentee's mentors from
    their own row (`_best`), one mentee after another, with the greedy mentor added. Tiny limits
    make mentors fill up mid-block, the fallback past the ranked few and the top-up from full
    mentors all happen."""
    rng = random.Random(seed)
    people = _cohort(rng, n, mentors=0.5)
    ids = [p.id for p in people]
    never = frozenset(frozenset(rng.sample(ids, 2)) for _ in range(n // 3)) if n > 1 else frozenset()
    rules = Rules(PAIRS, never, frozenset(rng.sample(ids, n // 5)))
    f = pairs_module.Features.of(people, rules)
    mentees, mentors = list(range(0, n, 2)), list(range(1, n, 2))
    block = pairs_module.mentor_matrix(f, mentees, mentors, PAIRS)
    plain = block - pairs_module.PRIORITY_BONUS * f.priority[mentors]
    assert np.array_equal(plain[np.isfinite(plain)], np.floor(plain[np.isfinite(plain)]))  # whole points (_top)
    allowed = np.isfinite(block)
    rows = np.arange(len(mentees)) + rng.randrange(10**6)  # the salts: where the block starts in the round
    greedy = np.array([rng.choice([-1, *np.flatnonzero(allowed[r]).tolist()]) for r in range(len(mentees))])
    start = np.array([rng.randrange(hub + 1) for _ in mentors])
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("MENTOR_CANDIDATES", 3), ("MENTOR_RANKED", 4), ("ROWS", 3)):
            patch.setattr(pairs_module, name, value)
        indegree = start.copy()
        lists = pairs_module._mentor_lists(plain, allowed, rows, indegree, hub, greedy)
        expected_degree = start.copy()
        for r in range(len(mentees)):
            cols = np.flatnonzero(allowed[r])
            if not len(cols):
                assert len(lists[r]) == 0
                continue
            chosen = pairs_module._best(plain[r], cols[expected_degree[cols] < hub], 3, int(rows[r]))
            if len(chosen) < 3:
                chosen = np.concatenate([chosen, pairs_module._best(plain[r], np.setdiff1d(cols, chosen), 3 - len(chosen),
                                                                    int(rows[r]))])
            if greedy[r] >= 0:
                chosen = np.union1d(chosen, [greedy[r]])
            expected_degree[chosen] += 1
            assert sorted(lists[r].tolist()) == sorted(chosen.tolist())
    assert np.array_equal(indegree, expected_degree)


def _cohort(rng: random.Random, n: int, mentors: float = 0.35) -> list:
    topics = ["Regulatory and IRB", "Data management", "Budgets and billing", "Leadership and supervision", "Recruitment"]
    return [person(f"P{i}", years=rng.randint(0, 25), dept=rng.choice("ABCDEFG"),
                   wants=MENTOR if rng.random() < mentors else rng.choice(["Mentee or member", "Either"]),
                   interests=rng.sample(topics, 2), expertise=rng.sample(topics, 2)) for i in range(n)]


@settings(max_examples=25, deadline=None)
@given(st.integers(40, 160), st.integers(0, 10_000))
def test_a_sparse_mentor_graph_places_as_many_mentees_as_the_exact_assignment(n, seed):
    """The sparse graph large cohorts use keeps only a few mentors per mentee, yet each mentee's list
    holds the mentor that placing the most senior mentees first gives them: as many pairs as the
    exact assignment over every allowed pair (here with a cohort small enough to solve both ways)."""
    from generator.matching import pairs as pairs_module

    people = _cohort(random.Random(seed), n)
    s = PAIRS.model_copy(update={"mentor_capacity": 2})
    rules = Rules(s, frozenset(), frozenset())
    exact = mentor_round("Q1", people, rules, exact_up_to=10**9)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pairs_module, "MENTOR_CANDIDATES", 3)  # three mentors a mentee: truly sparse at this size
        sparse = mentor_round("Q1", people, rules, exact_up_to=0)
    assert exact.optimal and not sparse.optimal
    assert len(sparse.pairs) == len(exact.pairs)
    assert matched_once(sparse, capacity=2) and sparse.weight <= exact.weight <= exact.bound


def test_senior_mentees_are_not_left_waiting_beside_junior_mentors_with_room():
    """Untrained senior volunteers take part as mentees and only the most senior mentors fit them;
    every junior mentee would rather have a senior mentor (more shared topics), so their best few
    are the senior ones. Placing by score alone fills the senior mentors with juniors."""
    seniors = [person(f"Senior mentor {i}", years=25, wants=MENTOR, dept=f"S{i}", expertise=["Regulatory and IRB"])
               for i in range(3)]
    juniors = [person(f"Junior mentor {i}", years=6, wants=MENTOR, dept=f"J{i}", expertise=["Recruitment"]) for i in range(20)]
    senior_mentees = [person(f"Senior mentee {i}", years=20, dept="X", interests=["Regulatory and IRB"]) for i in range(3)]
    junior_mentees = [person(f"Junior mentee {i}", years=1, dept="Y", interests=["Regulatory and IRB"]) for i in range(20)]
    with pytest.MonkeyPatch.context() as patch:
        from generator.matching import pairs as pairs_module

        patch.setattr(pairs_module, "MENTOR_CANDIDATES", 3)
        result = mentor_round("Q1", seniors + juniors + senior_mentees + junior_mentees, NONE, exact_up_to=0)
    placed = {m for p in result.pairs for m, role in p.members if role == "mentee"}
    assert {p.id for p in senior_mentees} <= placed and len(placed) == 23


def test_a_split_peer_round_leaves_to_trios_only_those_who_fit_nobody_left_over(monkeypatch):
    """A large peer round is solved in parts and on a sparse graph; whoever that leaves over is matched
    among the others left over, over every allowed pair, before anyone joins a pair as a third."""
    from generator.matching import pairs as pairs_module

    monkeypatch.setattr(pairs_module, "SPLIT_ABOVE", 100)
    monkeypatch.setattr(pairs_module, "PART_SIZE", 60)
    monkeypatch.setattr(pairs_module, "CANDIDATES", 2)
    rng = random.Random(5)
    people = [person(f"P{i}", years=rng.randint(0, 12), dept=rng.choice("ABCDEFGH"),
                     interests=rng.sample(["x", "y", "z", "w"], 2)) for i in range(240)]
    no_trios = Rules(PAIRS.model_copy(update={"allow_trios": False}), frozenset(), frozenset())
    result = peer_round("Q2", people, no_trios, exact_up_to=0)
    exact = peer_round("Q2", people, no_trios, exact_up_to=10**9)
    assert matched_once(result)
    left = [pid for pid, _ in result.unmatched]
    by_id = {p.id: p for p in people}
    for i, a in enumerate(left):  # nobody left over could have been paired with another left over
        for b in left[i + 1:]:
            x, y = by_id[a], by_id[b]
            assert x.department == y.department or abs(x.years - y.years) > PAIRS.peer_gap_years
    assert len(result.pairs) >= len(exact.pairs) - 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="work goes to a forked child on Linux")
def test_half_of_a_split_peer_round_is_solved_in_a_child_with_the_same_pairs(monkeypatch):
    """The bands of a large round are independent: half of them are solved in a child process on
    the other core, and the round comes out exactly as when every band is solved here."""
    from generator import forked

    monkeypatch.setattr(pairs_module, "SPLIT_ABOVE", 100)
    monkeypatch.setattr(pairs_module, "PART_SIZE", 60)
    rng = random.Random(11)
    people = [person(f"P{i}", years=rng.randint(0, 12), dept=rng.choice("ABCDEFGH"),
                     interests=rng.sample(["x", "y", "z", "w"], 2)) for i in range(300)]
    children = []

    class Seen(forked.Forked):
        def __init__(self, work, fork=None):
            super().__init__(work, fork)
            children.append(self.pid)

    monkeypatch.setattr(pairs_module, "Forked", Seen)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    beside = peer_round("Q2", people, NONE, exact_up_to=0)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    here = peer_round("Q2", people, NONE, exact_up_to=0)
    assert len(children) == 2 and children[0] and not children[1], "one child, then none"
    assert beside == here and len(here.pairs) > 100
    first, second = pairs_module._halves(pairs_module._parts(people, "Q2"))
    assert first and second and not first & second


def test_a_large_peer_round_is_split_into_bands_of_neighbouring_years(monkeypatch):
    """Peers are of a similar level, so a large round is solved in bands of years: each at least the
    part size, a band above all of the one below, and someone leaving moves nobody else; a year
    everyone shares is split by a fixed hash instead."""
    monkeypatch.setattr(pairs_module, "SPLIT_ABOVE", 100)
    monkeypatch.setattr(pairs_module, "PART_SIZE", 60)
    rng = random.Random(7)
    people = [person(f"P{i}", years=rng.randint(0, 12), dept=rng.choice("ABCDEFGH")) for i in range(240)]
    part = pairs_module._parts(people, "Q2")
    sizes = Counter(part.tolist())
    assert len(sizes) >= 3 and min(sizes.values()) >= 60
    for k in range(len(sizes) - 1):
        assert max(p.years for p, b in zip(people, part) if b == k) < min(p.years for p, b in zip(people, part) if b == k + 1)
    rest = people[:17] + people[18:]
    assert dict(zip((p.id for p in rest), pairs_module._parts(rest, "Q2").tolist())) == \
        {p.id: b for p, b in zip(people, part.tolist()) if p.id != people[17].id}
    alike = [dataclasses.replace(p, years=4) for p in people]
    shared = Counter(pairs_module._parts(alike, "Q2").tolist())
    assert len(shared) == 4 and min(shared.values()) > 30
    assert pairs_module._parts(people[:100], "Q2") is None


def _groups(result) -> set[tuple[str, ...]]:
    return {tuple(sorted(m for m, _ in p.members)) for p in result.pairs}


def _change(before, after) -> tuple[set, list[set[str]]]:
    """The groups that differ, and the people they join up into (chains of re-pairing)."""
    import networkx as nx

    changed = _groups(before) ^ _groups(after)
    graph = nx.Graph()
    for group in changed:
        graph.add_edges_from((a, b) for i, a in enumerate(group) for b in group[i + 1:])
    return changed, [set(c) for c in nx.connected_components(graph)]


@pytest.mark.parametrize("size", [60, 240])
def test_a_dropout_re_pairs_only_along_one_chain_from_them_and_published_proposals_hold_better(size):
    """The next round's proposals, then one person leaves: any optimal re-matching differs from the
    old one along paths, and with a fixed tie-break between equally good pairs there is one path,
    starting at whoever left. Proposals published to the Matches tab weigh a little (STAY points),
    so even fewer of them move."""
    from generator.matching.decisions import STAY

    rng = random.Random(size)
    people = [person(f"P{i}", years=rng.randint(0, 12), dept=rng.choice("ABCDEF"),
                     interests=rng.sample(["x", "y", "z", "w", "v"], 2)) for i in range(size)]
    no_trios = Rules(PAIRS.model_copy(update={"allow_trios": False}), frozenset(), frozenset())
    before = peer_round("Q4", people, no_trios)
    published = Rules(no_trios.settings, frozenset(), frozenset(),
                      frozenset(frozenset(g) for g in _groups(before)))
    assert _groups(peer_round("Q4", people, published)) == _groups(before)  # nothing changed: nothing moves
    moved_plain, moved_kept = [], []
    for k in range(0, size, size // 6):
        gone = people[k]
        rest = [p for p in people if p is not gone]
        changed, chains = _change(before, peer_round("Q4", rest, no_trios))
        assert len(chains) == 1 and gone.id in chains[0], "the change is one chain, from the person who left"
        kept, _ = _change(before, peer_round("Q4", rest, published))
        moved_plain.append(len(changed))
        moved_kept.append(len(kept))
    assert sum(moved_kept) <= sum(moved_plain) and STAY < 3  # a proposal never outweighs a shared topic


def test_proposed_rows_of_the_matches_tab_are_read_as_pairs_to_prefer_not_to_keep():
    from generator.matching.decisions import decisions_by_round
    from generator.records import Decision

    rows = (Decision(2, "Q4", "Q4-001", "a@x.edu", "peer", "proposed"), Decision(3, "Q4", "Q4-001", "b@x.edu", "peer", "proposed"),
            Decision(4, "Q4", "Q4-002", "c@x.edu", "peer", "approved"), Decision(5, "Q4", "Q4-002", "d@x.edu", "peer", "approved"))
    q4 = decisions_by_round(rows)["Q4"]
    assert q4.proposed == frozenset({frozenset(("a@x.edu", "b@x.edu"))})
    assert set(q4.kept) == {"Q4-002"}  # approved is kept; proposed only weighs among near-equals


def test_the_match_report_says_when_published_proposals_were_weighed_beside_the_scores():
    from generator.render.staff_matches import _method

    assert _method(True, 40, 40) == "proven optimal for the scores (exact, over every allowed pair)"
    weighed = _method(True, 40, 40, proposals=12)
    assert weighed.startswith("proven optimal for the scores") and "published proposals count 2 points a pair" in weighed
