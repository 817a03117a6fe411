"""The public site's pages, as (path, Markdown) pairs, and its mkdocs navigation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.config.program import LoadedProgram, Program
from generator.evaluate.indicators import Indicator, logic_model
from generator.evaluate.summary import Summary
from generator.matching.stage import Matching
from generator.render.escape import html
from generator.render.forms import form_html
from generator.render.templating import long_date, render


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder
    title: str
    content: str
    section: str = ""  # nav section; empty for top level


def application_status(program: Program, today: dt.date) -> tuple[bool, str]:
    """Whether applications are open on `today`, and a sentence saying so."""
    d = program.dates
    if today < d.application_open:
        return False, "Applications are not open yet."
    if today <= d.application_close:
        return True, "Applications are open now."
    return False, "Applications for this cohort have closed."


def timeline(program: Program) -> list[dict[str, str]]:
    d = program.dates
    day = long_date
    rows = [
        {"when": f"{day(d.application_open)} to {day(d.application_close)}", "what": "Applications are open."},
        {"when": f"By {day(d.match_announcement)}", "what": "Matches are announced, once supervisors' support is confirmed." if program.model == "rotating-pairs" else "Circles and facilitators are announced."},
        {"when": day(d.cohort_start), "what": "The program starts."},
    ]
    rows += [{"when": f"{day(q.start)} to {day(q.end)}", "what": f"{q.name}: {q.description}"} for q in d.quarters]
    rows.append({"when": day(d.cohort_end), "what": "The program ends with a final evaluation."})
    return rows


def schedule(program: Program) -> list[tuple[str, str]]:
    """Month by month: meetings, rounds, surveys and evaluations (no one's data)."""
    d = program.dates
    middle = d.cohort_start + (d.cohort_end - d.cohort_start) / 2
    rows: dict[tuple[int, int], list[str]] = {}

    def add(day: dt.date, what: str) -> None:
        rows.setdefault((day.year, day.month), []).append(what)

    if program.model == "rotating-pairs":
        add(d.cohort_start - dt.timedelta(days=14), "Mentor training for mentors (about 1 hour), before the program starts.")
        for q in d.quarters:
            kind = "a mentor/mentee pair" if q.kind == "mentor-mentee" else "a same-level peer from another department"
            add(q.start, f"{q.name} begins: you are matched with {kind}; meet at least 3 times this quarter.")
            add(q.end, f"End of {q.name}: a short check-in survey asks how it went and whether you want to continue.")
    else:
        month = dt.date(d.cohort_start.year, d.cohort_start.month, 1)
        while month <= d.cohort_end:
            add(month, f"Circle meetings {d.meeting_cadence}; e-learning modules at your own pace.")
            month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        add(d.cohort_end, "All e-learning modules completed by the end of the program; wrap-up celebration.")
    add(middle, "Mid-program evaluation survey.")
    add(d.cohort_end, "Final evaluation.")
    return [(f"{dt.date(y, m, 1):%B} {y}", " ".join(items)) for (y, m), items in sorted(rows.items())]


def roster(program: Program, matching: Matching | None) -> list[dict[str, Any]]:
    """Circles as participants see them: only people who consented to be listed are named."""
    if matching is None or matching.circles is None:
        return []
    out = []
    for c in matching.circles.circles:
        people = [matching.people[m] for m in c.members]
        facs = [p for p in people if p.id in c.facilitators]
        members = [p for p in people if p.id not in c.facilitators]
        out.append({"id": c.id, "size": len(people),
                    "where": f"Meets in person on the {c.campus} campus" if c.mode == "in person" else "Meets virtually",
                    "facilitators": [p.name for p in facs if p.listed], "unlisted_facilitators": sum(not p.listed for p in facs),
                    "members": sorted(p.name for p in members if p.listed), "unlisted": sum(not p.listed for p in members)})
    return out


def public_pages(loaded: LoadedProgram, today: dt.date, receiver_url: str | None = None,
                 evaluation: Summary | None = None, matching: Matching | None = None,
                 measured: dict[str, Indicator] | None = None) -> list[Page]:
    """Every generated public page; none of them takes a participant's data."""
    p = loaded.program
    is_open, status = application_status(p, today)
    common: dict[str, Any] = {"p": p, "application_status": status, "window_open": is_open, "as_of": long_date(today)}
    app = loaded.forms["application"]

    def action(form_id: str) -> str | None:
        return f"{receiver_url.rstrip('/')}/{form_id}" if receiver_url else None

    pages = [
        Page("index.md", "Home", render("public/index.md.j2", **common)),
        Page("how-it-works.md", "How it works", render("public/how-it-works.md.j2", **common, timeline=timeline(p))),
        Page("eligibility.md", "Who can apply", render("public/eligibility.md.j2", **common)),
        Page("time-commitment.md", "Time commitment", render("public/time-commitment.md.j2", **common)),
        Page("apply.md", "How to apply", render("public/apply.md.j2", **common, questions=app.fields_for(p.model),
                                               action=action("application"), form=form_html(app, p.model, action("application")))),
        Page("curriculum/index.md", "Overview", render("public/curriculum-index.md.j2", **common, modules=p.curriculum,
                                                       total_hours=sum(m.estimated_hours for m in p.curriculum)), "Curriculum"),
    ]
    pages += [Page(f"curriculum/{m.id}.md", m.title, render("public/module.md.j2", **common, m=m), "Curriculum") for m in p.curriculum]
    groups: dict[str, list[Any]] = {}
    for entry in p.faq:
        groups.setdefault(entry.group, []).append(entry)
    pages.append(Page("faq.md", "FAQ", render("public/faq.md.j2", **common, groups=list(groups.items()))))
    pages.append(Page("participants/schedule.md", "Schedule", render("public/schedule.md.j2", **common, rows=schedule(p)), "Participants"))
    circles = roster(p, matching)
    if circles:
        pages.append(Page("participants/circles.md", "Circles", render("public/circles.md.j2", **common, circles=circles), "Participants"))
    model = p.evaluation.logic_model
    if evaluation is not None:
        pages.append(Page("evaluation.md", "Evaluation results", render("public/evaluation.md.j2", **common, s=evaluation,
                                                                         logic_model=model is not None)))
    if model is not None:
        pages.append(Page("logic-model.md", "Logic model", render("public/logic-model.md.j2", **common,
                                                                  columns=logic_model(model, measured or {}))))
    listed = [person for person in p.organizers if person.listed]
    pages.append(Page("organizers.md", "Who organizes it", render("public/organizers.md.j2", **common, listed=listed)))
    for form in loaded.forms.values():
        if form.audience == "participants":
            pages.append(Page(f"participants/{form.id}.md", form.title, render(
                "public/participant-form.md.j2", **common, f=form, form=form_html(form, p.model, action(form.id))), "Participants"))
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
