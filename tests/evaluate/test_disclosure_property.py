"""An attacker with every published number and linear algebra never recovers a small group.

Hypothesis makes cohorts and answers (skewed, so small cells are common); the publisher
chooses what to show; the attack here is independent of the code under test: numpy ranks
for linear recovery, and, for small one-way tables, every whole-number table consistent
with what was shown.
"""
from __future__ import annotations

from itertools import combinations, product

import numpy as np
from hypothesis import given, settings, strategies as st

from generator.evaluate.items import summarize_item

MIN = 5
LIKERT = [1, 2, 3, 4, 5]


def published_equations(item, n_cells):
    """Every shown number as a row of A x = b over the table's cells."""
    rows, values = [], []
    for part in item.parts:
        shown = [(part.cells, part.n)] + [(b.cells, b.count) for b in part.bars] + [(part.agree_cells, part.agree)]
        for cells, value in shown:
            if value is not None and cells:
                rows.append([1.0 if i in cells else 0.0 for i in range(n_cells)])
                values.append(value)
    return np.array(rows).reshape(len(rows), n_cells), np.array(values, dtype=float)


def recoverable(a, vector) -> bool:
    if a.shape[0] == 0:
        return False
    return np.linalg.matrix_rank(np.vstack([a, vector])) == np.linalg.matrix_rank(a)


answers = st.lists(st.sampled_from(LIKERT) | st.sampled_from([5, 5, 4, 4, 3]), min_size=0, max_size=60)


@settings(max_examples=300, deadline=None)
@given(answers)
def test_no_small_group_of_one_question_is_recoverable_by_linear_algebra(values):
    item, table, _ = summarize_item("q", "q", "Question", "likert", [(f"p{i}", v) for i, v in enumerate(values)], (), MIN)
    a, _ = published_equations(item, len(table.cells))
    for k in range(1, 6):
        for subset in combinations(range(5), k):
            vector = np.array([1.0 if i in subset else 0.0 for i in range(5)])
            size = sum(table.values[i] for i in subset)
            if recoverable(a, vector):
                assert not 1 <= size < MIN, f"answers {subset} recoverable as {size}"
                if k == 4 and size == 0:
                    assert sum(table.values) == 0, "all but fewer than the minimum gave one answer"
    for bar in item.overall.bars:
        if bar.count is None:
            assert not recoverable(a, np.array([1.0 if i in bar.cells else 0.0 for i in range(5)]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LIKERT), min_size=0, max_size=14))
def test_no_whole_number_table_consistent_with_the_page_pins_a_small_group(values):
    """For small cohorts, enumerate every count table that agrees with every shown number."""
    item, table, _ = summarize_item("q", "q", "Question", "likert", [(f"p{i}", v) for i, v in enumerate(values)], (), MIN)
    a, b = published_equations(item, 5)
    n = len(values)
    tables = [t for t in product(range(n + 1), repeat=5) if sum(t) == n and np.allclose(a @ np.array(t), b)] if len(b) else []
    if not len(b):
        return  # nothing at all was published about this question
    assert item.overall.n is not None, "answers were shown without the count they come from"
    for k in range(1, 5):
        for subset in combinations(range(5), k):
            sizes = {sum(t[i] for i in subset) for t in tables}
            assert not (min(sizes) >= 1 and max(sizes) < MIN), f"answers {subset} pinned to {sorted(sizes)}"


roles = st.lists(st.tuples(st.sampled_from(["Facilitators", "Members"]), st.sampled_from(LIKERT)), min_size=0, max_size=60)


