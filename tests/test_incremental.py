"""Rebuilding in place gives the same bytes as building from nothing, after every kind of edit.

A coordinator's folder is built again and again: rows arrive, a form's wording changes, a
message template or a hand-written page is edited, program.yml is tuned. Each warm rebuild
(the same folders as before) must give exactly the site and staff folders a cold build (new,
empty folders) gives from the same inputs. What an earlier build leaves on purpose (the change
baseline, the calendar revisions) is an input of the next build, so the cold build is handed
the same. Nothing else may carry over; and a build whose inputs did not change is skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import filecmp
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.fingerprint import STAMP, up_to_date
from generator.changes import BASELINE, ROWS
from generator.pipeline import BuildOptions, build
from generator.schedule.sequence import STATE_FILE
from tests.conftest import EXAMPLES, FORMS, REPO

#: What one build leaves for the next on purpose (history, not cache).
STATE = (BASELINE, ROWS, STATE_FILE)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: The circles match announcement: pages, matches and the outbox (messages use the templates) all have content.
ANNOUNCED = dt.date(2021, 12, 15)


def options_in(root: Path, program: Path, forms: Path, site_src: Path) -> BuildOptions:
    return BuildOptions(program=program, forms_dir=forms, site_src=site_src, out=root / "site",
                        staff_out=root / "staff", work=root / "build", today=ANNOUNCED)


def drop_last_row(csv_file: Path) -> None:
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with csv_file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows[:-1])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A coordinator's copy of the circles example, its forms, pages and one message template."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(EXAMPLES["circles"].parent, root / "program")
    shutil.copytree(FORMS, root / "forms")
    shutil.copytree(REPO / "site_src", root / "site_src")
    (root / "program" / "templates").mkdir()
    shutil.copy(REPO / "generator" / "render" / "templates" / "messages" / "_footer.txt.j2", root / "program" / "templates")
    with (root / "program" / "program.yml").open("a", encoding="utf-8") as handle:
        handle.write("\nmessages:\n  templates: templates\n")
    return root


CHANGES = {
    "a row": lambda root: drop_last_row(root / "program" / "data" / "Applications.csv"),
    "a form": lambda root: edit(root / "forms" / "checkin.yml", "title: Quarterly check-in", "title: Quarterly check in"),
    "a template": lambda root: edit(root / "program" / "templates" / "_footer.txt.j2", "\n", "\nWith thanks from the team.\n"),
    "a site_src page": lambda root: edit(root / "site_src" / "privacy.md", "# Privacy", "# Privacy on this site"),
    "program.yml": lambda root: edit(root / "program" / "program.yml", "purpose: ", "purpose: In short, "),
}


def test_warm_rebuilds_equal_cold_builds_after_every_kind_of_change(inputs, tmp_path):
    warm = options_in(tmp_path / "warm", inputs / "program" / "program.yml", inputs / "forms", inputs / "site_src")
    first = build(warm)
    slug = first.gathered.loaded.program.slug
    assert up_to_date(warm), "a build with nothing changed since the last one is skipped"
    for number, (kind, change) in enumerate(CHANGES.items()):
        site_before, staff_before = tree(first.site_dir), tree(first.staff_dir)
        state = {name: (warm.work / slug / name).read_bytes() for name in STATE if (warm.work / slug / name).exists()}
        change(inputs)
        assert not up_to_date(warm), f"after {kind} changed, the build must run"
        warm_result = build(warm)
        assert up_to_date(warm)

        cold = options_in(tmp_path / f"cold-{number}", warm.program, warm.forms_dir, warm.site_src)
        (cold.work / slug).mkdir(parents=True)
        for name, content in state.items():
            (cold.work / slug / name).write_bytes(content)
        cold_result = build(cold)

        for label, hot, fresh in (("site", warm_result.site_dir, cold_result.site_dir),
                                  ("staff", warm_result.staff_dir, cold_result.staff_dir)):
            comparison = filecmp.dircmp(hot, fresh)
            assert tree(hot) == tree(fresh), f"after {kind}: the warm {label} folder differs from a cold build " \
                                             f"({comparison.diff_files or comparison.left_only or comparison.right_only})"
        assert (tree(warm_result.site_dir), tree(warm_result.staff_dir)) != (site_before, staff_before), \
            f"{kind} changed nothing the site or staff show: the test would prove nothing"


def mtimes(*roots: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for root in roots for p in root.rglob("*") if p.is_file()}


def test_a_rebuild_rewrites_only_what_changed(inputs, tmp_path):
    options = options_in(tmp_path, inputs / "program" / "program.yml", inputs / "forms", inputs / "site_src")
    result = build(options)
    before = mtimes(result.site_dir, result.staff_dir, options.work)
    edit(inputs / "site_src" / "privacy.md", "\n", "\nA sentence added by the coordinator.\n")
    build(options)
    after = mtimes(result.site_dir, result.staff_dir, options.work)
    assert set(after) == set(before), "the same files exist"
    rewritten = {p.relative_to(tmp_path).as_posix() for p in after if after[p] != before[p]}
    assert {"site/privacy.html", "site/search/search_index.json"} <= rewritten
    assert "site/index.html" not in rewritten and "site/apply.html" not in rewritten
    assert not [r for r in rewritten if r.startswith("staff/")
                and r not in ("staff/changes.html", "staff/changes.md", "staff/build.json")], rewritten


def test_the_command_says_when_nothing_changed_and_writes_nothing(inputs, tmp_path, monkeypatch, capsys):
    from generator.cli import main

    monkeypatch.chdir(tmp_path)  # the command's work folder is ./build
    argv = ["--program", str(inputs / "program" / "program.yml"), "--forms", str(inputs / "forms"),
            "--today", ANNOUNCED.isoformat()]
    assert main(argv) == 0
    built = mtimes(tmp_path)
    assert main(argv) == 0
    assert "Nothing changed since the last build" in capsys.readouterr().out
    assert mtimes(tmp_path) == built, "a skipped build writes, touches and deletes nothing"

    assert main(argv + ["--rebuild"]) == 0  # forced: built again, and only the change report and status move
    rebuilt = mtimes(tmp_path)
    moved = {p.relative_to(tmp_path).as_posix() for p in rebuilt if rebuilt[p] != built.get(p)}
    assert moved <= {"staff/changes.html", "staff/changes.md", "staff/build.json", f"build/co-mentoring-circles/{BASELINE}",
                     f"build/co-mentoring-circles/{ROWS}", f"build/co-mentoring-circles/{STAMP}"}, moved
    assert "Nothing changed since the last build" not in capsys.readouterr().out

    (tmp_path / "site" / "index.html").unlink()  # an output someone deleted: the build runs again
    assert main(argv) == 0
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_digest_covers_this_tool_the_day_and_the_secrets_but_never_keeps_a_secret(inputs, tmp_path, monkeypatch):
    from generator import fingerprint
    from generator.config.program import load_program

    options = options_in(tmp_path, inputs / "program" / "program.yml", inputs / "forms", inputs / "site_src")
    loaded = load_program(options.program, options.forms_dir)
    tool = tmp_path / "tool"
    tool.mkdir()
    (tool / "pages.py").write_text("VERSION = 1\n")
    monkeypatch.setattr(fingerprint, "_PACKAGE", tool)
    digest = fingerprint.inputs_digest(loaded, options)
    assert fingerprint.inputs_digest(loaded, options) == digest, "the same inputs hash the same"
    (tool / "pages.py").write_text("VERSION = 2\n")  # an upgrade of this tool
    upgraded = fingerprint.inputs_digest(loaded, options)
    assert upgraded != digest
    assert fingerprint.inputs_digest(loaded, replace(options, today=dt.date(2021, 12, 16))) != upgraded
    secret = "correct horse battery staple, and a fifth"
    with_secret = replace(options, env={"CRP_PAGE_SECRET": secret})
    assert fingerprint.inputs_digest(loaded, with_secret) != upgraded
    work = tmp_path / "build" / loaded.program.slug
    work.mkdir(parents=True)
    fingerprint.record(with_secret, work, fingerprint.inputs_digest(loaded, with_secret))
    assert secret not in (work / STAMP).read_text()
    # A live Google Sheet is read every time: each read is a new snapshot, never "unchanged".
    assert fingerprint.inputs_digest(loaded, replace(options, env={"CRP_SHEET_KEY": "1AbC"})) is None


def test_a_failed_build_leaves_no_status_an_earlier_success_wrote(inputs, tmp_path):
    """The guard reads staff/build.json: after a failed build it must not find the last success's."""
    from generator.errors import GeneratorError

    program = tmp_path / "program"
    shutil.copytree(inputs / "program", program)
    options = options_in(tmp_path, program / "program.yml", inputs / "forms", inputs / "site_src")
    build(options)
    assert (options.staff_out / "build.json").is_file()
    edit(program / "program.yml", "model: circles", "model: triangles")
    with pytest.raises(GeneratorError):
        build(options)
    assert not (options.staff_out / "build.json").exists()
    assert (options.staff_out / "index.html").is_file(), "the reports themselves stay for staff to read"

    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "build.json").write_text("{}")
    with pytest.raises(GeneratorError):
        build(replace(options, staff_out=foreign))
    assert (foreign / "build.json").read_text() == "{}", "a folder this tool did not make is never touched"
