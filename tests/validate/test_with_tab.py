"""One tab read again against responses already validated (the demo's Matches tab, round by round)."""
from __future__ import annotations

from generator.demo.generate import generate
from generator.sources.table import Table, Workbook
from generator.validate.workbook import validate_workbook, with_tab


def test_a_tab_read_again_is_validated_and_linked_as_the_whole_workbook_would(pairs):
    tables = generate(pairs, 49, seed=1)
    whole = validate_workbook(pairs, Workbook(tables, "demo"))
    matches = tables["Matches"]
    stranger = ("4/4/2025 16:00:00", "Q2", "Q2-099", "nobody@example.org", "peer", "announced", "")
    typo = ("4/4/2025 16:00:00", "Q2", "Q2-098", matches.rows[0][3], "peer", "maybe", "")
    grown = Table(matches.header, matches.rows + (stranger, typo))
    empty = validate_workbook(pairs, Workbook({**tables, "Matches": Table(matches.header, ())}, "demo"))
    again = with_tab(pairs, empty, "matches", grown)
    assert again.of("matches") == whole.of("matches")  # the two bad rows left out, every other kept
    assert again.of("application") == whole.of("application")
    found = {(i.tab, i.row) for i in again.issues if i.tab == "Matches"}
    assert found == {("Matches", len(matches.rows) + 2), ("Matches", len(matches.rows) + 3)}
