"""`crp-mentoring new PATH --model ...`: a program folder another institution can start from.

program.yml is the model's example with the example's people and institution replaced, and
every key of the configuration written out with its comment: the comments are read from the
`#:` lines of generator/config/program.py (one truth), keys not set are shown commented out
with their default. The workbook has one CSV per tab with the forms' headers and no rows, and
.github/workflows/site.yml is the workflow this repository runs itself.
"""
from __future__ import annotations

import datetime as dt
import inspect
import re
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.config.program import Program, load_program
from generator.errors import GeneratorError
from generator.resources import EXAMPLES, FORMS, PACKAGE
from generator.sources.table import Table
from generator.sources.workbook import tab_path, write_table

WORKFLOW = PACKAGE / "render" / "templates" / "scaffold" / "site.yml"
_EXAMPLE = {"circles": "circles", "rotating-pairs": "pairs"}
_FIELD = re.compile(r"^\s+(\w+)\s*:")
#: What a key does, where generator/config/program.py has no `#:` comment for it.
_SAID = {
    "model": "circles (co-mentoring circles) or rotating-pairs (quarterly mentor/mentee and peer rounds)",
    "slug": "short name used in folder names and links (lowercase letters, digits, dashes)",
    "name": "the program's name, shown on every page", "organization": "who runs it (the site's footer)",
    "purpose": "why the program exists (home page)", "goals": "what participants gain (home page)",
    "how_it_works": "how the program runs, one item per paragraph",
    "dates": "the program's frame; everything else is dated inside it",
    "application_open": "first day applications are taken", "application_close": "last day applications are taken",
    "match_announcement": "when circles or pairs are announced", "cohort_start": "the program's first day",
    "cohort_end": "the program's last day", "meeting_cadence": "how often groups meet, in words (\"twice a month\")",
    "quarters": "rotating pairs: the rounds", "time_commitment": "what taking part asks of people (its own page)",
    "summary": "one sentence", "details": "one item per line",
    "circles": "circles: group sizes, how many, and who may facilitate",
    "pairs": "rotating pairs: experience gaps, mentor capacity, trios, mentor training",
    "campuses": "the campuses people choose from on the application (Remote is offered too)",
    "eligibility": "who can apply: each rule names an application question (rule, values, criterion in words)",
    "eligibility_notes": "extra sentences for the eligibility page",
    "forms": "the forms this program uses (files in forms/)", "tab_names": "a form's tab when the sheet names it differently",
    "source": "where the answers are read from: the workbook folder (CSV files) or a Google Sheet",
    "curriculum": "the e-learning modules", "faq": "questions and answers, in groups", "organizers": "who runs it; listed: true to name them on the site",
    "contact": "who applicants and participants write to", "completion": "what completing the program means",
    "signatory": "who signs the certificates", "site_url": "the public site's address (links in messages, sitemap)",
    "receiver_url": "where the site's forms post (the Apps Script web app); without it forms show how to answer instead",
    "messages": "email: sender, server, reminders; see README \"Messages\"", "personal_pages": "each person's sealed page",
    "admission": "when places run out: how many, and who is preferred",
    "evaluation": "the evaluation: focus-group codebook, logic model", "privacy": "what may be published",
    "deploy": "when CI must not deploy the site (build.py guard)", "schedule": "meetings, holidays, events, evaluation dates",
}


def field_comments(model: type[BaseModel]) -> dict[str, str]:
    """The `#:` comment lines written above each field of a config class, by field name."""
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(model).splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        found = _FIELD.match(line)
        if found and found.group(1) in model.model_fields and pending:
            comments[found.group(1)] = " ".join(pending)
        pending = [] if not stripped.startswith("#") else pending
    return comments


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The config class a field holds (directly, optionally, or as the items of a list or dict)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True, sort_keys=False).strip() \
        .removesuffix("...").strip()


def _describe(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    # _SAID speaks of the program's own keys: "name" there is the program's, not a contact's.
    said = field_comments(model).get(name) or (_SAID.get(name) if model.__module__ == Program.__module__
                                                 and model.__name__ in ("Program", "Dates", "TimeCommitment") else None)
    if said:
        return said
    sub = _submodel(field.annotation)
    if sub is not None and sub.__doc__:
        return " ".join(sub.__doc__.split())
    return "required" if field.is_required() else f"optional (default: {_flow(_plain(field.get_default()))})"


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, tuple):
        return list(value)
    return value


def emit(data: dict[str, Any], model: type[BaseModel], indent: int = 0) -> list[str]:
    """YAML for `data` with a comment above every key of `model`; keys not in `data` commented out."""
    pad, lines = " " * indent, []
    for name, field in model.model_fields.items():
        lines.append(f"{pad}# {_describe(model, name)}")
        sub = _submodel(field.annotation)
        if name not in data:
            default = _plain(field.get_default()) if not field.is_required() else None
            shown = "" if default in ({}, None) or isinstance(default, dict) else f" {_flow(default)}"
            if sub is not None and not isinstance(default, list):  # a section: its keys, all commented out
                lines.append(f"{pad}# {name}:")
                lines += emit({}, sub, indent + 2)
                continue
            keys = f"  (keys: {', '.join(sub.model_fields)})" if sub is not None else ""
            lines.append(f"{pad}# {name}:{shown}{keys}")
            continue
        value = data[name]
        if sub is not None and isinstance(value, dict) and set(value) <= set(sub.model_fields):
            lines.append(f"{pad}{name}:")
            lines += emit(value, sub, indent + 2)
        elif isinstance(value, list) and value and (sub is not None or len(_flow(value)) > 80):
            lines.append(f"{pad}{name}:" + (f"  # each with: {', '.join(sub.model_fields)}" if sub is not None else ""))
            lines += [f"{pad}  - {_flow(item)}" for item in value]
        else:
            lines.append(f"{pad}{name}: {_flow(value)}")
    return lines


