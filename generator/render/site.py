"""The public site's pages, as (path, Markdown) pairs, and its mkdocs navigation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from generator.config.program import LoadedProgram, Program
from generator.evaluate.indicators import Indicator, logic_model
from generator.evaluate.summary import Summary
from generator.matching.stage import CIRCLES_ROUND, Matching, announced
from generator.render.escape import html
from generator.render.forms import form_or_notice
from generator.render.templating import long_date, render
from generator.schedule.events import EVERYONE, FACILITATORS, MENTORS, ROUND, Schedule, plan_schedule


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder
    title: str
    content: str
    section: str = ""  # nav section; empty for top level


def application_status(program: Program, today: dt.date) -> tuple[bool, str]:
    """Whether applications are open on `today`, and a sentence saying so, in the tense of that day
    (a visitor after the program's end reads that it ended, not dates to apply by)."""
    d = program.dates
    opens, closes = long_date(d.application_open), long_date(d.application_close)
    if today < d.application_open:
        return False, f"Applications open on {opens} and close on {closes}."
    if not d.applications_closed(today):
        return True, f"Applications are open now, until {closes}."
    if not d.ended(today):
        return False, f"Applications for this cohort closed on {closes}."
    return False, (f"This cohort ended on {long_date(d.cohort_end)}; "
                   "the next call for applications will be announced on this site.")


#: The frame of the program, as the home page and "How it works" list it.
TIMELINE_KINDS = ("application", "announcement", "kickoff", "round", "wrap-up")


def timeline(schedule: Schedule) -> tuple[list[dict[str, str]], str]:
    """The program's frame from the schedule's events (the one source of its dates), and the zone
    its times are in ("" when none of them has a time)."""
    rows, timed = [], False
    for e in schedule.program:
        if e.kind in TIMELINE_KINDS or e.key == "final":
            what = e.title + (f": {e.description}" if e.description else "")
            rows.append({"when": e.when(), "what": what})
            timed = timed or e.timed
    return rows, schedule.zone_name if timed else ""


def schedule_rows(schedule: Schedule) -> list[dict[str, str]]:
    """Every public event, dated: what, when, where, for whom."""
    who = {EVERYONE: "Everyone", MENTORS: "Mentors", FACILITATORS: "Facilitators"}
    return [{"when": e.when(), "what": ("Cancelled: " if e.cancelled else "") + e.title + (" (optional)" if e.optional else ""),
             "about": e.description, "where": e.where,
             # A round's window is for those taking part in it: on the program's schedule, everyone.
             "who": "Everyone" if e.audience.startswith(ROUND) else who.get(e.audience, "")} for e in schedule.program]


def default_meetings(schedule: Schedule) -> tuple[str, list[tuple[str, str]]]:
    """Circles: the default pattern in words, and its meeting days month by month, from the schedule."""
    if schedule.default is None:
        return "", []
    months: dict[tuple[int, int], list[str]] = {}
    for e in schedule.default.meetings:
        if not e.cancelled:
            months.setdefault((e.start.year, e.start.month), []).append(str(e.start.day))
    return (f"{schedule.default.pattern}, {schedule.zone_name}",
            [(f"{dt.date(y, m, 1):%B} {y}", ", ".join(v)) for (y, m), v in sorted(months.items())])


def roster(program: Program, matching: Matching | None, today: dt.date) -> list[dict[str, Any]]:
    """Announced circles as participants see them: only people who consented to be listed are named."""
    if matching is None or matching.circles is None:
        return []
    shown = announced(program, matching, today)
    seen: dict[str, list] = {}  # circle -> its announced rows (a proposed move stays staff's)
    for r in matching.as_told:
        if (r.round, r.group_id, r.person_id) in shown:
            seen.setdefault(r.group_id, []).append(r)
    out = []
    for c in matching.circles.circles:
        order = {m: i for i, m in enumerate(c.members)}  # the plan's order; one told elsewhere last
        rows = sorted(seen.get(c.id, []), key=lambda r: (order.get(r.person_id, len(order)), r.person_id))
        people = [matching.people[r.person_id] for r in rows]
        if not people:
            continue
        leads = {r.person_id for r in rows if r.role == "facilitator"}
        facs = [p for p in people if p.id in leads]
        members = [p for p in people if p.id not in leads]
        out.append({"id": c.id, "size": len(people),
                    "where": f"Meets in person on the {c.campus} campus" if c.mode == "in person" else "Meets virtually",
                    "facilitators": [p.name for p in facs if p.listed], "unlisted_facilitators": sum(not p.listed for p in facs),
                    "members": sorted(p.name for p in members if p.listed), "unlisted": sum(not p.listed for p in members)})
    return out


def _common(p: Program, today: dt.date) -> dict[str, Any]:
    is_open, status = application_status(p, today)
    return {"p": p, "application_status": status, "window_open": is_open, "as_of": long_date(today)}


def evaluation_pages(loaded: LoadedProgram, today: dt.date, evaluation: Summary,
                     measured: dict[str, Indicator] | None = None) -> list[Page]:
    """The evaluation results and the logic model, as the public site shows them (or would: see
    `evaluation.publish`; staff get them as a preview either way)."""
    p = loaded.program
    model = p.evaluation.logic_model
    common = _common(p, today)
    pages = [Page("evaluation.md", "Evaluation results", render("public/evaluation.md.j2", **common, s=evaluation,
                                                                logic_model=model is not None))]
    if model is not None:
        pages.append(Page("logic-model.md", "Logic model", render("public/logic-model.md.j2", **common,
                                                                  columns=logic_model(model, measured or {}))))
    return pages


def public_pages(loaded: LoadedProgram, today: dt.date, receiver_url: str | None = None,
                 evaluation: Sequence[Page] = (), matching: Matching | None = None,
                 schedule: Schedule | None = None) -> list[Page]:
    """Every generated public page; none of them takes a participant's data. `evaluation`: the
    evaluation pages, when the program publishes them."""
    p = loaded.program
    schedule = schedule or plan_schedule(p, [])
    common = _common(p, today)
    app = loaded.forms["application"]
    frame, times_in = timeline(schedule)

    def action(form_id: str) -> str | None:
        return f"{receiver_url.rstrip('/')}/{form_id}" if receiver_url else None

    pages = [
        Page("index.md", "Home", render("public/index.md.j2", **common, timeline=frame, times_in=times_in)),
        Page("how-it-works.md", "How it works", render("public/how-it-works.md.j2", **common, timeline=frame, times_in=times_in)),
        Page("eligibility.md", "Who can apply", render("public/eligibility.md.j2", **common)),
        Page("time-commitment.md", "Time commitment", render("public/time-commitment.md.j2", **common)),
        Page("apply.md", "How to apply", render("public/apply.md.j2", **common, questions=app.fields_for(p.model),
                                               form=form_or_notice(p, app, action("application"), today))),
        Page("curriculum/index.md", "Overview", render("public/curriculum-index.md.j2", **common, modules=p.curriculum,
                                                       total_hours=sum(m.estimated_hours for m in p.curriculum)), "Curriculum"),
    ]
    pages += [Page(f"curriculum/{m.id}.md", m.title, render("public/module.md.j2", **common, m=m), "Curriculum") for m in p.curriculum]
    groups: dict[str, list[Any]] = {}
    for entry in p.faq:
        groups.setdefault(entry.group, []).append(entry)
    pages.append(Page("faq.md", "FAQ", render("public/faq.md.j2", **common, groups=list(groups.items()))))
    pattern, meeting_days = default_meetings(schedule)
    pages.append(Page("participants/schedule.md", "Schedule", render(
        "public/schedule.md.j2", **common, rows=schedule_rows(schedule), pattern=pattern, meeting_days=meeting_days,
        zone=schedule.zone_name, zone_id=schedule.zone), "Participants"))
    if matching is not None and matching.circles is not None:
        pages.append(Page("participants/circles.md", "Circles", render(
            "public/circles.md.j2", **common, circles=roster(p, matching, today),
            announced_yet=today >= p.dates.match_announcement), "Participants"))
    pages += evaluation
    listed = [person for person in p.organizers if person.listed]
    pages.append(Page("organizers.md", "Who organizes it", render("public/organizers.md.j2", **common, listed=listed)))
    for form in loaded.forms.values():
        if form.page:
            section = "Participants" if form.audience == "participants" else "For supervisors"
            pages.append(Page(form.page.removesuffix(".html") + ".md", form.title, render(
                "public/participant-form.md.j2", **common, f=form, form=form_or_notice(p, form, action(form.id), today)), section))
    return pages


def navigation(pages: list[Page], handwritten: list[tuple[str, str]]) -> list[Any]:
    """mkdocs nav: top-level pages in order, then one entry per section, then hand-written pages.

    Titles are HTML-escaped because Material prints nav titles as raw HTML.
    """
    nav: list[Any] = []
    sections: dict[str, list[Any]] = {}
    for page in pages:
        if page.section:
            if page.section not in sections:
                sections[page.section] = []
                nav.append({page.section: sections[page.section]})
            sections[page.section].append({html(page.title): page.path})
        else:
            nav.append({html(page.title): page.path})
    nav.extend({title: path} for path, title in handwritten)
    return nav
