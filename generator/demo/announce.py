"""What staff did in December: run the matcher, review, and announce (lock) the matches."""
from __future__ import annotations

import datetime as dt

from generator.config.program import LoadedProgram, Program
from generator.matching.stage import CIRCLES_ROUND, match
from generator.screen.eligibility import screen
from generator.sources.table import Table, Workbook
from generator.validate.workbook import validate_workbook, with_tab


#: The forms whose records screening and matching read (generator/screen, generator/matching):
#: only their tabs are validated to run the matcher (the meeting log and the evaluations were
#: 60% of the rows, and of demo-data's validation time, at 20,000 people).
MATCHER_READS = ("application", "withdrawal", "module_progress", "checkin", "supervisor_support", "matches")


def announce(loaded: LoadedProgram, tables: dict[str, Table]) -> tuple[Table, set[tuple[str, str]]]:
    """The Matches tab as staff leave it over the year, and each (person, round) the matcher left
    without a partner (pairs; they meet nobody in it): circles locked on the announcement day;
    pairs round by round, announced where every supervisor confirmed support, approved (waiting for
    support) otherwise. The first round (or the circles) is matched from the whole workbook: mentor
    training, dated the day before the program starts, counts as staff count those booked on it.
    Each later round is matched the day the previous round's check-in is due, from what was known
    that day and the rounds already in the tab, as `publish-matches` then proposes it."""
    program = loaded.program
    read = {loaded.tab_of(f) for f in MATCHER_READS if f in program.forms}
    tab = loaded.tab_of("matches")
    header = tuple(loaded.forms["matches"].columns_for(program.model))
    rows: list[tuple[str, ...]] = []
    unmatched: set[tuple[str, str]] = set()
    base = validate_workbook(loaded, Workbook({t: table for t, table in tables.items() if t in read and t != tab}
                                              | {tab: Table(header, ())}, "demo"))
    for name, day in _announcements(program):
        known = with_tab(loaded, base, "matches", Table(header, tuple(rows)))  # the tab as it stands
        known = known.as_of(day) if rows else known  # the first round: see above
        matching = match(program, known, screen(program, known.of("application")), day)
        stamp = f"{day.month}/{day.day}/{day.year} 16:00:00"
        for row in matching.rows:
            if row.round == name and row.status == "unmatched":
                unmatched.add((row.person_id, name))
            if not row.group_id or row.round != name or row.status != "proposed":
                continue
            if program.model == "circles":
                status = "locked"
            else:
                status = "announced" if row.supervisor_support == "confirmed" else "approved"
            cells = {"submitted_at": stamp, "round": row.round, "group_id": row.group_id, "email": row.person_id,
                     "role": row.role, "status": status, "note": ""}
            rows.append(tuple(cells.get(c, "") for c in header))
    return Table(header, tuple(rows)), unmatched


def _announcements(program: Program) -> list[tuple[str, dt.date]]:
    """Each round and the day it is announced: circles and Q1 on the program's announcement day,
    a later round on the day the previous round's check-in is due (its answers say who goes on)."""
    d = program.dates
    if program.model == "circles":
        return [(CIRCLES_ROUND, d.match_announcement)]
    later = [(q.name, before.end + dt.timedelta(days=program.schedule.checkin_due_days))
             for before, q in zip(d.quarters, d.quarters[1:])]
    return [(d.quarters[0].name, d.match_announcement), *later]
