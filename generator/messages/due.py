"""Which messages are due on a day, to whom, saying what: read from the build's results, decided nowhere else.

Pure: it reads applications, screenings, matching, personal views, progress and the schedule,
and returns one `Due` per message. Each carries its facts, the few things that matter in it
(a circle, a partner, an outcome, a due date): a message is sent once per key, and again only
when its facts change, saying what changed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from generator.config.forms import Form
from generator.config.program import Program
from generator.dates import long_date
from generator.matching.rounds import RoundPlan
from generator.matching.stage import CIRCLES_ROUND, PUBLISHED, Matching
from generator.progress.personal import PersonalView, Placement
from generator.progress.report import Progress
from generator.schedule.events import Schedule, upcoming
from generator.schedule.windows import asked_from
from generator.screen.eligibility import Screening
from generator.validate.tokens import form_link
from generator.validate.workbook import Responses

KINDS = ("application-received", "eligibility", "supervisor-request", "announcement", "unmatched",
         "meeting-reminder", "checkin-reminder", "evaluation-reminder", "modules-behind", "meetings-unlogged")
#: Each kind as staff read it in the reports (the ledger and program.yml keep the kind itself).
TITLES = {"application-received": "Application received", "eligibility": "Application outcome",
          "supervisor-request": "Supervisor's support requested", "announcement": "Match announced",
          "unmatched": "Not matched this round", "meeting-reminder": "Meeting reminder",
          "checkin-reminder": "Check-in reminder", "evaluation-reminder": "Evaluation reminder",
          "modules-behind": "Modules behind schedule", "meetings-unlogged": "Meetings to log"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str  # "text/calendar"


@dataclass(frozen=True)
class Due:
    kind: str
    email: str  # the recipient
    name: str
    about: str  # the participant the message is about (the recipient, except for supervisors)
    round: str  # the round, survey or month it belongs to; "" when once per person
    facts: tuple[tuple[str, str], ...]
    context: Mapping[str, Any] = field(compare=False, hash=False, default_factory=dict)
    attachments: tuple[Attachment, ...] = field(compare=False, default=())
    #: Tells apart two messages of one kind, person and round: a mentor's second pair in a round
    #: (its group id). Empty for the first, whose key stays as it always was.
    part: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.about}/{self.round}" + (f"/{self.part}" if self.part else "")

    @property
    def title(self) -> str:
        """"Meeting reminder, March 2022", "Match announced, Q2, pair Q2-004": what staff read in the reports."""
        when = self.round
        if re.fullmatch(r"\d{4}-\d{2}", when):  # a monthly reminder's month
            when = f"{dt.date(int(when[:4]), int(when[5:]), 1):%B %Y}"
        elif when == CIRCLES_ROUND:  # the circles program's one round: nothing to tell apart
            when = ""
        elif self.kind == "evaluation-reminder":  # its round is the form's id: the survey's name instead
            when = self.context.get("title", when)
        placement = self.context.get("placement") if self.kind == "announcement" else None
        if placement is not None:  # which group: a mentor's two pairs in a round are two messages
            when = ", ".join(filter(None, (when, f"{'circle' if placement.kind == 'circle' else 'pair'} {placement.group}")))
        return TITLES[self.kind] + (f", {when}" if when else "")

    @property
    def digest(self) -> str:
        """The content's identity: a hash of the facts (wording edits in a template send nothing again)."""
        text = json.dumps([self.key, list(self.facts)], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Inputs:
    """What the build knows on `today`, as the messages need it."""

    program: Program
    forms: Mapping[str, Form]
    responses: Responses
    screenings: tuple[Screening, ...]
    matching: Matching
    schedule: Schedule
    progress: Progress
    views: tuple[PersonalView, ...]
    today: dt.date
    #: A survey's event key -> email -> the day of their latest answer (`answered_days`): who
    #: is reminded, as their pages say what they answered.
    answered: Mapping[str, Mapping[str, dt.date]]
    pages: Mapping[str, str] = field(default_factory=dict)  # email -> personal page link
    calendars: Mapping[str, bytes] = field(default_factory=dict)  # email -> their calendar file
    form_secret: str | None = None  # signs the links to surveys and the supervisors' form

    def url(self, path: str) -> str:
        """A link to the site: absolute with the program's site_url (messages need that), else relative."""
        base = self.program.site_url
        return (base.rstrip("/") + "/" + path) if base else path


def due_messages(i: Inputs) -> list[Due]:
    """Every message due on `i.today`, in a stable order (kind, then person)."""
    out = [*_received(i), *_eligibility(i), *_supervisors(i), *_announcements(i), *_unmatched(i),
           *_meeting_reminders(i), *_survey_reminders(i), *_modules_behind(i), *_unlogged_meetings(i)]
    return sorted(out, key=lambda d: (KINDS.index(d.kind), d.round, d.email, d.about))


def _active(i: Inputs) -> set[str]:
    """Applicants who have not withdrawn by today (withdrawals dated later are not known yet)."""
    gone = {w.email for w in i.responses.records.withdrawals if w.date <= i.today}
    return {a.email for a in i.responses.records.applications} - gone


def _received(i: Inputs) -> list[Due]:
    """Thanks for applying: from the day it arrived until matches are announced."""
    d = i.program.dates
    if i.today > d.match_announcement:
        return []
    active = _active(i)
    return [Due("application-received", a.email, a.full_name, a.email, "",
                (("received", long_date(a.submitted_at.date())),),
                {"received": long_date(a.submitted_at.date()), "close": long_date(d.application_close),
                 "announcement": long_date(d.match_announcement)})
            for a in i.responses.records.applications if a.email in active]


def _eligibility(i: Inputs) -> list[Due]:
    """Each applicant's outcome once the window has closed; a waiting-list place that opens is a change."""
    d = i.program.dates
    if not d.application_close <= i.today <= d.cohort_end:
        return []
    apps, active = i.responses.records.application_of(), _active(i)
    # Placed and told (the announcement said where): a welcome not sent by then would only repeat it.
    told = {v.email for v in i.views if any(pl.state == "announced" for pl in v.placements)}
    out = []
    for s in i.screenings:
        if s.email not in active or (s.admitted and s.email in told):
            continue
        if not s.eligible:
            outcome, reasons = "not eligible", s.unmet
        elif s.admitted:
            outcome, reasons = "admitted", ()
        elif s.waitlist is not None:
            outcome, reasons = "waiting list", ()
        else:
            outcome, reasons = "not admitted", (s.admission,) if s.admission else ()
        facts = (("outcome", outcome),) + ((("reasons", "; ".join(reasons)),) if reasons else ())
        out.append(Due("eligibility", s.email, apps[s.email].full_name, s.email, "", facts,
                       {"outcome": outcome, "reasons": list(reasons), "position": s.waitlist,
                        "announcement": long_date(d.match_announcement), "start": long_date(d.cohort_start),
                        # A place can open after matches are announced or the program starts (a
                        # waiting-list place after a withdrawal): the message then says so.
                        "announced": i.today >= d.match_announcement, "started": i.today >= d.cohort_start}))
    return out


def supervisor_form(forms: Mapping[str, Form]) -> Form | None:
    return next((f for f in forms.values() if f.audience == "supervisors" and f.signed_by == "supervisor"), None)


def _supervisors(i: Inputs) -> list[Due]:
    """Ask each admitted participant's supervisor to confirm support, until it is confirmed (or a letter came)."""
    d, form = i.program.dates, supervisor_form(i.forms)
    if form is None or not i.form_secret or not d.application_close <= i.today <= d.cohort_end:
        return []
    records = i.responses.records
    confirmed = {s.email for s in records.support if s.confirmed}
    apps, active = records.application_of(), _active(i)
    required = i.program.model == "rotating-pairs" and i.program.pairs.require_supervisor_support
    out = []
    for s in i.screenings:
        app = apps[s.email]
        if not s.admitted or s.email not in active or s.email in confirmed or app.letter_of_support \
                or not app.supervisor_email:
            continue
        link = i.url(form_link(form, i.program.slug, s.email, i.form_secret))
        out.append(Due("supervisor-request", app.supervisor_email, app.supervisor_name, s.email, "",
                       (("participant", app.full_name),),
                       {"participant": app.full_name, "link": link, "required": required,
                        "start": long_date(d.cohort_start), "end": long_date(d.cohort_end),
                        # Before the announcement, by when (the pairs wait for it); not a fact, so no resend.
                        "before": long_date(d.match_announcement) if required and i.today < d.match_announcement else ""}))
    return out


def _round_span(i: Inputs, name: str) -> tuple[dt.date, dt.date]:
    """A round's first and last day (pairs: its quarter; circles: the whole cohort)."""
    d = i.program.dates
    return next(((q.start, q.end) for q in d.quarters if q.name == name), (d.cohort_start, d.cohort_end))


def _placement_facts(v: PersonalView, pl: Placement, schedule: Schedule) -> tuple[tuple[str, str], ...]:
    facts = [("group", pl.group), ("role", pl.role), ("with", "; ".join(f"{m.name} ({m.role})" for m in pl.mates))]
    if pl.dates:
        facts.append(("dates", pl.dates))
    if pl.kind == "circle":
        # When the circle meets, as earlier versions recorded it, not as the page words it: rewording
        # a time ("12:00-1:00 PM", "New York time") must not announce every circle again.
        plan = schedule.circles.get(v.circle)
        facts += [("meets", f"{plan.fact} ({schedule.zone})" if plan and plan.fact else ""), ("where", v.where)]
    return tuple(facts)


def _announcements(i: Inputs) -> list[Due]:
    """Each announced placement, to the person placed, until its round is over."""
    out = []
    for v in i.views:
        if v.status != "active":
            continue
        told = [pl for pl in v.placements if pl.state == "announced" and i.today <= _round_span(i, pl.round)[1]]
        # A mentor with two mentees has two pairs in a round: one message each. Under one key each
        # looked like the other changed, and one went again at every send. The round's first pair
        # keeps the key; a later one adds its group id (a mentee added mid-round is one new message).
        first: dict[str, str] = {}
        for pl in told:
            first[pl.round] = min(first.get(pl.round, pl.group), pl.group)
        calendar = i.calendars.get(v.email)  # the person's, whichever of their pairs a message is about
        firsts = upcoming(v.events, i.today, 4) if told else []
        for pl in told:
            part = "" if first[pl.round] == pl.group else pl.group
            out.append(Due("announcement", v.email, v.name, v.email, pl.round, _placement_facts(v, pl, i.schedule),
                           {"placement": pl, "view": v, "next": firsts, "page": i.pages.get(v.email, ""),
                            "zone": i.schedule.zone_name, "calendar": bool(calendar)},
                           (Attachment("calendar.ics", calendar, "text/calendar"),) if calendar else (), part))
    return out


def _unmatched(i: Inputs) -> list[Due]:
    """People left out of a round once it is announced: why, and what happens next."""
    d = i.program.dates
    if i.today < d.match_announcement:
        return []
    announced_rounds = {r.round for r in i.matching.rows if r.status in PUBLISHED}
    out = []
    for v in i.views:
        if v.status != "active":
            continue
        for pl in v.placements:
            if pl.state == "unmatched" and (pl.round in announced_rounds) and i.today <= _round_span(i, pl.round)[1]:
                out.append(Due("unmatched", v.email, v.name, v.email, pl.round, (("why", pl.why),),
                               {"placement": pl, "why": pl.why, "next_step": pl.next_step, "waitlist": None}))
    if not announced_rounds:
        return out
    first = d.quarters[0].name if d.quarters else "circles"
    apps, active = i.responses.records.application_of(), _active(i)
    for s in i.screenings:
        if s.waitlist is not None and s.email in active and i.today <= _round_span(i, first)[1]:
            why = "every place in this year's program is taken"
            out.append(Due("unmatched", s.email, apps[s.email].full_name, s.email, first, (("why", "waiting list"),),
                           {"placement": None, "why": why, "waitlist": s.waitlist,
                            "next_step": "If a place opens (someone withdraws), it is offered to the waiting list in "
                                         "order, and we will write to you at once."}))
    return out


def _taking_part(i: Inputs) -> dict[str, tuple[PersonalView, Placement]]:
    """Who is in an announced group today, with that placement (the round running today, for pairs)."""
    out = {}
    for v in i.views:
        if v.status != "active":
            continue
        for pl in v.placements:
            if pl.state != "announced":
                continue
            start, end = _round_span(i, pl.round)
            if start <= i.today <= end:
                out[v.email] = (v, pl)
    return out


def _meeting_reminders(i: Inputs) -> list[Due]:
    """No meeting logged for `meeting_gap_days` in a running round: one reminder a month at most."""
    gap = i.program.messages.meeting_gap_days
    last: dict[str, dt.date] = {}
    for m in i.responses.records.meetings:
        if m.date <= i.today:
            last[m.email] = max(last.get(m.email, m.date), m.date)
    out = []
    for email, (v, pl) in _taking_part(i).items():
        start = _round_span(i, pl.round)[0]
        since = max(last.get(email, start), start)
        if (i.today - since).days < gap:
            continue
        logged = long_date(last[email]) if email in last else ""
        out.append(Due("meeting-reminder", email, v.name, email, f"{i.today:%Y-%m}", (("last logged", logged or "none"),),
                       {"last": logged, "days": (i.today - since).days, "placement": pl,
                        "log_link": _survey_link(i, "meeting_log", email) or i.url("participants/meeting_log.html")}))
    return out


def _survey_link(i: Inputs, form_id: str, email: str, quarter: str = "") -> str:
    """The survey's personal link (a check-in reminder's preselects its quarter)."""
    form = i.forms.get(form_id)
    return i.url(form_link(form, i.program.slug, email, i.form_secret, quarter)) if form is not None and form.page else ""


def _survey_reminders(i: Inputs) -> list[Due]:
    """A check-in or evaluation due within `remind_before_days`, to those who have not answered it yet."""
    apps = i.responses.records.application_of()
    out = []
    for e in i.schedule.program:
        if e.kind not in ("checkin", "evaluation") or not asked_from(i.program, e.start) <= i.today <= e.start \
                or e.cancelled:
            continue
        if e.kind == "checkin":
            quarter = e.quarter
            # Due after the round ends: everyone announced in it who is still taking part (circles:
            # in a circle, whose one round is the whole cohort), and, pairs, whoever the next round's
            # plan says must answer it to be matched: someone sitting this round out, or left
            # without a partner, was told so on their page and heard nothing.
            rounds = (quarter, CIRCLES_ROUND)
            active = [v for v in i.views if v.status == "active"]
            placed = {v.email for v in active if any(pl.round in rounds and pl.state == "announced" for pl in v.placements)}
            after = _round_after(i.matching, quarter)
            who = placed | ({v.email for v in active} & after.to_do.keys() if after else set())
            form_id, kind, rnd = "checkin", "checkin-reminder", quarter
            said = {"next": after.quarter.name if after else ""}  # the round its answers decide (pairs)
        else:
            form_id, kind, rnd = e.key, "evaluation-reminder", e.key
            if form_id not in i.forms:
                continue
            # Everyone taking part this year, also between two rounds (a survey may fall in the gap).
            who = {v.email for v in i.views if v.status == "active" and any(pl.state == "announced" for pl in v.placements)}
            placed, said = who, {}
        for email in sorted(who - i.answered.get(e.key, {}).keys()):
            out.append(Due(kind, email, apps[email].full_name, email, rnd, (("due", long_date(e.start)),),
                           {"title": e.title, "due": long_date(e.start),
                            "link": _survey_link(i, form_id, email, rnd if kind == "checkin-reminder" else ""),
                            "round": rnd, "placed": email in placed, **said}))
    return out


def _round_after(matching: Matching, quarter: str) -> RoundPlan | None:
    """The round whose plan reads the quarter's check-in answers (pairs), if there is one."""
    names = [plan.quarter.name for plan in matching.rounds]
    return matching.rounds[names.index(quarter) + 1] if quarter in names[:-1] else None


def _modules_behind(i: Inputs) -> list[Due]:
    """Circles: each facilitator hears, once a month, which members are behind the module schedule."""
    p, d = i.program, i.program.dates
    if p.model != "circles" or not p.curriculum or not d.cohort_start <= i.today <= d.cohort_end:
        return []
    share = (i.today - d.cohort_start).days / max(1, (d.cohort_end - d.cohort_start).days)
    expected = int(len(p.curriculum) * share)  # modules a member should have done by today, evenly paced
    if expected == 0:
        return []
    done = {pp.email: pp.modules_done for pp in i.progress.people}
    circles: dict[str, list[PersonalView]] = {}
    for email, (v, pl) in _taking_part(i).items():
        circles.setdefault(pl.group, []).append(v)
    out = []
    for circle, members in sorted(circles.items()):
        behind = sorted((v.name, done.get(v.email, 0)) for v in members
                        if not v.facilitator and done.get(v.email, 0) < expected)
        if not behind:
            continue
        lines = [f"{name}: {n} of {expected}" for name, n in behind]
        for v in sorted((v for v in members if v.facilitator), key=lambda v: v.email):
            out.append(Due("modules-behind", v.email, v.name, v.email, f"{i.today:%Y-%m}",
                           (("circle", circle), ("behind", "; ".join(lines))),
                           {"circle": circle, "behind": behind, "expected": expected, "total": len(p.curriculum),
                            "page": i.pages.get(v.email, "")}))
    return out


def _unlogged_meetings(i: Inputs) -> list[Due]:
    """Whoever can still complete, and whose check-ins report meetings the log lacks where logging
    them would meet a rule (progress decides: `PersonProgress.unlogged`): once per round (circles:
    once, again when a check-in reports more), while the forms take answers."""
    closes = long_date(i.progress.answers_close) if i.progress.answers_close else ""
    out = []
    for person in i.progress.people:
        if not person.can_complete:
            continue
        for u in person.unlogged:
            out.append(Due("meetings-unlogged", person.email, person.name, person.email, u.round or CIRCLES_ROUND,
                           (("check-in reports", str(u.reported)),),
                           {"round": u.round, "logged": u.logged, "reported": u.reported, "need": u.need,
                            "closes": closes, "running": not i.program.dates.ended(i.today),
                            "log_link": _survey_link(i, "meeting_log", person.email)
                            or i.url("participants/meeting_log.html")}))
    return out
