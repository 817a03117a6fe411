"""Evaluation summaries: aggregate only, small groups suppressed with their complements, comments
scrubbed and only from enough writers, charts described, the paper's codebook and logic model."""
from __future__ import annotations

import csv
import dataclasses
import re

from generator.dates import long_date

from generator.evaluate.items import summarize_item
from generator.evaluate.summary import summarize
from tests.conftest import EXAMPLES


def test_a_small_cell_is_hidden_with_enough_others_that_it_cannot_be_recovered():
    # 6 strongly agree, 3 agree, 1 disagree, 10 answers: showing 6 and the total would give away 3 + 1.
    item, _, _ = summarize_item("t", "met", "The program met my expectations", "likert",
                                [(f"p{i}", v) for i, v in enumerate([5] * 6 + [4] * 3 + [2])], (), 5)
    counts = {b.label: b.count for b in item.overall.bars}
    assert counts["Agree"] is None and counts["Disagree"] is None
    assert item.overall.n == 10
    shown = [c for c in counts.values() if c is not None]
    assert 10 - sum(shown) >= 5  # what is hidden is, together, at least the minimum
    assert item.overall.agree is None and item.overall.median is None  # both would reveal the hidden bars


def test_all_but_a_few_giving_one_answer_shows_no_breakdown():
    item, _, _ = summarize_item("t", "rec", "I would recommend this program", "yes_no",
                                [(f"p{i}", i != 0) for i in range(34)], (), 5)
    assert item.overall.n == 34 and [b.count for b in item.overall.bars] == [None, None]
    assert item.overall.agree is None and item.note.startswith("No breakdown")


def gathered_with(built, form, rows):
    g = built["circles"].gathered
    responses = dataclasses.replace(g.responses, by_form={**g.responses.by_form, form: tuple(rows)})
    return summarize(g.loaded.program, g.loaded.forms, responses, g.screenings, g.matching)


def test_a_survey_with_too_few_responses_publishes_nothing(built):
    summary = gathered_with(built, "final", built["circles"].gathered.responses.of("final")[:4])
    final = next(s for s in summary.sections if s.key == "final")
    assert final.respondents is None and final.items == () and final.comments == ()
    assert final.note == "Results appear once at least 5 people have answered."


def test_comments_naming_someone_are_scrubbed(built):
    g = built["circles"].gathered
    someone = g.responses.of("application")[0]
    rows = list(g.responses.of("midpoint"))
    values = dict(rows[0].values)
    values["most_valuable"] = f"Thanks to {someone['full_name']} ({someone['email']}) for the binder tips"
    rows[0] = dataclasses.replace(rows[0], values=values)
    summary = gathered_with(built, "midpoint", rows)
    comments = [c for s in summary.sections for _, answers in s.comments for c in answers]
    assert "Thanks to [name] [name] ([email]) for the binder tips" in comments
    assert not any(someone["full_name"].split()[-1] in c for c in comments)


def test_comments_need_ten_writers(built):
    g = built["circles"].gathered
    shown = next(s for s in summarize(g.loaded.program, g.loaded.forms, g.responses, g.screenings, g.matching).sections
                 if s.key == "final")
    assert "What should we change?" in [q for q, _ in shown.comments]  # 10 or more wrote one
    few = [dataclasses.replace(r, values={**r.values, "improvements": None}) for r in g.responses.of("final")]
    for r in few[:9]:
        r.values["improvements"] = "Less on weekends"  # type: ignore[index]
    summary = gathered_with(built, "final", [dataclasses.replace(r, values=dict(r.values)) for r in few])
    final = next(s for s in summary.sections if s.key == "final")
    assert "What should we change?" not in [q for q, _ in final.comments]


def test_every_chart_has_a_text_alternative_and_a_data_table(built):
    page = (built["circles"].site_dir / "evaluation.html").read_text()
    charts = re.findall(r'<svg role="img" aria-labelledby="([^" ]+) ([^"]+)"', page)
    assert len(charts) >= 8
    for title, desc in charts:
        assert f'<title id="{title}">' in page and f'<desc id="{desc}">' in page
    assert page.count("<summary>Data table: ") >= len(charts)


