"""The Google Apps Script receiver, generated from the same form definitions as everything else."""
from __future__ import annotations

import json

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.config.program import LoadedProgram
from generator.render.templating import TEMPLATES
from generator.validate.header import column_names


def forms_spec(loaded: LoadedProgram) -> dict:
    """What the script needs to validate each form people fill in (staff forms take no posts)."""
    model = loaded.program.model
    return {fid: {"title": f.title, "tab": loaded.tab_of(fid), "signed": f.signed,
                  "columns": f.columns_for(model), "names": column_names(f, model),
                  "fields": [{"id": x.id, "label": x.label, "type": x.type.value, "required": x.required,
                              "options": list(x.options), "max_words": x.max_words, "min": x.min, "max": x.max}
                             for x in f.fields_for(model)]}
            for fid, f in loaded.forms.items() if f.audience != "staff"}


def apps_script(loaded: LoadedProgram) -> str:
    """Code.gs for the response spreadsheet (JavaScript: rendered without HTML escaping)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    # JSON with every non-ASCII character escaped: no U+2028 or U+2029 (line terminators in
    # JavaScript) can end a comment or a string, and "</" cannot close anything.
    spec = json.dumps(forms_spec(loaded), indent=1, ensure_ascii=True).replace("</", "<\\/")
    return env.get_template("receiver/Code.gs.j2").render(
        program_name_json=_js(loaded.program.name), forms_json=spec, site_url_json=_js(loaded.program.site_url))


def _js(value: object) -> str:
    return json.dumps(value, ensure_ascii=True).replace("</", "<\\/")


def google_forms_spec(loaded: LoadedProgram) -> dict:
    """What CreateForms.gs builds: every form people fill in, with the program's dates in its description."""
    p, model = loaded.program, loaded.program.model
    d = p.dates
    dates = (f"Applications are open from {d.application_open:%B %-d, %Y} to {d.application_close:%B %-d, %Y}; "
             f"matches are announced in {d.match_announcement:%B %Y}. The program runs from "
             f"{d.cohort_start:%B %-d, %Y} to {d.cohort_end:%B %-d, %Y}.")
    out = {}
    for fid, f in loaded.forms.items():
        if f.audience == "staff":
            continue
        fields = [{"id": x.id, "label": x.label, "type": x.type.value, "required": x.required, "help": x.help,
                   "options": list(x.options), "max_words": x.max_words, "min": x.min, "max": x.max,
                   "upload": x.upload_in_google_forms} for x in f.fields_for(model)]
        description = " ".join(filter(None, [f.description.strip(), dates if f.audience == "public" else ""]))
        out[fid] = {"title": f.title, "tab": loaded.tab_of(fid), "signed": f.signed, "description": description,
                    "fields": fields}
    return out


def google_forms_script(loaded: LoadedProgram) -> str:
    """CreateForms.gs: makes each form with FormApp, linked to the response spreadsheet."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    spec = json.dumps(google_forms_spec(loaded), indent=1, ensure_ascii=True).replace("</", "<\\/")
    return env.get_template("receiver/CreateForms.gs.j2").render(
        program_name_json=_js(loaded.program.name), program_json=_js({"name": loaded.program.name}), forms_json=spec)
