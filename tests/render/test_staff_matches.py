"""The staff match report, as a coordinator reads it after a round."""
from __future__ import annotations

import datetime as dt
import html

from generator.matching.stage import PUBLISHED
from generator.pipeline import BuildOptions, gather
from generator.progress.report import _rounds_logged
from tests.conftest import EXAMPLES


def test_a_round_over_with_groups_never_announced_says_so_once_it_ends():
    """In July the match page listed Q1's pairs still waiting for a supervisor as "approved", as
    if they were pending still, four months after Q1 ended: nothing told the coordinator that
    their members' pages said the round had ended before their group was confirmed. From the day
    after a round's last day its heading says which groups were never announced, and what to do
    if one was told after all; the statement about completion holds (their logged meetings count)."""
    last_day = dt.date(2025, 3, 28)
    on_it = gather(BuildOptions(program=EXAMPLES["pairs"], today=last_day, run_mkdocs=False))
    after = gather(BuildOptions(program=EXAMPLES["pairs"], today=last_day + dt.timedelta(days=1), run_mkdocs=False))
    q1 = next(q for q in after.loaded.program.dates.quarters if q.name == "Q1")
    assert q1.end == last_day
    never = sorted({r.group_id for r in after.matching.rows if r.round == "Q1" and r.group_id and r.status not in PUBLISHED})
    assert len(never) >= 2, "the example has Q1 pairs that waited for a supervisor's support"
    assert "ended on" not in on_it.staff["matches.html"]
    page = html.unescape(after.staff["matches.html"])
    assert (f"Q1 ended on March 28, 2025 with {len(never)} groups never announced ({', '.join(never)}): their members' "
            "pages say the round ended before their group was confirmed, and meetings they logged in it still count "
            "toward completion.") in page
    assert "Q2 ended on" not in page  # Q2 runs

    # What the notice says of completion is what progress counts: a member of such a pair with
    # the round's meetings logged has Q1 among the rounds they took part in.
    day = dt.date(2025, 7, 20)
    later = gather(BuildOptions(program=EXAMPLES["pairs"], today=day, run_mkdocs=False))
    program, records = later.loaded.program, later.responses.records
    members = {r.person_id for r in later.matching.rows if r.round == "Q1" and r.group_id in never} \
        - set(records.withdrawal_of())
    logged = {e: sum(1 for m in records.meetings if m.email == e and q1.start <= m.date <= q1.end) for e in members}
    enough = [e for e, n in logged.items() if n >= program.completion.min_meetings_per_round]
    assert enough, "some member of a never-announced pair logged the round's meetings"
    logged = _rounds_logged(program, later.matching, records.meetings, records.withdrawal_of(), day)
    assert all(("Q1", logged[e][0][1]) in logged[e] and logged[e][0][1] >= program.completion.min_meetings_per_round
               for e in enough)
