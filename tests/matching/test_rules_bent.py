"""No rule bent in silence: the checker reads the final groups, kept rows included, and the
report says what it found; kept groups stay; the past is history; reasons say what to do."""
from __future__ import annotations

import dataclasses

import datetime as dt
from collections import Counter

from generator.matching.check import check_circles, check_year
from generator.matching.circles import form_circles
from generator.matching.decisions import Placement, RoundDecisions
from generator.matching.pairs import Pair, Rules, add_trios, mentor_round
from generator.matching.stage import circles_matching, pairs_matching
from generator.records import Withdrawal
from generator.render.staff_matches import matches_view
from tests.matching.cohorts import CIRCLES, PAIRS, email, person

MENTOR = "Mentor or facilitator"
CAPACITY_2 = PAIRS.model_copy(update={"mentor_capacity": 2})


def everyone_continues(people, quarters=("Q1", "Q2", "Q3")):
    return {q: {p.id: True for p in people} for q in quarters}


def program_with(loaded, **pairs):
    return loaded.program.model_copy(update={"pairs": loaded.program.pairs.model_copy(update=pairs)})


# -- 1. trios within mentor capacity --------------------------------------------------------
def test_a_left_over_mentee_never_becomes_a_mentors_third():
    """One mentor with room for two and three mentees who all fit: the third waits, told why."""
    people = [person("Maya Mentor", years=15, wants=MENTOR, dept="Surgery")] + \
             [person(f"Mentee {i}", years=1, dept="Oncology") for i in range(3)]
    rules = Rules(CAPACITY_2, frozenset(), frozenset())
    result = add_trios(mentor_round("Q1", people, rules), {p.id: p for p in people}, rules)
    assert len(result.pairs) == 2 and all(len(pair.members) == 2 for pair in result.pairs)
    ((waiting, why),) = result.unmatched
    assert waiting.startswith("mentee.") and why == "all fitting mentors were taken this round; first in line next round"
    assert check_year([("Q1", "mentor-mentee", result.pairs)], {p.id: p for p in people}, CAPACITY_2) == []


def test_the_pairs_example_keeps_mentor_capacity_in_every_round(built, pairs):
    m = built["pairs"].gathered.matching
    capacity = pairs.program.pairs.mentor_capacity
    for plan in m.rounds:
        load = Counter(mentor for pair in plan.result.pairs for mentor, role in pair.members if role == "mentor"
                       for _, r in pair.members if r == "mentee")
        assert max(load.values(), default=0) <= capacity, plan.quarter.name
    assert m.violations == ()
    view = matches_view(m)
    for r, plan in zip(view["rounds"], m.rounds):
        assert r["trios"] == sum(len(p.members) == 3 for p in plan.result.pairs)


def test_the_report_says_optimal_only_when_proven(built):
    m = built["circles"].gathered.matching  # November: every circle locked, every rule holding
    assert m.circles.optimal and matches_view(m)["quality"]["method"].startswith("as staff kept them")
    people = tuple(sorted((m.people[p] for c in m.circles.circles for p in c.members), key=lambda p: p.id))
    settings = built["circles"].gathered.loaded.program.circles
    solved = form_circles(people, settings)
    assert solved.optimal and matches_view(dataclasses.replace(m, circles=solved))["quality"]["method"] == \
        "proven optimal (exact solver, CP-SAT)"
    searched = form_circles(people, settings, exact_up_to=0)
    assert not searched.optimal and searched.method == "local search"  # the search alone never claims a proof


# -- 2. late applicants and kept circles ----------------------------------------------------
def kept_cohort():
    """Three announced circles of five (the maximum), each with two new members."""
    people = []
    for c in range(3):
        people += [person(f"Fac {c}", years=10, wants=MENTOR, dept=f"Dept {c}a"), person(f"New {c}", years=1, dept=f"Dept {c}b"),
                   person(f"Newer {c}", years=2, dept=f"Dept {c}c"), person(f"Mid {c}", years=3, dept=f"Dept {c}d"),
                   person(f"Old {c}", years=6, dept=f"Dept {c}e")]
    kept = {p.id: f"C0{int(p.name[-1]) + 1}" for p in people}
    return people, kept


