"""A corpus of nasty strings people type (or paste) into forms, and a fuzzed copy of a program.

Every payload that could run tries to set window.__pwned, open a dialog, or create an element
marked "injected": the browser checks look for exactly those effects.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from generator.config.forms import FieldType
from generator.config.program import load_program

CORPUS = [
    "<script>window.__pwned=1</script>",
    '<img src=x class="injected" onerror="window.__pwned=1">',
    "<svg class=injected onload=alert(1)>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)' data-injected='1",
    "[click me](javascript:alert(1))",
    "![pic](javascript:alert(1))",
    '<a class="injected" href="javascript:alert(1)">x</a>',
    "Ana { onmouseover=alert(1) }",
    "Title {: .injected onclick=alert(1) }",
    "<!-- hidden comment --> visible",
    "--> <b class=injected>closing a comment</b>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "${7*7} #{7*7}",
    "<iframe class=injected src=javascript:alert(1)></iframe>",
    "<style>body{display:none}</style>",
    "&lt;script&gt;pre-escaped&lt;/script&gt;",
    "\u202eevil.exe\u202c right-to-left override",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "Zalgo Z\u0337\u0322a\u0336l\u0338g\u0335o\u0334",
    "emoji \U0001F9EA\U0001F469\u200d\U0001F52C",
    "x" * 400,
    "NUL\x00 bell\x07 escape\x1b[31m",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "**bold** _em_ `code` # heading",
]

#: Field types whose answers are free text and must come through as data.
TEXT_TYPES = {FieldType.short_text, FieldType.long_text}
#: Field types where hostile text is invalid: the row must be rejected and reported.
REJECTING_TYPES = {FieldType.email, FieldType.date}


def _fuzz_config(data: dict) -> None:
    """Staff-written text goes through the same templates: fuzz it too."""
    data["name"] = "Circles " + CORPUS[0]
    data["purpose"] = CORPUS[1] + " " + CORPUS[5]
    data["goals"][0] = CORPUS[8]
    data["how_it_works"][0] = CORPUS[7]
    data["time_commitment"]["summary"] = CORPUS[12]
    data["eligibility"][0]["criterion"] = CORPUS[9]
    data["faq"][0]["question"] = CORPUS[3]
    data["faq"][0]["answer"] = CORPUS[11]
    data["organizers"][0]["name"] = CORPUS[2]
    data["contact"]["name"] = CORPUS[4]
    if data.get("schedule", {}).get("events"):
        data["schedule"]["events"][0]["name"] = CORPUS[15]
        data["schedule"]["events"][0]["where"] = CORPUS[1]
    if data.get("curriculum"):
        data["curriculum"][0]["title"] = "Module " + CORPUS[14]
        data["curriculum"][0]["summary"] = CORPUS[6]
        data["curriculum"][0]["topics"] = [CORPUS[10], CORPUS[13]]


def fuzzed_program(example: Path, forms: Path, dest: Path) -> tuple[Path, dict[str, list[int]]]:
    """Copy a program and its workbook, putting the corpus into every text field of every form.

    Returns the new program.yml and, per tab, the sheet rows whose email or date was
    replaced by a payload (those rows must be rejected and reported).
    """
    shutil.copytree(example.parent, dest)
    program = dest / "program.yml"
    data = yaml.safe_load(program.read_text())
    _fuzz_config(data)
    program.write_text(yaml.safe_dump(data, allow_unicode=True))
    loaded = load_program(program, forms)
    rejected: dict[str, list[int]] = {}
    n = 0
    for form_id, form in loaded.forms.items():
        tab = loaded.tab_of(form_id)
        path = loaded.data_path / f"{tab}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        fields = {f.id: f for f in form.fields_for(loaded.program.model)}
        for i, row in enumerate(body):
            for c, column in enumerate(header):
                field = fields.get(column)
                if field is None:
                    continue
                if field.type in TEXT_TYPES and column not in form.unique and column != form.identity:
                    row[c] = CORPUS[n % len(CORPUS)]
                    n += 1
            if i % 9 == 4:  # every ninth row: a payload where an email or date belongs
                # A required email or date: the row must be rejected (optional ones only lose the value).
                victim = next((c for c, col in enumerate(header) if col in fields and fields[col].type in REJECTING_TYPES
                               and fields[col].required and col != form.identity), None)
                if victim is not None:
                    row[victim] = CORPUS[i % len(CORPUS)]
                    rejected.setdefault(tab, []).append(i + 2)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *body])
    return program, rejected
