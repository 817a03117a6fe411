"""program.yml: what a program is, validated once at load against the forms it uses."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field as PField, model_validator

from generator.config._messages import load_yaml_model, worded
from generator.config.forms import TAB_NAME, FieldType, Form, load_forms
from generator.errors import ConfigError
from generator.validate.conventions import LOCALE_PATTERN

_Strict = ConfigDict(extra="forbid", frozen=True)
WEB = worded(r"^https?://[^\s]+$", "should be a web address starting with https:// (with no spaces)")
SLUG = worded(r"^[a-z0-9][a-z0-9-]*$",
              "should be lower-case letters, digits and hyphens, starting with a letter or digit")
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::00)?")


def _clock(value: object) -> dt.time:
    """A time of day as a coordinator types it ("9:00", "18:30"), in the program's time zone.
    pydantic alone read a number as seconds after midnight in UTC (`start: 9` was 00:00:09, and
    unquoted 9:00 reached it as 540, YAML's base 60) and refused "9:00" without its leading zero."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and (m := _CLOCK.fullmatch(value.strip())):
        return dt.time(int(m[1]), int(m[2]))
    raise ValueError("should be a time of day on the 24-hour clock, hours and minutes: 9:30 or 18:00")


#: A time of day in program.yml (events, moved meetings).
ClockTime = Annotated[dt.time, BeforeValidator(_clock)]


class Quarter(BaseModel):
    model_config = _Strict
    name: str
    start: dt.date
    end: dt.date
    kind: Literal["mentor-mentee", "peer"]
    #: What the round is, in the program's words (the schedule and calendars say it; without it,
    #: "Matched as mentor and mentee." or "... as a same-level peer from another department.").
    description: str = ""

    def ended(self, today: dt.date) -> bool:
        """Whether the round is over on `today`: nothing is newly matched or announced in it."""
        return today > self.end


class Dates(BaseModel):
    model_config = _Strict
    application_open: dt.date
    application_close: dt.date
    match_announcement: dt.date
    cohort_start: dt.date
    cohort_end: dt.date
    meeting_cadence: str
    quarters: tuple[Quarter, ...] = ()

    def applications_closed(self, today: dt.date) -> bool:
        """Whether every application is in on `today`: until then a match is drawn from those who
        applied so far, a shortfall is where the count stands, not something to fix."""
        return today > self.application_close

    def ended(self, today: dt.date) -> bool:
        """Whether the program is over on `today`: its last day still belongs to it (withdrawing,
        the site's "closed" wording), and completion is decided from the day after (the final
        evaluation may be due on the last day)."""
        return today > self.cohort_end

    @model_validator(mode="after")
    def _order(self) -> "Dates":
        if self.application_close < self.application_open:
            raise ValueError("application_close is before application_open")
        if self.cohort_end <= self.cohort_start:
            raise ValueError("cohort_end must be after cohort_start")
        if self.match_announcement < self.application_close:
            raise ValueError("match_announcement is before application_close")
        for q in self.quarters:
            if q.end <= q.start:
                raise ValueError(f"quarter {q.name}: end must be after start")
        return self


class MeetingPlan(BaseModel):
    """How a circle meets: a pattern such as "2nd and 4th Tuesday 12:00-13:00", where, and a link."""

    model_config = _Strict
    pattern: str
    #: A room, or "Video call"; shown to members on their personal page and in their calendar.
    where: str = "Video call"
    #: The video link, shared only with the circle (personal pages and private calendars).
    link: Optional[str] = PField(default=None, pattern=WEB)

    @model_validator(mode="after")
    def _readable(self) -> "MeetingPlan":
        from generator.schedule.patterns import PatternError, parse_pattern

        try:
            parse_pattern(self.pattern)
        except PatternError as exc:
            raise ValueError(str(exc)) from None
        return self


class MeetingChange(BaseModel):
    """One planned circle meeting cancelled or moved (every circle's that day, unless `circle` is set)."""

    model_config = _Strict
    date: dt.date
    circle: Optional[str] = None
    cancelled: bool = False
    moved_to: Optional[dt.date] = None
    start: Optional[ClockTime] = None
    end: Optional[ClockTime] = None
    where: Optional[str] = None
    note: str = ""


EVENT_KINDS = ("kickoff", "meet-and-greet", "training", "wrap-up", "other")


class ProgramEvent(BaseModel):
    """A dated event of the whole program: kickoff, an optional meet-and-greet, the wrap-up celebration."""

    model_config = _Strict
    name: str
    kind: Literal[EVENT_KINDS] = "other"  # type: ignore[valid-type]
    date: dt.date
    start: Optional[ClockTime] = None
    end: Optional[ClockTime] = None
    where: str = ""
    description: str = ""
    #: Who it is for: everyone taking part, or only mentors / facilitators.
    audience: Literal["everyone", "mentors", "facilitators"] = "everyone"
    optional: bool = False
    cancelled: bool = False

    @model_validator(mode="after")
    def _times(self) -> "ProgramEvent":
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither (an all-day event)")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Schedule(BaseModel):
    """Dates beyond the program's frame: meeting patterns, holidays, events, evaluations."""

    model_config = _Strict
    #: Every time in the schedule is in this IANA time zone (e.g. America/New_York).
    time_zone: str = "America/New_York"
    #: How circles meet unless staff set a circle's own pattern (Matches tab or `circles` below).
    meetings: Optional[MeetingPlan] = None
    circles: dict[str, MeetingPlan] = {}
    #: No circle meets on these days.
    holidays: tuple[dt.date, ...] = ()
    changes: tuple[MeetingChange, ...] = ()
    events: tuple[ProgramEvent, ...] = ()
    #: Default: halfway through the program.
    midpoint_evaluation: Optional[dt.date] = None
    #: Default: the program's last day.
    final_evaluation: Optional[dt.date] = None
    #: The end-of-round check-in is due this many days after a round ends (rotating pairs).
    checkin_due_days: int = PField(default=7, ge=0, le=60)

    @model_validator(mode="after")
    def _zone(self) -> "Schedule":
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"time_zone {self.time_zone!r} is not a time zone (use a name such as "
                             "America/New_York or Europe/London)") from None
        for i, change in enumerate(self.changes, start=1):
            if change.moved_to is None and not change.cancelled and change.start is None and change.where is None:
                raise ValueError(f"changes[{i}] ({change.date}): say what changes (cancelled, moved_to, start/end or where)")
            if (change.start is None) != (change.end is None):
                raise ValueError(f"changes[{i}] ({change.date}): give both start and end")
        return self


