"""The only code that writes outputs: inside its folder, each path once, only what changed."""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from generator.render import writer
from generator.render.writer import MARKER, Writer, write_if_changed, write_json_if_changed, write_new


def test_a_page_never_lands_outside_the_output_folder(tmp_path):
    out = Writer(tmp_path / "site")
    out.begin()
    for sneaky in ["../staff/index.html", "/etc/passwd", "me/../../x.html", ".", ""]:
        with pytest.raises(ValueError, match="outside"):
            out.write(sneaky, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_two_outputs_cannot_claim_one_path(tmp_path):
    out = Writer(tmp_path / "site")
    out.begin()
    out.write("curriculum/module-1.html", "first")
    with pytest.raises(ValueError, match="two outputs claim"):
        out.write("curriculum/./module-1.html", "second")
    assert (tmp_path / "site" / "curriculum" / "module-1.html").read_text() == "first"


def test_only_changed_files_are_written_and_stale_ones_removed(tmp_path):
    first = Writer(tmp_path / "site")
    first.begin()
    first.write("index.html", "<p>Welcome</p>")
    first.write("me/a1b2.html", "sealed")
    first.write("calendars/people/ana@example.edu.ics", b"BEGIN:VCALENDAR\r\n")
    first.finish()
    page = tmp_path / "site" / "index.html"
    os.utime(page, (1_000_000, 1_000_000))

    again = Writer(tmp_path / "site")
    again.begin()
    again.write("index.html", "<p>Welcome</p>")  # same bytes: left as it was
    again.write("me/a1b2.html", "sealed, changed")
    assert again.finish() == ["calendars/people/ana@example.edu.ics"]
    assert page.stat().st_mtime == 1_000_000
    assert again.changed == ["me/a1b2.html", "calendars/people/ana@example.edu.ics"]
    assert not (tmp_path / "site" / "calendars").exists()  # the emptied folders go too
    assert (tmp_path / "site" / MARKER).is_file()
    assert not any(p.name.endswith(".partial") for p in (tmp_path / "site").rglob("*"))


def test_a_file_in_a_new_folder_is_written_atomically(tmp_path):
    target = tmp_path / "deep" / "new" / "folder" / "page.html"
    assert write_if_changed(target, b"hello") is True
    assert write_if_changed(target, b"hello") is False
    assert target.read_bytes() == b"hello" and sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_a_work_folder_file_is_written_new_once(tmp_path):
    """Pages being built go into a folder the build cleared: written whole, and never twice."""
    target = tmp_path / "personal-being-built" / "me" / "a1b2.html"
    write_new(target, b"sealed")
    assert target.read_bytes() == b"sealed"
    with pytest.raises(FileExistsError):
        write_new(target, b"again")
    assert target.read_bytes() == b"sealed"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(json_values, st.integers(0, 4), st.integers(1, 3))
def test_json_written_in_pieces_is_byte_for_byte_json_dumps(tmp_path_factory, value, depth, batch):
    """Also with tiny batches, so wide dicts are encoded a few entries at a time."""
    path = tmp_path_factory.mktemp("json") / "state" / "baseline.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "_BATCH", batch)
        assert write_json_if_changed(path, value, depth)
    assert path.read_bytes() == json.dumps(value, sort_keys=True).encode("utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["baseline.json"]  # no partial file left


def test_json_unchanged_is_not_written_again_and_a_change_is(tmp_path):
    path = tmp_path / "baseline.json"
    baseline = {"rows": {"application": {"ana@x.edu": {"q": "1"}}, "checkin": {"ana@x.edu 2022-03-01": {}}}, "version": 1}
    write_json_if_changed(path, baseline)
    os.utime(path, ns=(1, 1))
    assert not write_json_if_changed(path, baseline) and path.stat().st_mtime_ns == 1
    baseline["rows"]["checkin"]["bo@x.edu 2022-03-02"] = {}
    assert write_json_if_changed(path, baseline) and json.loads(path.read_text()) == baseline
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_the_first_write_claims_the_folder_and_a_writer_that_wrote_nothing_left_nothing(tmp_path):
    idle = Writer(tmp_path / "staff")
    assert not (tmp_path / "staff").exists()
    someone = tmp_path / "theirs"
    someone.mkdir()
    (someone / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="was not made by build.py"):
        Writer(someone).write("index.html", "x")
    with pytest.raises(Exception, match="was not made by build.py"):
        Writer(someone).finish()
    assert (someone / "notes.txt").read_text() == "mine"
    idle.write("calendars/people/ana@example.edu.ics", b"BEGIN:VCALENDAR\r\n")
    assert (tmp_path / "staff" / MARKER).is_file()


def test_the_built_site_and_the_sealed_pages_are_moved_in_and_only_real_changes_touch_the_site(tmp_path):
    """sync_tree: mkdocs' output and the personal pages, each built aside, become the site."""
    from generator.render.writer import sync_tree

    site = Writer(tmp_path / "site")
    for path, text in {"index.html": "home", "about/index.html": "old about", "me/aa.html": "sealed a",
                       "me/gone.html": "sealed, withdrawn", "old/deep/page.html": "stale"}.items():
        site.write(path, text)
    site.finish()
    os.utime(tmp_path / "site" / "index.html", (1_000_000, 1_000_000))
    built, personal = tmp_path / "staging", tmp_path / "personal"
    for root, files in ((built, {"index.html": "home", "about/index.html": "new about", "search/x.json": "{}",
                                 "search/deep/y.json": "[]", "about/team/index.html": "team"}),
                        (personal, {"me/aa.html": "sealed a", "me/bb.html": "sealed b", "me/open.js": "js"})):
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)

    again = Writer(tmp_path / "site")
    sync_tree([built, personal], again)
    on_disk = {p.relative_to(tmp_path / "site").as_posix(): p.read_text() for p in (tmp_path / "site").rglob("*")
               if p.is_file() and p.name != MARKER}
    assert on_disk == {"index.html": "home", "about/index.html": "new about", "search/x.json": "{}",
                       "search/deep/y.json": "[]", "about/team/index.html": "team",
                       "me/aa.html": "sealed a", "me/bb.html": "sealed b", "me/open.js": "js"}
    assert (tmp_path / "site" / "index.html").stat().st_mtime == 1_000_000, "an unchanged page is left as it was"
    assert sorted(again.changed) == ["about/index.html", "about/team/index.html", "me/bb.html", "me/gone.html",
                                     "me/open.js", "old/deep/page.html", "search/deep/y.json", "search/x.json"]
    assert not (tmp_path / "site" / "old").exists() and not built.exists() and not personal.exists()


def test_a_first_build_moves_whole_folders_in_and_still_accounts_for_every_file(tmp_path):
    """Into an empty site each built folder moves with one rename, yet every file is known to the
    Writer: listed as changed, kept by finish, and a second claim on one of them is refused."""
    from generator.render.writer import sync_tree

    built, personal = tmp_path / "staging", tmp_path / "personal"
    files = {built: {"index.html": "home", "assets/css/a.css": "css", "assets/js/b.js": "js", "search/x.json": "{}"},
             personal: {"me/aa.html": "sealed a", "me/bb.html": "sealed b"}}
    for root, made in files.items():
        for path, text in made.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
    moved = (built / "assets").stat().st_ino, (personal / "me").stat().st_ino
    site = Writer(tmp_path / "site")
    sync_tree([built, personal], site)
    on_disk = {p.relative_to(tmp_path / "site").as_posix(): p.read_text() for p in (tmp_path / "site").rglob("*")
               if p.is_file() and p.name != MARKER}
    assert on_disk == {**files[built], **files[personal]}
    assert sorted(site.changed) == sorted(on_disk)
    assert ((tmp_path / "site" / "assets").stat().st_ino, (tmp_path / "site" / "me").stat().st_ino) == moved
    with pytest.raises(ValueError, match="two outputs claim"):
        site.write("me/aa.html", "again")
    assert not built.exists() and not personal.exists()


def test_stale_files_are_listed_deepest_path_last_first_as_before(tmp_path):
    first = Writer(tmp_path / "staff")
    for path in ("a.txt", "b/c.txt", "b/d/e.txt", "b-c.txt", "z.txt"):
        first.write(path, "x")
    first.finish()
    again = Writer(tmp_path / "staff")
    again.write("z.txt", "x")
    assert again.finish() == ["b-c.txt", "b/d/e.txt", "b/c.txt", "a.txt"]


def test_in_a_folder_nothing_watches_a_new_file_is_written_in_place_and_an_existing_one_still_atomically(tmp_path, monkeypatch):
    """The staff folder (watched=False): a file not there yet is created with its content, no
    partial file renamed over it; a file that is there is replaced by a rename, so a reader of
    the old report never sees half of the new one; an unchanged file is not touched at all."""
    from generator.render import writer as w

    renamed: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(w.os, "replace", lambda a, b: (os.path.basename(b) != MARKER and renamed.append(os.path.basename(b)),
                                                     real_replace(a, b)))
    staff = Writer(tmp_path / "staff", watched=False)
    staff.write("progress.html", "first")
    staff.write("calendars/people/ana.ics", b"BEGIN:VCALENDAR\r\n")
    assert renamed == [] and (tmp_path / "staff" / "calendars" / "people" / "ana.ics").read_bytes() == b"BEGIN:VCALENDAR\r\n"
    again = Writer(tmp_path / "staff", watched=False)
    again.write("progress.html", "second")
    again.write("calendars/people/ana.ics", b"BEGIN:VCALENDAR\r\n")
    assert renamed == ["progress.html"] and again.changed == ["progress.html"]
    assert (tmp_path / "staff" / "progress.html").read_text() == "second"
    assert not [p for p in (tmp_path / "staff").rglob("*.partial")]
    docs = Writer(tmp_path / "docs")  # watched (mkdocs serve reads it): new files too go through a rename
    docs.write("index.md", "# Home")
    assert renamed == ["progress.html", "index.md"]
