"""The form contract and the typed records the stages read.

Each record type declares the form fields it is built from (and the option labels domain
rules compare against); `check_contract` holds them against forms/ at load, so a renamed
field or option stops the build with the file, the field and what needs it, not with a
bare KeyError in the middle of matching. Records are built once from validated responses;
mypy then sees every field the stages use.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from generator.config.forms import FieldType, Form
from generator.validate.rows import Record

T = FieldType


@dataclass(frozen=True)
class Need:
    """A form field a stage reads: its form, id, acceptable types, options compared against, and why."""

    form: str
    field: str
    types: tuple[FieldType, ...]
    why: str
    options: tuple[str, ...] = ()
    required: bool = True  # False: read only where the program's model asks it
    blank_ok: bool = False  # the stage copes with a blank answer (else the question must be required)
    models: tuple[str, ...] = ()  # the program models whose stages read it; empty means all


# Option labels domain rules compare answers against (checked to be options of their question).
MENTOR = "Mentor or facilitator"
EITHER = "Either"
VIRTUAL_ONLY = "Virtual only"
REMOTE = "Remote"
PREFER_IN_PERSON = "In person on my campus"
PREFER_VIRTUAL = "Virtual"
KEEP = ("approved", "pinned", "announced", "locked")  # statuses whose groups the matcher keeps
DECLINED = "declined"
PROPOSED = "proposed"  # a suggestion published to the Matches tab: kept among equally good matchings
LOCKED = "locked"  # a circle placement the matcher never moves, even where a rule breaks (staff accept it)
MENTOR_ROLE = "mentor"

CONTRACT: tuple[Need, ...] = (
    Need("application", "email", (T.email,), "identifies each applicant and links every other tab to them"),
    Need("application", "full_name", (T.short_text,), "names people on staff reports, certificates and rosters"),
    Need("application", "department", (T.short_text,), "matching spreads departments across groups"),
    Need("application", "role_family", (T.single_choice,), "staff reports show each applicant's role"),
    Need("application", "research_experience_years", (T.number,), "matching mixes and orders levels of experience"),
    Need("application", "preferred_role", (T.single_choice,), "matching needs to know who volunteers to lead",
         options=(MENTOR,)),
    Need("application", "supervisor_name", (T.short_text,), "evaluation scrubs supervisors' names from comments"),
    Need("application", "supervisor_email", (T.email,), "matching keeps supervisors and their reports apart"),
    Need("application", "consent_to_list", (T.yes_no,), "only people who consented are named on public rosters"),
    Need("application", "campus", (T.single_choice,), "in-person circles meet on one campus", options=(REMOTE,),
         required=False),
    Need("application", "attendance", (T.single_choice,), "virtual-only members are kept out of in-person circles",
         options=(VIRTUAL_ONLY,), required=False),
    Need("application", "circle_preference", (T.single_choice,), "matching honours circle preferences",
         options=(PREFER_IN_PERSON, PREFER_VIRTUAL), required=False),
    Need("application", "expertise_areas", (T.multiple_choice,), "mentors are matched on their expertise", required=False),
    Need("application", "career_interests", (T.multiple_choice,), "mentees are matched on their interests", required=False),
    Need("application", "letter_of_support_sent", (T.yes_no,), "a letter of support counts as supervisor support",
         required=False),
    Need("withdrawal", "email", (T.email,), "links a withdrawal to the applicant"),
    Need("withdrawal", "withdrawal_date", (T.date,), "a withdrawal counts from its date on"),
    Need("withdrawal", "reason", (T.single_choice, T.short_text), "attrition is reported with reasons"),
    Need("module_progress", "email", (T.email,), "links module progress to the participant"),
    Need("module_progress", "module", (T.short_text, T.single_choice), "names the curriculum module completed"),
    Need("module_progress", "completed_on", (T.date,), "progress counts modules completed by the build's date"),
    Need("module_progress", "score", (T.number,), "progress shows knowledge-check scores", blank_ok=True),
    Need("meeting_log", "email", (T.email,), "links a meeting to the participant"),
    Need("meeting_log", "meeting_date", (T.date,), "progress counts meetings held by the build's date"),
    Need("meeting_log", "minutes", (T.number,), "progress adds up meeting time"),
    Need("checkin", "email", (T.email,), "links a check-in to the participant"),
    Need("checkin", "quarter", (T.single_choice, T.short_text), "check-ins are counted per round"),
    Need("checkin", "satisfaction", (T.likert,), "evaluation reports satisfaction per round",
         blank_ok=True),  # blank: someone with no partner that quarter, answering to be matched in the next
    Need("checkin", "wants_to_continue", (T.yes_no,), "people who opt out are not matched next round",
         models=("rotating-pairs",)),
    Need("checkin", "meetings_held", (T.number,), "evaluation reports meetings per round"),
    Need("supervisor_support", "email", (T.email,), "links a supervisor's confirmation to the applicant"),
    Need("supervisor_support", "confirmed", (T.yes_no,), "pairs are announced only with supervisor support"),
    Need("matches", "round", (T.short_text, T.single_choice), "staff decisions are read per round"),
    Need("matches", "group_id", (T.short_text,), "staff decisions name the group they keep or decline"),
    Need("matches", "email", (T.email,), "staff decisions name the person"),
    Need("matches", "role", (T.single_choice,), "a mentor may be kept in several pairs", options=(MENTOR_ROLE,)),
    Need("matches", "status", (T.single_choice,), "the matcher keeps, or never proposes again, what staff decided",
         options=(*KEEP, DECLINED)),
    Need("focus_group", "code", (T.single_choice, T.short_text), "excerpts are counted per code"),
    Need("focus_group", "subcode", (T.short_text, T.single_choice), "excerpts are counted per second-level code"),
    Need("focus_group", "excerpt", (T.long_text, T.short_text), "a scrubbed quote illustrates each code"),
)


def stages_read(form_id: str, model: str) -> frozenset[str]:
    """The fields of a form whose answers a stage needs in every row (validation keeps a row
    without any other required answer when the question is newer than the row)."""
    return frozenset(n.field for n in CONTRACT if n.form == form_id and not n.blank_ok
                     and (not n.models or model in n.models))


#: The field that dates what a row records, where that is not its submission time: "as of" a
#: date, a withdrawal dated later has not happened yet, even if staff entered it in advance.
EVENT_DATES = {"withdrawal": "withdrawal_date", "meeting_log": "meeting_date", "module_progress": "completed_on"}


def check_contract(forms: dict[str, Form], model: str) -> list[str]:
    """Every field and option the stages read, held against the program's forms: one problem per gap."""
    problems = []
    for need in CONTRACT:
        form = forms.get(need.form)
        if form is None or (need.models and model not in need.models):
            continue  # a program may leave a form out; its stage then reads nothing
        where = f"forms/{need.form}.yml"
        asked = {f.id: f for f in form.fields_for(model)}
        field = asked.get(need.field)
        if field is None:
            if need.required:
                kinds = " or ".join(t.value for t in need.types)
                problems.append(f"{where}: field '{need.field}' ({kinds}) is missing for the {model} model; "
                                f"the build needs it because {need.why}")
            continue
        if need.required and not need.blank_ok and not field.required:
            problems.append(f"{where}: field '{need.field}' must be required (required: true), because {need.why}")
        if field.type not in need.types:
            kinds = " or ".join(t.value for t in need.types)
            problems.append(f"{where}: field '{need.field}' is {field.type.value}, but must be {kinds}, because {need.why}")
        for option in need.options:
            if option not in field.options:
                problems.append(f"{where}: field '{need.field}' has no option {option!r} (options: "
                                f"{list(field.options)}); the build compares answers with it, because {need.why}")
    return problems


