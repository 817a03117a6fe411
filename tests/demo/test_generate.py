"""The demo generator is deterministic, realistic and shaped like the two pilots."""
from __future__ import annotations

from collections import Counter

from generator.demo.generate import generate, write_demo
from generator.sources.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from generator.sources.table import Workbook


def rows_of(tables, tab):
    t = tables[tab]
    return [dict(zip(t.header, r)) for r in t.rows]


def test_same_seed_same_workbook_other_seed_other_people(circles):
    assert generate(circles, 49, seed=1) == generate(circles, 49, seed=1)
    names = lambda s: {r["full_name"] for r in rows_of(generate(circles, 49, seed=s), "Applications")}
    assert names(1) != names(2)


def test_written_files_read_back_identically(circles, tmp_path):
    write_demo(circles, tmp_path, 49, seed=1)
    tabs = [circles.tab_of(f) for f in circles.forms]
    assert read_workbook(tmp_path, tabs).tabs == generate(circles, 49, seed=1)


def test_the_circles_pilot_shape(circles):
    tables = generate(circles, 49, seed=1, bad_rows=False)
    responses = validate_workbook(circles, Workbook(tables, "demo"))
    assert responses.issues == ()
    apps = responses.of("application")
    assert len(apps) == 49 + 1  # 49 participants and one applicant who is not eligible
    facilitators = [a for a in apps if a["preferred_role"] == "Mentor or facilitator"]
    assert len(facilitators) >= 7
    assert Counter(w["reason"] for w in responses.of("withdrawal")) == {"Left the institution": 3, "Scheduling conflict": 2}
    assert {r["code"] for r in responses.of("focus_group")} == {"Situation", "Knowledge", "Learning", "Relationships"}
    assert {a["campus"] for a in apps} <= {"Gainesville", "Jacksonville", "Remote"}
    assert len({a["department"] for a in apps}) >= 10
    assert {m["module"] for m in responses.of("module_progress")} == {m.id for m in circles.program.curriculum}


def test_some_applicants_supervise_others(circles):
    apps = rows_of(generate(circles, 49, seed=1), "Applications")
    emails = {a["email"] for a in apps}
    assert any(a["supervisor_email"] in emails for a in apps)


def test_the_pairs_pilot_has_opt_outs_between_rounds(pairs):
    tables = generate(pairs, 40, seed=2, bad_rows=False)
    responses = validate_workbook(pairs, Workbook(tables, "demo"))
    assert responses.issues == ()
    checkins = responses.of("checkin")
    assert {c["quarter"] for c in checkins} == {"Q1", "Q2", "Q3", "Q4"}
    quitters = {c["email"] for c in checkins if not c["wants_to_continue"]}
    assert quitters
    for email in quitters:
        stopped = min(c["quarter"] for c in checkins if c["email"] == email and not c["wants_to_continue"])
        assert all(c["quarter"] <= stopped for c in checkins if c["email"] == email)
    assert responses.of("midpoint") and responses.of("final")


def test_bad_rows_are_planted_for_the_data_issues_report(circles):
    responses = validate_workbook(circles, Workbook(generate(circles, 49, seed=1), "demo"))
    reasons = " | ".join(i.reason for i in responses.issues)
    for expected in ("duplicate submission", "is not an email address", "is not a date", "612 words; at most 500 are allowed",
                     "a required answer is missing", "is not one of the options", "is not a module of the curriculum"):
        assert expected in reasons


def test_scales_to_five_thousand(circles):
    tables = generate(circles, 5000, seed=3, bad_rows=False, announce=False)
    assert len(tables["Applications"].rows) == 5000 + 200
    assert len({r[2] for r in tables["Applications"].rows}) == 5200  # unique emails