class PersonalPages(BaseModel):
    """Each participant's private page, encrypted with a key derived from the program's secret."""

    model_config = _Strict
    #: DEMO ONLY, for the bundled examples: a public secret, so their personal pages can be tried.
    #: Never set it for a real program (anyone can read it here); real programs set CRP_PAGE_SECRET
    #: or CRP_FORM_SECRET in the environment. Used only for example data: a workbook folder whose
    #: addresses are all at example domains (such as ufhealth.example.edu).
    demo_secret: Optional[str] = PField(default=None, pattern=worded(
        r"^demo-only-", "must start with demo-only- (it is public: never use it as a real secret)"))
    #: Members of a group see each other's work email on their pages.
    share_email_in_group: bool = True


EMAIL = worded(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "should be an email address, such as name@institution.edu")


class Smtp(BaseModel):
    """The mail server `build.py send` uses. The login comes from the environment and is never written anywhere."""

    model_config = _Strict
    #: The server's name (or set CRP_SMTP_HOST); none means messages are only written to the outbox.
    host: Optional[str] = None
    #: Default: 587 with starttls, 465 with tls, 25 with none.
    port: Optional[int] = PField(default=None, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    #: Names of the environment variables that hold the login (leave them unset for no login).
    user_env: str = "CRP_SMTP_USER"
    password_env: str = "CRP_SMTP_PASSWORD"
    timeout_seconds: float = PField(default=30, gt=0)
    #: A certificate authority file (PEM, relative to program.yml) to trust besides the system's:
    #: for a mail server with an institution's own certificate. Certificates are always checked.
    ca_file: Optional[str] = None

    def port_for(self) -> int:
        return self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]