# --- Typed records, built once from validated responses ----------------------------------


@dataclass(frozen=True)
class Application:
    row: int
    submitted_at: dt.datetime
    email: str
    full_name: str
    department: str
    role_family: str
    years: float
    preferred_role: str
    supervisor_name: str
    supervisor_email: str
    listed: bool
    campus: str
    virtual_only: bool
    circle_preference: str
    expertise: frozenset[str]
    interests: frozenset[str]
    letter_of_support: bool


@dataclass(frozen=True)
class Withdrawal:
    row: int
    email: str
    date: dt.date
    reason: str


@dataclass(frozen=True)
class ModuleDone:
    email: str
    module: str
    completed_on: dt.date
    score: float | None


@dataclass(frozen=True)
class Meeting:
    email: str
    date: dt.date
    minutes: float


@dataclass(frozen=True)
class CheckIn:
    email: str
    submitted_at: dt.datetime
    quarter: str
    satisfaction: int | None  # blank from someone who had no match that quarter
    wants_to_continue: bool  # rotating pairs ask it; True where the model does not (circles)
    meetings_held: float


@dataclass(frozen=True)
class Support:
    email: str
    confirmed: bool


@dataclass(frozen=True)
class Decision:
    row: int
    round: str
    group_id: str
    email: str
    role: str
    status: str
    meets: str = ""  # a circle's meeting pattern, when staff set one on this row
    place: str = ""  # where it meets: a room or a video link


