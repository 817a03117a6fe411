"""What goes out next: the due messages the ledger has not seen go to, as .eml files and a mail-merge CSV.

The same plan feeds the staff outbox (every build) and `build.py send`, so what staff see in
the outbox is exactly what a send would send.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator

from generator.messages.compose import Composer, Outgoing, changes
from generator.messages.due import Due
from generator.messages.ledger import SENDING, Entry, Ledger
from generator.render.escape import to_csv

ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
FOLDER = "outbox"


@dataclass(frozen=True)
class Held:
    due: Due
    why: str  # what staff should do


@dataclass(frozen=True)
class Plan:
    outgoing: tuple[Outgoing, ...]  # to send, in order
    held: tuple[Held, ...]  # due but not sendable now: no valid address, or a run stopped mid-message
    already: int  # due, and already sent with the same facts

    def files(self) -> list[str]:
        """The outbox file of each outgoing message, in order."""
        return [file_name(n, out) for n, out in enumerate(self.outgoing, start=1)]


def plan(due: list[Due], ledger: Ledger) -> Plan:
    """Due messages minus those sent with the same facts; one sent with other facts goes again, saying what changed."""
    last, sent = ledger.last(), ledger.last_sent()
    outgoing, held, already = [], [], 0
    for d in due:
        if not ADDRESS.match(d.email):
            held.append(Held(d, f"no valid email address ({d.email or 'blank'}): correct it in the sheet"))
            continue
        latest = last.get(d.key)
        if latest is not None and latest.status == SENDING and latest.digest == d.digest:
            held.append(Held(d, f"a send stopped while handing this message to the server ({latest.recorded_at}); "
                                "it may have gone. Check the mail server's sent items, then write 'sent' or 'failed' in "
                                f"row {latest.row} of the ledger"))
            continue
        before = sent.get(d.key)
        if before is not None and before.digest == d.digest:
            already += 1
            continue
        outgoing.append(Outgoing(d, changes(before.facts, d.facts) if before is not None else ()))
    return Plan(tuple(outgoing), tuple(held), already)


def file_name(number: int, out: Outgoing) -> str:
    who = re.sub(r"[^a-z0-9]+", "-", out.due.email.lower()).strip("-")[:60]
    return f"{number:03d}-{out.due.kind}-{who}.eml"


#: Where staff find the calendar a message carries, for sending from their own mail client
#: (mail-merge.csv names it): one per person, whatever the round (it is their whole calendar).
CALENDARS = "calendars/people"


def attachment_path(out: Outgoing) -> str:
    return f"{CALENDARS}/{out.due.email}.ics"


def outbox_names(result: Plan) -> list[str]:
    """The files outbox_files makes, in the staff folder."""
    attached = dict.fromkeys(attachment_path(out) for out in result.outgoing if out.due.attachments)
    return [f"{FOLDER}/{name}" for name in result.files()] + list(attached) + [f"{FOLDER}/mail-merge.csv"]


def outbox_files(composer: Composer, result: Plan, today: dt.date) -> Iterator[tuple[str, str | bytes]]:
    """One .eml per message (opens in Outlook, Thunderbird, Apple Mail), each made as it is taken
    (thousands of messages are not held at once), with the calendar it carries as a file of its own,
    then the mail-merge CSV."""
    rows = []
    attached: set[str] = set()
    for name, out in zip(result.files(), result.outgoing):
        parts = composer.parts(out, today)
        yield f"{FOLDER}/{name}", composer.email(out, today, parts=parts).as_bytes()
        if out.due.attachments and (path := attachment_path(out)) not in attached:
            attached.add(path)
            yield path, out.due.attachments[0].content
        subject, text, _ = parts
        c = out.due.context
        rows.append((out.due.kind, out.due.name, out.due.email, out.due.round, subject,
                     "update" if out.changes else "new", "; ".join(out.changes),
                     c.get("page", ""), c.get("link", "") or c.get("log_link", ""),
                     attachment_path(out) if out.due.attachments else "", name, text))
    for h in result.held:
        rows.append((h.due.kind, h.due.name, h.due.email, h.due.round, "", "held", h.why, "", "", "", "", ""))
    yield f"{FOLDER}/mail-merge.csv", to_csv(
        ["kind", "name", "email", "round", "subject", "status", "changes", "personal_page", "link", "attachment",
         "eml_file", "text"], rows)


def ledger_entry(out: Outgoing, status: str, recorded_at: str, message_id: str, note: str = "") -> Entry:
    d = out.due
    return Entry(0, recorded_at, status, d.kind, d.email, d.about, d.round, d.key, d.digest, message_id, d.facts, note)
