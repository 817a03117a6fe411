"""The Apps Script receiver is generated from the forms and judges submissions as the build does."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from generator.receiver.accept import accept_submission
from generator.receiver.apps_script import apps_script
from tests.gates.hostile import CORPUS
from tests.helpers import application

NOW = dt.datetime(2021, 10, 20, 9, 5, 7)
RUNNER = """
const fs = require("fs");
eval(fs.readFileSync(process.argv[2], "utf8"));
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(c => validateSubmission(c.form, c.params, "2021-10-20 09:05:07"))));
"""


def validation_js(loaded) -> str:
    code = apps_script(loaded)
    start, end = code.index("// BEGIN VALIDATION"), code.index("// END VALIDATION")
    return code[start:end]


def run_node(js: str, cases: list[dict], tmp_path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the generated Apps Script validation (apt-get install nodejs)")
    (tmp_path / "validation.js").write_text(js)
    (tmp_path / "run.js").write_text(RUNNER)
    out = subprocess.run([node, str(tmp_path / "run.js"), str(tmp_path / "validation.js")], input=json.dumps(cases),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def cases_for(loaded) -> list[dict]:
    app = application()
    app.pop("submitted_at")
    base = {k: [v] for k, v in app.items() if v}
    base["primary_responsibilities"] = ["Recruitment and consent", "Study coordination"]
    variants = [base, {**base, "website": ["bot"]}, {**base, "email": ["kim at ufl"]}, {**base, "employment_start": ["2021-02-30"]},
                {**base, "employment_start": ["3/1/2019"]}, {**base, "campus": ["Jax"]}, {**base, "statement_of_interest": ["w " * 501]},
                {**base, "statement_of_interest": ["w " * 500]}, {**base, "research_experience_years": ["51"]},
                {**base, "research_experience_years": ["1,5"]}, {**base, "degrees": ["Master's degree, Knitting"]},
                {**base, "job_title": ["   "]}, {**base, "plans_to_stay": ["maybe"]}, {**base, "plans_to_stay": ["Y"]}]
    variants += [{**base, "job_title": [nasty], "goals": [nasty]} for nasty in CORPUS]
    variants += [{**base, "email": [nasty]} for nasty in CORPUS[:8]]
    cases = [{"form": "application", "params": v} for v in variants]
    checkin = {"email": ["ana.rivera@ufhealth.example.edu"], "quarter": ["Q2"], "meetings_held": ["3"], "wants_to_continue": ["Yes"]}
    for rating in ["4", "5 - Strongly agree", "Agree", "6", "0", "four"]:
        cases.append({"form": "checkin", "params": {**checkin, "satisfaction": [rating], "token": ["abc"]}})
    # A meeting's date (past_only) against the day it is sent (NOW, October 20, 2021): a day's grace.
    meeting = {"email": ["ana.rivera@ufhealth.example.edu"], "minutes": ["60"], "format": ["Virtual"]}
    for day in ["2021-10-19", "10/20/2021", "2021-10-21", "2021-10-22", "12/1/2021", "2021/10/22"]:
        cases.append({"form": "meeting_log", "params": {**meeting, "meeting_date": [day]}})
    return cases


@pytest.mark.parametrize("program", ["circles", "pairs"])
def test_node_and_python_agree_on_every_case(program, circles, pairs, tmp_path):
    loaded = {"circles": circles, "pairs": pairs}[program]
    cases = cases_for(loaded)
    js = run_node(validation_js(loaded), cases, tmp_path)
    for case, verdict in zip(cases, js):
        form = loaded.forms[case["form"]]
        py = accept_submission(form, loaded.program.model, case["params"], NOW)
        assert verdict["spam"] == py.spam, case
        assert verdict["ok"] == (py.row is not None), (case, verdict["errors"], py.errors)
        assert {e.split(":")[0] for e in verdict["errors"]} == {e.split(":")[0] for e in py.errors}, case
        if case["form"] == "meeting_log":  # the same words, so staff and people read one rule
            assert verdict["errors"] == list(py.errors), case
        if py.row is not None:
            assert verdict["row"].get("token", "") == py.row.get("token", "")
    refused = [c["params"]["meeting_date"][0] for c, v in zip(cases, js) if c["form"] == "meeting_log" and not v["ok"]]
    assert refused == ["2021-10-22", "12/1/2021", "2021/10/22"]  # after October 21: the day after it is sent


def test_the_script_locks_neutralizes_and_escapes(circles, tmp_path):
    code = apps_script(circles)
    assert "LockService.getScriptLock()" in code and "lock.releaseLock()" in code
    js = validation_js(circles) + ("\nprocess.stdout.write(JSON.stringify(['=1+1', '+x', '-2', '@SUM(A1)', '  =x', 'Ana', '007']"
                                   ".map(function (v) { return cellValue('application', 'job_title', v); })"
                                   ".concat([cellValue('application', 'research_experience_years', '1,200')])));")
    (tmp_path / "n.js").write_text(js)
    out = subprocess.run([shutil.which("node") or "node", str(tmp_path / "n.js")], capture_output=True, text=True, check=True)
    # every answer is stored as literal text (Sheets shows it without the apostrophe); numbers as numbers
    assert json.loads(out.stdout) == ["'=1+1", "'+x", "'-2", "'@SUM(A1)", "'  =x", "'Ana", "'007", 1200]
    assert "withdrawal" not in json.loads(code[code.index("var FORMS = ") + 12: code.index(";\nvar SITE_URL")])


def test_the_build_ships_the_script_to_staff(built):
    assert (built["circles"].staff_dir / "apps-script" / "Code.gs").read_text().startswith('// Receiver for "Co-Mentoring Circles')
