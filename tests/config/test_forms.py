"""Form definitions are checked at load; every file's problems are reported together."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.config.forms import TYPE_DESCRIPTIONS, FieldType, load_forms
from generator.errors import ConfigError
from tests.conftest import FORMS

GOOD = """id: {id}
title: Exit interview
tab: Exit
identity: email
fields:
  - {{id: email, label: Email, type: email}}
"""


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / f"{name}.yml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_forms(tmp_path)
    return info.value.problems


def test_every_bundled_form_loads():
    forms = load_forms(FORMS)
    assert {"application", "checkin", "midpoint", "final", "meeting_log", "withdrawal", "module_progress", "focus_group"} <= set(forms)
    statement = forms["application"].field("statement_of_interest")
    assert statement.max_words == 500 and statement.free_text


def test_every_field_type_is_used_by_some_form():
    used = {f.type for form in load_forms(FORMS).values() for f in form.fields}
    assert used == set(FieldType)


def test_choice_without_options(tmp_path):
    text = GOOD.format(id="exit") + "  - {id: reason, label: Why, type: single_choice}\n"
    assert problems(tmp_path, {"exit": text}) == [
        "exit.yml, 'fields[2]': field 'reason' is a single_choice question but lists no options"]


def test_word_limit_only_on_long_text(tmp_path):
    text = GOOD.format(id="exit") + "  - {id: why, label: Why, type: short_text, max_words: 5}\n"
    assert problems(tmp_path, {"exit": text}) == [
        "exit.yml, 'fields[2]': field 'why': max_words only applies to long_text questions"]


def test_past_only_only_on_dates(tmp_path):
    text = GOOD.format(id="exit") + "  - {id: minutes, label: Minutes, type: number, past_only: true}\n"
    assert problems(tmp_path, {"exit": text}) == [
        "exit.yml, 'fields[2]': field 'minutes': past_only only applies to date questions"]
    assert load_forms(FORMS)["meeting_log"].field("meeting_date").past_only


def test_identity_must_be_a_field_and_ids_unique(tmp_path):
    text = GOOD.format(id="exit").replace("identity: email", "identity: person") + "  - {id: email, label: Again, type: email}\n"
    found = problems(tmp_path, {"exit": text})
    assert found == ["exit.yml, the file: field id(s) ['email'] are used more than once"]


def test_file_name_must_match_id_and_all_files_are_reported(tmp_path):
    found = problems(tmp_path, {"exit": GOOD.format(id="leaving"), "broken": "id: [\n"})
    assert found[0].startswith("broken.yml, is not valid YAML")
    assert found[1] == "exit.yml, 'id' ('leaving') must match the file name ('exit')"


def test_unknown_type_lists_the_types(tmp_path):
    text = GOOD.format(id="exit") + "  - {id: photo, label: Photo, type: upload}\n"
    found = problems(tmp_path, {"exit": text})
    assert found[0].startswith("exit.yml, 'fields[2].type' (found 'upload'): should be 'short_text'")


def test_every_type_is_described():
    assert set(TYPE_DESCRIPTIONS) == set(FieldType)
