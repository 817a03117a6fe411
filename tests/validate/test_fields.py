"""Each field type accepts what people really type and explains what it rejects."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from generator.config.forms import Field
from generator.validate.fields import parse_answer, split_choices
from tests.conftest import FORMS as FORMS_DIR

TOPICS = ("Regulatory and IRB", "Budgets and billing", "Study start-up, closeout and archiving")


def field(type_: str, **kw) -> Field:
    return Field(id="q", label="Q", type=type_, **kw)


@pytest.mark.parametrize("type_, kw, raw, value", [
    ("short_text", {}, "  Clinical Research Coordinator II ", "Clinical Research Coordinator II"),
    ("short_text", {}, "007", "007"),
    ("short_text", {}, "Nan", "Nan"),
    ("short_text", {}, "1,2,3", "1,2,3"),
    ("short_text", {}, "two\nlines", "two lines"),
    ("long_text", {"max_words": 3}, "one two three", "one two three"),
    ("long_text", {}, "a\x00b\x07c", "abc"),
    ("email", {}, "Ana.Rivera@UFHealth.example.edu", "ana.rivera@ufhealth.example.edu"),
    ("email", {}, "o'brien+crp@example.org", "o'brien+crp@example.org"),
    ("date", {}, "2022-03-15", dt.date(2022, 3, 15)),
    ("date", {}, "3/15/2022", dt.date(2022, 3, 15)),
    ("date", {}, "3/15/2022 10:04:00", dt.date(2022, 3, 15)),
    ("number", {"min": 0, "max": 50}, "4.5", 4.5),
    ("number", {}, "1,200", 1200.0),
    ("single_choice", {"options": ("Gainesville", "Jacksonville")}, "jacksonville", "Jacksonville"),
    ("multiple_choice", {"options": TOPICS}, "Budgets and billing, Regulatory and IRB", ("Budgets and billing", "Regulatory and IRB")),
    ("multiple_choice", {"options": TOPICS}, "Study start-up, closeout and archiving", ("Study start-up, closeout and archiving",)),
    ("likert", {}, "4", 4),
    ("likert", {}, "5 - Strongly agree", 5),
    ("likert", {}, "Disagree", 2),
    ("yes_no", {}, "YES", True),
    ("yes_no", {}, "n", False),
])
def test_accepted(type_, kw, raw, value):
    assert parse_answer(field(type_, **kw), raw) == (value, None)


@pytest.mark.parametrize("type_, kw, raw, reason", [
    ("long_text", {"max_words": 500}, "word " * 600, "600 words; at most 500 are allowed"),
    ("email", {}, "maria at ufl", "is not an email address (like name@example.edu)"),
    ("email", {}, "ana@localhost", "is not an email address (like name@example.edu)"),
    ("date", {}, "next spring", "is not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
    ("date", {}, "2022-02-30", "is not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
    ("number", {}, "four", "is not a number"),
    ("number", {"min": 0, "max": 50}, "-1", "is below the minimum of 0"),
    ("number", {"min": 0, "max": 50}, "51", "is above the maximum of 50"),
    ("single_choice", {"options": ("Gainesville", "Jacksonville")}, "Jax", 'is not one of the options: "Gainesville" or "Jacksonville"'),
    ("multiple_choice", {"options": TOPICS}, "Budgets and billing, Knitting",
     '"Knitting" is not among the options: ' + ", ".join(f'"{t}"' for t in TOPICS[:-1]) + f' or "{TOPICS[-1]}"'),
    ("multiple_choice", {"options": TOPICS}, "Knitting, Budgets and billing, Baking",
     '"Knitting" and "Baking" are not among the options: "Regulatory and IRB", "Budgets and billing" or '
     '"Study start-up, closeout and archiving"'),
    ("likert", {}, "6", "is not a rating from 1 to 5"),
    ("yes_no", {}, "maybe", "is not Yes or No"),
])
def test_rejected_with_reason(type_, kw, raw, reason):
    assert parse_answer(field(type_, **kw), raw) == (None, reason)


@pytest.mark.parametrize("raw", ["", "   ", "\x00"])
def test_blank_is_no_answer_not_an_error(raw):
    assert parse_answer(field("email"), raw) == (None, None)


def test_choices_split_keeps_options_that_contain_commas():
    assert split_choices("Regulatory and IRB; Study start-up, closeout and archiving", TOPICS) == (
        ["Regulatory and IRB", "Study start-up, closeout and archiving"], [])


@pytest.mark.parametrize("locale, raw, value", [
    ("en_GB", "21/10/2021", dt.date(2021, 10, 21)), ("en_GB", "05/10/2021", dt.date(2021, 10, 5)),
    ("en_US", "05/10/2021", dt.date(2021, 5, 10)), ("de_DE", "05.10.2021", dt.date(2021, 10, 5)),
    ("fr_FR", "2021-10-05", dt.date(2021, 10, 5)), ("en_GB", "21/10/2021 14:03:22", dt.date(2021, 10, 21)),
])
def test_dates_are_read_in_the_sheets_locale(locale, raw, value):
    from generator.validate.conventions import conventions

    assert parse_answer(field("date"), raw, conventions(locale)) == (value, None)


@pytest.mark.parametrize("locale, raw, value", [
    ("de_DE", "3,5", 3.5), ("de_DE", "1.200,5", 1200.5), ("en_US", "1,200.5", 1200.5), ("en_GB", ".5", 0.5),
])
def test_numbers_are_read_with_the_sheets_decimal_mark(locale, raw, value):
    from generator.validate.conventions import conventions

    assert parse_answer(field("number"), raw, conventions(locale)) == (value, None)


@pytest.mark.parametrize("raw, value", [
    ("March 1, 2022", dt.date(2022, 3, 1)), ("Mar. 1, 2022", dt.date(2022, 3, 1)), ("1 March 2022", dt.date(2022, 3, 1)),
    ("Tuesday, March 1, 2022", dt.date(2022, 3, 1)), ("Sept 30th, 2022", dt.date(2022, 9, 30)),
    ("Monday, March 1, 2022", None), ("February 30, 2022", None), ("Marhc 1, 2022", None), ("March 2022", None),
    ("On March 1, 2022", None),
])
def test_a_date_typed_with_the_months_name_is_read_in_any_locale(raw, value):
    """Sheets shows a date the way it was typed ("March 1, 2022"), so a hand-edited cell reads
    so; the month's name leaves no doubt. A weekday that does not fit the date is a typo."""
    from generator.validate.conventions import conventions

    for locale in ("en_US", "en_GB", "de_DE"):
        expected = (value, None) if value else (None, f"is not a date ({conventions(locale).date_hint})")
        assert parse_answer(field("date"), raw, conventions(locale)) == expected