def test_late_applicants_join_circles_with_room_before_any_kept_circle_is_touched():
    people, kept = kept_cohort()
    roomy = CIRCLES.model_copy(update={"max_size": 6})
    late = [person("Late Fac", years=11, wants=MENTOR, dept="Late a"), person("Late New", years=0, dept="Late b")]
    plan = form_circles(tuple(sorted(people + late, key=lambda p: p.id)), roomy, kept=kept)
    assert len(plan.circles) == 3  # the old count rule made a fourth circle out of kept members
    placed = {m: c.id for c in plan.circles for m in c.members}
    assert all(placed[pid] == cid for pid, cid in kept.items())
    assert plan.moved_from_kept == () and plan.moves == () and plan.violations == ()


def test_a_new_circle_is_formed_from_newcomers_without_moving_anyone():
    people, kept = kept_cohort()
    late = [person("Late Fac", years=11, wants=MENTOR, dept="Late a"), person("Late New", years=0, dept="Late b"),
            person("Late Mid", years=4, dept="Late c")]
    plan = form_circles(tuple(sorted(people + late, key=lambda p: p.id)), CIRCLES, kept=kept)
    placed = {m: c.id for c in plan.circles for m in c.members}
    assert len(plan.circles) == 4 and all(placed[pid] == cid for pid, cid in kept.items())
    assert {placed[p.id] for p in late} == {"C04"} and plan.violations == ()


def test_when_only_a_move_keeps_the_rules_each_move_names_the_rule():
    """Full kept circles and one late facilitator: a fourth circle needs three members."""
    people, kept = kept_cohort()
    late = person("Late Fac", years=11, wants=MENTOR, dept="Late a")
    plan = form_circles(tuple(sorted(people + [late], key=lambda p: p.id)), CIRCLES, kept=kept)
    assert plan.violations == ()
    assert len(plan.moved_from_kept) == 2  # the fewest that give the new circle three members, proven by the solver
    assert len(plan.moves) == 2
    for move in plan.moves:
        assert "with every kept circle left as it is, the rules cannot all hold" in move
        assert "C04 has" in move and ("fewer than the minimum of 3" in move or "no members" in move)


def test_a_configured_count_never_empties_kept_circles_silently():
    people = [person("Ana Fac", years=10, wants=MENTOR), person("Ben New", years=1, dept="Surgery"),
              person("Cy Old", years=8, dept="Oncology")]
    loaded_circles = CIRCLES.model_copy(update={"count": 7})
    plan = form_circles(tuple(sorted(people, key=lambda p: p.id)), loaded_circles)
    empty = {c.id for c in plan.circles if not c.members}
    assert len(plan.circles) == 7 and len(empty) >= 4
    assert {v.group for v in plan.violations if v.why.endswith("has no members (the minimum is 3)")} == empty


def test_empty_circles_appear_in_the_report(circles):
    people = tuple(sorted([person("Ana Fac", years=10, wants=MENTOR), person("Ben New", years=1, dept="Surgery"),
                           person("Cy Old", years=8, dept="Oncology")], key=lambda p: p.id))
    program = circles.program.model_copy(update={"circles": CIRCLES.model_copy(update={"count": 7})})
    m = circles_matching(program, people, None)
    view = matches_view(m)
    assert [c["id"] for c in view["circles"]] == [f"C0{i}" for i in range(1, 8)]
    empty = sum(1 for c in view["circles"] if not c["members"])
    assert empty >= 4 and sum("no one is placed there" in w for w in m.warnings) == empty
    assert view["quality"]["hard"] == len(m.violations) == len(check_circles(m.circles.circles, m.people, CIRCLES.model_copy(update={"count": 7})))


# -- 3. the past is history -----------------------------------------------------------------
def test_an_august_withdrawal_leaves_earlier_rounds_as_they_were(pairs):
    people = tuple(sorted([person(f"Mentor {i}", years=14 + i, wants=MENTOR, dept=f"M{i}") for i in range(4)]
                          + [person(f"Peer {i}", years=2 + i % 3, dept=f"P{i}") for i in range(6)], key=lambda p: p.id))
    leaver = email("Peer 0")
    today = dt.date(2025, 9, 20)  # Q4's matching has opened; Q3 began July 7
    before = pairs_matching(pairs.program, people, {}, everyone_continues(people), {}, today)
    after = pairs_matching(pairs.program, people, {leaver: Withdrawal(2, leaver, dt.date(2025, 8, 12), "Left the institution")},
                           everyone_continues(people), {}, today)
    for b, a in zip(before.rounds[:3], after.rounds[:3]):
        assert a.result.pairs == b.result.pairs and a.result.unmatched == b.result.unmatched, a.quarter.name
    q4 = after.rounds[3]
    assert dict(q4.sitting_out)[leaver] == "withdrew on August 12, 2025 (Left the institution)"
    assert all(leaver not in dict(p.members) for p in q4.result.pairs)
    rows = {(r.round, r.person_id): r for r in after.rows}
    assert rows[("Q4", leaver)].status == "sitting out"
    assert rows[("Q2", leaver)].group_id  # their June partner was not left "unmatched in Q2"