class Messages(BaseModel):
    """The messages that run the program: who they come from, how they are sent, when reminders go."""

    model_config = _Strict
    #: The From address (default: the contact's email) and the name shown with it (default: the program's name).
    sender: Optional[str] = PField(default=None, pattern=EMAIL)
    sender_name: Optional[str] = None
    reply_to: Optional[str] = PField(default=None, pattern=EMAIL)
    #: A folder (relative to program.yml) of staff's own templates; a file there replaces the
    #: bundled one of the same name (for example announcement.txt.j2).
    templates: Optional[str] = None
    smtp: Smtp = Smtp()
    #: At most this many messages a minute, and this many in one run of `build.py send`.
    per_minute: float = PField(default=20, gt=0)
    max_per_run: int = PField(default=200, ge=1)
    #: A check-in or evaluation reminder goes this many days before it is due.
    remind_before_days: int = PField(default=7, ge=0, le=60)
    #: A participant with no meeting logged for this many days is reminded (at most once a month).
    meeting_gap_days: int = PField(default=30, ge=7, le=180)
    #: The ledger of sent messages: a tab of the sheet, or a file of that name in the workbook.
    ledger_tab: str = PField(default="Sent", min_length=1, pattern=TAB_NAME)


class TimeCommitment(BaseModel):
    model_config = _Strict
    summary: str
    details: tuple[str, ...] = ()


class CircleSettings(BaseModel):
    model_config = _Strict
    min_size: int = PField(ge=2)
    max_size: int = PField(ge=2)
    #: Number of circles; by default it follows from the cohort and the facilitators.
    count: Optional[int] = PField(default=None, ge=1)
    #: Volunteers with at least this much research experience may facilitate.
    facilitator_min_years: float = PField(default=5, ge=0)
    #: Every circle mixes a "new" member (at most this many years) ...
    new_max_years: float = PField(default=2, ge=0)
    #: ... and an "experienced" one (at least this many years).
    experienced_min_years: float = PField(default=5, ge=0)
    #: In-person circles per campus; every other circle meets virtually.
    in_person: dict[str, int] = {}

    @model_validator(mode="after")
    def _bounds(self) -> "CircleSettings":
        if self.max_size < self.min_size:
            raise ValueError(f"max_size ({self.max_size}) is smaller than min_size ({self.min_size})")
        return self


class PairSettings(BaseModel):
    """How rotating pairs are formed."""

    model_config = _Strict
    #: A mentor has at least this many more years of research experience than the mentee.
    mentor_gap_years: float = PField(default=3, ge=0)
    #: Same-level peers differ by at most this many years.
    peer_gap_years: float = PField(default=4, ge=0)
    #: Mentees one mentor may take in a round.
    mentor_capacity: int = PField(default=1, ge=1, le=5)
    #: With an odd number or no fitting partner, a third joins a pair instead of waiting.
    allow_trios: bool = True
    #: Mentors must have completed mentor training (module id in the curriculum).
    mentor_training_module: Optional[str] = None
    #: Matches are announced only after the supervisor's support is confirmed.
    require_supervisor_support: bool = True


class _Rule(BaseModel):
    model_config = _Strict
    field: str
    #: Shown to staff (and applicants) as the criterion, e.g. "employed here at least 6 months".
    criterion: str


class EqualsRule(_Rule):
    rule: Literal["equals"]
    value: Union[bool, str, float]


class OneOfRule(_Rule):
    rule: Literal["one_of"]
    values: tuple[str, ...] = PField(min_length=1)


class MinMonthsRule(_Rule):
    """The date in `field` lies at least `months` months before the reference date."""

    rule: Literal["min_months_before"]
    months: int = PField(ge=0)
    reference: Literal["application_close", "cohort_start"] = "cohort_start"


class AtLeastRule(_Rule):
    rule: Literal["at_least"]
    value: float


Rule = Annotated[Union[EqualsRule, OneOfRule, MinMonthsRule, AtLeastRule], PField(discriminator="rule")]


class Module(BaseModel):
    model_config = _Strict
    id: str = PField(pattern=SLUG)
    title: str
    summary: str
    topics: tuple[str, ...] = ()
    estimated_hours: float = PField(gt=0)
    knowledge_check: bool = True


class Person(BaseModel):
    """A committee member or contact, listed only with `listed: true` (their consent)."""

    model_config = _Strict
    name: str
    role: str
    affiliation: str = ""
    listed: bool = False


