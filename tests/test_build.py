"""Both example programs build for real (mkdocs --strict), and the public site holds no personal data."""
from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import shutil
import subprocess
import sys

import pytest

from generator.cli import main
from generator.errors import GeneratorError
from generator.options import BuildOptions
from generator.pipeline import build, gather
from generator.render.personal import locate
from generator.config.forms import FieldType
from generator.sources.workbook import read_workbook
from tests.conftest import BUILD_DAY, EXAMPLES, REPO
from tests.test_personal_pages import opened

PUBLIC_PAGES = ["index.html", "how-it-works.html", "eligibility.html", "time-commitment.html", "apply.html",
                "curriculum/index.html", "faq.html", "organizers.html", "privacy.html", "accessibility.html",
                "evaluation.html", "participants/schedule.html", "participants/checkin.html"]


def personal_values(result) -> tuple[set[str], set[str]]:
    """(values that must never appear, names that may: people who consented to be listed).

    Read from every row of every tab, accepted or not."""
    loaded = result.gathered.loaded
    workbook = read_workbook(loaded.data_path, [loaded.tab_of(f) for f in loaded.forms])
    never, consented = set(), set()
    for form_id, form in loaded.forms.items():
        personal = [f.id for f in form.fields if f.personal]
        for _, cells in workbook.tabs[loaded.tab_of(form_id)].records():
            values = {cells[c].strip() for c in personal if cells.get(c, "").strip()}
            if form_id == "application" and cells.get("consent_to_list", "").strip().lower() == "yes":
                consented.add(cells["full_name"].strip())
            never |= values
    consented |= {p.name for p in loaded.program.organizers if p.listed}
    return never - consented, consented


def site_files(result):
    return [f for f in result.site_dir.rglob("*") if f.is_file() and f.suffix in {".html", ".json", ".xml", ".js", ".txt", ".ics"}]


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_no_personal_data_on_any_public_file_unless_consented(built, name):
    result = built[name]
    never, consented = personal_values(result)
    assert len(never) > 80 and any("@" in v for v in never)  # emails, unlisted names, supervisors
    files = site_files(result)
    assert len(files) > 15
    leaks = [(f.name, s) for f in files for s in never if s in f.read_text(encoding="utf-8", errors="ignore")]
    assert leaks == []


def test_the_roster_names_only_people_who_consented(built):
    result = built["circles"]
    never, consented = personal_values(result)
    roster = (result.site_dir / "participants" / "circles.html").read_text()
    named = [p.name for p in result.gathered.matching.people.values() if p.name in roster]
    assert named and set(named) <= consented
    unlisted = [p for p in result.gathered.matching.people.values() if not p.listed]
    assert unlisted and not any(p.name in roster for p in unlisted)
    assert "more</li>" in roster or "chose not to be listed" in roster
    assert ", and " not in roster, "one way of listing names: 'A, B and 2 more'"


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_example_builds_every_public_page(built, name):
    site = built[name].site_dir
    for page in PUBLIC_PAGES:
        assert (site / page).is_file(), page
    modules = built[name].gathered.loaded.program.curriculum
    assert all((site / "curriculum" / f"{m.id}.html").is_file() for m in modules)
    assert built[name].gathered.loaded.program.name in (site / "index.html").read_text()
    assert (site / "participants" / "circles.html").is_file() == (name == "circles")


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_every_participant_has_a_sealed_page_on_the_site_written_beside_mkdocs_output(built, name):
    result = built[name]
    links = result.gathered.links
    pages = sorted(p.relative_to(result.site_dir).as_posix() for p in (result.site_dir / "me").glob("*.html"))
    assert pages == sorted(locate(link.link)[0] for link in links) and len(pages) > 0
    # Written aside as they were made, each opens with its own link's key and shows its person.
    for link in links:
        assert link.name in opened(result.gathered, link.link, result.site_dir)
    assert not any(path.startswith("me/") for path in result.gathered.assets)  # not held in memory
    # mkdocs only ever copied these finished files: the build writes them, not the docs folder.
    assert not (result.config_file.parent / "docs" / "me").exists()
    assert not (result.config_file.parent / "personal-being-built").exists()
    # Not in mkdocs' navigation, search index or sitemap.
    assert "me/" not in (result.site_dir / "search" / "search_index.json").read_text()
    assert "/me/" not in (result.site_dir / "sitemap.xml").read_text()


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_no_page_loads_fonts_from_another_origin(built, name):
    """Part of #13: Material's Google Fonts would be a third-party request on every visit."""
    pages = [p for p in built[name].site_dir.rglob("*.html")]
    assert pages and not [p.name for p in pages if "fonts.googleapis" in p.read_text() or "fonts.gstatic" in p.read_text()]