def test_the_question_comes_first_then_the_chart_then_its_table(built):
    page = (built["circles"].site_dir / "evaluation.html").read_text()
    question = page.index(">I gained knowledge useful in my job</h3>")
    chart = page.index("<svg", question)
    table = page.index("<summary>Data table: I gained knowledge useful in my job</summary>", chart)
    assert question < chart < table
    assert "median answer:" in page and "agree or strongly agree" in page


def test_response_rates_per_survey_and_round(built):
    """Every survey and round has its row; where "taking part then" would show that fewer than five
    left between two dates (the pairs example: three leave after Q1), it and its rate are not shown."""
    summary = next(p for p in built["pairs"].gathered.pages if p.path == "evaluation.md").content
    for title in ("Mid-program evaluation", "Final evaluation", "Q1 check-in", "Q4 check-in"):
        row = re.search(rf"<tr><td>{title}</td><td>[A-Z][a-z]+ \d+, \d{{4}}</td><td>(\d+|not shown)</td><td>(\d+)</td>"
                        rf"<td>(\d+%|not shown)</td></tr>", summary)
        assert row, title
        invited, answered, rate = row.groups()
        if invited == "not shown":
            assert rate == "not shown"
        else:
            assert rate == f"{int(answered) / int(invited):.0%}"
    # Due when the schedule, the pages and the reminders say (a week after the round; the program's
    # mid-program date), not the round's last day or the cohort's middle.
    # (41 answered the Q1 check-in; 40 had a match in Q1: a round counts those matched in it.)
    assert re.search(r"<td>Q1 check-in</td><td>April 4, 2025</td><td>49</td><td>40</td><td>82%</td>", summary)
    assert re.search(r"<td>Q2 check-in</td><td>July 4, 2025</td><td>not shown</td>", summary)
    schedule = built["pairs"].gathered.schedule
    due = {e.key: long_date(e.start) for e in schedule.program if e.kind in ("checkin", "evaluation")}
    assert due["checkin-Q1"] == "April 4, 2025"
    assert re.search(rf"<td>Mid-program evaluation</td><td>{due['midpoint']}</td>", summary)
    assert re.search(rf"<td>Final evaluation</td><td>{due['final']}</td>", summary)


def test_the_circles_focus_group_follows_the_papers_codebook(built):
    page = next(p for p in built["circles"].gathered.pages if p.path == "evaluation.md").content
    assert "11 participants attended the focus group on October 14, 2022" in page
    for code, sub in (("Situation", "Inclusion of PIs in sessions"), ("Knowledge", "SOPs"),
                      ("Learning", "Safe space to learn"), ("Relationships", "Professional identity")):
        assert f"<th scope=\"row\">{code}" in page and sub in page
    assert "Situation: in participants' words" in page


def test_the_logic_model_shows_the_papers_table_2_with_measured_indicators(built):
    page = (built["circles"].site_dir / "logic-model.html").read_text()
    for column in ("Inputs", "Activities", "Outputs", "Short-term outcomes", "Intermediate-term outcomes", "Long-term outcomes"):
        assert f">{column}<" in page
    assert "CRP national certification." in page
    assert re.search(r"Measured:</strong> \d+ of \d+ respondents certified during the program \(final evaluation, as of November 1, 2022\)", page)
    assert re.search(r"Measured:</strong> \d+ meetings logged, [\d.]+ per participant", page)
    assert "Effective initiation of studies." in page  # a box without an indicator says nothing measured
    # Table 2's career development box: retention, professional societies and leadership, each measured.
    box = re.search(r"<li>Successful career development.*?</li>", page, re.S).group(0)
    assert box.count("<strong>Measured:") + box.count("<strong>Measures:") == 3
    final = [r for r in csv.DictReader((EXAMPLES["circles"].parent / "data" / "Final evaluation.csv").open())]
    for field, words in (("society_role", "have joined a professional society or taken a role in one"),
                         ("new_role", "have taken on a new role, more responsibility or a promotion")):
        answered = [r[field] for r in final if r[field] in ("Yes", "No")]
        share = sum(a == "Yes" for a in answered) / len(answered)
        assert f"{share:.0%} of {len(answered)} respondents {words} since joining" in box


