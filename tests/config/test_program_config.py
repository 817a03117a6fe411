"""program.yml errors are found at load, all at once, in a coordinator's words."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.config.program import load_program
from generator.errors import ConfigError
from tests.conftest import EXAMPLES, FORMS


def write_variant(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(EXAMPLES["circles"].read_text())
    edit(data)
    path = tmp_path / "program.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_program(path, FORMS)
    assert str(path) in str(info.value)
    return info.value.problems


def test_both_examples_load(circles, pairs):
    assert circles.program.model == "circles" and circles.program.circles.count == 7
    assert [q.kind for q in pairs.program.dates.quarters] == ["mentor-mentee", "peer", "mentor-mentee", "peer"]


def test_missing_file_says_how_to_pass_one(tmp_path):
    assert problems_of(tmp_path / "nope.yml") == ["does not exist (pass --program PATH/TO/program.yml)"]


def test_a_program_folder_passed_for_its_file_is_named_with_the_file(tmp_path):
    (tmp_path / "program.yml").write_text("model: circles\n")
    assert problems_of(tmp_path) == [f"is a folder: pass the program's file, --program {tmp_path / 'program.yml'}"]
    (tmp_path / "data").mkdir()
    assert problems_of(tmp_path / "data") == ["is a folder, not a program.yml (pass --program PATH/TO/program.yml)"]


def test_invalid_yaml_is_reported_not_raised(tmp_path):
    path = tmp_path / "program.yml"
    path.write_text("model: circles\nname: [unclosed\n")
    assert problems_of(path)[0].startswith("is not valid YAML")


def test_a_date_that_is_not_one_is_named_under_its_key(tmp_path):
    """2022-13-10 looks like a date to YAML, which raised a bare ValueError (the build called it a
    bug in the tool); it is a located problem like any other, in the file as typed (and in a
    form's file, read the same way)."""
    path = tmp_path / "program.yml"
    text = EXAMPLES["circles"].read_text()
    assert "cohort_start: 2022-01-10" in text and "application_close: 2021-11-15" in text
    path.write_text(text.replace("cohort_start: 2022-01-10", "cohort_start: 2022-13-10")
                    .replace("application_close: 2021-11-15", "application_close: 2021-11-31"))
    found = problems_of(path)
    assert any(p.startswith("'dates.cohort_start' (found '2022-13-10'): should be a valid date") for p in found), found
    assert any(p.startswith("'dates.application_close' (found '2021-11-31'): should be a valid date") for p in found)


def test_an_event_time_typed_without_quotes_or_leading_zero_is_that_time_of_day(tmp_path):
    """YAML reads an unquoted 12:00 as the number 720 (base 60), which pydantic took as seconds
    after midnight in UTC: the kickoff was at 00:12 UTC, and a quoted end beside it crashed the
    build comparing the two. A coordinator's 9:00 is nine o'clock, quoted or not."""
    text = EXAMPLES["circles"].read_text()
    kickoff = 'date: 2022-01-10, start: "12:00", end: "13:00"'
    assert kickoff in text
    path = tmp_path / "program.yml"
    path.write_text(text.replace(kickoff, 'date: 2022-01-10, start: 9:00, end: "10:30"'))
    event = load_program(path, FORMS).program.schedule.events[0]
    assert (event.name, event.start, event.end) == ("Kickoff", dt.time(9, 0), dt.time(10, 30))


@pytest.mark.parametrize("typed", ["9", "25:00", '"9 am"', '"12:00Z"', "9:60"])
def test_an_event_time_that_is_not_one_says_how_to_write_it(tmp_path, typed):
    text = EXAMPLES["circles"].read_text()
    path = tmp_path / "program.yml"
    path.write_text(text.replace('date: 2022-01-10, start: "12:00"', f"date: 2022-01-10, start: {typed}"))
    found = problems_of(path)
    assert len(found) == 1 and found[0].startswith("'schedule.events[1].start' (found ") \
        and found[0].endswith(": should be a time of day on the 24-hour clock, hours and minutes: 9:30 or 18:00"), found


def test_unknown_model_and_missing_name_are_both_reported(tmp_path):
    def edit(d):
        d["model"] = "triads"
        del d["name"]
    found = problems_of(write_variant(tmp_path, edit))
    assert any(p.startswith("'model' (found 'triads'): should be 'circles' or 'rotating-pairs'") for p in found)
    assert "'name': is required but missing" in found


def test_a_value_of_the_wrong_shape_is_said_in_yaml_words_not_python_ones(tmp_path):
    """A coordinator who wrote `faq: monthly` or `activities: [a]` read "a valid tuple" and "a
    valid dictionary or instance of Box": our class names and Python's types. They read what
    YAML wants there instead."""
    def edit(d):
        d["faq"] = "see the website"
        d["goals"] = dt.date(2022, 1, 10)
        d["evaluation"]["logic_model"]["activities"] = ["mentoring circles"]
        d["organizers"][0]["listed"] = "yes please"
        d["circles"]["count"] = "seven"
        d["curriculum"][0]["topics"][0] = 2022
        d["eligibility"][0]["rule"] = "at least"
        del d["eligibility"][1]["rule"]
    found = problems_of(write_variant(tmp_path, edit))
    assert "'faq' (found 'see the website'): should be a list: one item per line, each starting with `- `" in found
    assert "'goals' (found 2022-01-10): should be a list: one item per line, each starting with `- `" in found
    assert "'evaluation.logic_model.activities[1]' (found 'mentoring circles'): should be a group of settings: " \
           "`key: value` lines, indented under it" in found
    assert "'organizers[1].listed' (found 'yes please'): should be true or false" in found
    assert "'circles.count' (found 'seven'): should be a whole number" in found
    assert any(p.startswith("'curriculum[1].topics[1]' (found 2022): should be text (put it in quotes") for p in found)
    assert "'eligibility[1]': `rule: at least` should be one of 'equals', 'one_of', 'min_months_before', " \
           "'at_least'" in found
    assert "'eligibility[2]': needs a `rule:` line saying which kind of entry it is" in found
    assert not [p for p in found if "Box" in p or "tuple" in p or "instance" in p or "Input tag" in p], found


def test_a_setting_that_must_match_a_pattern_says_what_it_asks_for_not_the_regular_expression(tmp_path):
    def edit(d):
        d["contact"]["email"] = "crp office"
        d["slug"] = "CRP Circles 2022"
        d["site_url"] = "www.example.edu/crp"
    found = problems_of(write_variant(tmp_path, edit))
    assert sorted(found) == [
        "'contact.email' (found 'crp office'): should be an email address, such as name@institution.edu",
        "'site_url' (found 'www.example.edu/crp'): should be a web address starting with https:// (with no spaces)",
        "'slug' (found 'CRP Circles 2022'): should be lower-case letters, digits and hyphens, starting with a letter "
        "or digit"]


def test_misspelled_setting_is_named(tmp_path):
    found = problems_of(write_variant(tmp_path, lambda d: d.update(curiculum=[])))
    assert found == ["'curiculum': is not a known setting (check the spelling)"]


def test_dates_out_of_order(tmp_path):
    def edit(d):
        d["dates"]["application_close"] = "2021-09-01"
    found = problems_of(write_variant(tmp_path, edit))
    assert found == ["'dates': application_close is before application_open"]


def test_circle_bounds_must_make_sense(tmp_path):
    found = problems_of(write_variant(tmp_path, lambda d: d.update(circles={"min_size": 10, "max_size": 5})))
    assert found == ["'circles': max_size (5) is smaller than min_size (10)"]


def test_circles_model_needs_circle_settings(tmp_path):
    found = problems_of(write_variant(tmp_path, lambda d: d.pop("circles")))
    assert found == ["the file: a circles program needs a 'circles' section (min_size, max_size)"]


def test_eligibility_rule_must_name_a_question_the_application_asks(tmp_path):
    def edit(d):
        d["eligibility"][0]["field"] = "years_employed"
        d["eligibility"][1]["field"] = "career_plans"  # asked only in rotating-pairs programs
    found = problems_of(write_variant(tmp_path, edit))
    assert found == [
        "'eligibility[1]': field 'years_employed' is not asked in the circles application",
        "'eligibility[2]': field 'career_plans' is not asked in the circles application",
    ]


def test_one_of_values_must_be_options(tmp_path):
    def edit(d):
        d["eligibility"][3]["values"] = ["Within 12 months", "Someday"]
    found = problems_of(write_variant(tmp_path, edit))
    assert found == ["'eligibility[4]': value(s) ['Someday'] are not options of 'certification_intent' "
                     "['Within 12 months', 'Within 2 years', 'Not planned']"]


def test_the_application_asks_for_the_programs_own_campuses(tmp_path):
    """The bundled application form listed one institution's campuses (Gainesville, Jacksonville):
    a program elsewhere asked its applicants to choose between them, and its own campuses in
    program.yml were refused as "not an option". The question offers program.yml's campuses and
    Remote, everywhere the form is used (its page, the receivers, the row checks)."""
    def edit(d):
        d["campuses"] = ["Boston", "Lowell"]
        d["circles"]["in_person"] = {"Lowell": 1}
    loaded = load_program(write_variant(tmp_path, edit), FORMS)
    campus = next(f for f in loaded.forms["application"].fields if f.id == "campus")
    assert campus.options == ("Boston", "Lowell", "Remote")
    from generator.receiver.apps_script import apps_script

    assert '"Lowell"' in apps_script(loaded) and '"Gainesville"' not in apps_script(loaded)


def test_unknown_form_is_named_with_the_known_ones(tmp_path):
    found = problems_of(write_variant(tmp_path, lambda d: d["forms"].append("exit_interview")))
    assert found[0].startswith("'forms': 'exit_interview' has no definition in forms/ (known: ['application'")


def test_yes_no_rule_needs_a_boolean(tmp_path):
    def edit(d):
        d["eligibility"][1]["value"] = "Yes"
    found = problems_of(write_variant(tmp_path, edit))
    assert found == ["'eligibility[2]': 'mandated_training_done' is a yes/no question: use value: true or false"]


def test_contact_email_is_checked(tmp_path):
    def edit(d):
        d["contact"]["email"] = "mendy at ufl"
    found = problems_of(write_variant(tmp_path, edit))
    assert found[0].startswith("'contact.email' (found 'mendy at ufl')")


def test_in_person_circles_need_a_known_campus(tmp_path):
    found = problems_of(write_variant(tmp_path, lambda d: d["circles"].update(in_person={"Ocala": 1})))
    assert found == ["the file: circles.in_person: campus 'Ocala' is not in 'campuses' ['Gainesville', 'Jacksonville']"]


def test_mentor_training_must_be_a_curriculum_module(tmp_path):
    path = tmp_path / "program.yml"
    data = yaml.safe_load(EXAMPLES["pairs"].read_text())
    data["pairs"]["mentor_training_module"] = "mentor-bootcamp"
    path.write_text(yaml.safe_dump(data))
    assert problems_of(path) == ["the file: pairs.mentor_training_module 'mentor-bootcamp' is not a curriculum module ['mentor-training']"]


def test_a_logic_model_box_may_name_several_indicators_and_a_misspelt_one_is_named(tmp_path):
    def edit(d):
        d["evaluation"]["logic_model"]["intermediate_term"][0]["indicators"] = ["still_employed", "society_roles"]
    found = problems_of(write_variant(tmp_path, edit))
    assert len(found) == 1 and "'evaluation.logic_model.intermediate_term[1].indicators[2]' (found 'society_roles')" in found[0]
    assert "'society_role'" in found[0]  # the known names are listed


def test_a_contact_whose_name_is_their_role_is_named_once():
    """A new program's contact is "Program coordinator", role "Program coordinator": the FAQ said
    "Write to Program coordinator, Program coordinator, at ..."."""
    from generator.config.program import Contact

    office = Contact(name="Program coordinator", role="program coordinator", email="crp@ufl.edu")
    person = Contact(name="Mendy E. Dunn", role="Program coordinator", email="crp@ufl.edu")
    assert (office.named, office.named_aside) == ("Program coordinator", "Program coordinator")
    assert (person.named, person.named_aside) == ("Mendy E. Dunn, Program coordinator", "Mendy E. Dunn (Program coordinator)")