def test_a_round_that_is_over_is_read_from_the_matches_tab_not_re_planned(pairs):
    people = tuple(sorted([person(f"Mentor {i}", years=15, wants=MENTOR, dept=f"M{i}") for i in range(2)]
                          + [person(f"Mentee {i}", years=1, dept=f"E{i}") for i in range(3)], key=lambda p: p.id))
    decisions = {"Q1": RoundDecisions(kept={"Q1-001": (Placement(email("Mentor 0"), "mentor", "announced"),
                                                       Placement(email("Mentee 0"), "mentee", "announced"))})}
    m = pairs_matching(pairs.program, people, {}, everyone_continues(people), decisions, dt.date(2025, 5, 1))
    q1 = m.rounds[0].result
    assert [p.id for p in q1.pairs] == ["Q1-001"]
    assert all("which is over: nobody is newly matched in a past round" in why for _, why in q1.unmatched)


# -- 4. kept rows are checked like any other ------------------------------------------------
def test_a_kept_group_without_its_mentor_is_named_not_a_crash(pairs):
    people = tuple(sorted([person("Maya Mentor", years=15, wants=MENTOR, dept="Surgery"),
                           person("Nia New", years=1, dept="Oncology"), person("Ken New", years=2, dept="Radiology")],
                          key=lambda p: p.id))
    decisions = {"Q1": RoundDecisions(kept={"Q1-005": (Placement(email("Nia New"), "mentee", "locked"),
                                                       Placement(email("Ken New"), "mentee", "locked"))})}
    m = pairs_matching(pairs.program, people, {}, {}, decisions, dt.date(2025, 1, 2))
    (v,) = m.broken("Q1", "Q1-005")
    assert v.rule == "one mentor" and v.why == "Q1-005 has no mentor; a mentoring group has one"
    row = next(r for r in m.rows if r.group_id == "Q1-005")
    assert "rule broken (one mentor): Q1-005 has no mentor" in row.reasons
    assert matches_view(m)["rounds"][0]["hard"] == 1


def test_kept_rows_that_break_hard_rules_are_flagged(pairs):
    boss = person("Bo Boss", years=20, wants=MENTOR, dept="Surgery")
    report = person("Rae Report", years=1, dept="Surgery", supervisor=boss.id)
    others = [person(f"Nu {i}", years=1, dept=f"D{i}") for i in range(2)]
    people = tuple(sorted([boss, report, *others], key=lambda p: p.id))
    kept = {f"Q1-00{i + 1}": (Placement(boss.id, "mentor", "locked"), Placement(p.id, "mentee", "locked"))
            for i, p in enumerate([report, *others])}
    m = pairs_matching(pairs.program, people, {}, {}, {"Q1": RoundDecisions(kept=kept)}, dt.date(2025, 1, 2))
    rules = Counter(v.rule for v in m.broken("Q1"))
    assert rules == {"mentor capacity": 1, "never together": 1}
    assert any("Bo Boss mentors 3 mentees (Q1-001, Q1-002, Q1-003); the capacity is 2" == v.why for v in m.violations)
    assert any("Bo Boss supervises Rae Report" in v.why for v in m.violations)


def test_a_kept_repeat_partner_is_flagged(pairs):
    a, b = person("Ann Peer", years=3, dept="Surgery"), person("Bea Peer", years=3, dept="Oncology")
    mentor = person("Maya Mentor", years=15, wants=MENTOR, dept="Radiology")
    people = tuple(sorted([a, b, mentor], key=lambda p: p.id))
    decisions = {"Q1": RoundDecisions(kept={"Q1-001": (Placement(mentor.id, "mentor", "locked"), Placement(a.id, "mentee", "locked"))}),
                 "Q2": RoundDecisions(kept={"Q2-001": (Placement(a.id, "peer", "locked"), Placement(mentor.id, "peer", "locked"))})}
    m = pairs_matching(pairs.program, people, {}, everyone_continues(people), decisions, dt.date(2025, 4, 1))
    reasons = {v.rule for v in m.broken("Q2", "Q2-001")}
    assert "never together" in reasons and "same level" in reasons
    assert any(v.why == "Ann Peer and Maya Mentor were partners in Q1" for v in m.broken("Q2"))