@settings(max_examples=150, deadline=None)
@given(roles)
def test_a_comparison_between_roles_never_gives_a_small_group_away(people):
    answered = [(f"p{i}", v) for i, (_, v) in enumerate(people)]
    role_of = {f"p{i}": r for i, (r, _) in enumerate(people)}
    item, table, _ = summarize_item("q", "q", "Question", "likert", answered, (), MIN, role_of)
    a, _ = published_equations(item, len(table.cells))
    parts = [list(range(len(table.cells)))] + [list(range(r * 5, r * 5 + 5)) for r in range(len(table.cells) // 5)] \
        if len(table.cells) > 5 else [list(range(len(table.cells)))]
    for part in parts:
        for k in range(1, 6):
            for subset in combinations(range(5), k):
                cells = [c for c in part if c % 5 in subset]
                vector = np.array([1.0 if i in cells else 0.0 for i in range(len(table.cells))])
                if recoverable(a, vector):
                    size = sum(table.values[c] for c in cells)
                    assert not 1 <= size < MIN, f"{subset} in part {part[:1]} recoverable as {size}"


@settings(max_examples=200, deadline=None)
@given(roles, st.lists(st.booleans(), min_size=12, max_size=12))
def test_skipping_the_bounds_of_groups_the_true_table_already_settles_changes_no_verdict(people, shown):
    """The judge skips integer programming for groups whose true size is 0 or at least the minimum
    (the true table is one the facts allow), and for groups a witness table settles (the true one
    moved along changes no fact sees). Against the same facts, computing every bound by integer
    programming gives the same exposures."""
    from generator.evaluate.disclosure import Exposure, Fact, _Span, _bounds, _zeros, table_exposures

    answered = [(f"p{i}", v) for i, (_, v) in enumerate(people)]
    role_of = {f"p{i}": r for i, (r, _) in enumerate(people)}
    _, table, _ = summarize_item("q", "q", "Question", "likert", answered, (), MIN, role_of)
    if not table.crossed:
        return
    cells = range(len(table.cells))
    # Some facts: the total, some single answers across roles, some role totals and single cells.
    candidates = [Fact.of("q", set(cells), "all")] + [Fact.of("q", col, f"answer {i}") for i, col in enumerate(table.columns)]
    candidates += [Fact.of("q", {c for c in cells if c // 5 == r}, f"role {r}") for r in range(len(table.cells) // 5)]
    candidates += [Fact.of("q", {c}, f"cell {c}") for c in cells]
    facts = [f for f, keep in zip(candidates, shown * 3) if keep]
    fast = table_exposures(table, facts, MIN)
    every = facts + _zeros(table, facts)
    span, slow = _Span(len(table.cells), every), []
    for group in table.groups:
        if span.contains((c, 1) for c in group.cells):
            low = high = sum(table.values[c] for c in group.cells)
        else:
            low, high = _bounds(table, every, group.cells)
        unanimous = bool(group.part) and high == 0 and sum(table.values[c] for c in group.part) > 0
        if (1 <= low and high < MIN) or unanimous:
            slow.append(Exposure(table.key, group.label, low, high, MIN))
    assert sorted(fast, key=str) == sorted(slow, key=str)


facts_over = st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.lists(st.tuples(st.integers(0, n - 1), st.integers(-3, 3)), min_size=1, max_size=n), max_size=n + 2),
    st.lists(st.sets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=20)))


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 8).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(-3, 3)), min_size=1, max_size=n), max_size=n))))
def test_every_group_of_a_small_table_is_judged_as_elimination_judges_it(drawn):
    """All 2**n groups of cells, not a sample: a group whose products with the complement's
    vectors cancel one another when summed together (a packing that is not exact) is among them."""
    from itertools import combinations

    from generator.evaluate.disclosure import Fact, _Span

    n, weights = drawn
    span = _Span(n, [Fact("t", tuple(w), "f") for w in weights])
    for k in range(1, n + 1):
        for cells in combinations(range(n), k):
            assert span.holds(frozenset(cells)) == span.contains((c, 1) for c in cells), cells


@settings(max_examples=300, deadline=None)
@given(facts_over)
def test_a_groups_size_follows_from_the_facts_by_orthogonality_exactly_when_by_elimination(drawn):
    """`holds` (orthogonal to every change no fact sees) agrees with `contains` (reduces to 0), and
    those changes are the ones the rational construction gives: d[free] = 1, d[p] = -row[free]/row[p]."""
    from fractions import Fraction
    from math import lcm

    from generator.evaluate.disclosure import Fact, _Span

    n, weights, groups = drawn
    span = _Span(n, [Fact("t", tuple(w), "f") for w in weights])
    for d in span.complement():
        assert all(sum(row.get(c, 0) * d[c] for c in range(n)) == 0 for row in span.rows.values())
    reference = []
    for free in (c for c in range(n) if c not in span.rows):
        d = [Fraction(0)] * n
        d[free] = Fraction(1)
        for p, row in span.rows.items():
            d[p] = -Fraction(row.get(free, 0), row[p])
        scale = lcm(*(a.denominator for a in d))
        reference.append([int(a * scale) for a in d])
    assert span.complement() == reference
    for cells in groups:
        assert span.holds(cells) == span.contains((c, 1) for c in cells)
        assert span.holds(cells) == recoverable(np.array([[row.get(c, 0) for c in range(n)] for row in span.rows.values()],
                                                         dtype=float).reshape(len(span.rows), n),
                                                np.array([1.0 if c in cells else 0.0 for c in range(n)]))
