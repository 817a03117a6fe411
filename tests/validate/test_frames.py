"""Accepted records become pandas frames typed by their form, ready for aggregation."""
from __future__ import annotations

import pandas as pd

from generator.validate.frames import dtypes, to_frame


def test_application_frame_has_the_forms_columns_and_types(built):
    g = built["circles"].gathered
    form = g.loaded.forms["application"]
    frame = to_frame(form, "circles", g.responses.of("application"))
    assert list(frame.columns) == form.columns_for("circles")
    assert len(frame) == len(g.responses.of("application"))
    assert frame["research_experience_years"].dtype == "Float64"
    assert frame["mandated_training_done"].dtype == "boolean"
    assert isinstance(frame["campus"].dtype, pd.CategoricalDtype)
    assert list(frame["campus"].cat.categories) == ["Gainesville", "Jacksonville", "Remote"]
    assert frame["employment_start"].dtype == "datetime64[ns]"
    assert frame["full_name"].dtype == "string"


def test_likert_answers_aggregate_as_integers(built):
    g = built["circles"].gathered
    form = g.loaded.forms["checkin"]
    frame = to_frame(form, "circles", g.responses.of("checkin"))
    assert dtypes(form, "circles")["satisfaction"] == "Int64"
    means = frame.groupby("quarter", observed=True)["satisfaction"].mean()
    assert set(means.index) == {"Q1", "Q2", "Q3"} and all(1 <= m <= 5 for m in means)
