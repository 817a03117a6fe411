"""Calendar revisions across rebuilds: a stable UID per event, a SEQUENCE that rises when it changes.

Calendar apps update an event they already hold when the UID matches and the SEQUENCE is
higher; without this a rebuild would duplicate every meeting. The state (one small JSON
file in the build's work folder) remembers each event's content and revision; an event
that disappears (a new holiday, a changed pattern) is published once more as cancelled,
so it leaves people's calendars instead of lingering there.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Iterable

from generator.render.writer import drop_aside, move_in, write_json_aside
from generator.schedule.events import Event

STATE_FILE = "calendar-state.json"


@dataclass(frozen=True)
class Stamped:
    event: Event
    uid: str
    sequence: int
    stamp: dt.date  # the build day on which this revision first appeared (DTSTAMP)


def by_audience(stamped: Iterable[Stamped]) -> dict[str, list[Stamped]]:
    """Events grouped by who they are for: a person's or a circle's calendar is a few groups, not a scan of all."""
    groups: dict[str, list[Stamped]] = {}
    for s in stamped:
        groups.setdefault(s.event.audience, []).append(s)
    return groups


def uid(slug: str, event: Event) -> str:
    return f"{event.key}@{slug}.crp-mentoring"


_JSON = json.JSONEncoder(sort_keys=True)  # json.dumps(..., sort_keys=True) without a new encoder per event


def _fingerprint(plain: dict[str, Any]) -> str:
    """Of an event's plain fields (`_plain`): a changed event gets a new SEQUENCE."""
    return hashlib.sha256(_JSON.encode(plain).encode()).hexdigest()[:16]


#: Event's fields that hold a date or a time (or None): the others are text and flags.
_DATED = tuple(f.name for f in fields(Event) if f.type in ("dt.date", "dt.time | None"))


def _plain(event: Event) -> dict[str, Any]:
    """The event's fields as JSON holds them (dates and times as ISO text), in field order."""
    plain = dict(vars(event))
    for name in _DATED:
        if plain[name] is not None:
            plain[name] = plain[name].isoformat()
    return plain


def _event(data: dict[str, Any]) -> Event:
    """An event back from the state file (to publish it once more as cancelled)."""
    names = {f.name for f in fields(Event)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in names}
    for k in ("start", "end"):
        values[k] = dt.date.fromisoformat(values[k])
    for k in ("start_time", "end_time"):
        values[k] = dt.time.fromisoformat(values[k]) if values.get(k) else None
    return Event(**values)


def revise(slug: str, events: Iterable[Event], previous: dict[str, Any], today: dt.date
           ) -> tuple[dict[str, Stamped], dict[str, Any]]:
    """Each event with its UID and SEQUENCE, events that vanished as cancelled, and the new state."""
    known: dict[str, Any] = dict(previous.get("events", {}))
    out: dict[str, Stamped] = {}
    state: dict[str, Any] = {}
    for event in events:
        key = uid(slug, event)
        plain = _plain(event)
        mark = _fingerprint(plain)
        before = known.pop(key, None)
        if before is None:
            seq, stamp = 0, today
        elif before["hash"] == mark:
            seq, stamp = before["sequence"], dt.date.fromisoformat(before["stamp"])
        else:
            seq, stamp = before["sequence"] + 1, today
        out[key] = Stamped(event, key, seq, stamp)
        state[key] = {"hash": mark, "sequence": seq, "stamp": stamp.isoformat(), "event": plain}
    for key, before in known.items():  # published before, gone now: cancel it, once and for good
        event = _event(before["event"])
        if event.cancelled:
            seq, stamp = before["sequence"], dt.date.fromisoformat(before["stamp"])
        else:
            event = replace(event, cancelled=True, note="no longer in the schedule")
            seq, stamp = before["sequence"] + 1, today
        out[key] = Stamped(event, key, seq, stamp)
        plain = _plain(event)
        state[key] = {"hash": _fingerprint(plain), "sequence": seq, "stamp": stamp.isoformat(), "event": plain}
    return out, {"version": 1, "events": state}


def read_state(folder: Path) -> dict[str, Any]:
    """The previous build's calendar state, or an empty one (a first build, or an unreadable file)."""
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("events"), dict) else {}


def write_state_aside(folder: Path, state: dict[str, Any]) -> bool:
    """The calendar state for the next build, left beside the last one (25 MB of JSON at 20,000
    people in circles: a child writes it beside the build) for `keep_state` to move in once the
    build has succeeded; False when the file already holds it."""
    # Not indented: json's C encoder only writes compact JSON, and the state holds every event
    # (~13,000 at 5,000 people in circles; indented, writing it took 0.4 s).
    return write_json_aside(folder / STATE_FILE, state)


def keep_state(folder: Path) -> None:
    """After a successful build: the state write_state_aside left beside the last one, moved in."""
    move_in(folder / STATE_FILE)


def drop_state(folder: Path) -> None:
    """A failed build's state, left beside the last good one by write_state_aside: gone."""
    drop_aside(folder / STATE_FILE)
