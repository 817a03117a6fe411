"""Each person's calendar file for staff (to attach to messages), written by whoever is free.

At 20,000 people they are 20,000 files, a second or more of file system work for the build's
process, which is also making the staff reports while a child seals the personal pages. They are
handed out in batches (generator/forked.py `Turns`): the build writes its share once its reports
are written, and the sealing child writes its share once its pages are sealed, so the two end
together instead of one core idling while the other writes.
"""
from __future__ import annotations

from typing import Mapping

from generator.forked import Turns
from generator.render.writer import Writer, write_if_changed

FOLDER = "calendars/people"
BATCH = 128  # calendars taken at a time


def relative(email: str) -> str:
    return f"{FOLDER}/{email}.ics"


class StaffCalendars:
    """The calendars still to write into `staff` (its root claimed before any child is forked)."""

    def __init__(self, staff: Writer, calendars: Mapping[str, bytes]) -> None:
        if not staff.begun:
            staff.begin()
        self.staff, self.calendars = staff, calendars
        self.emails = list(calendars)
        self.turns = Turns(len(self.emails), BATCH)

    def write(self) -> tuple[list[str], list[str]]:
        """Write batches until none is left: the files written and, of them, those that changed
        (for the staff Writer to `adopt`: this may run in a child)."""
        written: list[str] = []
        changed: list[str] = []
        while (batch := self.turns.take()) is not None:
            for n in batch:
                email = self.emails[n]
                name = relative(email)
                if write_if_changed(self.staff.path_of(name), self.calendars[email], self.staff.watched):
                    changed.append(name)
                written.append(name)
        return written, changed
