"""Accepted records as pandas DataFrames, typed by their form (for aggregation stages)."""
from __future__ import annotations

import pandas as pd

from generator.config.forms import TIMESTAMP, FieldType, Form
from generator.validate.rows import Record

DTYPES: dict[FieldType, str] = {
    FieldType.short_text: "string", FieldType.long_text: "string", FieldType.email: "string",
    FieldType.date: "datetime64[ns]", FieldType.number: "Float64", FieldType.single_choice: "category",
    FieldType.multiple_choice: "object", FieldType.likert: "Int64", FieldType.yes_no: "boolean",
}


def dtypes(form: Form, model: str) -> dict[str, str]:
    """Column -> pandas dtype, from the form definition."""
    out = {TIMESTAMP: "datetime64[ns]"}
    out.update({f.id: DTYPES[f.type] for f in form.fields_for(model)})
    return out


def to_frame(form: Form, model: str, records: tuple[Record, ...]) -> pd.DataFrame:
    """One row per record with the form's columns and dtypes; choice columns keep all options."""
    columns = form.columns_for(model)
    data = [{TIMESTAMP: r.submitted_at, **{c: r.get(c) for c in columns[1:]}} for r in records]
    frame = pd.DataFrame(data, columns=columns)
    for column, dtype in dtypes(form, model).items():
        field = None if column == TIMESTAMP else form.field(column)
        if dtype == "category" and field is not None:
            frame[column] = pd.Categorical(frame[column], categories=list(field.options))
        elif dtype != "object":
            frame[column] = frame[column].astype(dtype)  # type: ignore[call-overload]  # dtype names from DTYPES
    return frame
