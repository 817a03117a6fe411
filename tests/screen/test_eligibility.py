"""Screening follows each program's rules and says why someone is not eligible."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.screen.eligibility import months_between, screen_applicant
from generator.validate.rows import validate_tab
from tests.helpers import application, table


def screened(loaded, model, **answers):
    form = loaded.forms["application"]
    result = validate_tab(form, model, "Applications", table(form, model, [application(**answers)]))
    assert result.issues == (), result.issues
    return screen_applicant(loaded.program, result.records[0])


@pytest.mark.parametrize("start, end, months", [
    (dt.date(2021, 7, 10), dt.date(2022, 1, 10), 6),
    (dt.date(2021, 7, 11), dt.date(2022, 1, 10), 5),
    (dt.date(2021, 1, 31), dt.date(2021, 2, 28), 0),
    (dt.date(2020, 1, 1), dt.date(2022, 1, 1), 24),
])
def test_months_between_counts_whole_months(start, end, months):
    assert months_between(start, end) == months


def test_an_eligible_coordinator(circles):
    s = screened(circles, "circles")
    assert s.eligible and s.explanation == "meets every criterion"


def test_hired_five_months_before_the_start_is_not_yet_eligible(circles):
    # the circles cohort starts January 10, 2022
    s = screened(circles, "circles", employment_start="2021-08-11")
    assert not s.eligible
    assert s.unmet == ("Employed at the institution for at least 6 months by the start of the program",)
    assert screened(circles, "circles", employment_start="2021-07-10").eligible


def test_every_unmet_criterion_is_listed(circles):
    s = screened(circles, "circles", mandated_training_done="No", certification_intent="Not planned")
    assert s.unmet == ("Completed all mandated institutional training (e.g. HIPAA, IRB human-subjects training)",
                       "Intends to take a certification exam in the near future")


def test_pairs_need_plans_to_stay_for_the_year(pairs):
    assert screened(pairs, "rotating-pairs").eligible
    s = screened(pairs, "rotating-pairs", plans_to_stay="No")
    assert s.unmet == ("Intends to stay at the organization for the whole program year (January to December)",)


def test_pairs_role_other_is_not_clinical_research_staff(pairs):
    s = screened(pairs, "rotating-pairs", role_family="Other")
    assert not s.eligible and "clinical research staff" in s.explanation
    assert s.explanation.startswith("does not meet: ")  # the unmet criteria read as met ones did


def test_example_cohort_screening(built):
    g = built["circles"].gathered
    eligible = [s for s in g.screenings if s.eligible]
    assert len(eligible) == 49
    assert all(s.unmet for s in g.screenings if not s.eligible)
