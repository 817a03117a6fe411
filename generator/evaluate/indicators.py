"""The logic model's indicators, measured from the data: each one a published figure or "no data yet".

Survey-based indicators and retention are read from the evaluation summary's published
figures only (a hidden bar or count stays hidden here too); the others are totals of
meetings and modules, averaged over the admitted only where their count is published.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.config.program import LogicModel, Program
from generator.evaluate.items import Item
from generator.evaluate.summary import Summary
from generator.progress.report import Progress


@dataclass(frozen=True)
class Indicator:
    id: str
    value: str | None  # None: no data yet, or not published
    measured: str  # when and from what: "final evaluation, September 30, 2022"
    subject: str = ""  # what it measures, said when it has no value
    why_missing: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    boxes: tuple[tuple[str, tuple[Indicator, ...]], ...]  # each box's text and its measures (none: not measured)


COLUMNS = (("inputs", "Inputs"), ("activities", "Activities"), ("outputs", "Outputs"),
           ("short_term", "Short-term outcomes"), ("intermediate_term", "Intermediate-term outcomes"),
           ("long_term", "Long-term outcomes"))


def _final_item(summary: Summary, field: str) -> Item | None:
    final = next((s for s in summary.sections if s.key == "final"), None)
    return next((i for i in final.items if i.field == field), None) if final else None


def _bars(item: Item | None, labels: tuple[str, ...]) -> tuple[int | None, int | None]:
    """The published count of respondents giving any of `labels`, and of respondents."""
    if item is None:
        return None, None
    counts = [b.count for b in item.overall.bars if b.label in labels]
    if len(counts) != len(labels) or any(c is None for c in counts):
        return None, item.overall.n
    return sum(c for c in counts if c is not None), item.overall.n


def measure(program: Program, summary: Summary, progress: Progress, today: dt.date, day: str) -> dict[str, Indicator]:
    """Every indicator the logic model can name, as of `today` (`day` is today as the pages write dates).
    One that cannot be shown says what it would have measured, and why not."""
    final = f"final evaluation, as of {day}"
    hidden = f"not published, as it would show a group of fewer than {summary.min_group}"
    no_final = "no data yet, as the final evaluation has no published results"
    out: dict[str, Indicator] = {}

    def missing(id_: str, subject: str, measured: str, why: str) -> None:
        out[id_] = Indicator(id_, None, measured, subject, why)

    def from_bars(id_: str, field: str, labels: tuple[str, ...], words: str, subject: str) -> None:
        count, n = _bars(_final_item(summary, field), labels)
        if count is not None and n:
            out[id_] = Indicator(id_, f"{count} of {n} respondents {words}", final)
        else:
            missing(id_, subject, final, hidden if n else no_final)

    def from_share(id_: str, field: str, words: str, subject: str) -> None:
        item = _final_item(summary, field)
        share = item.overall.agree_share if item else None
        if item and share is not None:
            out[id_] = Indicator(id_, f"{share:.0%} of {item.overall.n} respondents {words}", final)
        else:
            missing(id_, subject, final, hidden if item and item.overall.n else no_final)

    from_bars("certification_passed", "certification_status", ("Certified during the program",),
              "certified during the program", "respondents certified during the program")
    from_bars("certification_planned", "certification_status", ("Exam scheduled", "Preparing"),
              "have an exam scheduled or are preparing for one", "respondents preparing for a certification exam")
    from_share("satisfaction", "met_expectations", "agree the program met their expectations",
               "the share of respondents who agree the program met their expectations")
    from_share("still_employed", "still_employed", "still work in clinical research here",
               "the share of respondents still working in clinical research here")
    from_share("became_mentor", "mentoring_others", "have mentored or facilitated for colleagues since joining",
               "the share of respondents who have mentored or facilitated for colleagues")
    from_share("new_role", "new_role", "have taken on a new role, more responsibility or a promotion since joining",
               "the share of respondents with a new role, more responsibility or a promotion")
    from_share("society_role", "society_role", "have joined a professional society or taken a role in one since joining",
               "the share of respondents who have joined a professional society or taken a role in one")
    logs = f"meeting log and module records, as of {day}"
    people = progress.people
    started = today >= program.dates.cohort_start
    withdrawals = f"withdrawals, as of {day}"
    if people and started:
        taking = summary.participation
        if taking.active is not None and taking.admitted is not None:
            out["retention"] = Indicator("retention", f"{taking.active} of {taking.admitted} admitted still taking part", withdrawals)
        else:
            missing("retention", "how many of the admitted are still taking part", withdrawals, hidden)
        # An average over the admitted tells how many were admitted: shown only when that count is.
        n = taking.admitted
        meetings = sum(p.meetings for p in people)
        out["meetings_held"] = Indicator("meetings_held", f"{meetings} meetings logged" + (
            f", {meetings / n:.1f} per participant" if n else ""), logs)
        modules = sum(p.modules_done for p in people)
        total = people[0].modules_total
        out["modules_completed"] = Indicator("modules_completed", f"{modules} modules completed" + (
            f", {modules / n:.1f} of {total} per participant on average" if n else ""), logs)
    else:
        not_started = "no data yet, as the program has not started"
        missing("retention", "how many of the admitted are still taking part", withdrawals, not_started)
        missing("meetings_held", "meetings logged", logs, not_started)
        missing("modules_completed", "modules completed", logs, not_started)
    return out


def logic_model(model: LogicModel, measured: dict[str, Indicator]) -> tuple[Column, ...]:
    """The logic model's columns, each box with its indicators measured (none: the box has none)."""
    return tuple(Column(title, tuple((box.text, tuple(measured[m] for m in box.measures if m in measured))
                                     for box in getattr(model, key)))
                 for key, title in COLUMNS if getattr(model, key))
