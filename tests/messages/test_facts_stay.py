"""A message goes again whenever its facts change, so a change to how pages word a fact (a time
written "12:00-1:00 PM", a zone named "New York time") must leave the facts as they were: else
upgrading this tool re-announces every circle. The digest of every message due in both examples,
on days across their years, is pinned here; a digest that moves is a message sent again.

Regenerate only for a real change of facts, knowing that it re-sends:  UPDATE_GOLDEN=1 pytest tests/messages/test_facts_stay.py
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.messages.conftest import gathered_on

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "message-facts.json"
DAYS = {"circles": ("2021-10-20", "2021-12-16", "2022-03-01", "2022-09-25"),
        "pairs": ("2024-12-20", "2025-01-10", "2025-07-10", "2025-12-01")}


def test_the_facts_of_every_due_message_stay_as_an_earlier_version_recorded_them():
    digests = {}
    for model, days in DAYS.items():
        for day in days:
            plan = gathered_on(EXAMPLES[model], dt.date.fromisoformat(day)).outbox
            for d in [o.due for o in plan.outgoing] + [h.due for h in plan.held]:
                digests[f"{model} {day} {d.key}"] = d.digest
    assert len(digests) > 300  # every kind of message, in both models
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n")
    pinned = json.loads(GOLDEN.read_text())
    moved = sorted(k for k in pinned if k in digests and digests[k] != pinned[k])
    assert moved == [], f"{len(moved)} messages would be sent again, e.g. {moved[:3]}"
    assert sorted(set(pinned) ^ set(digests)) == []


def test_a_circles_meeting_time_is_recorded_as_before_while_the_page_words_it_for_readers():
    plan = gathered_on(EXAMPLES["circles"], dt.date(2022, 1, 5)).outbox
    announcement = next(o.due for o in plan.outgoing if o.due.kind == "announcement")
    assert dict(announcement.facts)["meets"] == "2nd and 4th Tuesday, 12:00-13:00 (America/New_York)"
    view = announcement.context["view"]
    assert view.meets == "on the 2nd and 4th Tuesday of the month, 12:00-1:00 PM, New York time (EST/EDT)"
