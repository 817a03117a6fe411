"""When each form takes answers: the one rule the site, the local receiver and Code.gs all follow.

A form outside its window is not shown as a form at all (the page says when it opens or that it
closed, and whom to write to instead), and a receiver refuses a post that arrives anyway, so
nobody fills in a page only to lose every answer to an error.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.config.forms import Form
from generator.config.program import Program

#: Participants' surveys stay open this long after the last of the program's end and its final
#: evaluation, for late answers and the final meeting log.
GRACE_DAYS = 30


@dataclass(frozen=True)
class Window:
    opens: dt.date
    closes: dt.date  # the last day answers are taken

    def status(self, day: dt.date) -> str:
        """"open", "not yet" or "closed" on `day`."""
        if day < self.opens:
            return "not yet"
        return "open" if day <= self.closes else "closed"


def asked_from(program: Program, due: dt.date) -> dt.date:
    """The day a survey due on `due` is asked for: its reminder goes (`remind_before_days`), and a
    check-in link preselects its quarter from then on (not in July for a check-in due in October)."""
    return due - dt.timedelta(days=program.messages.remind_before_days)


def form_window(program: Program, form: Form) -> Window:
    """Applications: the application window. Supervisors: from the application window until the
    program ends. Participants: from the announcement until GRACE_DAYS after the last of the
    program's end and its final evaluation."""
    d = program.dates
    if form.audience == "public":
        return Window(d.application_open, d.application_close)
    if form.audience == "supervisors":
        return Window(d.application_open, d.cohort_end)
    return Window(d.match_announcement, answers_close(program))


def answers_close(program: Program) -> dt.date:
    """The last day participants' forms take answers (and so the last day anyone can still meet a
    completion rule): GRACE_DAYS after the last of the program's end and its final evaluation."""
    d = program.dates
    return max(d.cohort_end, program.schedule.final_evaluation or d.cohort_end) + dt.timedelta(days=GRACE_DAYS)


def closed_reason(program: Program, form: Form, day: dt.date) -> str | None:
    """Why `form` takes no answers on `day`, as a sentence for the person; None when it does."""
    window = form_window(program, form)
    state = window.status(day)
    if state == "open":
        return None
    if state == "not yet":
        return f"The {form.title.lower()} form opens on {window.opens:%B %-d, %Y}."
    return f"The {form.title.lower()} form closed on {window.closes:%B %-d, %Y}."
