"""Staff-only outputs: an overview, the data-issues report and eligibility, as HTML and CSV."""
from __future__ import annotations

import re

from collections import Counter
from dataclasses import fields
from functools import partial
from typing import Any, Iterable, Sequence

from generator.changes import Changes
from generator.dates import long_date
from generator.config.program import LoadedProgram
from generator.matching.people import withdrawal_text
from generator.matching.stage import Matching
from generator.progress.report import GAP, PersonProgress, Progress, completion_rules
from generator.render.certificates import completion_records
from generator.render.deferred import Deferred
from generator.render.escape import csv_cell, to_csv
from generator.messages.outbox import Plan
from generator.render.personal import PersonalLink
from generator.render.site import Page
from generator.render.staff_matches import matches_csv_rows, matches_view
from generator.render.templating import render
from generator.screen.eligibility import Screening
from generator.validate.tokens import form_link
from generator.validate.workbook import Responses

PAGES = (("index.html", "Overview"), ("data-issues.html", "Data issues"), ("eligibility.html", "Eligibility"),
         ("matches.html", "Matches"), ("progress.html", "Progress"), ("messages.html", "Messages"),
         ("changes.html", "Changes"), ("evaluation.html", "Evaluation preview"))


def sentences(notes: Iterable[str]) -> str:
    """Notes from the stages, some full sentences and some not ("built from the snapshot ..."),
    as one paragraph: each begun with a capital and ended with a stop, none empty."""
    out = []
    for note in (n.strip() for n in notes):
        if note:
            out.append(note[0].upper() + note[1:] + ("" if note[-1] in ".!?" else "."))
    return " ".join(out)


def eligibility_rows(responses: Responses, screenings: tuple[Screening, ...]) -> list[dict[str, Any]]:
    apps = responses.records.application_of()
    withdrawn = responses.records.withdrawal_of()
    rows = []
    for s in screenings:
        app = apps[s.email]
        w = withdrawn.get(s.email)
        status = withdrawal_text(w) if w else ("active" if s.admitted else "waiting list" if s.waitlist else "not admitted")
        rows.append({"name": app.full_name, "email": s.email, "role": app.role_family, "department": app.department,
                     "eligible": s.eligible, "why": s.explanation, "admission": s.admission, "status": status})
    return rows


