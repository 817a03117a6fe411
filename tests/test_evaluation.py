"""Evaluation summaries: aggregate only, small groups suppressed, comments scrubbed, charts described."""
from __future__ import annotations

import dataclasses
import re

from generator.evaluate.summary import summarize, summarize_item


def test_cells_below_the_minimum_are_hidden_but_totals_stay_true():
    item = summarize_item("The program met my expectations", "likert", [5] * 6 + [4] * 3 + [2], (), 5)
    counts = {b.label: b.count for b in item.bars}
    assert counts == {"1 Strongly disagree": 0, "2 Disagree": None, "3 Neutral": 0, "4 Agree": None, "5 Strongly agree": 6}
    assert item.headline == "90% agree or strongly agree (mean 4.4 of 5)"  # (6*5 + 3*4 + 2) / 10


def test_a_form_with_too_few_responses_is_not_published(built):
    g = built["circles"].gathered
    few = dataclasses.replace(g.responses, by_form={**g.responses.by_form, "final": g.responses.of("final")[:4]})
    summary = summarize(g.loaded.forms, "circles", few, 5)
    final = next(s for s in summary.sections if s.title == "Final evaluation")
    assert final.suppressed and final.items == () and final.comments == ()
    assert final.note == "4 response(s): fewer than 5, so nothing is published."


def test_comments_naming_someone_are_scrubbed(built):
    g = built["circles"].gathered
    someone = g.responses.of("application")[0]
    rows = list(g.responses.of("midpoint"))
    values = dict(rows[0].values)
    values["most_valuable"] = f"Thanks to {someone['full_name']} ({someone['email']}) for the binder tips"
    rows[0] = dataclasses.replace(rows[0], values=values)
    responses = dataclasses.replace(g.responses, by_form={**g.responses.by_form, "midpoint": tuple(rows)})
    summary = summarize(g.loaded.forms, "circles", responses, 5)
    comments = [c for s in summary.sections for _, answers in s.comments for c in answers]
    assert "Thanks to [name] [name] ([email]) for the binder tips" in comments
    assert not any(someone["full_name"].split()[-1] in c for c in comments)


def test_every_chart_has_a_text_alternative_and_a_data_table(built):
    page = (built["circles"].site_dir / "evaluation.html").read_text()
    charts = re.findall(r'<svg role="img" aria-labelledby="([^" ]+) ([^"]+)"', page)
    assert len(charts) >= 5
    for title, desc in charts:
        assert f'<title id="{title}">' in page and f'<desc id="{desc}">' in page
    assert page.count("(data for the chart above)</caption>") == len(charts)


def test_focus_group_codes_and_check_ins_are_summarized(built):
    s = built["circles"].gathered  # the evaluation summary is part of the gathered pages
    page = next(p for p in s.pages if p.path == "evaluation.md").content
    for code in ("Situation", "Knowledge", "Learning", "Relationships"):
        assert f"<td>{code}</td>" in page
    assert "want to continue" in page
