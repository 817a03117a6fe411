"""Installs like a tool: a wheel in a fresh venv outside the checkout scaffolds, checks and builds
a new program; the scaffold documents every key; the doctor says what to fix; the command line
answers help without loading the pipeline and refuses another command's options."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import typing

import pytest
from pydantic import BaseModel

from generator.cli import main
from generator.config.program import Program
from generator.doctor import check
from generator.pipeline import BuildOptions, build
from generator.scaffold import scaffold
from generator.sources import sheets
from tests.conftest import REPO
from tests.helpers import tab_rows, write_tab


def key_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        out.append(prefix + name)
        for arg in (field.annotation, *typing.get_args(field.annotation),
                    *(a for x in typing.get_args(field.annotation) for a in typing.get_args(x))):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out += key_paths(arg, f"{prefix}{name}.")
                break
    return out


def test_a_wheel_installed_outside_the_checkout_scaffolds_checks_and_builds(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)], check=True,
                   capture_output=True)
    (wheel,) = dist.glob("crp_mentoring-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_CONSTRAINT")}
    constraints = ["-c", str(REPO / "constraints.txt")]
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *constraints, str(wheel)], check=True, env=env,
                   capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    tool = str(venv / "bin" / "crp-mentoring")

    def run(*args: str) -> str:
        result = subprocess.run([*args], cwd=work, env=env, capture_output=True, text=True)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    where = run(str(venv / "bin" / "python"), "-c", "import generator.resources as r; print(r.FORMS)")
    assert where.strip().startswith(str(venv)) and "bundled" in where  # the wheel's own forms, not the checkout's
    assert "Made" in run(tool, "new", "program", "--model", "circles")
    assert "Ready to build." in run(tool, "check", "--program", "program/program.yml")
    assert "Site:" in run(tool, "--program", "program/program.yml")
    assert (work / "site" / "index.html").is_file() and (work / "staff" / "index.html").is_file()
    assert "usage: python -m generator" in run(str(venv / "bin" / "python"), "-m", "generator", "--help")


@pytest.mark.parametrize("model", ["circles", "rotating-pairs"])
def test_the_scaffold_documents_every_key_and_builds(model, tmp_path):
    lines = scaffold(tmp_path / "my-program", model, dt.date(2026, 11, 24))
    assert "Made" in lines[0]
    text = (tmp_path / "my-program" / "program.yml").read_text(encoding="utf-8")
    for path in key_paths(Program):
        key = path.rsplit(".", 1)[-1]
        assert re.search(rf"^\s*(# )?{key}:|each with: .*\b{key}\b|keys: .*\b{key}\b", text, re.M), path
    assert "# required" not in text.split("dates:")[0]  # top-level keys say what they do
    header = tab_rows(tmp_path / "my-program" / "data" / "Applications.csv")
    assert header == []  # headers, no rows
    assert (tmp_path / "my-program" / ".github" / "workflows" / "site.yml").is_file()
    result = build(BuildOptions(program=tmp_path / "my-program" / "program.yml", out=tmp_path / "site",
                                staff_out=tmp_path / "staff", work=tmp_path / "build", today=dt.date(2026, 11, 24)))
    assert (result.site_dir / "apply.html").is_file()


def test_what_a_build_in_the_program_folder_makes_is_never_committed(tmp_path, monkeypatch):
    """The program folder is a repository; a coordinator who built in it and ran `git add -A`
    committed the staff reports and the sheet's snapshots, people's answers and private links."""
    folder = tmp_path / "my-program"
    scaffold(folder, "circles", dt.date(2026, 11, 24))
    monkeypatch.chdir(folder)
    assert main(["--program", "program.yml", "--today", "2026-11-24"]) == 0
    (folder / "snapshots" / "sheet-0123" / "2026-11-24T06-17").mkdir(parents=True)
    (folder / "snapshots" / "sheet-0123" / "2026-11-24T06-17" / "Applications.csv").write_text("email\n")
    assert {p.name for p in folder.iterdir()} >= {"site", "staff", "build", "snapshots"}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.edu"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], check=True, capture_output=True, text=True).stdout
    assert {line.split("/")[0] for line in staged.splitlines()} == {".github", ".gitignore", "data", "program.yml"}, staged


def test_the_scaffold_never_writes_into_a_folder_with_files(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    assert main(["new", str(tmp_path), "--model", "circles"]) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_the_doctor_says_what_to_fix(tmp_path):
    scaffold(tmp_path / "p", "circles", dt.date(2026, 11, 24))
    program = tmp_path / "p" / "program.yml"
    said: list[str] = []
    assert check(BuildOptions(program=program, today=dt.date(2026, 11, 24)), said.append)
    # Ready, but the scaffold's stand-ins would go out on the site: named, key by key.
    assert any(line.startswith("  note  program.yml still has the stand-ins `new` wrote at organization, contact.email, "
                               "organizers[1], signatory and campuses: put the program's own institution, contact, "
                               "people and campuses there") for line in said), said
    # The application asks for the campuses program.yml names (here, still the stand-ins).
    from generator.config.program import load_program

    campus = next(f for f in load_program(program, REPO / "forms").forms["application"].fields if f.id == "campus")
    assert campus.options == ("Main campus", "Second campus", "Remote")
    config = program.read_text()
    program.write_text(config.replace("campuses: [Main campus, Second campus]", "campuses: [Gainesville, Jacksonville]"))
    (tmp_path / "p" / "data" / "Check-ins.csv").unlink()
    apps = REPO / "examples" / "circles" / "data" / "Applications.csv"
    rows = [dict(r, years_in_research="1", research_experience_years="1") for r in tab_rows(apps)]
    write_tab(tmp_path / "p" / "data" / "Applications.csv", rows)
    said.clear()
    options = BuildOptions(program=program, today=dt.date(2028, 2, 1), env={sheets.SHEET_KEY: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"})
    assert not check(options, said.append)
    text = "\n".join(said)
    assert "no Google credentials are" in text and sheets.ACCOUNT_JSON in text
    said.clear()
    assert not check(BuildOptions(program=program, today=dt.date(2028, 2, 1)), said.append)
    text = "\n".join(said)
    assert "FIX   Check-ins: tab for the Quarterly check-in form was not found" in text
    assert "FIX   matching: Only 0 facilitator volunteers with at least 5 years for 7 circles" in text
    assert "Ready to build." not in text
    assert "note  No personal pages are built: set CRP_PAGE_SECRET or CRP_FORM_SECRET" in text
    said.clear()
    check(BuildOptions(program=program, today=dt.date(2030, 2, 1)), said.append)
    ended = next(line for line in said if "the program ended on" in line)  # dates as every page writes them
    assert "(as of February 1, 2030)" in ended and not re.search(r"\d{4}-\d{2}-\d{2}", ended), ended
    said.clear()
    ours = "ours, long enough to keep the pages private"
    check(BuildOptions(program=program, today=dt.date(2028, 2, 1), env={"CRP_PAGE_SECRET": ours}), said.append)
    assert "  ok    personal pages are keyed from the secret in the environment (not shown)" in said
    assert not any(ours in line for line in said)
    said.clear()
    check(BuildOptions(program=program, today=dt.date(2028, 2, 1), env={"CRP_FORM_SECRET": "ours"}), said.append)
    assert said[0].startswith("  FIX   CRP_FORM_SECRET is too short to keep personal pages and survey links private: "
                              "use at least 32 random characters") and not any("ours" in line for line in said)
    config = program.read_text()
    for stand_in, own in (("Your institution", "Shands Hospital"), ("mentoring@your-institution.example.edu", "crp@ufl.edu"),
                          ("Program lead", "Dr. Ana Lee")):
        config = config.replace(stand_in, own)
    program.write_text(config)
    said.clear()
    check(BuildOptions(program=program, today=dt.date(2028, 2, 1)), said.append)
    assert not any("stand-ins" in line for line in said)
    assert not any("ours" in line for line in said)


def test_the_doctor_asks_for_trained_mentors_before_a_round(pairs):
    """December 1 in the pairs example, before the first round is matched: 23 volunteered to
    mentor and none has recorded the training yet. In January Q1's announced pairs have their
    mentors: the one volunteer left over untrained is not "nobody in Q1 can mentor"."""
    said: list[str] = []
    assert not check(BuildOptions(program=pairs.root / "program.yml", today=dt.date(2024, 12, 1)), said.append)
    assert any(line.startswith("  FIX   matching: Q1: nobody in Q1 can mentor: 23 volunteered") and "mentor training" in line
               for line in said), said
    said.clear()
    assert check(BuildOptions(program=pairs.root / "program.yml", today=dt.date(2025, 1, 20)), said.append)
    assert not any("nobody in Q1" in line for line in said), said


def test_the_doctor_does_not_ask_to_fix_circles_while_applications_come_in(circles, tmp_path):
    """October 20, with 18 of the 49 applications in: check said "3 things to fix before
    building" (18 cannot fill 7 circles, too few facilitators, 10 rules bent) about a site whose
    job that day is to take the other applications. Notes then; the same shortfall after the
    window closes is a FIX."""
    said: list[str] = []
    assert check(BuildOptions(program=circles.root / "program.yml", today=dt.date(2021, 10, 20)), said.append)
    assert "  note  Applications are open until November 15, 2021: these circles are drawn from the 18 people " \
           "admitted so far, to show where the cohort stands; they are formed once applications close." in said
    assert any(line.startswith("  note  matching: 18 participants cannot fill 7 circles") for line in said)
    assert not any(line.startswith("  FIX") for line in said) and said[-1] == "Ready to build."
    # The match report says the same above its warnings (one sentence, from the matching stage).
    from generator.pipeline import gather

    report = gather(BuildOptions(program=circles.root / "program.yml", today=dt.date(2021, 10, 20), run_mkdocs=False,
                                 work=tmp_path / "report")).staff["matches.html"]
    assert "these circles are drawn from the 18 people admitted so far" in report
    assert report.index("drawn from the 18") < report.index("What could not be done as asked")
    # November 16, applications closed: the whole cohort fits, nothing to fix or to note.
    said.clear()
    assert check(BuildOptions(program=circles.root / "program.yml", today=dt.date(2021, 11, 16)), said.append)
    assert not any("matching" in line and "note" in line for line in said)
    # Had the window closed on October 19, those 18 would be the cohort: then it is to fix.
    import shutil

    shutil.copytree(circles.root, tmp_path / "circles")
    config = tmp_path / "circles" / "program.yml"
    config.write_text(config.read_text().replace("application_close: 2021-11-15", "application_close: 2021-10-19"))
    said.clear()
    assert not check(BuildOptions(program=config, today=dt.date(2021, 10, 20), work=tmp_path / "build"), said.append)
    assert any(line.startswith("  FIX   matching: 18 participants cannot fill 7 circles") for line in said)


def test_help_is_per_command_and_other_commands_options_are_refused(capsys):
    with pytest.raises(SystemExit):
        main(["demo-data", "--help"])
    out = capsys.readouterr().out
    assert "--participants" in out and "--port" not in out and "--yes" not in out
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--yes"])
    assert refused.value.code == 2 and "unrecognized arguments: --yes" in capsys.readouterr().err