class Contact(BaseModel):
    model_config = _Strict
    #: The person (or office) people write to, as pages and messages name them.
    name: str
    #: Their role ("Program coordinator"); not repeated where it is the same as the name.
    role: str
    #: The address pages and messages give for questions.
    email: str = PField(pattern=EMAIL)

    @property
    def named(self) -> str:
        """"Mendy E. Dunn, Program coordinator"; the role alone once when it is the name too."""
        return self.name if self._role_is_name else f"{self.name}, {self.role}"

    @property
    def named_aside(self) -> str:
        """"Mendy E. Dunn (Program coordinator)", or the name alone as `named`."""
        return self.name if self._role_is_name else f"{self.name} ({self.role})"

    @property
    def _role_is_name(self) -> bool:
        return self.role.casefold() in ("", self.name.casefold())


class Preference(BaseModel):
    """Applicants whose answer to `field` is one of `values` are admitted first."""

    model_config = _Strict
    field: str
    values: tuple[str, ...] = PField(min_length=1)


class Admission(BaseModel):
    """When places run out: who is admitted first; the rest wait, in order."""

    model_config = _Strict
    #: Places in the cohort; without it every eligible applicant is admitted.
    places: Optional[int] = PField(default=None, ge=1)
    #: In order: the first preference an applicant meets ranks them; then the application date.
    prefer: tuple[Preference, ...] = ()


class Deploy(BaseModel):
    """When `guard` stops a deploy of the public site (CI), so a bad read never goes out."""

    model_config = _Strict
    #: A build that fell back to a snapshot older than this is not deployed.
    max_snapshot_age_hours: int = PField(default=48, ge=1)
    #: Nor one whose data issues grew by more than this since the last build.
    max_new_data_issues: int = PField(default=25, ge=0)
    #: Nor one where any of these tabs is missing or empty (default: the application form's tab).
    required_tabs: tuple[str, ...] = ()


class Privacy(BaseModel):
    model_config = _Strict
    #: Evaluation results for a group smaller than this are never published.
    min_group_size: int = PField(default=5, ge=3)
    #: Comments to a question are shown only when at least this many people wrote one.
    min_comment_group: int = PField(default=10, ge=3)

    @model_validator(mode="after")
    def _comments_need_more(self) -> "Privacy":
        if self.min_comment_group < self.min_group_size:
            raise ValueError("min_comment_group must be at least min_group_size: words identify people sooner than numbers")
        return self


class Completion(BaseModel):
    """What a participant must have done for a certificate and a training record."""

    model_config = _Strict
    #: Curriculum modules completed (default: all of them).
    min_modules: Optional[int] = PField(default=None, ge=0)
    #: Meetings logged over the whole program (circles).
    min_meetings: int = PField(default=0, ge=0)
    #: Rounds taken part in: matched, and not withdrawn or opted out before the round ended (pairs).
    min_rounds: int = PField(default=0, ge=0)
    #: Meetings logged within a round for it to count as taken part in (pairs).
    min_meetings_per_round: int = PField(default=0, ge=0)
    #: The final evaluation answered.
    final_evaluation: bool = False


class Signatory(BaseModel):
    model_config = _Strict
    #: Printed under the signature line of each certificate.
    name: str
    #: Their title and institution, printed under the name.
    title: str


class Code(BaseModel):
    """A first-level code of the focus-group codebook, with its emergent second-level codes."""

    model_config = _Strict
    name: str
    definition: str = ""
    question: str = ""
    subcodes: tuple[str, ...] = ()


class FocusGroup(BaseModel):
    model_config = _Strict
    #: The day the focus group met.
    held_on: dt.date
    #: How many took part (published only at or above privacy.min_group_size).
    attendees: int = PField(ge=0)


INDICATORS = ("certification_planned", "certification_passed", "retention", "became_mentor", "meetings_held",
              "modules_completed", "satisfaction", "still_employed", "new_role", "society_role")
Indicator = Literal[INDICATORS]  # type: ignore[valid-type]


