"""The release check reads the summary as the pages show it, and a leaky release stops the build."""
from __future__ import annotations

import dataclasses

import pytest

from generator.errors import ReleaseError
from generator.evaluate import items as items_module
from generator.evaluate.items import summarize_item
from generator.evaluate.release import check_release
from generator.pipeline import BuildOptions, build
from tests.conftest import BUILD_DAY, EXAMPLES




def test_one_small_bar_shown_is_an_exposure_naming_the_question():
    item, table, _ = summarize_item("Final: recommend", "would_recommend", "I would recommend this program", "yes_no",
                                    [(f"p{i}", i > 0) for i in range(34)], (), 5)
    assert item.overall.n == 34 and all(b.count is None for b in item.overall.bars)  # 33 yes, 1 no: no breakdown
    assert item.note.startswith("No breakdown")
    from generator.evaluate.summary import Participation, Section, Summary
    leaky_bars = tuple(dataclasses.replace(b, count=sum(table.values[c] for c in b.cells)) for b in item.overall.bars)
    leaky = dataclasses.replace(item, parts=(dataclasses.replace(item.overall, bars=leaky_bars),))
    section = Section("final", "Final evaluation", BUILD_DAY["circles"], None, None, (leaky,))
    summary = Summary(5, 10, Participation(None, None), (section,), (), (), None, (table,))
    problems = [str(e) for e in check_release(summary)]
    assert any("Final: recommend: answering No can be computed as 1 people" in p for p in problems)


def test_taking_part_on_every_date_would_show_a_dropout_in_april_and_is_caught():
    """The circles example: 45 on March 31 and 44 on May 21 would say one person left in between."""
    from generator.evaluate.summary import summarize
    from generator.pipeline import gather

    g = gather(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"]))
    summary = summarize(g.loaded.program, g.loaded.forms, g.responses, g.screenings, g.matching)
    assert not check_release(summary)
    hidden = [s for s in summary.rounds if s.invited is None]
    assert hidden, "the example has a single withdrawal between two survey dates"
    on = dict(summary.participation.on)
    leaky = dataclasses.replace(summary, rounds=tuple(dataclasses.replace(
        s, invited=sum(t.values[c] for t in summary.tables if t.key.startswith("Taking part") for c in on[s.due]))
        for s in summary.rounds))
    problems = [str(e) for e in check_release(leaky)]
    assert any(p.startswith("Taking part: withdrawals between survey dates: withdrew by") and "1 people" in p for p in problems), problems


def test_a_publisher_that_shows_everything_stops_the_build_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(items_module, "publish", lambda table, candidates, minimum: tuple(f for b in candidates for f in b))
    site = tmp_path / "site"
    with pytest.raises(ReleaseError) as raised:
        build(BuildOptions(program=EXAMPLES["circles"], out=site, staff_out=tmp_path / "staff", work=tmp_path / "build",
                           today=BUILD_DAY["circles"]))
    assert "would expose a small group" in str(raised.value) and "can be computed as" in str(raised.value)
    assert not site.exists() and not (tmp_path / "staff").exists()
