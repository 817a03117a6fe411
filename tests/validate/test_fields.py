"""Each field type accepts what people really type and explains what it rejects."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.config.forms import Field
from generator.validate.fields import parse_answer, split_choices

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
    ("single_choice", {"options": ("Gainesville", "Jacksonville")}, "Jax", "is not one of the options ['Gainesville', 'Jacksonville']"),
    ("multiple_choice", {"options": TOPICS}, "Budgets and billing, Knitting", "['Knitting'] not among the options " + str(list(TOPICS))),
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


def test_an_en_us_sheet_says_how_it_reads_a_day_first_date():
    assert parse_answer(field("date"), "21/10/2021") == (None, "is not a date (use YYYY-MM-DD or MM/DD/YYYY)")
