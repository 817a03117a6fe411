"""What staff did in December: run the matcher, review, and announce (lock) the matches."""
from __future__ import annotations

from generator.config.program import LoadedProgram
from generator.matching.stage import match
from generator.screen.eligibility import screen
from generator.sources.table import Table, Workbook
from generator.validate.workbook import validate_workbook


#: The forms whose records screening and matching read (generator/screen, generator/matching):
#: only their tabs are validated to run the matcher (the meeting log and the evaluations were
#: 60% of the rows, and of demo-data's validation time, at 20,000 people).
MATCHER_READS = ("application", "withdrawal", "module_progress", "checkin", "supervisor_support", "matches")


def announced_matches(loaded: LoadedProgram, tables: dict[str, Table]) -> Table:
    """The Matches tab as of the announcement: circles locked; Q1 pairs announced where every
    supervisor confirmed support, approved (waiting for support) otherwise."""
    program = loaded.program
    day = program.dates.match_announcement
    read = {loaded.tab_of(f) for f in MATCHER_READS if f in program.forms}
    responses = validate_workbook(loaded, Workbook({tab: t for tab, t in tables.items() if tab in read}, "demo"))
    matching = match(program, responses, screen(program, responses.of("application")), day)
    stamp = f"{day.month}/{day.day}/{day.year} 16:00:00"
    header = tuple(loaded.forms["matches"].columns_for(program.model))
    rows = []
    for row in matching.rows:
        if not row.group_id:
            continue
        if program.model == "circles":
            status = "locked"
        else:
            status = "announced" if row.supervisor_support == "confirmed" else "approved"
        cells = {"submitted_at": stamp, "round": row.round, "group_id": row.group_id, "email": row.person_id,
                 "role": row.role, "status": status, "note": ""}
        rows.append(tuple(cells.get(c, "") for c in header))
    return Table(header, tuple(rows))
