"""Withdrawals are people too: "taking part then" on two survey dates must not show that a few left
in between, and a comparison between roles shows each role's share agreeing only when safe."""
from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings, strategies as st

from generator.evaluate.disclosure import exposures
from generator.evaluate.items import summarize_item
from generator.evaluate.summary import participation

MIN = 5
MARCH, MAY, SEPTEMBER = dt.date(2022, 3, 31), dt.date(2022, 5, 21), dt.date(2022, 9, 30)


def test_one_dropout_in_april_hides_the_count_that_would_give_it_away():
    admitted = [f"p{i}@example.edu" for i in range(20)]
    left = {admitted[0]: dt.date(2022, 4, 12)}  # the only one to leave between the Q1 check-in and the midpoint
    left.update({admitted[i]: dt.date(2022, 6, 1 + i) for i in range(1, 7)})  # six leave in June
    taking, invited, table = participation(admitted, left, [MARCH, MAY, SEPTEMBER], MIN)
    assert (taking.admitted, taking.active) == (20, 13)
    assert invited[MARCH] == 20 and invited[SEPTEMBER] == 13
    assert invited[MAY] is None, "20 on March 31 and 19 on May 21 would say one person left in between"


def test_without_small_groups_every_count_is_shown():
    admitted = [f"p{i}" for i in range(30)]
    left = {admitted[i]: dt.date(2022, 4, 1 + i) for i in range(5)} | {admitted[i]: dt.date(2022, 7, i) for i in range(5, 11)}
    taking, invited, _ = participation(admitted, left, [MARCH, MAY, SEPTEMBER], MIN)
    assert (taking.admitted, taking.active, invited[MARCH], invited[MAY], invited[SEPTEMBER]) == (30, 19, 30, 25, 19)


def test_a_cohort_below_the_minimum_publishes_no_count():
    taking, invited, _ = participation(["a", "b", "c"], {}, [MAY], MIN)
    assert taking.admitted is None and taking.active is None and invited[MAY] is None


days = st.lists(st.integers(0, 365), min_size=1, max_size=6)
cohorts = st.lists(st.one_of(st.none(), st.integers(0, 400)), min_size=0, max_size=45)


@settings(max_examples=300, deadline=None)
@given(cohorts, days)
def test_no_published_count_pins_a_small_group_of_leavers(people, survey_days):
    """The attacker knows every published count and which people each covers (by date), and uses
    linear algebra over the partition of people by when they left; no group of consecutive
    leavers between two dates (nor those still taking part) can be pinned to 1..MIN-1."""
    start = dt.date(2022, 1, 1)
    admitted = [f"p{i}" for i in range(len(people))]
    left = {who: start + dt.timedelta(days=d) for who, d in zip(admitted, people) if d is not None}
    dates = sorted({start + dt.timedelta(days=d) for d in survey_days})
    taking, invited, table = participation(admitted, left, dates, MIN)
    assert not exposures([table], [], MIN)  # nothing published: nothing exposed (sanity of the judge's input)
    # The attacker's own partition: period k holds those who left after dates[k-1] and on or before dates[k].
    k = len(dates) + 2
    sizes = [0] * k
    for who in admitted:
        when = left.get(who)
        sizes[k - 1 if when is None else next((i for i, d in enumerate(dates) if when <= d), len(dates))] += 1
    rows, shown = [], []
    if taking.admitted is not None:
        rows.append([1.0] * k), shown.append(taking.admitted)
    if taking.active is not None:
        rows.append([0.0] * (k - 1) + [1.0]), shown.append(taking.active)
    for i, d in enumerate(dates):
        if invited[d] is not None:
            rows.append([0.0] * (i + 1) + [1.0] * (k - i - 1)), shown.append(invited[d])
    a = np.array(rows).reshape(len(rows), k)
    assert np.allclose(a @ np.array(sizes, dtype=float), np.array(shown, dtype=float)), "a shown count is wrong"
    if not rows:
        return
    rank = np.linalg.matrix_rank(a)
    for lo in range(k):
        for hi in range(lo, k):
            vector = np.array([1.0 if lo <= c <= hi else 0.0 for c in range(k)])
            if np.linalg.matrix_rank(np.vstack([a, vector])) == rank:
                size = sum(sizes[lo:hi + 1])
                assert not 1 <= size < MIN, f"leavers in periods {lo}..{hi} recoverable as {size}"


def test_facilitators_and_members_compared_by_share_agreeing_when_whole_tables_would_expose():
    """13 facilitators and 22 members: some answers of each role are rare (a whole table by role
    would show them), but each role has 5+ agreeing and 5+ not agreeing."""
    facilitators = [3] * 6 + [4] * 4 + [5] * 3
    members = [2] * 3 + [3] * 2 + [4] * 7 + [5] * 10
    answered = [(f"f{i}", v) for i, v in enumerate(facilitators)] + [(f"m{i}", v) for i, v in enumerate(members)]
    roles = {who: ("Facilitators" if who.startswith("f") else "Members") for who, _ in answered}
    item, table, facts = summarize_item("q", "certification_ready", "I feel more prepared", "likert", answered, (), MIN, roles)
    by_role = {p.name: p for p in item.parts[1:]}
    assert (by_role["Facilitators"].n, by_role["Facilitators"].agree) == (13, 7)
    assert (by_role["Members"].n, by_role["Members"].agree) == (22, 17)
    assert by_role["Members"].bars[1].count is None, "three members disagreeing is not shown"
    assert not exposures([table], facts, MIN)


def test_no_role_comparison_when_a_role_has_fewer_than_five_not_agreeing():
    facilitators = [3] * 4 + [4] * 6 + [5] * 3
    members = [2] * 3 + [3] * 3 + [4] * 7 + [5] * 9
    answered = [(f"f{i}", v) for i, v in enumerate(facilitators)] + [(f"m{i}", v) for i, v in enumerate(members)]
    roles = {who: ("Facilitators" if who.startswith("f") else "Members") for who, _ in answered}
    item, _, _ = summarize_item("q", "q", "Question", "likert", answered, (), MIN, roles)
    assert len(item.parts) == 1, "four facilitators not agreeing would follow from a role's share"
