"""Counts and lists as sentences say them, on pages, certificates and reports alike."""
from __future__ import annotations

from generator.words import counted, listed


def test_lists_read_as_sentences_with_those_not_named_counted_last():
    """The circles roster had "Facilitated by A and 1 more" but "Members: B, C, D, and 2 more"
    and "Facilitated by E, F, G": one way now, everywhere a list of names is written."""
    assert listed([]) == "" and listed(["Ana"]) == "Ana" and listed(["Ana", "Bo"]) == "Ana and Bo"
    assert listed(["Ana", "Bo", "Cy"]) == "Ana, Bo and Cy"
    assert listed(["Ana"], more=1) == "Ana and 1 more" and listed(["Ana", "Bo"], more=2) == "Ana, Bo and 2 more"
    assert listed(name for name in ("Ana", "Bo")) == "Ana and Bo"


def test_counts_agree_with_their_noun():
    assert counted(1, "circle") == "1 circle" and counted(3, "circle") == "3 circles" and counted(0, "row") == "0 rows"
    assert counted(1, "person", "people") == "1 person" and counted(5, "person", "people") == "5 people"
    assert counted(2.5, "hour") == "2.5 hours" and counted(1.0, "hour") == "1 hour"
