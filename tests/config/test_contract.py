"""The form contract: a field or option the stages read, renamed in forms/, stops the build at load
with the file, the field and what needs it, never a KeyError halfway through matching."""
from __future__ import annotations

import shutil

import pytest

from generator.cli import main
from generator.config.program import load_program
from generator.errors import ConfigError
from generator.records import CONTRACT, check_contract
from tests.conftest import EXAMPLES, FORMS


def forms_copy(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(FORMS, folder)
    return folder


def test_both_examples_keep_the_contract(circles, pairs):
    assert check_contract(circles.forms, "circles") == [] and check_contract(pairs.forms, "rotating-pairs") == []


def test_a_field_renamed_consistently_in_form_and_sheet_is_named_at_load(tmp_path):
    forms = forms_copy(tmp_path)
    path = forms / "withdrawal.yml"
    path.write_text(path.read_text().replace("id: withdrawal_date", "id: date_left"))
    with pytest.raises(ConfigError) as info:
        load_program(EXAMPLES["circles"], forms)
    assert ("forms/withdrawal.yml: field 'withdrawal_date' (date) is missing for the circles model; the build needs it "
            "because a withdrawal counts from its date on") in str(info.value)


def test_a_renamed_option_the_matcher_compares_with_is_named(tmp_path):
    forms = forms_copy(tmp_path)
    path = forms / "application.yml"
    path.write_text(path.read_text().replace("Mentor or facilitator", "Lead a group"))
    with pytest.raises(ConfigError) as info:
        load_program(EXAMPLES["pairs"], forms)
    assert "field 'preferred_role' has no option 'Mentor or facilitator'" in str(info.value)
    assert "matching needs to know who volunteers to lead" in str(info.value)


def test_a_changed_type_or_an_optional_answer_the_stages_rely_on_is_named(tmp_path):
    forms = forms_copy(tmp_path)
    path = forms / "meeting_log.yml"
    text = path.read_text().replace("{id: minutes, label: Length in minutes, type: number, min: 5, max: 600}",
                                    "{id: minutes, label: Length in minutes, type: short_text, required: false}")
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_program(EXAMPLES["circles"], forms)
    text = str(info.value)
    assert "field 'minutes' is short_text, but must be number" in text and "field 'minutes' must be required" in text


def test_every_need_names_a_real_field_of_the_shipped_forms(circles, pairs):
    from generator.config.forms import load_forms

    forms = load_forms(FORMS)
    for need in CONTRACT:
        assert any(f.id == need.field for f in forms[need.form].fields), need


def test_a_bug_is_one_message_with_where_to_report_it(monkeypatch, capsys, tmp_path):
    import generator.pipeline as pipeline

    def broken(options, mkdocs=None):
        raise KeyError("full_name")

    monkeypatch.setattr(pipeline, "build", broken)
    code = main(["--out", str(tmp_path / "s"), "--staff-out", str(tmp_path / "t")], env={})
    err = capsys.readouterr().err
    assert code == 70 and "KeyError" in err and "issue tracker" in err and "Traceback" not in err


def test_help_answers_without_importing_the_pipeline():
    import subprocess
    import sys

    code = ("import sys; from generator.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'scipy', 'mkdocs', 'gspread') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]") and "exit codes:" in out.stdout


def test_the_opt_out_question_is_the_pairs_own(tmp_path, circles, pairs):
    """Circles asked "I want to continue and be matched next quarter" every quarter, and their
    evaluation page had a column for it: nobody in a circle is matched again. Only rotating pairs
    ask it, and only they need it; a pairs program without it is told at load."""
    from generator.render.forms import form_html

    checkin = circles.forms["checkin"]
    assert [f.id for f in checkin.asked("circles") if f.id == "wants_to_continue"] == []
    assert "wants_to_continue" in [f.id for f in checkin.asked("rotating-pairs")]
    assert "matched next quarter" not in form_html(checkin, "circles", "https://example.org/exec")
    assert "matched next quarter" in form_html(pairs.forms["checkin"], "rotating-pairs", "https://example.org/exec")
    forms = forms_copy(tmp_path)
    path = forms / "checkin.yml"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if "id: wants_to_continue" not in line) + "\n")
    load_program(EXAMPLES["circles"], forms)  # nothing of circles reads it
    with pytest.raises(ConfigError) as info:
        load_program(EXAMPLES["pairs"], forms)
    assert ("forms/checkin.yml: field 'wants_to_continue' (yes_no) is missing for the rotating-pairs model; the build "
            "needs it because people who opt out are not matched next round") in str(info.value)
