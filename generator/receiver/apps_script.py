"""The Google Apps Script receiver, generated from the same form definitions as everything else."""
from __future__ import annotations

import json

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.config.program import LoadedProgram
from generator.render.templating import TEMPLATES


def forms_spec(loaded: LoadedProgram) -> dict:
    """What the script needs to validate each form people fill in (staff forms take no posts)."""
    model = loaded.program.model
    return {fid: {"title": f.title, "tab": loaded.tab_of(fid), "signed": f.signed,
                  "fields": [{"id": x.id, "label": x.label, "type": x.type.value, "required": x.required,
                              "options": list(x.options), "max_words": x.max_words, "min": x.min, "max": x.max}
                             for x in f.fields_for(model)]}
            for fid, f in loaded.forms.items() if f.audience != "staff"}


def apps_script(loaded: LoadedProgram) -> str:
    """Code.gs for the response spreadsheet (JavaScript: rendered without HTML escaping)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    spec = json.dumps(forms_spec(loaded), indent=1, ensure_ascii=True).replace("</", "<\\/")
    return env.get_template("receiver/Code.gs.j2").render(program_name=loaded.program.name.replace("\n", " "), forms_json=spec)
