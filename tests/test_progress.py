"""Progress: attrition with reasons, completion for the certificate, knowledge gaps per circle."""
from __future__ import annotations

import datetime as dt

from generator.matching.stage import match
from generator.progress.report import progress


def report_on(built, circles, day):
    g = built["circles"].gathered
    known = g.responses.as_of(day)  # as the build does: only what was known that day
    m = match(circles.program, known, g.screenings, day)
    return progress(circles.program, known, g.screenings, m, day)


def test_attrition_is_counted_with_reasons_at_the_end(built, circles):
    pr = report_on(built, circles, dt.date(2022, 10, 15))
    assert pr.attrition == "5 of 49 withdrew: 2 left the institution, 2 scheduling conflict, 1 workload"
    assert dict(pr.reasons) == {"Left the institution": 2, "Scheduling conflict": 2, "Workload": 1}


def test_a_dropout_in_march_is_active_in_february_and_withdrawn_in_april(built, circles):
    g = built["circles"].gathered
    march = next(w for w in g.responses.of("withdrawal") if w["withdrawal_date"].month == 3)
    before = {p.email: p for p in report_on(built, circles, dt.date(2022, 2, 28)).people}
    after = {p.email: p for p in report_on(built, circles, dt.date(2022, 4, 1)).people}
    assert before[march["email"]].status == "active"
    assert after[march["email"]].status == f"withdrew on {march['withdrawal_date']:%B} {march['withdrawal_date'].day}, {march['withdrawal_date'].year} ({march['reason']})"
    assert not after[march["email"]].complete


def test_completion_needs_every_module_and_the_end_of_the_program(built, circles):
    during = report_on(built, circles, dt.date(2022, 6, 1))
    end = report_on(built, circles, dt.date(2022, 10, 15))
    assert not any(p.complete for p in during.people)
    done = [p for p in end.people if p.complete]
    assert done and all(p.modules_done == p.modules_total == 5 and p.status == "active" and p.meetings >= 9 for p in done)
    assert all(not p.complete for p in end.people if p.modules_done < 5)


def test_knowledge_gaps_name_the_modules_a_circle_has_not_covered(built, circles):
    pr = report_on(built, circles, dt.date(2022, 10, 15))
    assert len(pr.circles) == 7
    for c in pr.circles:
        for gap in c.gaps:
            title, counts = gap.split(": ")
            done, _, total = counts.removesuffix(" completed").partition(" of ")
            assert int(done) / int(total) < 0.6 and int(total) == c.members


def test_where_modules_do_not_count_staff_read_no_module_rule_or_columns(built, pairs, circles):
    """The pairs' mentor training does not count toward completion (min_modules: 0): its rules
    say nothing of modules ("at least 0 module(s)" was seen) and its progress table has no
    module columns ("0 of 0" in every row); the circles keep both."""
    from generator.progress.report import completion_rules

    assert "module" not in completion_rules(pairs.program)
    assert "every module" in completion_rules(circles.program)
    pairs_page = built["pairs"].gathered.staff["progress.html"]
    circles_page = built["circles"].gathered.staff["progress.html"]
    assert isinstance(pairs_page, str) and isinstance(circles_page, str)
    assert '<th scope="col">Modules</th>' not in pairs_page and " of 0</td>" not in pairs_page
    assert "module(s)" not in pairs_page
    assert '<th scope="col">Modules</th><th scope="col">Mean score</th>' in circles_page and " of 5</td>" in circles_page


def test_progress_csv_is_in_the_staff_folder(built):
    text = (built["circles"].staff_dir / "progress.csv").read_text()
    assert text.startswith("name,email,group,status,modules_done,modules_total,mean_score,meetings,minutes,checkins,rounds,"
                           "final_evaluation,meeting_hours,module_hours,complete,missing,in_progress,out_of_reach,unlogged,hours,standing")


def test_a_report_as_of_a_date_counts_nothing_later(built, circles):
    early = {p.email: p for p in report_on(built, circles, dt.date(2022, 2, 1)).people}
    late = {p.email: p for p in report_on(built, circles, dt.date(2022, 10, 15)).people}
    assert sum(p.checkins for p in early.values()) == 0  # the first check-in closes in April
    assert sum(p.modules_done for p in early.values()) < sum(p.modules_done for p in late.values())
    assert all(early[e].meetings <= late[e].meetings for e in early)


def test_completers_get_a_certificate_and_a_training_record(tmp_path):
    import csv
    import io

    from generator.pipeline import BuildOptions, build
    from tests.conftest import EXAMPLES

    result = build(BuildOptions(program=EXAMPLES["circles"], out=tmp_path / "site", staff_out=tmp_path / "staff",
                                work=tmp_path / "build", today=dt.date(2022, 10, 15)))
    done = [p for p in result.gathered.staff if p.startswith("certificates/") and p.endswith(".pdf")]
    records = list(csv.DictReader(io.StringIO((tmp_path / "staff" / "training-records.csv").read_text())))
    completers = [p for p in progress(result.gathered.loaded.program, result.gathered.responses, result.gathered.screenings,
                                      result.gathered.matching, dt.date(2022, 10, 15)).people if p.complete]
    assert len(done) == len(records) == len(completers) > 0
    first = (tmp_path / "staff" / records[0]["certificate"]).with_suffix(".html").read_text()
    assert records[0]["name"] in first and "Certificate of completion" in first and "September 30, 2022" in first
    assert records[0]["completed_on"] == "2022-09-30"
    assert float(records[0]["hours_logged"]) == float(records[0]["meeting_hours"]) + float(records[0]["module_hours"]) > 0
    assert not list((tmp_path / "site").rglob("certificates*"))  # staff only


def test_nobody_gets_a_certificate_before_the_end():
    from generator.pipeline import BuildOptions, gather
    from tests.conftest import EXAMPLES

    g = gather(BuildOptions(program=EXAMPLES["circles"], run_mkdocs=False, today=dt.date(2022, 6, 1)))
    assert not [p for p in g.staff if p.startswith("certificates/") or p == "training-records.csv"]