def _shift_years(value: Any, years: int) -> Any:
    """Every date moved by whole years, so the scaffold's program lies ahead (Feb 29 -> Feb 28)."""
    if isinstance(value, dt.date):
        try:
            return value.replace(year=value.year + years)
        except ValueError:
            return value.replace(year=value.year + years, day=28)
    if isinstance(value, dict):
        return {k: _shift_years(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_years(v, years) for v in value]
    return value


#: What the scaffold writes where the program's own people and institution go; `check` names any left.
INSTITUTION, ADDRESS, LEAD = "Your institution", "mentoring@your-institution.example.edu", "Program lead"
CAMPUSES = ("Main campus", "Second campus")  # what the application asks applicants to choose from


def placeholders_left(program: Program) -> list[str]:
    """The keys of program.yml that still hold the scaffold's stand-ins, as a coordinator finds them."""
    found = []
    if program.organization == INSTITUTION:
        found.append("organization")
    if program.contact.email == ADDRESS:
        found.append("contact.email")
    found += [f"organizers[{i}]" for i, o in enumerate(program.organizers, start=1) if INSTITUTION in (o.affiliation, o.name)
              or o.name == LEAD]
    if program.signatory is not None and (program.signatory.name == LEAD or program.signatory.title == INSTITUTION):
        found.append("signatory")
    if program.campuses == CAMPUSES:
        found.append("campuses")
    return found


def starter_config(model: str, slug: str, today: dt.date) -> dict[str, Any]:
    """The example of `model` made anonymous and moved to next year: a program that builds as is."""
    data = yaml.safe_load((EXAMPLES / _EXAMPLE[model] / "program.yml").read_text(encoding="utf-8"))
    data = _shift_years(data, today.year + 1 - data["dates"]["application_open"].year)
    data.update({
        "slug": slug, "name": f"Peer mentoring for clinical research professionals ({slug})",
        "organization": INSTITUTION,
        "contact": {"name": "Program coordinator", "role": "Program coordinator", "email": ADDRESS},
        "organizers": [{"name": LEAD, "role": LEAD, "affiliation": INSTITUTION, "listed": False}],
        "signatory": {"name": LEAD, "title": INSTITUTION},
        "source": {"kind": "workbook", "path": "data"},
    })
    for key in ("site_url", "personal_pages", "receiver_url"):
        data.pop(key, None)
    if data.get("campuses"):  # the example's campuses are another institution's, and applicants choose from them
        data["campuses"] = list(CAMPUSES)
    data.get("schedule", {}).pop("holidays", None)  # the example's holidays are another institution's
    data.get("schedule", {}).pop("events", None)
    data.pop("evaluation", None)
    return data


def standalone_workflow() -> str:
    """This repository's workflow, for a program repository: its program.yml, the released tool."""
    text = WORKFLOW.read_text(encoding="utf-8")
    text = text.replace("PROGRAM: examples/circles/program.yml", "PROGRAM: program.yml")
    text = text.replace("  PIP_CONSTRAINT: constraints.txt\n", "")
    return text.replace("run: python -m pip install -e .", "run: python -m pip install crp-mentoring  # pin the version you tested")


#: A program folder is a repository (its workflow builds it): what a build run in it makes is
#: never committed. The staff reports and the sheet's snapshots hold people's data.
GITIGNORE = """# Made by builds run in this folder; never commit them: staff reports, the build's state and
# snapshots of the sheet hold people's answers and private links.
/site/
/staff/
/build/
/snapshots/
"""


def scaffold(path: Path, model: str, today: dt.date | None = None) -> list[str]:
    """Write the program folder; the lines say what was made and what to do next."""
    if path.exists() and any(path.iterdir()):
        raise GeneratorError(f"{path} already exists and is not empty: choose a new folder for the program")
    slug = re.sub(r"[^a-z0-9]+", "-", path.resolve().name.lower()).strip("-") or "my-program"
    data = starter_config(model, slug, today or dt.date.today())
    path.mkdir(parents=True, exist_ok=True)
    head = [f"# {data['name']}: program settings. Every key is listed with what it does; keys shown",
            "# commented out are not set and take the default shown. Check it with: crp-mentoring check --program "
            "program.yml", ""]
    (path / "program.yml").write_text("\n".join(head + emit(data, Program)) + "\n", encoding="utf-8")
    loaded = load_program(path / "program.yml", FORMS)  # the scaffold must itself be a valid program
    for form_id, form in loaded.forms.items():
        write_table(tab_path(loaded.data_path, loaded.tab_of(form_id)), Table(tuple(form.columns_for(model)), ()))
    workflow = path / ".github" / "workflows" / "site.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(standalone_workflow(), encoding="utf-8")
    (path / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return [f"Made {path}/program.yml ({model}), an empty workbook in {loaded.data_path} ({len(loaded.forms)} tabs), "
            f"{workflow.relative_to(path)} and a .gitignore.",
            "Next: edit program.yml (names, dates, contact), then: crp-mentoring check --program "
            f"{path}/program.yml, and crp-mentoring --program {path}/program.yml"]

