"""The Apps Script receiver, run whole in Node against a mock of the Apps Script services that
behaves like a sheet (a leading apostrophe keeps text literal and is not shown): every header
layout the build reads round-trips every answer, and a tab it cannot write refuses cleanly."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from generator.receiver.apps_script import apps_script
from generator.sources.sheets import table_of  # the reader of Sheets API values, as a build reads them
from tests.receivers.layouts import answers, expected, layouts, read_back

HARNESS = r"""
const fs = require("fs");
const code = fs.readFileSync(process.argv[2], "utf8");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
// What FORMATTED_VALUE returns: numbers as text, text typed with a leading apostrophe without it.
function display(v) { if (typeof v === "number") return String(v); v = String(v); return v.startsWith("'") ? v.slice(1) : v; }
function makeSheet(rows) {
  return {
    rows: rows,
    getLastColumn() { return this.rows.length ? Math.max(...this.rows.map(r => r.length)) : 0; },
    getLastRow() { return this.rows.length; },
    getRange(r, c, nr, nc) { const rows = this.rows; return { getDisplayValues() { return [rows[r - 1].slice(c - 1, c - 1 + nc).map(display)]; } }; },
    appendRow(values) { this.rows.push(values.slice()); },
  };
}
const results = [];
for (const c of cases) {
  const sheets = {};
  for (const [name, rows] of Object.entries(c.tabs)) sheets[name] = makeSheet(rows);
  globalThis.SpreadsheetApp = { getActiveSpreadsheet: () => ({
    getSheetByName: n => sheets[n] || null, insertSheet: n => (sheets[n] = makeSheet([])) }) };
  globalThis.LockService = { getScriptLock: () => ({ waitLock() {}, releaseLock() {} }) };
  globalThis.Utilities = { formatDate: () => c.now || "2021-10-20 09:05:07" };
  globalThis.Session = { getScriptTimeZone: () => "America/New_York" };
  globalThis.HtmlService = { createHtmlOutput: html => ({ html: html, setTitle(t) { this.title = t; return this; } }) };
  (0, eval)(code);
  const out = doPost({ pathInfo: c.form, parameters: c.params });
  const tabs = {};
  for (const [name, s] of Object.entries(sheets)) tabs[name] = s.rows.map(r => r.map(display));
  results.push({ html: out.html, tabs: tabs });
}
process.stdout.write(JSON.stringify(results));
"""


def run(code: str, cases: list[dict], tmp_path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the generated Apps Script (apt-get install nodejs)")
    (tmp_path / "Code.gs").write_text(code, encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS)
    out = subprocess.run([node, str(tmp_path / "harness.js"), str(tmp_path / "Code.gs")], input=json.dumps(cases),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("program", ["circles", "pairs"])
def test_every_header_layout_round_trips_every_answer(program, circles, pairs, tmp_path):
    loaded = {"circles": circles, "pairs": pairs}[program]
    form, model = loaded.forms["application"], loaded.program.model
    posted = answers(form, model)
    want = expected(form, model, posted)
    cases = []
    for name, header in layouts(form, model).items():
        earlier = ["10/1/2021 8:00:00"] + [""] * (len(header) - 1)
        cases.append({"name": name, "form": "application", "params": posted, "tabs": {form.tab: [header, earlier]}})
    cases.append({"name": "no tab yet", "form": "application", "params": posted, "tabs": {}})
    cases.append({"name": "an empty tab", "form": "application", "params": posted, "tabs": {form.tab: []}})
    opened = f"{loaded.program.dates.application_open} 09:05:07"
    for case in cases:
        case["now"] = opened
    for case, result in zip(cases, run(apps_script(loaded), cases, tmp_path)):
        assert "<h1>Thank you</h1>" in result["html"], (case["name"], result["html"])
        rows = result["tabs"][form.tab]
        assert read_back(form, model, table_of(rows), "kim.osei@ufhealth.example.edu") == want, case["name"]


def test_a_tab_without_a_column_for_an_answer_refuses_and_writes_nothing(circles, tmp_path):
    form = circles.forms["application"]
    header = [c if c != "goals" else "Goals (old wording)" for c in form.columns_for("circles")]
    case = {"form": "application", "params": answers(form, "circles"), "tabs": {form.tab: [header]}}
    (result,) = run(apps_script(circles), [case], tmp_path)
    assert "<h1>Please check your answers</h1>" in result["html"] and "nothing was kept" in result["html"]
    assert "no column for goals" in result["html"] and result["tabs"][form.tab] == [header]


def test_a_program_name_cannot_inject_code_and_the_result_page_links_home(circles, tmp_path):
    hostile = circles.program.model_copy(update={
        "name": "Circles\u2028alert('pwned');//\u2029</script>", "site_url": "https://crp.example.edu/circles/"})
    code = apps_script(circles.model_copy(update={"program": hostile}))
    assert "\u2028" not in code and "\u2029" not in code
    first = code.split("\n")[0]
    assert first.startswith("// Receiver for ") and "alert('pwned')" in first  # harmless text inside the comment
    case = {"form": "application", "params": {"full_name": [""]}, "tabs": {}}
    (result,) = run(code, [case], tmp_path)  # parses and runs: the name ended no comment
    assert '<a href="https://crp.example.edu/circles/">Back to the site</a>' in result["html"]


@pytest.mark.parametrize("when, sentence", [("2021-09-30 23:59:00", "The application form opens on October 1, 2021."),
                                            ("2021-11-16 00:00:01", "The application form closed on November 15, 2021.")])
def test_outside_its_window_the_script_refuses_and_keeps_nothing(circles, tmp_path, when, sentence):
    form = circles.forms["application"]
    case = {"form": "application", "params": answers(form, "circles"), "tabs": {form.tab: [form.columns_for("circles")]},
            "now": when}
    on_last_day = {**case, "now": "2021-11-15 23:59:59"}
    closed, last_day = run(apps_script(circles), [case, on_last_day], tmp_path)
    assert sentence in closed["html"] and "Nothing was kept." in closed["html"]
    assert closed["tabs"][form.tab] == [form.columns_for("circles")]
    assert "<h1>Thank you</h1>" in last_day["html"] and len(last_day["tabs"][form.tab]) == 2
