"""Form definitions: the single source of truth for columns, validation, dtypes and form pages."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field as PField, model_validator

from generator.config._messages import load_yaml_model, worded
from generator.errors import ConfigError

IDENTIFIER = worded(r"^[a-z][a-z0-9_]*$", "should be lower-case letters, digits and _, starting with a letter")
TAB_NAME = worded(r"^[^/\\\x00]+$", "may not contain / or \\ (it names a sheet tab, and a file in a workbook folder)")

#: Every response row carries the time it was submitted (a Google Form's "Timestamp").
TIMESTAMP = "submitted_at"
#: Responses to signed forms carry the token from the person's link.
TOKEN = "token"

MODELS = ("circles", "rotating-pairs")


class FieldType(str, Enum):
    short_text = "short_text"
    long_text = "long_text"
    email = "email"
    date = "date"
    number = "number"
    single_choice = "single_choice"
    multiple_choice = "multiple_choice"
    likert = "likert"
    yes_no = "yes_no"


#: What each type means to a person filling in the form (shown in docs and checked by tests).
TYPE_DESCRIPTIONS: dict[FieldType, str] = {
    FieldType.short_text: "one line of text",
    FieldType.long_text: "a paragraph of text, optionally limited to a number of words",
    FieldType.email: "an email address",
    FieldType.date: "a calendar date (YYYY-MM-DD or MM/DD/YYYY)",
    FieldType.number: "a number, optionally between a minimum and a maximum",
    FieldType.single_choice: "exactly one of the listed options",
    FieldType.multiple_choice: "any of the listed options, separated by commas",
    FieldType.likert: "a rating from 1 (strongly disagree) to 5 (strongly agree)",
    FieldType.yes_no: "Yes or No",
}

LIKERT_LABELS = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")

_Strict = ConfigDict(extra="forbid", frozen=True)


def _pairs(value: object) -> object:
    """A YAML mapping as (key, value) pairs, which keep a frozen model hashable; anything else as given."""
    return tuple((str(k), str(v)) for k, v in value.items()) if isinstance(value, dict) else value


class Field(BaseModel):
    """One question of a form."""

    model_config = _Strict

    id: str = PField(pattern=IDENTIFIER)
    label: str = PField(min_length=1)
    type: FieldType
    required: bool = True
    help: str = ""
    options: tuple[str, ...] = ()
    max_words: Optional[int] = PField(default=None, gt=0)
    min: Optional[float] = None
    max: Optional[float] = None
    #: Identifies a person (name, email, supervisor): never shown on public pages.
    personal: bool = False
    #: Written freely by a person: always escaped, scrubbed before publication.
    free_text: bool = False
    #: Program models that ask this question; empty means all.
    models: tuple[str, ...] = ()
    #: Other headers a response sheet may use for this question (an older wording, say).
    aliases: tuple[str, ...] = ()
    #: Options renamed since answers came in: old wording -> the option it is now (YAML, a mapping
    #: such as {Workload: Too much work}), so older rows count as the option they chose.
    former_options: Annotated[tuple[tuple[str, str], ...], BeforeValidator(_pairs)] = ()
    #: In Google Forms this answer is a file upload with this title (the site's form asks for a link).
    upload_in_google_forms: Optional[str] = None
    #: Filled in by staff in the sheet, never asked on a form: a row with it was entered by
    #: hand (a support letter received by email), so it needs no token from a personal link.
    staff_only: bool = False
    #: A date question about something that has happened (a meeting held): the form takes no day
    #: after today, and the build leaves out a row dated after the day it was submitted.
    past_only: bool = False

    @model_validator(mode="after")
    def _check(self) -> "Field":
        choice = self.type in (FieldType.single_choice, FieldType.multiple_choice)
        if choice and not self.options:
            raise ValueError(f"field '{self.id}' is a {self.type.value} question but lists no options")
        if not choice and self.options:
            raise ValueError(f"field '{self.id}' lists options but is a {self.type.value} question")
        if self.max_words is not None and self.type is not FieldType.long_text:
            raise ValueError(f"field '{self.id}': max_words only applies to long_text questions")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"field '{self.id}' lists an option twice")
        for before, now in self.former_options:
            if now not in self.options:
                raise ValueError(f"field '{self.id}': former_options maps {before!r} to {now!r}, which is not one "
                                 f"of its options")
        if self.past_only and self.type is not FieldType.date:
            raise ValueError(f"field '{self.id}': past_only only applies to date questions")
        if self.staff_only and self.required:
            raise ValueError(f"field '{self.id}' is staff_only, so it cannot be required (add required: false)")
        for model in self.models:
            if model not in MODELS:
                raise ValueError(f"field '{self.id}': model '{model}' is not one of {list(MODELS)}")
        return self

    def asked_in(self, model: str) -> bool:
        return not self.models or model in self.models


class Form(BaseModel):
    """One instrument (application, check-in, evaluation...) and the sheet tab it fills."""

    model_config = _Strict

    id: str = PField(pattern=IDENTIFIER)
    title: str
    description: str = ""
    tab: str = PField(min_length=1, pattern=TAB_NAME)
    #: The field that says who a row is about (their email); links rows to applicants.
    identity: str
    #: A person may submit once per combination of these fields; the latest submission counts.
    unique: tuple[str, ...] = ()
    #: Rows are about an applicant (their identity is an applicant's email).
    links_to_applicant: bool = True
    #: Links sent to participants carry a per-person token (HMAC of the program secret), kept
    #: in a "token" column, so a response can be attributed and a forged one quarantined.
    signed: bool = False
    #: Who the signed links are made for: the participant, or their supervisor (whose link,
    #: about the participant, carries a token of its own).
    signed_by: Literal["participant", "supervisor"] = "participant"
    #: Who fills it in: the public (on the public site), participants (linked from the
    #: participants' section), supervisors (reached only by the link in their request) or
    #: staff (never rendered as a page).
    audience: Literal["public", "participants", "supervisors", "staff"] = "participants"
    fields: tuple[Field, ...] = PField(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "Form":
        ids = [f.id for f in self.fields]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"field id(s) {dup} are used more than once")
        for implicit in (TIMESTAMP, TOKEN):
            if implicit in ids:
                raise ValueError(f"'{implicit}' is a column the forms add themselves; use another field id")
        for name in (self.identity, *self.unique):
            if name not in ids:
                raise ValueError(f"'{name}' is named as identity/unique but is not a field of this form")
        return self

    def fields_for(self, model: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.asked_in(model))

    @property
    def page(self) -> str | None:
        """Its page on the site, e.g. "participants/checkin.html"; None for public or staff forms."""
        folder = {"participants": "participants", "supervisors": "supervisors"}.get(self.audience)
        return f"{folder}/{self.id}.html" if folder else None

    def asked(self, model: str) -> tuple[Field, ...]:
        """The questions a person answers on the form (staff-only columns are left out)."""
        return tuple(f for f in self.fields_for(model) if not f.staff_only)

    def columns_for(self, model: str) -> list[str]:
        """The sheet columns this form fills, in order."""
        return [TIMESTAMP, *(f.id for f in self.fields_for(model)), *self.extra_columns()]

    def extra_columns(self) -> list[str]:
        """Columns that are not questions: the signed-link token."""
        return [TOKEN] if self.signed else []

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


def load_form(path: Path) -> Form:
    """Read and validate one form definition, or raise ConfigError naming every problem."""
    form = load_yaml_model(path, Form, "id, title, tab, fields...")
    if form.id != path.stem:
        raise ConfigError(str(path), [f"'id' ({form.id!r}) must match the file name ({path.stem!r})"])
    return form


def load_forms(folder: Path) -> dict[str, Form]:
    """Every form in a folder, keyed by id; all files are checked before failing."""
    forms: dict[str, Form] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            forms[path.stem] = load_form(path)
        except ConfigError as exc:
            problems.extend(f"{path.name}, {p}" for p in exc.problems)
    if problems:
        raise ConfigError(str(folder), problems)
    if not forms:
        raise ConfigError(str(folder), ["holds no form definitions (*.yml)"])
    return forms