def test_an_indicator_that_cannot_be_shown_says_what_it_measures_and_why(built):
    """Most of the 35 respondents still work here and fewer than 5 do not: the share would show that
    small group, so it is held back, and the box says which measure that is, not only "not published"."""
    final = [r for r in csv.DictReader((EXAMPLES["circles"].parent / "data" / "Final evaluation.csv").open())]
    assert 0 < sum(r["still_employed"] == "No" for r in final) < 5
    page = (built["circles"].site_dir / "logic-model.html").read_text()
    assert ("<strong>Measures:</strong> the share of respondents still working in clinical research here "
            "(final evaluation, as of November 1, 2022): not published, as it would show a group of fewer than 5.") in page
    assert "still work in clinical research here" not in page


def test_staff_preview_the_evaluation_as_the_public_site_shows_it(built):
    staff = (built["circles"].staff_dir / "evaluation.html").read_text()
    public = (built["circles"].site_dir / "evaluation.html").read_text()
    assert "Preview: exactly what the public site shows" in staff
    for question in re.findall(r'<h3 id="[^"]+">([^<]+)</h3>', public):
        assert f">{question}</h3>" in staff
    assert "By role: Facilitators, 13 answers" in staff and "By role: Facilitators, 13 answers" in public
    assert 'href="logic-model.html"' in staff and (built["circles"].staff_dir / "logic-model.html").exists()


def test_a_program_that_does_not_publish_its_evaluation_yet_keeps_it_in_the_staff_reports(tmp_path):
    import shutil

    import yaml

    from generator.pipeline import BuildOptions, build
    from tests.conftest import BUILD_DAY

    folder = tmp_path / "circles"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    config = yaml.safe_load((folder / "program.yml").read_text())
    config["evaluation"]["publish"] = False
    (folder / "program.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = build(BuildOptions(program=folder / "program.yml", out=tmp_path / "site", staff_out=tmp_path / "staff",
                                work=tmp_path / "build", today=BUILD_DAY["circles"]))
    assert not (result.site_dir / "evaluation.html").exists() and not (result.site_dir / "logic-model.html").exists()
    for page in result.site_dir.rglob("*.html"):
        text = page.read_text(errors="replace")
        assert "evaluation.html" not in text and "logic-model.html" not in text, page
    preview = (result.staff_dir / "evaluation.html").read_text()
    assert "Not on the public site: <code>evaluation.publish</code> is false" in preview
    assert "I feel more prepared for a certification exam</h3>" in preview
    assert "certified during the program" in (result.staff_dir / "logic-model.html").read_text()


def test_a_rounds_check_in_counts_those_matched_in_it_not_those_who_sat_it_out(built):
    """Someone who sat Q2 out answers the Q2 check-in only to be matched in Q3: no meetings, the
    match question left blank. Counted, their zero read as Q2's pairs meeting less (2.5 -> 2.1
    a round in the example). A round counts those with a role in it, and the page says so."""
    g = built["pairs"].gathered
    summary = summarize(g.loaded.program, g.loaded.forms, g.responses, g.screenings, g.matching)
    came_back = 0
    for section in summary.rounds:
        quarter = section.key.removeprefix("checkin-")
        matched = {r.person_id for r in g.matching.rows if r.round == quarter and r.role}
        answers = [c for c in g.responses.records.checkins if c.quarter == quarter]
        counted = [c for c in answers if c.email in matched]
        came_back += sum(c.satisfaction is None and c.meetings_held == 0 for c in answers if c.email not in matched)
        assert section.respondents == len(counted) < len(answers)
        meetings = next(item for item in section.items if item.field == "meetings_held")
        assert meetings.mean == round(sum(c.meetings_held for c in counted) / len(counted), 1)
    assert came_back >= 5  # the example has people coming back after a round sat out
    page = built["pairs"].gathered.pages
    text = next(p.content for p in page if p.path == "evaluation.md")
    assert "Each round counts the answers of those matched in it" in text
    circles = next(p.content for p in built["circles"].gathered.pages if p.path == "evaluation.md")
    assert "Each round counts" not in circles  # a circle is the whole cohort's one round