def staff_outputs(loaded: LoadedProgram, responses: Responses, screenings: tuple[Screening, ...],
                  matching: Matching, progress: Progress, origin: str, built_at: str, notices: Sequence[str] = (),
                  secret: str | None = None, pages: list[PersonalLink] | None = None,
                  outbox: Plan | None = None, changes: Changes | None = None,
                  preview: Sequence[Page] = ()) -> Deferred:
    """File name -> content for the staff folder, each made when it is written or read (`notices`:
    what the stages say staff should know, shown on the overview; `preview`: the evaluation pages,
    published or not)."""
    p = loaded.program
    outbox = outbox or Plan((), (), 0)
    by_tab = Counter(i.tab for i in responses.issues)
    per_form = [{"title": f.title, "tab": loaded.tab_of(fid), "accepted": len(responses.of(fid)), "issues": by_tab[loaded.tab_of(fid)]}
                for fid, f in loaded.forms.items()]
    elig = eligibility_rows(responses, screenings)
    counts = {"issues": len(responses.issues), "applicants": len(elig), "eligible": sum(r["eligible"] for r in elig),
              "ineligible": sum(not r["eligible"] for r in elig), "withdrawn": len(responses.of("withdrawal")),
              "places": p.admission.places, "admitted": sum(s.admitted for s in screenings),
              "waiting": sum(s.waitlist is not None for s in screenings)}

    def page(name: str, title: str, current: str = "", **extra: Any) -> str:
        nav = [{"href": href, "title": t, "current": href == (current or name)} for href, t in PAGES]
        return render(f"staff/{name}.j2", p=p, title=title, staff_nav=nav, origin=origin, built_at=built_at, **extra)

    issue_header = ["tab", "row", "column", "value", "reason", "action"]
    records, unprintable = completion_records(p, progress)
    files = Deferred()  # each page made as it is written (see generator/render/deferred.py)
    files.add("index.html", lambda: page("index.html", "Overview", counts=counts, per_form=per_form,
                                         notice=sentences(notices)))
    files.add("data-issues.html", lambda: page("data-issues.html", "Data issues", issues=responses.issues))
    files.add("eligibility.html", lambda: page("eligibility.html", "Eligibility", rows=elig))
    files.add("data-issues.csv", lambda: to_csv(issue_header, ([getattr(i, k) for k in issue_header]
                                                               for i in responses.issues)))
    files.add("eligibility.csv", lambda: to_csv(list(elig[0]) if elig else ["name"], (r.values() for r in elig)))
    files.add("matches.html", lambda: page("matches.html", "Matches", **matches_view(matching)))
    files.add("messages.html", lambda: page("messages.html", "Messages", outbox=outbox, files=outbox.files()))
    files.add("changes.html", lambda: page("changes.html", "Changes since the last build",
                                           changes=changes or Changes(first=True)))
    files.add("changes.md", lambda: (changes or Changes(first=True)).markdown() + "\n")
    files.add("matches.csv", lambda: to_csv(*matches_csv_rows(matching)))
    files.add("progress.html", lambda: page("progress.html", "Progress", pr=progress, gap=f"{GAP:.0%}",
                                            rules=completion_rules(p), ends=long_date(p.dates.cohort_end),
                                            unprintable=unprintable,
                                            closes=long_date(progress.answers_close) if progress.answers_close else ""))
    files.add("progress.csv", lambda: to_csv([*PersonProgress.__dataclass_fields__, "hours", "standing"],
                                             ((*(_cell(getattr(person, f.name)) for f in fields(person)), person.hours,
                                               person.standing) for person in progress.people)))
    if secret or pages:
        files.add("links.csv", lambda: to_csv(*personal_links(loaded, screenings, responses, secret, pages or [])))
    files.extend(records)
    for shown in preview:
        files.add(shown.path.removesuffix(".md") + ".html",
                  partial(page, "preview.html", shown.title, body=page_body(shown.content),
                          published=p.evaluation.publish, current="evaluation.html"))
    return files


def page_body(content: str) -> str:
    """A generated page's HTML without its front matter and its Markdown title (the staff page has its
    own); each table in a box of its own that scrolls on a narrow window, as the public site's theme
    does, named by its caption."""
    if content.startswith("---\n"):
        content = content.split("\n---\n", 1)[1]
    lines = content.lstrip("\n").split("\n", 1)
    body = lines[1] if lines[0].startswith("# ") and len(lines) > 1 else content
    return _TABLE.sub(lambda m: f'<div class="wide" role="region" aria-label="{_TAG.sub("", m[2]).strip()}" '
                                f'tabindex="0">\n{m[1]}</div>', body)


#: A table of our own templates (escaped text in its caption) and its tags, for page_body.
_TABLE = re.compile(r"(<table>\s*<caption>(.*?)</caption>.*?</table>\n?)", re.S)
_TAG = re.compile(r"<[^>]*>")


def personal_links(loaded: LoadedProgram, screenings: tuple[Screening, ...], responses: Responses,
                   secret: str | None, pages: list[PersonalLink]) -> tuple[list[str], list[tuple]]:
    """Each admitted participant's personal page link, and signed link to each signed form, for the staff's mail merge."""
    names = {a.email: a.full_name for a in responses.records.applications}
    rows: list[tuple] = [(link.name, link.email, "Personal page", link.link) for link in pages]
    for s in screenings:
        if not s.admitted or not secret:
            continue
        for form in loaded.forms.values():
            if form.signed and form.audience == "participants":
                rows.append((names[s.email], s.email, form.title, form_link(form, loaded.program.slug, s.email, secret)))
    return ["name", "email", "form", "link"], rows


def _cell(value: object) -> object:
    """A progress field as its CSV cell: a tuple of findings (`unlogged`) as their words, "; " between."""
    return "; ".join(map(str, value)) if isinstance(value, tuple) else value
