"""The release check: every figure the public pages show, judged together before anything is written.

It reads the summary as the pages show it (bars, counts, shares, medians), turns each shown
number into the fact it tells a reader, and asks disclosure.exposures whether any small
group follows. The publisher chose those figures with the same judge, so a failure here is
a bug, and the build stops instead of publishing it.
"""
from __future__ import annotations

from typing import Iterator

from generator.evaluate.disclosure import Exposure, Fact, exposures
from generator.evaluate.summary import CODEBOOK_TABLE, PARTICIPATION_TABLE, Summary, respondents_table


def published_facts(summary: Summary) -> Iterator[Fact]:
    """Every number a reader of the public pages learns, as a fact about a table."""
    taking = summary.participation
    if taking.admitted is not None:
        yield Fact.of(PARTICIPATION_TABLE, taking.admitted_cells, "admitted")
    if taking.active is not None:
        yield Fact.of(PARTICIPATION_TABLE, taking.active_cells, "still taking part")
    for section in (*summary.sections, *summary.rounds):
        if section.invited is not None:
            yield Fact.of(PARTICIPATION_TABLE, taking.cells_on(section.due), f"{section.title}: taking part then")
        if section.respondents is not None:
            yield Fact.of(respondents_table(section.title), {0}, f"{section.title}: respondents")
        for item in section.items:
            for part in item.parts:
                where = f"{item.question} ({part.name})"
                if part.n is not None:
                    yield Fact.of(item.table, part.cells, f"{where}: responses")
                for bar in part.bars:
                    if bar.count is not None:
                        yield Fact.of(item.table, bar.cells, f"{where}: {bar.label}")
                if part.agree is not None:
                    yield Fact.of(item.table, part.agree_cells, f"{where}: share agreeing")
    book = summary.codebook
    if book is not None:
        key = CODEBOOK_TABLE
        if book.excerpts is not None:
            yield Fact.of(key, frozenset().union(*(c.cells for c in book.codes)), "excerpts")
        for code in book.codes:
            if code.count is not None:
                yield Fact.of(key, code.cells, code.name)
            for name, cells, count in code.subcodes:
                if count is not None:
                    yield Fact.of(key, cells, f"{code.name}: {name}")


def _medians_shown_over_hidden_bars(summary: Summary) -> Iterator[Exposure]:
    """A median is not a sum, so it may only be shown where every bar it summarizes is shown."""
    for section in (*summary.sections, *summary.rounds):
        for item in section.items:
            for part in item.parts:
                if part.median is not None and any(b.count is None for b in part.bars):
                    yield Exposure(item.table, f"the median of {part.name.lower()}", 0, 0, summary.min_group,
                                   "is shown though some of its bars are not")


def check_release(summary: Summary) -> list[Exposure]:
    """Every small group a reader could compute from all published evaluation figures together."""
    return exposures(summary.tables, published_facts(summary), summary.min_group) + \
        list(_medians_shown_over_hidden_bars(summary))
