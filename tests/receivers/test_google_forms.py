"""CreateForms.gs makes each form with FormApp exactly as forms/ defines it, linked to the response
spreadsheet under the tab the build reads: run in Node against a mock of FormApp that records
every call, and the recorded forms checked against the definitions."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from generator.config.forms import FieldType
from generator.receiver.apps_script import google_forms_script
from generator.validate.header import column_ids

HARNESS = r"""
const fs = require("fs");
const code = fs.readFileSync(process.argv[2], "utf8");
const forms = [];
let sheetIds = 100;
function sheet(name) {
  const s = { id: sheetIds++, name: name, rows: 0, formUrl: null };
  return Object.assign(s, { getSheetId() { return s.id; }, getName() { return s.name; }, setName(n) { s.name = n; return s; },
                            getLastRow() { return s.rows; } });
}
const sheets = [sheet("Applications")];
function validation(kind) {
  const v = { kind: kind, rules: [] };
  const chain = new Proxy({}, { get(_, name) {
    if (name === "build") return () => v;
    return (...args) => { v.rules.push([name, ...args]); return chain; };
  } });
  return chain;
}
globalThis.FormApp = {
  DestinationType: { SPREADSHEET: "SPREADSHEET" },
  createTextValidation: () => validation("text"),
  createParagraphTextValidation: () => validation("paragraph"),
  create(title) {
    const f = { title: title, items: [], destination: null, collectEmail: null, description: "" };
    forms.push(f);
    const add = type => () => { const t = { type: type }; const p = new Proxy(t, { get(target, name) {
      if (name === "__target") return target;
      return (...args) => { target[String(name).replace(/^set/, "").toLowerCase()] = args.length === 1 ? args[0] : args; return p; };
    } }); f.items.push(t); return p; };
    return {
      setDescription(d) { f.description = d; return this; }, setCollectEmail(b) { f.collectEmail = b; return this; },
      addTextItem: add("text"), addParagraphTextItem: add("paragraph"), addDateItem: add("date"),
      addMultipleChoiceItem: add("multiple_choice"), addCheckboxItem: add("checkbox"), addScaleItem: add("scale"),
      setDestination(type, id) { f.destination = [type, id]; sheets.push(sheet("Form Responses " + forms.length)); return this; },
      getPublishedUrl() { return "https://docs.google.com/forms/d/e/form" + forms.length + "/viewform"; },
    };
  },
};
globalThis.SpreadsheetApp = {
  flush() {},
  getActiveSpreadsheet: () => ({
    getId: () => "sheet-id", getSheets: () => sheets.slice(),
    getSheetByName: n => sheets.find(s => s.name === n) || null,
    deleteSheet: s => sheets.splice(sheets.indexOf(s), 1),
  }),
};
const logged = [];
globalThis.Logger = { log: m => logged.push(m) };
(0, eval)(code);
const made = createForms();
process.stdout.write(JSON.stringify({ forms: forms, made: made, tabs: sheets.map(s => s.name), logged: logged }));
"""


def run(code: str, tmp_path) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the generated Apps Script (apt-get install nodejs)")
    (tmp_path / "CreateForms.gs").write_text(code, encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS)
    out = subprocess.run([node, str(tmp_path / "harness.js"), str(tmp_path / "CreateForms.gs")], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


KIND = {FieldType.short_text: "text", FieldType.email: "text", FieldType.number: "text", FieldType.long_text: "paragraph",
        FieldType.date: "date", FieldType.single_choice: "multiple_choice", FieldType.yes_no: "multiple_choice",
        FieldType.multiple_choice: "checkbox", FieldType.likert: "scale"}


@pytest.mark.parametrize("program", ["circles", "pairs"])
def test_each_form_is_made_as_defined_and_lands_in_the_tab_the_build_reads(program, circles, pairs, tmp_path):
    loaded = {"circles": circles, "pairs": pairs}[program]
    model = loaded.program.model
    result = run(google_forms_script(loaded), tmp_path)
    people_forms = [fid for fid, f in loaded.forms.items() if f.audience != "staff"]
    assert len(result["forms"]) == len(people_forms)
    for fid, made in zip(people_forms, result["forms"]):
        form = loaded.forms[fid]
        assert made["title"] == f"{loaded.program.name}: {form.title}" and made["destination"] == ["SPREADSHEET", "sheet-id"]
        fields = form.asked(model)
        items = made["items"][:len(fields)]
        assert [i["title"] for i in items] == [f.label for f in fields]
        assert [i["type"] for i in items] == [KIND[f.type] for f in fields]
        assert [i["required"] for i in items] == [f.required for f in fields]
        for f, i in zip(fields, items):
            if f.type in (FieldType.single_choice, FieldType.multiple_choice):
                assert i["choicevalues"] == list(f.options)
            if f.type is FieldType.yes_no:
                assert i["choicevalues"] == ["Yes", "No"]
            if f.type is FieldType.likert:
                assert i["bounds"] == [1, 5]
            if f.type is FieldType.email:
                assert i["validation"]["rules"][0] == ["requireTextIsEmail"]
            if f.type is FieldType.number and f.min is not None and f.max is not None:
                assert i["validation"]["rules"][0] == ["requireNumberBetween", f.min, f.max]
            if f.max_words:
                assert i["validation"]["rules"][0][0] == "requireTextMatchesPattern"
        if form.signed:
            assert made["items"][-1]["title"] == "Link token"
        # the response sheet's header (Timestamp + question titles) is what the build reads
        header = ("Timestamp", *(i["title"] for i in made["items"]))
        staff_only = {f.id for f in form.fields if f.staff_only}  # added by staff by hand, not by the form
        assert set(column_ids(form, model, header)) == set(form.columns_for(model)) - staff_only
    assert {loaded.tab_of(fid) for fid in people_forms} <= set(result["tabs"])
    if program == "circles":
        application = result["forms"][0]
        opens = circles.program.dates.application_open
        assert f"Applications are open from {opens:%B} {opens.day}, {opens.year}" in application["description"]
        assert any('File upload question titled "Resume"' in line for line in result["logged"])


def test_the_word_limit_pattern_counts_words_as_the_build_does(circles, tmp_path):
    js = google_forms_script(circles) + """
const re = new RegExp(wordLimit(500));
process.stdout.write(JSON.stringify([re.test("w ".repeat(500)), re.test("w ".repeat(501)), re.test("one  two\\nthree")]));
"""
    (tmp_path / "w.js").write_text("globalThis.FormApp = {}; globalThis.SpreadsheetApp = {};\n" + js)
    out = subprocess.run([shutil.which("node") or "node", str(tmp_path / "w.js")], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True, False, True]