@dataclass(frozen=True)
class Excerpt:
    code: str
    subcode: str
    text: str


def _application(r: Record) -> Application:
    def choices(key: str) -> frozenset[str]:
        return frozenset(r.get(key) or ())

    return Application(
        row=r.row, submitted_at=r.submitted_at, email=r["email"], full_name=r["full_name"], department=r["department"],
        role_family=r["role_family"], years=float(r["research_experience_years"]), preferred_role=r["preferred_role"],
        supervisor_name=r.get("supervisor_name") or "", supervisor_email=(r.get("supervisor_email") or "").lower(),
        listed=bool(r.get("consent_to_list")), campus=r.get("campus") or "",
        virtual_only=r.get("attendance") == VIRTUAL_ONLY or r.get("campus") == REMOTE,
        circle_preference=r.get("circle_preference") or "", expertise=choices("expertise_areas"),
        interests=choices("career_interests"), letter_of_support=bool(r.get("letter_of_support_sent")))


@dataclass(frozen=True)
class Records:
    """Every response the stages read, typed."""

    applications: tuple[Application, ...]
    withdrawals: tuple[Withdrawal, ...]
    modules: tuple[ModuleDone, ...]
    meetings: tuple[Meeting, ...]
    checkins: tuple[CheckIn, ...]
    support: tuple[Support, ...]
    decisions: tuple[Decision, ...]
    excerpts: tuple[Excerpt, ...]

    def application_of(self) -> dict[str, Application]:
        return {a.email: a for a in self.applications}

    def withdrawal_of(self) -> dict[str, Withdrawal]:
        return {w.email: w for w in self.withdrawals}


def typed(by_form: dict[str, tuple[Record, ...]]) -> Records:
    """Typed records from accepted rows (whose fields check_contract already vouched for)."""
    def rows(form_id: str) -> Iterable[Record]:
        return by_form.get(form_id, ())

    return Records(
        applications=tuple(_application(r) for r in rows("application")),
        withdrawals=tuple(Withdrawal(r.row, r["email"], r["withdrawal_date"], str(r["reason"])) for r in rows("withdrawal")),
        modules=tuple(ModuleDone(r["email"], r["module"], r["completed_on"], r.get("score")) for r in rows("module_progress")),
        meetings=tuple(Meeting(r["email"], r["meeting_date"], float(r["minutes"])) for r in rows("meeting_log")),
        checkins=tuple(CheckIn(r["email"], r.submitted_at, str(r["quarter"]),
                               None if (s := r.get("satisfaction")) is None else int(s),
                               bool(r.get("wants_to_continue", True)), float(r["meetings_held"]))
                       for r in rows("checkin")),
        support=tuple(Support(r["email"], bool(r["confirmed"])) for r in rows("supervisor_support")),
        decisions=tuple(Decision(r.row, r["round"], r["group_id"], r["email"], r["role"], r["status"],
                                 r.get("meets") or "", r.get("meeting_place") or "")
                        for r in rows("matches")),
        excerpts=tuple(Excerpt(str(r["code"]), str(r["subcode"]), r["excerpt"]) for r in rows("focus_group")),
    )