# -- 5. reasons that say what to do ---------------------------------------------------------
def test_no_mentor_volunteer_is_said_once_for_the_round(pairs):
    people = tuple(sorted([person(f"P{i}", years=i, dept=f"D{i}") for i in range(6)], key=lambda p: p.id))
    m = pairs_matching(pairs.program, people, {}, {}, {}, dt.date(2025, 1, 2))
    assert sum("nobody in Q1 volunteered to mentor" in w for w in m.warnings) == 1
    q1 = [r for r in m.rows if r.round == "Q1"]
    assert all(r.reasons == "no mentor available this round; first in line next round" for r in q1)


def test_a_round_whose_mentors_are_all_in_kept_pairs_is_not_said_to_have_no_mentor(pairs):
    """Staff announced Q1's pair; two people were left over, an untrained volunteer and a mentee.
    The round has a mentor, busy: `check` said "FIX nobody in Q1 can mentor" of the leftovers."""
    maya = person("Maya Mentor", years=15, wants=MENTOR, dept="Radiology")
    ann, nia = person("Ann Mentee", years=2, dept="Surgery"), person("Nia New", years=1, dept="Oncology")
    vic = person("Vic Volunteer", years=12, wants=MENTOR, trained=False, dept="Pediatrics")
    people = tuple(sorted([maya, ann, nia, vic], key=lambda p: p.id))
    decisions = {"Q1": RoundDecisions(kept={"Q1-001": (Placement(maya.id, "mentor", "locked"),
                                                       Placement(ann.id, "mentee", "locked"))})}
    m = pairs_matching(pairs.program, people, {}, {}, decisions, dt.date(2025, 1, 2))
    assert not any("nobody in Q1" in w for w in m.warnings), m.warnings
    q1 = {r.person_id: r for r in m.rows if r.round == "Q1"}
    assert q1[ann.id].group_id == "Q1-001" and not q1[nia.id].group_id
    assert q1[nia.id].reasons == "no mentor available this round; first in line next round"
    assert q1[vic.id].reasons.startswith("mentor training (mentor-training) is not completed yet")


def test_untrained_volunteers_are_told_to_complete_mentor_training(pairs):
    people = tuple(sorted([person("Maya Mentor", years=15, wants=MENTOR, trained=False, dept="Surgery"),
                           person("Nia New", years=1, dept="Oncology")], key=lambda p: p.id))
    m = pairs_matching(pairs.program, people, {}, {}, {}, dt.date(2025, 1, 2))
    assert any("volunteered but none has completed mentor training (mentor-training)" in w for w in m.warnings)
    maya = next(r for r in m.rows if r.person_id == email("Maya Mentor"))
    assert maya.reasons.startswith("mentor training (mentor-training) is not completed yet: complete it to be matched as a mentor")


def test_everyone_has_a_row_in_every_planned_round(built):
    m = built["pairs"].gathered.matching
    for plan in m.rounds:
        assert {r.person_id for r in m.rows if r.round == plan.quarter.name} == set(m.people), plan.quarter.name
        assert {r.status for r in m.rows if r.round == plan.quarter.name} <= {"proposed", "approved", "pinned", "announced",
                                                                             "locked", "unmatched", "sitting out"}


# -- properties: the report's count is the checker's, and kept groups stay or say why --------
from dataclasses import replace  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.records import EITHER  # noqa: E402

ROLES = (MENTOR, "Mentee or member", EITHER)
KEEP = ("approved", "pinned", "announced", "locked")


def random_people(draw, n):
    return tuple(sorted((person(f"P{i:02d}", years=draw(st.integers(0, 20)), dept=draw(st.sampled_from("ABCDE")),
                                wants=draw(st.sampled_from(ROLES)), trained=draw(st.booleans()),
                                campus=draw(st.sampled_from(["Gainesville", "Jacksonville"])),
                                virtual_only=draw(st.booleans()),
                                supervisor=email(f"P{draw(st.integers(0, n - 1)):02d}") if draw(st.booleans()) else "")
                         for i in range(n)), key=lambda p: p.id))


