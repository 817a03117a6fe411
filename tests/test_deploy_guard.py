"""The deploy guard (build.py guard) and the change report: a bad read never reaches the public
site, and staff read what changed since the last build, in words."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys

import google.auth.exceptions as auth_errors
import pytest

from generator.cli import main
from generator.config.program import load_program
from generator.deploy_guard import guard_command
from generator.evaluate import items as items_module
import generator.pipeline as pipeline
from generator import forked
from generator.changes import BASELINE, ROWS
from generator.pipeline import BuildOptions, build
from generator.sources import sheets
from generator.sources.choose import save_snapshot, snapshot_folder
from generator.sources.workbook import read_workbook
from tests.conftest import BUILD_DAY, EXAMPLES, FORMS, REPO
from tests.helpers import tab_rows, write_tab
from tests.sources.cassettes import KEY
from tests.sources.fake_api import FakeSession

DAY = BUILD_DAY["circles"]


@pytest.fixture
def program(tmp_path):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    return folder / "program.yml"


def options(program, tmp_path, **more):
    return BuildOptions(program=program, out=tmp_path / "site", staff_out=tmp_path / "staff", work=tmp_path / "build",
                        today=DAY, **more)


def guard(opts, tmp_path, **env):
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    ok = guard_command(opts, {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs), **env}, None, say=lambda _: None)
    return ok, summary.read_text(encoding="utf-8"), outputs.read_text(encoding="utf-8")


def test_a_clean_build_may_deploy_and_the_summary_says_what_changed(program, tmp_path):
    opts = options(program, tmp_path)
    build(opts)
    ok, summary, outputs = guard(opts, tmp_path)
    assert ok and "ready to deploy" in summary and "No earlier build to compare with" in summary
    assert outputs == "deploy=true\n"


def test_an_old_snapshot_standing_in_for_the_sheet_stops_the_deploy(program, tmp_path):
    text = program.read_text(encoding="utf-8").replace("  kind: workbook\n", f"  kind: sheets\n  spreadsheet_key: {KEY}\n"
                                                        "  fallback_to_snapshot: true\n")
    program.write_text(text, encoding="utf-8")
    loaded = load_program(program, FORMS)
    three_days_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=72)
    book = read_workbook(loaded.data_path, loaded.source_tabs)
    save_snapshot(book, snapshot_folder(loaded, KEY), three_days_ago)
    refused = sheets.retrying_client(sheets.RetryPolicy(), sleep=lambda _: None)(
        None, session=FakeSession([auth_errors.RefreshError("invalid_grant")]))
    opts = options(program, tmp_path, http=refused, run_mkdocs=False)
    result = build(opts)
    assert "built from the snapshot" in result.gathered.workbook.notice
    ok, summary, outputs = guard(opts, tmp_path)
    assert not ok and outputs == "deploy=false\n"
    assert "used a snapshot 72 hours old (limit 48, deploy.max_snapshot_age_hours)" in summary


def test_a_jump_in_data_issues_stops_the_deploy(program, tmp_path):
    opts = options(program, tmp_path, run_mkdocs=False)
    build(opts)
    apps = program.parent / "data" / "Applications.csv"
    rows = tab_rows(apps)
    write_tab(apps, rows + [{**rows[0], "email": f"not an address {i}", "full_name": f"Row {i}"} for i in range(30)])
    build(opts)
    ok, summary, _ = guard(opts, tmp_path)
    assert not ok and "Data issues jumped from 7 to 37 since the last build (limit +25" in summary
    assert "**New data issues** (30)" in summary


def test_an_empty_applications_tab_stops_the_deploy(program, tmp_path):
    apps = program.parent / "data" / "Applications.csv"
    apps.write_text(apps.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    opts = options(program, tmp_path, run_mkdocs=False)
    build(opts)
    ok, summary, _ = guard(opts, tmp_path)
    assert not ok and "The Applications tab is empty (deploy.required_tabs)." in summary


def test_personal_data_on_the_built_public_site_stops_the_deploy(program, tmp_path):
    """A hand-written page that quotes a participant: the scan reads the site mkdocs really built."""
    someone = next(r for r in tab_rows(program.parent / "data" / "Applications.csv") if r["consent_to_list"] == "No")
    site_src = tmp_path / "site_src"
    shutil.copytree(REPO / "site_src", site_src)
    (site_src / "privacy.md").write_text(f"# Privacy\n\nThanks to {someone['full_name']} ({someone['email']}).\n", encoding="utf-8")
    opts = options(program, tmp_path, site_src=site_src)
    build(opts)
    ok, summary, _ = guard(opts, tmp_path)
    assert not ok
    assert f"privacy.html: the email address of a participant ({someone['email'].lower()})" in summary
    assert "privacy.html: the name of a person who did not consent to be listed" in summary


def test_a_build_that_refused_to_publish_a_small_cell_stops_the_deploy(program, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(items_module, "publish", lambda table, candidates, minimum: tuple(f for b in candidates for f in b))
    code = main(["--program", str(program), "--out", str(tmp_path / "site"), "--staff-out", str(tmp_path / "staff"),
                 "--today", DAY.isoformat()], env={})
    log = tmp_path / "build-errors.txt"
    log.write_text(capsys.readouterr().err, encoding="utf-8")
    assert code == 2
    ok, summary, outputs = guard(options(program, tmp_path), tmp_path, CRP_BUILD_OUTCOME="failure", CRP_BUILD_LOG=str(log))
    assert not ok and outputs == "deploy=false\n"
    assert "The build did not finish" in summary and "would expose a small group" in summary


def test_guard_exits_2_and_says_why_on_the_command_line(program, tmp_path, capsys):
    code = main(["guard", "--program", str(program), "--staff-out", str(tmp_path / "nothing-built")], env={})
    assert code == 2 and "There is no build to deploy" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["here", "aside", "from a baseline of before the rows file"])
def test_the_change_report_compares_two_reads(program, tmp_path, monkeypatch, where):
    """Two snapshots of the same workbook a week apart: each kind of change is said, in words,
    whether the rows were compared in the build's process or in a child (as from 1,000 people),
    and after an upgrade from a build that kept its rows in baseline.json."""
    if where == "aside":
        monkeypatch.setattr(pipeline, "ASIDE_FROM", 40)
        monkeypatch.setattr(forked, "can_fork", lambda: sys.platform.startswith("linux"))
    opts = options(program, tmp_path, run_mkdocs=False)
    build(opts)
    if where.startswith("from"):
        work = tmp_path / "build" / load_program(program, FORMS).program.slug
        old = {**json.loads((work / BASELINE).read_text()), "rows": json.loads((work / ROWS).read_text())["rows"]}
        (work / BASELINE).write_text(json.dumps(old))
        (work / ROWS).unlink()
    data = program.parent / "data"
    apps = tab_rows(data / "Applications.csv")
    changed = next(a for a in apps if a["full_name"] and "@" in a["email"] and a["department"])
    new = {**apps[0], "full_name": "Kim Osei", "email": "kim.osei@ufhealth.example.edu", "submitted_at": "11/10/2021 9:00:00"}
    for a in apps:
        if a is changed:
            a["department"] = a["department"] + " and Surgery"
    write_tab(data / "Applications.csv", apps + [new])
    withdrawals = tab_rows(data / "Withdrawals.csv")
    leaving = next(a for a in apps if a["email"] not in {w["email"] for w in withdrawals} and a is not changed
                   and a["email"].endswith(".edu"))
    write_tab(data / "Withdrawals.csv", withdrawals + [{**withdrawals[0], "email": leaving["email"], "withdrawal_date": "2022-06-01",
                                                        "submitted_at": "6/1/2022 9:00:00"}])
    meetings = tab_rows(data / "Meeting log.csv")
    write_tab(data / "Meeting log.csv", meetings + [{**meetings[0], "submitted_at": "9/20/2022 10:00:00"}])
    second = build(opts)
    changes = second.gathered.changes
    assert not changes.first
    assert any("Kim Osei (kim.osei@ufhealth.example.edu)" == a for a in changes.applications)
    assert any(leaving["email"].lower() in w for w in changes.withdrawals)
    assert f"{changed['full_name']} ({changed['email'].lower()}): department" in changes.changed_answers
    assert changes.responses == {"meeting_log": 1}
    # Their circle placement went: in a circles program that reads "in no circle", not "not in this round".
    assert any(leaving["email"].lower() in m and m.endswith(" -> in no circle") for m in changes.matches), changes.matches
    html = (tmp_path / "staff" / "changes.html").read_text(encoding="utf-8")
    assert "New applications (1)" in html and "Withdrawals (1)" in html and "Changed answers (1)" in html
    assert "Meeting log: 1 new response" in html, "a form by its title, as staff know it"
    assert changed["department"] not in html  # that an answer changed, not what it says
    third = build(opts)
    assert third.gathered.changes.empty and "Nothing changed since the last build" in (tmp_path / "staff" / "changes.md").read_text()


def test_the_baseline_and_status_hold_no_answer_in_clear(program, tmp_path):
    opts = options(program, tmp_path, run_mkdocs=False)
    build(opts)
    slug = load_program(program, FORMS).program.slug
    kept = {name: (tmp_path / "build" / slug / name).read_text(encoding="utf-8") for name in (BASELINE, ROWS)}
    statement = tab_rows(program.parent / "data" / "Applications.csv")[0]["statement_of_interest"]
    assert statement and not [name for name, text in kept.items() if statement in text]
    assert '"application"' in kept[ROWS], "the rows are there, hashed"
    status = json.loads((tmp_path / "staff" / "build.json").read_text(encoding="utf-8"))
    assert status["tabs"]["Applications"] > 40 and status["data_issues"] == 7
