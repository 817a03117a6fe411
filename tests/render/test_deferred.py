"""Staff files made as they are written: named up front, made one at a time, the same whichever way they are read."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.messages.compose import Composer
from generator.render.deferred import Deferred
from tests.messages.conftest import gathered_on, program_copy


def test_a_file_is_made_only_when_the_writer_reaches_it():
    made = []
    files = Deferred()
    files.held({"index.html": "<h1>Overview</h1>"})
    files.add("progress.csv", lambda: made.append("progress.csv") or "name\n")
    files.group(["outbox/001.eml", "outbox/mail-merge.csv"],
                lambda: (made.append(name) or (name, b"x") for name in ["outbox/001.eml", "outbox/mail-merge.csv"]))
    assert sorted(files) == ["index.html", "outbox/001.eml", "outbox/mail-merge.csv", "progress.csv"] and not made
    stream = files.made()
    assert next(stream) == ("index.html", "<h1>Overview</h1>") and not made
    assert next(stream) == ("progress.csv", "name\n") and made == ["progress.csv"]
    assert next(stream) == ("outbox/001.eml", b"x") and made == ["progress.csv", "outbox/001.eml"]  # not the CSV yet
    assert list(stream) == [("outbox/mail-merge.csv", b"x")]


def test_two_outputs_for_one_path_and_a_group_that_makes_other_files_than_it_named_are_refused():
    files = Deferred()
    files.add("matches.html", lambda: "")
    with pytest.raises(ValueError, match="two outputs claim 'matches.html'"):
        files.held({"matches.html": "again"})
    files.group(["outbox/001.eml"], lambda: [("outbox/002.eml", b"")])
    with pytest.raises(ValueError, match="'outbox/002.eml' was made but not named"):
        list(files.made())
    short = Deferred()
    short.group(["outbox/001.eml", "outbox/mail-merge.csv"], lambda: [("outbox/001.eml", b"")])
    with pytest.raises(ValueError, match="'outbox/mail-merge.csv' was named but never made"):
        list(short.made())


def test_the_staff_folder_read_by_name_is_what_the_build_writes_and_the_outbox_is_composed_once(tmp_path, monkeypatch):
    """The pairs example on the day its July meetings-unlogged messages are due: every staff
    file read by name equals the one the build writes; reading the whole outbox composes it once."""
    g = gathered_on(program_copy("pairs", tmp_path), dt.date(2025, 7, 10))
    assert g.outbox.outgoing, "messages are due that day"
    composed = []
    parts = Composer.parts
    monkeypatch.setattr(Composer, "parts", lambda self, out, today: composed.append(out) or parts(self, out, today))
    written = dict(g.staff.made())
    assert len(composed) == len(g.outbox.outgoing)  # each message composed as it is written
    assert set(written) == set(g.staff) and len(written) == len(g.staff)
    assert {name: g.staff[name] for name in g.staff} == written
    assert len(composed) == 2 * len(g.outbox.outgoing)  # and once more for all of them read by name
    assert sum(name.startswith("outbox/") for name in written) == len(g.outbox.outgoing) + 1  # and the mail merge
