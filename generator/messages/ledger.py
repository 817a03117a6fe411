"""The ledger of sent messages: one row per attempt, appended, never rewritten.

It lives beside the data (a tab of the sheet, or a CSV file in the workbook), so a rerun, a
CI retry on another machine or a run killed halfway all see what already went. A message is
identified by its key (kind, the person it is about, the round) and its content by a digest
of its facts; the last row of a key says where it stands.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from generator.sources.table import Table
from generator.validate import issues as act
from generator.validate.issues import DataIssue

COLUMNS = ("recorded_at", "status", "kind", "email", "about", "round", "key", "digest", "message_id", "facts", "note")
#: sending: about to hand it to the server (a row left like this means a run stopped mid-message);
#: sent: the server accepted it; refused: the server refused this recipient; failed: not sent.
SENDING, SENT, REFUSED, FAILED = "sending", "sent", "refused", "failed"
STATUSES = (SENDING, SENT, REFUSED, FAILED)


@dataclass(frozen=True)
class Entry:
    row: int  # the ledger's row (header is row 1); 0 for a row this run has not written yet
    recorded_at: str
    status: str
    kind: str
    email: str
    about: str
    round: str
    key: str
    digest: str
    message_id: str
    facts: tuple[tuple[str, str], ...]
    note: str = ""

    def cells(self) -> list[str]:
        return [self.recorded_at, self.status, self.kind, self.email, self.about, self.round, self.key, self.digest,
                self.message_id, json.dumps(dict(self.facts), ensure_ascii=False), self.note]


@dataclass(frozen=True)
class Ledger:
    entries: tuple[Entry, ...]

    def last(self) -> dict[str, Entry]:
        """Each key's latest row: where that message stands."""
        out: dict[str, Entry] = {}
        for e in self.entries:
            out[e.key] = e
        return out

    def last_sent(self) -> dict[str, Entry]:
        """Each key's latest message that really went: what the person has in their inbox."""
        out: dict[str, Entry] = {}
        for e in self.entries:
            if e.status == SENT:
                out[e.key] = e
        return out


def read_ledger(table: Table | None, tab: str) -> tuple[Ledger, list[DataIssue]]:
    """The ledger as recorded; a row staff mangled by hand is reported and left out, never guessed."""
    if table is None or not any(h.strip() for h in table.header):
        return Ledger(()), []
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in ("status", "key", "digest") if c not in header]
    if missing:
        return Ledger(()), [DataIssue(tab, 1, ", ".join(missing), "", "the ledger of sent messages lacks these columns, "
                                      "so it cannot be read and nothing counts as sent", act.TAB_MISSING)]
    entries, issues = [], []
    for number, cells in Table(tuple(header), table.rows).records():
        if not any(v.strip() for v in cells.values()):
            continue
        get = lambda c: (cells.get(c) or "").strip()  # noqa: E731
        status, key = get("status").lower(), get("key")
        if status not in STATUSES:
            issues.append(DataIssue(tab, number, "status", get("status"), f"not one of {', '.join(STATUSES)}",
                                    act.ROW_LEFT_OUT))
            continue
        if not key:
            issues.append(DataIssue(tab, number, "key", "", "a ledger row needs the message's key", act.ROW_LEFT_OUT))
            continue
        try:
            facts = json.loads(get("facts") or "{}")
            if not isinstance(facts, dict):
                raise ValueError
        except ValueError:
            issues.append(DataIssue(tab, number, "facts", get("facts")[:120], "not the facts the build wrote (JSON); "
                                    "read as none, so a changed message cannot say what changed", act.VALUE_IGNORED))
            facts = {}
        entries.append(Entry(number, get("recorded_at"), status, get("kind"), get("email").lower(), get("about").lower(),
                             get("round"), key, get("digest"), get("message_id"),
                             tuple((str(k), str(v)) for k, v in facts.items()), get("note")))
    return Ledger(tuple(entries)), issues


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