def test_unlisted_organizer_is_not_on_the_site(built):
    page = (built["circles"].site_dir / "organizers.html").read_text()
    assert "Mendy E. Dunn" in page and "Pat Example" not in page


def test_staff_reports_sit_outside_the_public_site(built):
    result = built["circles"]
    assert result.staff_dir.parent != result.site_dir and result.site_dir not in result.staff_dir.parents
    names = {p.name for p in result.staff_dir.iterdir() if not p.name.startswith(".")}
    assert names == {"index.html", "data-issues.html", "eligibility.html", "matches.html", "progress.html", "apps-script", "progress.csv",
                     "data-issues.csv", "eligibility.csv", "matches.csv", "certificates", "training-records.csv",
                     "calendars", "links.csv", "messages.html", "outbox", "changes.html", "changes.md", "build.json",
                     "evaluation.html", "logic-model.html"}
    assert not list(result.site_dir.rglob("data-issues*"))


def test_data_issues_report_lists_the_planted_bad_rows(built):
    text = (built["circles"].staff_dir / "data-issues.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"tab", "row", "column", "value", "reason", "action"} == set(rows[0])
    by_reason = {r["reason"]: r for r in rows}
    bad_email = by_reason["is not an email address (like name@example.edu)"]
    assert (bad_email["tab"], bad_email["column"], bad_email["value"], bad_email["action"]) == (
        "Applications", "email", "maria at ufl", "row left out")
    html = (built["circles"].staff_dir / "data-issues.html").read_text()
    assert "maria at ufl" in html and "612 words; at most 500 are allowed" in html


def test_eligibility_csv_has_every_applicant_with_a_reason(built):
    rows = list(csv.DictReader(io.StringIO((built["circles"].staff_dir / "eligibility.csv").read_text())))
    assert len(rows) == 50
    assert sum(r["eligible"] == "True" for r in rows) == 49
    assert sum(r["status"].startswith("withdrew") for r in rows) == 5


def test_cli_builds_pairs_and_says_what_it_read(tmp_path, capsys):
    code = main(["--program", str(EXAMPLES["pairs"]), "--out", str(tmp_path / "site"), "--staff-out", str(tmp_path / "staff")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Read the workbook folder" in out and " data issues (see " in out
    page = (tmp_path / "site" / "how-it-works.html").read_text()
    assert "The four rounds" in page and "Same-level peers" in page


def test_cli_config_error_is_one_clean_message_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "program.yml"
    bad.write_text("model: circles\n")
    assert main(["--program", str(bad), "--out", str(tmp_path / "s"), "--staff-out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad} has ") and "'name': is required but missing" in err
    assert "Traceback" not in err


def test_demo_data_command_is_deterministic(tmp_path, capsys):
    for out in ("a", "b"):
        assert main(["demo-data", "--model", "rotating-pairs", "--participants", "12", "--seed", "5",
                     "--data-out", str(tmp_path / out)]) == 0
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_demo_data_refuses_a_model_that_does_not_match_the_program(capsys):
    assert main(["demo-data", "--model", "rotating-pairs", "--program", str(EXAMPLES["circles"])]) == 2
    assert "does not match" in capsys.readouterr().err


@pytest.mark.parametrize("argv, said", [
    (["--today", "2022-13-01"], "argument --today: '2022-13-01' is not a date written YYYY-MM-DD, such as 2022-03-01"),
    (["demo-data", "--participants", "0"], "argument --participants: '0' is not a whole number from 1 up"),
    (["serve", "--port", "99999"], "argument --port: '99999' is not a whole number from 1024 to 65534"),
])
def test_an_option_typed_wrong_says_what_it_takes_not_a_bug(capsys, argv, said):
    """`demo-data --participants -5` and `serve --port 99999` stopped as bugs in the tool (exit 70:
    ValueError in random.py, OverflowError in socketserver.py); --today quoted `fromisoformat`."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2 and said in capsys.readouterr().err


def test_serve_on_a_port_in_use_says_so_and_which_to_try(capsys):
    """The form receiver takes the port after --port: either in use was a bug in the tool (exit 70),
    after "Serving ... at http://127.0.0.1:8000/" had been printed."""
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for asked in (port, port - 1):
            assert main(["serve", "--port", str(asked)]) == 2
            err = capsys.readouterr()
            assert f"error: port {port} on 127.0.0.1 cannot be used" in err.err and f"--port {asked + 10}" in err.err
            assert "Serving" not in err.out


@pytest.mark.parametrize("out, staff", [("site", "site/staff"), ("public", "public")])
def test_staff_reports_are_never_written_into_the_public_site(tmp_path, capsys, out, staff):
    """`--out pub --staff-out pub` built with exit 0: the data issues, links.csv with everyone's
    private links and the outbox went into the folder a deploy publishes."""
    code = main(["--out", str(tmp_path / out), "--staff-out", str(tmp_path / staff)])
    err = capsys.readouterr().err
    assert code == 2 and "is inside the public site" in err and "nothing was written" in err
    assert not (tmp_path / out).exists()


def test_help_explains_every_command():
    out = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for word in ("build", "serve", "demo-data", "publish-matches", "--dry-run", "--program",
                 "python build.py --program examples/pairs/program.yml"):
        assert word in out


def test_readme_documents_every_command_and_field_type():
    readme = (REPO / "README.md").read_text()
    lines = readme.splitlines()
    assert lines[2] == "```" and "python build.py" in lines[3] and "pytest" in lines[4]
    for command in ("python build.py serve", "python build.py demo-data", "python build.py --help",
                    "python build.py publish-matches", "python build.py new", "python build.py check",
                    "python build.py guard", "crp-mentoring", "python -m generator"):
        assert command in readme
    for field_type in FieldType:
        assert f"`{field_type.value}`" in readme, field_type


@pytest.mark.parametrize("option", ["--out", "--staff-out"])
def test_a_folder_with_someone_elses_files_is_never_cleared(tmp_path, capsys, option):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.docx").write_text("years of work")
    others = {"--out": tmp_path / "site", "--staff-out": tmp_path / "staff"}
    others[option] = precious
    code = main(["--out", str(others["--out"]), "--staff-out", str(others["--staff-out"])])
    assert code == 2 and (precious / "chapter1.docx").read_text() == "years of work"
    assert f"{option} {precious} is not empty and was not made by build.py" in capsys.readouterr().err
    assert gc.isenabled()  # the build pauses the cycle collector, and a failed build turns it back on


def test_a_folder_the_build_made_is_rebuilt(tmp_path):
    args = ["--out", str(tmp_path / "site"), "--staff-out", str(tmp_path / "staff")]
    assert main(args) == 0 and main(args) == 0
    assert (tmp_path / "site" / ".made-by-build-py").is_file() and (tmp_path / "staff" / ".made-by-build-py").is_file()


def test_a_broken_link_in_a_hand_written_page_fails_the_build_with_mkdocs_own_words(tmp_path):
    """mkdocs runs in its own process (generator/mkdocs_worker.py); its strict-mode warning comes back."""
    site_src = tmp_path / "site_src"
    shutil.copytree(REPO / "site_src", site_src)
    options = BuildOptions(program=EXAMPLES["circles"], site_src=site_src, out=tmp_path / "site",
                           staff_out=tmp_path / "staff", work=tmp_path / "build")
    build(options)
    published = (tmp_path / "site" / "privacy.html").read_bytes()
    assert (tmp_path / "staff" / "build.json").is_file()
    (site_src / "privacy.md").write_text("# Privacy\n\nSee [the policy](no-such-page.md).\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as failed:
        build(options)
    said = str(failed.value)
    assert said.startswith("mkdocs build failed (strict mode): Aborted with 1 warnings"), said
    assert "'no-such-page.md'" in said and "privacy.md" in said
    assert (tmp_path / "site" / "privacy.html").read_bytes() == published  # nothing half-built was published
    assert not (tmp_path / "staff" / "build.json").exists()  # and the deploy guard has no success to read


def test_an_unused_mkdocs_worker_is_ended_with_the_command():
    from generator.mkdocs_worker import MkdocsWorker

    with MkdocsWorker() as worker:
        pass
    assert worker.process.returncode is not None


def test_the_mkdocs_worker_builds_even_when_warming_fails(tmp_path):
    """Warming (imports, the theme's templates compiled ahead) only saves time: a config it cannot
    read, or an mkdocs it does not know, leaves a worker that still builds."""
    from generator.mkdocs_worker import MkdocsWorker

    first = build(BuildOptions(program=EXAMPLES["pairs"], out=tmp_path / "site", staff_out=tmp_path / "staff",
                               work=tmp_path / "build"))
    with MkdocsWorker(tmp_path / "no-such-mkdocs.yml") as worker:
        worker.build(first.config_file, tmp_path / "again", None)
        worker.wait()
    assert (tmp_path / "again" / "index.html").read_bytes() == (tmp_path / "site" / "index.html").read_bytes()


def test_the_warmed_worker_copies_the_same_theme_files_as_plain_mkdocs(built):
    """The worker lists the theme's files once, without its hidden folders (Material's 14,000
    icons), since mkdocs' own filter drops them anyway; mkdocs must end up with the same files.
    In a child process: warming patches mkdocs' Theme for the rest of the process."""
    code = """
import sys
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from generator.mkdocs_worker import _warm

config_file = sys.argv[1]
def theme_files():
    config = load_config(config_file)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)
plain = theme_files()
_warm(config_file)
print(len(plain), plain == theme_files())
"""
    result = subprocess.run([sys.executable, "-c", code, str(built["circles"].config_file)], capture_output=True,
                            text=True, cwd=REPO, check=True)
    count, same = result.stdout.split()
    assert int(count) > 20 and same == "True"  # the theme's stylesheets, scripts, fonts, images


def test_once_validated_only_the_tabs_read_again_keep_their_cells(built):
    """Rows live on as typed records; the raw cells stay only for the Matches tab (publish appends
    to it) and the sent-message ledger. The build's status still counts every tab's rows as read."""
    result = built["pairs"]
    loaded, workbook = result.gathered.loaded, result.gathered.workbook
    on_disk = read_workbook(loaded.data_path, loaded.tabs)
    status = json.loads((result.staff_dir / "build.json").read_text(encoding="utf-8"))
    assert status["tabs"] == {tab: len(table.rows) for tab, table in sorted(on_disk.tabs.items())}
    assert workbook.tabs[loaded.tab_of("matches")].rows == on_disk.tabs[loaded.tab_of("matches")].rows != ()
    assert workbook.tabs[loaded.tab_of("application")].rows == ()
    assert workbook.tabs[loaded.tab_of("application")].header == on_disk.tabs[loaded.tab_of("application")].header


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_staff_get_a_calendar_beside_each_message_that_carries_one_and_no_other(built, name, tmp_path):
    """Staff who send from their own mail client attach each announcement's calendar: it is in
    calendars/people/, as mail-merge.csv names it. A person's calendar is otherwise on their page
    only (20,000 staff copies were 3 s of a 20,000-person build, for messages long sent)."""
    assert not (built[name].staff_dir / "calendars" / "people").exists()  # the year's end: nothing announced
    day = {"circles": dt.date(2021, 12, 16), "pairs": dt.date(2024, 12, 13)}[name]
    options = BuildOptions(program=EXAMPLES[name], today=day, out=tmp_path / "site", staff_out=tmp_path / "staff",
                           work=tmp_path / "build")
    result = build(options)
    carried = {o.due.email: o.due.attachments[0].content for o in result.gathered.outbox.outgoing if o.due.attachments}
    assert len(carried) > 30
    on_disk = {p.stem: p.read_bytes() for p in (result.staff_dir / "calendars" / "people").glob("*.ics")}
    assert on_disk == carried == {email: result.gathered.calendars[email] for email in carried}
    merge = list(csv.DictReader(io.StringIO((result.staff_dir / "outbox" / "mail-merge.csv").read_text(encoding="utf-8"))))
    assert {r["attachment"] for r in merge if r["attachment"]} == {f"calendars/people/{e}.ics" for e in carried}
    assert any(path.startswith("calendars/circle-") for path in result.gathered.staff) == (name == "circles")


def test_without_personal_pages_announcements_still_carry_each_persons_calendar(tmp_path):
    """A program without a secret makes no personal pages; its announcements still attach each
    person's calendar, and staff still get the copy to attach themselves."""
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder, ignore=shutil.ignore_patterns("build", "site", "staff"))
    config = folder / "program.yml"
    config.write_text("\n".join("  share_email_in_group: true" if "demo_secret" in line else line
                                for line in config.read_text(encoding="utf-8").splitlines()) + "\n", encoding="utf-8")
    g = gather(BuildOptions(program=config, today=dt.date(2021, 12, 16), run_mkdocs=False, work=tmp_path / "build"))
    assert not g.links
    carried = {o.due.email: o.due.attachments[0].content for o in g.outbox.outgoing if o.due.kind == "announcement"}
    assert len(carried) > 40 and all(carried.values())
    assert {path: g.staff[path] for path in g.staff if path.startswith("calendars/people/")} == \
        {f"calendars/people/{email}.ics": content for email, content in carried.items()}


def test_mkdocs_is_handed_the_public_pages_before_any_personal_page_is_made(tmp_path):
    """The sealed pages never go through mkdocs, so it starts on the site before they are made."""
    seen: list[str] = []
    gather(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"], run_mkdocs=False, work=tmp_path),
           site_ready=lambda loaded, pages, assets: seen.append("site") if not any(p.startswith("me/") for p in assets)
           else seen.append("site with personal pages"),
           personal=lambda path, content: seen.append("personal"))
    assert seen[0] == "site" and seen.count("site") == 1 and seen.count("personal") > 40