class Box(BaseModel):
    """One box of the logic model; `indicator` (or several, `indicators`) names the measures shown in
    it, from the data."""

    model_config = _Strict
    text: str
    indicator: Optional[Indicator] = None  # type: ignore[valid-type]
    indicators: tuple[Indicator, ...] = ()  # type: ignore[valid-type]

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(((self.indicator,) if self.indicator else ()) + self.indicators))


class LogicModel(BaseModel):
    model_config = _Strict
    inputs: tuple[Box, ...] = ()
    activities: tuple[Box, ...] = ()
    outputs: tuple[Box, ...] = ()
    short_term: tuple[Box, ...] = ()
    intermediate_term: tuple[Box, ...] = ()
    long_term: tuple[Box, ...] = ()


class Evaluation(BaseModel):
    model_config = _Strict
    #: Show the evaluation results and the logic model on the public site. Staff always get a preview of
    #: both in their reports; false keeps the results there until the program is ready to publish them.
    publish: bool = True
    codebook: tuple[Code, ...] = ()
    focus_group: Optional[FocusGroup] = None
    logic_model: Optional[LogicModel] = None


class Source(BaseModel):
    """Where responses come from: Google Sheets when a key and credentials are in the
    environment (or the key is set here), otherwise the program's workbook folder (CSV files)."""

    model_config = _Strict
    kind: Literal["workbook", "sheets"] = "workbook"
    #: Folder of CSV files, one per sheet tab, relative to program.yml.
    path: str = "data"
    #: The Google Sheet's key (from its URL); CRP_SHEET_KEY in the environment overrides it.
    spreadsheet_key: Optional[str] = None
    #: Every successful read of the sheet is saved here (workbook format), relative to program.yml.
    snapshots: str = "snapshots"
    #: When the sheet cannot be read, build from the newest snapshot and say so, instead of failing.
    fallback_to_snapshot: bool = False
    #: Snapshots kept per spreadsheet (the oldest are deleted): each is a full copy of personal data.
    keep_snapshots: int = PField(default=5, ge=1, le=100)
    #: How the workbook's dates and numbers are written (a Google Sheet says its own locale).
    locale: str = PField(default="en_US",
                         pattern=worded(LOCALE_PATTERN, "should be a locale such as en_US, en_GB or es"))


class FaqEntry(BaseModel):
    model_config = _Strict
    group: str
    question: str
    answer: str