@st.composite
def pairs_case(draw):
    people = random_people(draw, draw(st.integers(3, 14)))
    decisions = {}
    for q in draw(st.lists(st.sampled_from(["Q1", "Q2", "Q3"]), unique=True, max_size=3)):
        kept = {}
        for g in range(draw(st.integers(0, 3))):
            members = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
            role = (lambda i: "mentor" if i == 0 else "mentee") if q in ("Q1", "Q3") else (lambda i: "peer")
            kept[f"{q}-9{g}"] = tuple(Placement(p.id, draw(st.sampled_from(["mentor", "mentee", "peer", role(i)])),
                                                draw(st.sampled_from(KEEP))) for i, p in enumerate(members))
        decisions[q] = RoundDecisions(kept=kept)
    today = draw(st.sampled_from([dt.date(2025, 1, 2), dt.date(2025, 5, 1), dt.date(2025, 9, 20), dt.date(2026, 1, 10)]))
    continuing = {q: {p.id: draw(st.booleans()) for p in people} for q in ("Q1", "Q2", "Q3")}
    return people, decisions, today, continuing


@settings(max_examples=60, deadline=None)
@given(pairs_case())
def test_pairs_report_counts_what_the_checker_finds_on_its_rows(pairs, case):
    people, decisions, today, continuing = case
    m = pairs_matching(pairs.program, people, {}, continuing, decisions, today)
    rounds = []
    for plan in m.rounds:
        if plan.result is None:
            continue
        groups: dict[str, list[tuple[str, str]]] = {}
        for r in m.rows:
            if r.round == plan.quarter.name and r.group_id:
                groups.setdefault(r.group_id, []).append((r.person_id, r.role))
        rounds.append((plan.quarter.name, plan.quarter.kind,
                       [Pair(g, plan.quarter.kind, tuple(ms), 0.0, ()) for g, ms in sorted(groups.items())]))
    from_rows = check_year(rounds, {p.id: p for p in people}, pairs.program.pairs)
    view = matches_view(m)
    assert sum(r["hard"] for r in view["rounds"]) == len(from_rows) == len(m.violations)
    for plan in m.rounds:
        if plan.result is None or plan.quarter.name not in decisions:
            continue
        result = {p.id: sorted(p.members) for p in plan.result.pairs}
        for gid, placements in decisions[plan.quarter.name].kept.items():
            assert sorted(dict(result.get(gid, ()))) == sorted(pl.person for pl in placements) or gid in plan.note, gid


@st.composite
def circles_case(draw):
    people = random_people(draw, draw(st.integers(6, 24)))
    k = draw(st.integers(1, 4))
    kept = {p.id: (f"C0{draw(st.integers(1, k))}", draw(st.sampled_from(["announced", "locked"])))
            for p in people if draw(st.booleans())}
    declined = {p.id: {f"C0{draw(st.integers(1, k))}"} for p in people if draw(st.integers(0, 5)) == 0}
    return people, kept, declined, draw(st.sampled_from([None, k]))


@settings(max_examples=40, deadline=None)
@given(circles_case())
def test_circles_report_counts_what_the_checker_finds_and_names_every_move(circles, case):
    people, kept, declined, count = case
    settings_ = CIRCLES.model_copy(update={"count": count})
    program = circles.program.model_copy(update={"circles": settings_})
    placements = {}
    for pid, (cid, status) in kept.items():
        placements.setdefault(cid, []).append(Placement(pid, "member", status))
    decided = RoundDecisions(kept={c: tuple(v) for c, v in placements.items()},
                             declined={c: tuple(p for p, cs in declined.items() if c in cs) for c in {c for cs in declined.values() for c in cs}})
    m = circles_matching(program, people, decided)
    # The circles as matches.csv has them: members and facilitators from its rows only.
    rebuilt = [replace(c, members=tuple(r.person_id for r in m.rows if r.group_id == c.id),
                       facilitators=tuple(r.person_id for r in m.rows if r.group_id == c.id and r.role == "facilitator"))
               for c in m.circles.circles]
    found = check_circles(rebuilt, {p.id: p for p in people}, settings_, declined)
    assert matches_view(m)["quality"]["hard"] == len(found) == len(m.violations)
    names = {p.id: p.name for p in people}
    final = {r.person_id: r.group_id for r in m.rows}
    for pid, (cid, status) in kept.items():
        assert status != "locked" or final[pid] == cid, "a locked placement is never moved"
        if final[pid] != cid:
            assert any(w.startswith(f"{names[pid]} moved from {cid} to {final[pid]}: with every kept circle left as it is, "
                                    "the rules cannot all hold (") for w in m.warnings), pid