def test_a_twelve_hour_clock_is_read():
    from generator.validate.fields import parse_timestamp

    assert parse_timestamp("3/1/2022 2:30 PM") == dt.datetime(2022, 3, 1, 14, 30)
    assert parse_timestamp("3/1/2022 12:05 AM") == dt.datetime(2022, 3, 1, 0, 5)
    assert parse_timestamp("3/1/2022 12:05:09 p.m.") == dt.datetime(2022, 3, 1, 12, 5, 9)
    assert parse_timestamp("3/1/2022 14:30 PM") is None and parse_timestamp("3/1/2022 0:30 AM") is None


def test_an_en_us_sheet_says_how_it_reads_a_day_first_date():
    assert parse_answer(field("date"), "21/10/2021") == (None, "is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


# Cells a submission-time column holds: what Sheets writes, and what staff type over it.
_DIGITS = st.sampled_from("0123456789") | st.sampled_from("\u0663\uff11")  # Arabic-Indic three, full-width one
_NUMBERS = st.text(_DIGITS, min_size=1, max_size=5)
_STAMPS = st.one_of(
    st.builds(lambda a, s, b, c, h, m, x: f"{a}{s}{b}{s}{c} {h}:{m}{x}", _NUMBERS, st.sampled_from("/-."), _NUMBERS,
              _NUMBERS, _NUMBERS, _NUMBERS, st.sampled_from(["", ":00", ":59", ":60", ":7", ".5", "  ", "\x00", " PM", " am", ":00 P.M."])),
    st.text(st.sampled_from("0123456789/-.: T,\t\r\n\x00\u0663"), max_size=24))


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(_STAMPS, max_size=30))
def test_submission_times_parsed_a_column_at_once_are_what_each_cell_parses_to(cells):
    """A tab's timestamps parsed together (each date and clock time once) are exactly what
    each cell cleaned and parsed alone gives: invalid dates (February 30), hours past 23,
    seconds past 59, two-digit years, stray spaces and control characters included, in both
    date orders."""
    from generator.validate.conventions import conventions
    from generator.validate.fields import clean_text, parse_timestamp, parse_timestamps

    cells += ["1/6/2025 16:40:00", "2/30/2025 10:00:00", "2025-01-06 24:00", "06/01/25 9:05", "1/6/2025 16:40:61",
              "1/6/2025 4:40 PM", "1/6/2025 13:40 PM", "January 6, 2025 16:40", "Monday, Jan 6, 2025"]
    for conv in (conventions("en_US"), conventions("en_GB")):
        assert parse_timestamps(cells, conv) == {cell: parse_timestamp(clean_text(cell), conv) for cell in cells}