class Program(BaseModel):
    """A whole program: identity, calendar, rules, curriculum, data source."""

    model_config = _Strict

    model: Literal["circles", "rotating-pairs"]
    slug: str = PField(pattern=SLUG)
    name: str
    organization: str
    purpose: str
    goals: tuple[str, ...] = PField(min_length=1)
    how_it_works: tuple[str, ...] = PField(min_length=1)
    dates: Dates
    time_commitment: TimeCommitment
    schedule: Schedule = Schedule()
    personal_pages: PersonalPages = PersonalPages()
    messages: Messages = Messages()
    circles: Optional[CircleSettings] = None
    pairs: PairSettings = PairSettings()
    campuses: tuple[str, ...] = ()
    eligibility: tuple[Rule, ...] = PField(min_length=1)
    eligibility_notes: tuple[str, ...] = ()
    admission: Admission = Admission()
    forms: tuple[str, ...] = PField(min_length=1)
    tab_names: dict[str, str] = {}
    source: Source = Source()
    curriculum: tuple[Module, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    organizers: tuple[Person, ...] = ()
    contact: Contact
    privacy: Privacy = Privacy()
    deploy: Deploy = Deploy()
    completion: Completion = Completion()
    #: Who signs the certificates.
    signatory: Optional[Signatory] = None
    evaluation: Evaluation = Evaluation()
    #: The public site's address: receivers link back to it, and it makes links absolute.
    site_url: Optional[str] = PField(default=None, pattern=WEB)
    #: Where the site's forms post: the deployed Apps Script web app (ending in /exec).
    receiver_url: Optional[str] = PField(default=None,
                                         pattern=worded(r"^https://", "should be a web address starting with https://"))

    @model_validator(mode="after")
    def _model_specific(self) -> "Program":
        if self.model == "circles" and self.circles is None:
            raise ValueError("a circles program needs a 'circles' section (min_size, max_size)")
        if self.model == "rotating-pairs" and not self.dates.quarters:
            raise ValueError("a rotating-pairs program needs 'dates.quarters' (the rounds)")
        if "application" not in self.forms:
            raise ValueError("'forms' must include 'application'")
        ids = [m.id for m in self.curriculum]
        if len(set(ids)) != len(ids):
            raise ValueError("two curriculum modules share an id")
        module = self.pairs.mentor_training_module
        if module is not None and module not in ids:
            raise ValueError(f"pairs.mentor_training_module {module!r} is not a curriculum module {ids}")
        codes = [c.name for c in self.evaluation.codebook]
        if len(set(codes)) != len(codes):
            raise ValueError("evaluation.codebook: two codes share a name")
        problems = _schedule_fits(self)
        if problems:
            raise ValueError("; ".join(problems))
        if self.circles is not None:
            for campus in self.circles.in_person:
                if campus not in self.campuses:
                    raise ValueError(f"circles.in_person: campus {campus!r} is not in 'campuses' {list(self.campuses)}")
        return self


def _schedule_fits(program: Program) -> list[str]:
    """Dates in `schedule` that cannot be: a meeting change outside the cohort, a holiday outside it."""
    d, sc = program.dates, program.schedule
    inside = lambda day: d.cohort_start <= day <= d.cohort_end  # noqa: E731
    problems = []
    for i, change in enumerate(sc.changes, start=1):
        for key, day in (("date", change.date), ("moved_to", change.moved_to)):
            if day is not None and not inside(day):
                problems.append(f"schedule.changes[{i}].{key} {day} is outside the program "
                                f"({d.cohort_start} to {d.cohort_end})")
    for i, day in enumerate(sc.holidays, start=1):
        if not inside(day):
            problems.append(f"schedule.holidays[{i}] {day} is outside the program ({d.cohort_start} to {d.cohort_end})")
    for key in ("midpoint_evaluation", "final_evaluation"):
        day = getattr(sc, key)
        if day is not None and not d.cohort_start <= day <= d.cohort_end + dt.timedelta(days=60):
            problems.append(f"schedule.{key} {day} is outside the program ({d.cohort_start} to {d.cohort_end})")
    if program.model == "rotating-pairs" and (sc.meetings is not None or sc.circles):
        problems.append("schedule.meetings and schedule.circles are for circles; in rotating pairs partners "
                        "schedule their own meetings")
    return problems


def cross_check(program: Program, forms: dict[str, Form]) -> list[str]:
    """Problems between program.yml and the form definitions it relies on."""
    problems = []
    for fid in program.forms:
        if fid not in forms:
            problems.append(f"'forms': {fid!r} has no definition in forms/ (known: {sorted(forms)})")
    for fid in program.tab_names:
        if fid not in program.forms:
            problems.append(f"'tab_names': {fid!r} is not one of this program's forms")
    app = forms.get("application")
    if app is None:
        return problems
    asked = {f.id: f for f in app.fields_for(program.model)}
    for i, rule in enumerate(program.eligibility, start=1):
        where = f"'eligibility[{i}]'"
        field = asked.get(rule.field)
        if field is None:
            problems.append(f"{where}: field {rule.field!r} is not asked in the {program.model} application")
            continue
        problems.extend(f"{where}: {p}" for p in _rule_fits(rule, field))
    for i, pref in enumerate(program.admission.prefer, start=1):
        where = f"'admission.prefer[{i}]'"
        field = asked.get(pref.field)
        if field is None:
            problems.append(f"{where}: field {pref.field!r} is not asked in the {program.model} application")
            continue
        unknown = [v for v in pref.values if field.options and v not in field.options]
        if unknown:
            problems.append(f"{where}: value(s) {unknown} are not options of {field.id!r} {list(field.options)}")
    return problems


def _rule_fits(rule: Any, field: Any) -> list[str]:
    if isinstance(rule, MinMonthsRule) and field.type is not FieldType.date:
        return [f"min_months_before needs a date question, but {field.id!r} is {field.type.value}"]
    if isinstance(rule, AtLeastRule) and field.type not in (FieldType.number, FieldType.likert):
        return [f"at_least needs a number question, but {field.id!r} is {field.type.value}"]
    if isinstance(rule, OneOfRule):
        bad = [v for v in rule.values if field.options and v not in field.options]
        if bad:
            return [f"value(s) {bad} are not options of {field.id!r} {list(field.options)}"]
    if isinstance(rule, EqualsRule) and field.type is FieldType.yes_no and not isinstance(rule.value, bool):
        return [f"{field.id!r} is a yes/no question: use value: true or false"]
    return []


def _inside(root: Path, program: Program) -> list[str]:
    """Data, snapshots and tab files stay inside the program's folder (a program.yml from
    elsewhere must not make the build read or write files anywhere else)."""
    problems = []
    folders = [("source.path", program.source.path), ("source.snapshots", program.source.snapshots)]
    if program.messages.templates:
        folders.append(("messages.templates", program.messages.templates))
    for key, value in folders:
        target = Path(os.path.normpath(root / value))  # lexical: a symlinked data folder is fine
        if target != root and root not in target.parents:
            problems.append(f"'{key}': {value!r} is outside the program's folder {root}; use a folder inside it")
    for fid, tab in program.tab_names.items():
        if not tab.strip() or any(ch in tab for ch in "/\\\0") or tab.strip(". ") == "":
            problems.append(f"'tab_names.{fid}': {tab!r} cannot be a tab name (no slashes, not only dots)")
    return problems


class LoadedProgram(BaseModel):
    """A program with its forms and the folder it was loaded from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    program: Program
    forms: dict[str, Form]
    root: Path

    def tab_of(self, form_id: str) -> str:
        return self.program.tab_names.get(form_id, self.forms[form_id].tab)

    @property
    def data_path(self) -> Path:
        return (self.root / self.program.source.path).resolve()

    @property
    def snapshot_path(self) -> Path:
        return (self.root / self.program.source.snapshots).resolve()

    @property
    def tabs(self) -> list[str]:
        return [self.tab_of(fid) for fid in self.forms]

    @property
    def source_tabs(self) -> list[str]:
        """Every tab the build reads: the forms' and the ledger of sent messages."""
        return [*self.tabs, self.program.messages.ledger_tab]

    @property
    def templates_path(self) -> Path | None:
        t = self.program.messages.templates
        return (self.root / t).resolve() if t else None


def _campuses_asked(program: Program, forms: dict[str, Form]) -> dict[str, Form]:
    """The application's campus question offers the program's own campuses (program.yml
    `campuses`, the one list) and Remote: the bundled form's were one institution's (Gainesville,
    Jacksonville), and a new program elsewhere asked its applicants to choose between them."""
    from generator.records import REMOTE

    app = forms.get("application")
    if not program.campuses or app is None:
        return forms
    offered = (*program.campuses, *(() if REMOTE in program.campuses else (REMOTE,)))
    fields = tuple(f.model_copy(update={"options": offered}) if f.id == "campus" and f.options else f for f in app.fields)
    return {**forms, "application": app.model_copy(update={"fields": fields})}


def load_program(path: Path, forms_dir: Path) -> LoadedProgram:
    """Read program.yml and the forms, and check them against each other, once."""
    if path.is_dir():
        inside = path / "program.yml"
        raise ConfigError(str(path), [f"is a folder: pass the program's file, --program {inside}" if inside.is_file()
                                      else "is a folder, not a program.yml (pass --program PATH/TO/program.yml)"])
    if not path.is_file():
        raise ConfigError(str(path), ["does not exist (pass --program PATH/TO/program.yml)"])
    program = load_yaml_model(path, Program, "model, name, dates...")
    forms = load_forms(forms_dir)
    from generator.records import check_contract  # the stages' needs, held against the forms

    used = _campuses_asked(program, {fid: forms[fid] for fid in program.forms if fid in forms})
    problems = cross_check(program, forms) + _inside(path.parent.resolve(), program) + check_contract(used, program.model)
    ledger = program.messages.ledger_tab
    problems += [f"'messages.ledger_tab': {ledger!r} is the tab of the {f.title} form; the ledger of sent messages "
                 "needs a tab of its own" for fid, f in used.items() if program.tab_names.get(fid, f.tab) == ledger]
    if problems:
        raise ConfigError(str(path), problems)
    return LoadedProgram(program=program, forms=used, root=path.parent.resolve())
