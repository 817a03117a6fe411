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
    from generator.evaluate.summary import Section, Summary
    leaky_bars = tuple(dataclasses.replace(b, count=sum(table.values[c] for c in b.cells)) for b in item.overall.bars)
    leaky = dataclasses.replace(item, parts=(dataclasses.replace(item.overall, bars=leaky_bars),))
    section = Section("final", "Final evaluation", BUILD_DAY["circles"], 40, None, (leaky,))
    summary = Summary(5, 10, (section,), (), (), None, (table,))
    problems = [str(e) for e in check_release(summary)]
    assert any("Final: recommend: answering No can be computed as 1 people" in p for p in problems)


def test_a_publisher_that_shows_everything_stops_the_build_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(items_module, "publish", lambda table, candidates, minimum: tuple(f for b in candidates for f in b))
    site = tmp_path / "site"
    with pytest.raises(ReleaseError) as raised:
        build(BuildOptions(program=EXAMPLES["circles"], out=site, staff_out=tmp_path / "staff", work=tmp_path / "build",
                           today=BUILD_DAY["circles"]))
    assert "would expose a small group" in str(raised.value) and "can be computed as" in str(raised.value)
    assert not site.exists() and not (tmp_path / "staff").exists()
