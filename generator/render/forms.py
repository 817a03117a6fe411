"""From a form definition to the view of its HTML form: one entry per question."""
from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from generator.config.forms import LIKERT_LABELS, Field, FieldType, Form
from generator.config.program import Program
from generator.render.templating import render
from generator.schedule.windows import closed_reason, form_window

_INPUTS = {
    FieldType.short_text: "text", FieldType.long_text: "textarea", FieldType.email: "email",
    FieldType.date: "date", FieldType.number: "number", FieldType.single_choice: "radio",
    FieldType.multiple_choice: "checkbox", FieldType.likert: "radio", FieldType.yes_no: "radio",
}
_AUTOCOMPLETE = {"full_name": "name", "email": "email"}


def _choices(field: Field) -> list[dict[str, str]]:
    if field.type is FieldType.likert:
        return [{"value": str(i), "label": f"{i} - {label}"} for i, label in enumerate(LIKERT_LABELS, start=1)]
    if field.type is FieldType.yes_no:
        return [{"value": "Yes", "label": "Yes"}, {"value": "No", "label": "No"}]
    return [{"value": o, "label": o} for o in field.options]


def field_view(field: Field) -> dict[str, Any]:
    """What the form template needs to know about one question."""
    grouped = field.type in (FieldType.single_choice, FieldType.multiple_choice, FieldType.likert, FieldType.yes_no)
    return {
        "id": field.id, "label": field.label, "help": field.help, "type": field.type.value,
        "required": field.required, "input": _INPUTS[field.type], "group": grouped,
        "choices": _choices(field) if grouped else [], "max_words": field.max_words,
        "min": None if field.min is None else f"{field.min:g}", "max": None if field.max is None else f"{field.max:g}",
        "autocomplete": _AUTOCOMPLETE.get(field.id, "email" if field.type is FieldType.email else ""),
        "past_only": field.past_only,
    }


def form_html(form: Form, model: str, action: str) -> Markup:
    """The accessible HTML form for one instrument, as asked in one program model, posting to
    `action` (a receiver).

    Marked safe because it is the output of an autoescaping template, so it can be
    embedded in a page template without being escaped twice.
    """
    return Markup(render("partials/form.html.j2", form=form, fields=[field_view(f) for f in form.asked(model)], action=action))


def form_or_notice(program: Program, form: Form, action: str | None, today: dt.date) -> Markup:
    """The form, when it can really be sent: a receiver is configured and its window is open on
    `today`. Otherwise what to do instead (the dates, the contact), so nobody fills in a page whose
    answers cannot arrive."""
    closed = closed_reason(program, form, today)
    if action and not closed:
        return form_html(form, program.model, action)
    reason = closed or "Online submission is not connected on this copy of the site."
    return Markup(render("partials/form-closed.html.j2", form=form, reason=reason, p=program,
                         window=form_window(program, form), closed=closed is not None))