def test_the_usual_submission_times_parse_to_their_moment():
    from generator.validate.conventions import conventions
    from generator.validate.fields import parse_timestamps

    us, gb = conventions("en_US"), conventions("en_GB")
    assert parse_timestamps(["1/6/2025 16:40:00", "2/30/2025 10:00:00", "2025-01-06 9:05"], us) == {
        "1/6/2025 16:40:00": dt.datetime(2025, 1, 6, 16, 40), "2/30/2025 10:00:00": None,
        "2025-01-06 9:05": dt.datetime(2025, 1, 6, 9, 5)}
    assert parse_timestamps(["1/6/2025 16:40:00"], gb) == {"1/6/2025 16:40:00": dt.datetime(2025, 6, 1, 16, 40)}


def test_an_option_renamed_mid_year_reads_older_answers_as_the_option_they_chose():
    """Staff reworded 'Workload' to 'Too much work' in the form in March: the withdrawals given
    before it carry the old wording. Without former_options each was 'not one of the options',
    and a withdrawal left out for it made its person active again."""
    reason = field("single_choice", options=("Scheduling conflict", "Too much work", "Other"),
                   former_options={"Workload": "Too much work"})
    assert parse_answer(reason, "workload") == ("Too much work", None)
    assert parse_answer(reason, "Too much work") == ("Too much work", None)
    topics = field("multiple_choice", options=TOPICS, former_options={"Budgets": "Budgets and billing"})
    assert parse_answer(topics, "Budgets, Regulatory and IRB") == (("Budgets and billing", "Regulatory and IRB"), None)
    with pytest.raises(ValueError, match="former_options maps 'Workload' to 'Too much'"):
        field("single_choice", options=("Too much work",), former_options={"Workload": "Too much"})


def test_former_options_read_from_yaml_keep_the_question_hashable(tmp_path):
    from generator.config.forms import load_forms

    for source in (FORMS_DIR.glob("*.yml")):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    withdrawal = tmp_path / "withdrawal.yml"
    text = withdrawal.read_text(encoding="utf-8")
    withdrawal.write_text(text.replace("    options: [Scheduling conflict, Left the institution, Workload, Personal reasons, Other]",
                                       "    options: [Scheduling conflict, Left the institution, Too much work, Personal reasons, Other]\n"
                                       "    former_options: {Workload: Too much work}"), encoding="utf-8")
    (reason,) = [f for f in load_forms(tmp_path)["withdrawal"].fields if f.id == "reason"]
    assert reason.former_options == (("Workload", "Too much work"),) and hash(reason)
