"""Which column holds which question: by field id, question text, or alias, whatever the layout.

One answer for the reader and for both receivers, so a receiver writes each answer exactly
where the build will look for it. Google Forms response sheets name columns by question
text (curly quotes and all), add "Timestamp" and, when the form collects them, "Email
Address", and keep the old column when a question is deleted and re-created.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from generator.config.forms import TIMESTAMP, TOKEN, Form
from generator.sources.table import Table, cells_at
from generator.validate import issues as act
from generator.validate.issues import DataIssue

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00a0": " "})
#: Headers every response sheet may use, whatever the form: Google Forms' own columns.
BUILT_IN = {"timestamp": TIMESTAMP, "submitted at": TIMESTAMP, "link token": TOKEN}
#: Google Forms adds this column when it collects respondents' emails.
FORMS_EMAIL = "email address"


def heading(text: str) -> str:
    """A header as compared: quotes and spaces normalized, case and a trailing '*', ':' or '?' ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("*", "")
    return " ".join(text.casefold().split()).rstrip(":?. ")


def column_names(form: Form, model: str) -> dict[str, str]:
    """Every accepted header (normalized) -> the column id it names."""
    names = dict(BUILT_IN)
    identity = form.field(form.identity)
    if identity.type.value == "email":
        names[FORMS_EMAIL] = identity.id
    for f in form.fields_for(model):
        for name in (f.label, *f.aliases):
            names[heading(name)] = f.id
    for column in form.columns_for(model):
        names[heading(column)] = column
    return names


def column_ids(form: Form, model: str, header: tuple[str, ...]) -> list[str | None]:
    """For each column of a header, the column id it holds, or None if it is not one of the form's."""
    names = column_names(form, model)
    return [names.get(heading(h)) if h.strip() else None for h in header]


@dataclass(frozen=True)
class Resolved:
    """A tab with one column per id (duplicates merged) and what staff should know about its header."""

    table: Table
    issues: tuple[DataIssue, ...]


def _elsewhere(form: Form, model: str, name: str) -> str:
    """", which only rotating-pairs programs ask": for a column the form asks in another model
    (a circles sheet kept from a pairs template, or collected before the form changed)."""
    for f in form.fields:
        if not f.asked_in(model) and heading(name) in {heading(n) for n in (f.id, f.label, *f.aliases)}:
            return f" in a {model} program (only {' and '.join(f.models)} programs ask it)"
    return ""


def letter(index: int) -> str:
    """A column as the sheet names it: 0 -> A, 27 -> AB."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def resolve(form: Form, model: str, tab: str, table: Table) -> Resolved:
    """Columns named by id; two columns for one question are merged row by row, and reported."""
    if not any(h.strip() for h in table.header):
        why = "the tab has no header row, so no column can be matched to a question" if table.rows \
            else "the tab is empty (not even a header row)"
        return Resolved(Table((), ()), (DataIssue(tab, 1, "", "", why, act.TAB_MISSING),))
    ids = column_ids(form, model, table.header)
    issues: list[DataIssue] = []
    places: dict[str, list[int]] = {}
    unknown: list[int] = []
    for i, (name, cid) in enumerate(zip(table.header, ids)):
        if cid is not None:
            places.setdefault(cid, []).append(i)
        elif name.strip():
            unknown.append(i)
            issues.append(DataIssue(tab, 1, f"{letter(i)} ({name})", name,
                                    f"column is not a question of the {form.title} form{_elsewhere(form, model, name)}",
                                    act.COLUMN_IGNORED))
    for cid, where in places.items():
        if len(where) > 1:
            cols = ", ".join(f"{letter(i)} ({table.header[i]})" for i in where)
            issues.append(DataIssue(tab, 1, cid, cols, f"{len(where)} columns hold this question (a question deleted and "
                                    "re-created in the form leaves its old column); each row's answer is taken from the "
                                    "column that has one, the rightmost if several do", act.COLUMNS_MERGED))
    by_staff = {f.id for f in form.fields if f.staff_only}  # a column staff add when they need it
    for column in form.columns_for(model):
        if column not in places and column not in by_staff:
            issues.append(DataIssue(tab, 1, column, "", "expected column is missing", act.COLUMN_BLANK))
    header = tuple(places) + tuple(table.header[i] for i in unknown)
    headerless = [i for i, name in enumerate(table.header) if not name.strip()]
    rows = []
    if all(len(where) == 1 for where in places.values()):  # the usual tab: no question in two columns
        order = [where[0] for where in places.values()] + unknown
        rows = list(map(cells_at(order), table.rows))  # each row's cells in the form's order
        issues.extend(_headerless_values(tab, table, headerless))
        return Resolved(Table(header, tuple(rows)), tuple(issues))
    for offset, cells in enumerate(table.rows):
        merged = []
        for cid, where in places.items():
            answers = [cells[i] for i in where if cells[i].strip()]
            if len(set(a.strip() for a in answers)) > 1:
                issues.append(DataIssue(tab, offset + 2, cid, " | ".join(answers)[:120],
                                        "two columns of this question hold different answers; the rightmost counts",
                                        act.VALUE_IGNORED))
            merged.append(answers[-1] if answers else "")
        merged.extend(cells[i] for i in unknown)
        rows.append(tuple(merged))
    issues.extend(_headerless_values(tab, table, headerless))
    return Resolved(Table(header, tuple(rows)), tuple(issues))


def _headerless_values(tab: str, table: Table, headerless: list[int]) -> list[DataIssue]:
    return [DataIssue(tab, offset + 2, f"column {letter(i)}", cells[i][:120],
                      "a value in a column with no header (beyond the form's columns)", act.VALUE_IGNORED)
            for offset, cells in enumerate(table.rows) for i in headerless if cells[i].strip()]


class LayoutError(ValueError):
    """The tab cannot hold this row as the build will read it (a column is missing)."""


def row_for_header(form: Form, model: str, header: tuple[str, ...], cells: dict[str, str]) -> list[str]:
    """The row to append under `header`, each answer in the column the reader takes it from.

    Raises LayoutError when an answer has no column: writing the row anyway would lose it.
    """
    # The rightmost column of a question, as the reader takes the rightmost answer.
    place = {cid: i for i, cid in enumerate(column_ids(form, model, header)) if cid is not None}
    labels = {f.id: f.label for f in form.fields}
    row = [""] * len(header)
    for cid, value in cells.items():
        if cid in place:
            row[place[cid]] = value
        elif value:
            raise LayoutError(f"the {form.tab} tab has no column for '{labels.get(cid, cid)}' ({cid})")
    return row
