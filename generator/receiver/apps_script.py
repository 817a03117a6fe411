"""The Google Apps Script receiver, generated from the same form definitions as everything else."""
from __future__ import annotations

import datetime as dt
import json

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.config.forms import Field, Form
from generator.config.program import LoadedProgram, Program
from generator.render.templating import TEMPLATES
from generator.schedule.windows import closed_reason, form_window
from generator.validate.header import column_names


def _field(x: Field) -> dict:
    """One question as both scripts read it."""
    return {"id": x.id, "label": x.label, "type": x.type.value, "required": x.required, "help": x.help,
            "options": list(x.options), "max_words": x.max_words, "min": x.min, "max": x.max,
            "upload": x.upload_in_google_forms, "past_only": x.past_only}


def _people_forms(loaded: LoadedProgram) -> dict[str, Form]:
    """The forms people fill in (staff forms take no posts and get no Google Form)."""
    return {fid: f for fid, f in loaded.forms.items() if f.audience != "staff"}


def forms_spec(loaded: LoadedProgram) -> dict:
    """What the receiver needs to validate each form people fill in and find its columns."""
    model = loaded.program.model
    return {fid: {"title": f.title, "tab": loaded.tab_of(fid), "signed": f.signed,
                  "columns": f.columns_for(model), "names": column_names(f, model),
                  "fields": [_field(x) for x in f.asked(model)], "window": _window(loaded.program, f)}
            for fid, f in _people_forms(loaded).items()}


def _window(program: Program, form: Form) -> dict[str, str | None]:
    """The form's window (schedule/windows.py) and the sentences Code.gs answers outside it."""
    w, day = form_window(program, form), dt.timedelta(days=1)
    return {"opens": w.opens.isoformat(), "closes": w.closes.isoformat(),
            "not_yet": closed_reason(program, form, w.opens - day), "closed": closed_reason(program, form, w.closes + day)}


def _js(value: object, indent: int | None = None) -> str:
    """JSON with every non-ASCII character escaped: no U+2028 or U+2029 (line terminators in
    JavaScript) can end a comment or a string, and "</" cannot close anything."""
    return json.dumps(value, indent=indent, ensure_ascii=True).replace("</", "<\\/")


def _render(template: str, **context: str) -> str:
    """A script template (JavaScript: rendered without HTML escaping)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    return env.get_template(template).render(**context)


def apps_script(loaded: LoadedProgram) -> str:
    """Code.gs for the response spreadsheet."""
    return _render("receiver/Code.gs.j2", program_name_json=_js(loaded.program.name),
                   forms_json=_js(forms_spec(loaded), indent=1), site_url_json=_js(loaded.program.site_url))


def google_forms_spec(loaded: LoadedProgram) -> dict:
    """What CreateForms.gs builds: every form people fill in, with the program's dates in its description."""
    p, model = loaded.program, loaded.program.model
    d = p.dates
    dates = (f"Applications are open from {d.application_open:%B %-d, %Y} to {d.application_close:%B %-d, %Y}; "
             f"matches are announced in {d.match_announcement:%B %Y}. The program runs from "
             f"{d.cohort_start:%B %-d, %Y} to {d.cohort_end:%B %-d, %Y}.")
    return {fid: {"title": f.title, "tab": loaded.tab_of(fid), "signed": f.signed,
                  "description": " ".join(filter(None, [f.description.strip(), dates if f.audience == "public" else ""])),
                  "fields": [_field(x) for x in f.asked(model)]}
            for fid, f in _people_forms(loaded).items()}


def google_forms_script(loaded: LoadedProgram) -> str:
    """CreateForms.gs: makes each form with FormApp, linked to the response spreadsheet."""
    return _render("receiver/CreateForms.gs.j2", program_name_json=_js(loaded.program.name),
                   program_json=_js({"name": loaded.program.name}), forms_json=_js(google_forms_spec(loaded), indent=1))
