"""One notion of "as of --today": each example built at five dates shows only what was known then."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from generator.pipeline import BuildOptions, gather
from tests.conftest import EXAMPLES

DATES = {
    "circles": [dt.date(2021, 9, 15), dt.date(2021, 10, 20), dt.date(2022, 1, 20), dt.date(2022, 6, 15), dt.date(2022, 11, 1)],
    "pairs": [dt.date(2024, 9, 15), dt.date(2024, 10, 10), dt.date(2025, 1, 20), dt.date(2025, 7, 20), dt.date(2026, 1, 15)],
}


def submitted(stamp: str) -> dt.date:
    month, day, year = stamp.split()[0].split("/")
    return dt.date(int(year), int(month), int(day))


def raw_rows(name: str, tab: str) -> list[dict[str, str]]:
    with (EXAMPLES[name].parent / "data" / f"{tab}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_every_page_and_report_counts_only_what_was_known_on_the_day(name):
    shown = []
    for day in DATES[name]:
        g = gather(BuildOptions(program=EXAMPLES[name], run_mkdocs=False, today=day))
        program = g.loaded.program
        for form_id, records in g.responses.by_form.items():
            assert all(r.submitted_at.date() <= day for r in records), form_id
        assert all(w.date <= day for w in g.responses.records.withdrawals)
        assert all(m.date <= day for m in g.responses.records.meetings)
        # Applications: exactly the rows sent by then (less the ones with data issues).
        sent = [r for r in raw_rows(name, "Applications") if submitted(r["submitted_at"]) <= day]
        assert len(g.screenings) <= len(sent) and (len(sent) == 0) == (len(g.screenings) == 0)
        eligibility = list(csv.DictReader(io.StringIO(g.staff["eligibility.csv"])))  # type: ignore[arg-type]
        withdrew = sum(r["status"].startswith("withdrew") for r in eligibility)
        known = {r["email"] for r in raw_rows(name, "Withdrawals")
                 if submitted(r["submitted_at"]) <= day and dt.date.fromisoformat(r["withdrawal_date"]) <= day}
        assert withdrew == len(known & {s.email for s in g.screenings})
        page = next(p for p in g.pages if p.path == "evaluation.md").content
        assert f"Results as of {day:%B} {day.day}, {day.year}" in page
        ended = day > program.dates.cohort_end
        final = page[page.index('<h2 id="final">'):]
        assert ("No responses yet." in final[:400]) != ended
        progress = g.staff["progress.csv"]
        assert isinstance(progress, str)
        complete = [r for r in csv.DictReader(io.StringIO(progress)) if r["complete"] == "True"]
        assert bool(complete) == ended
        logic = next(p for p in g.pages if p.path == "logic-model.md").content
        assert ("no data yet, as the program has not started" in logic) == (day < program.dates.cohort_start)
        shown.append((len(g.screenings), withdrew, len(g.responses.records.meetings)))
    assert shown == sorted(shown)  # what is known only grows with the date
    assert shown[0] == (0, 0, 0) and shown[-1][2] > 100
