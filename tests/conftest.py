"""Shared fixtures: the two example programs, built once per session, and small cohorts."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.config.program import LoadedProgram, load_program
from generator.pipeline import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parents[1]
FORMS = REPO / "forms"
EXAMPLES = {"circles": REPO / "examples" / "circles" / "program.yml",
            "pairs": REPO / "examples" / "pairs" / "program.yml"}
#: Golden pages and browser tests build as of a fixed day after each program ended, so every
#: tab counts (a build counts only what was known on its day).
BUILD_DAY = {"circles": dt.date(2022, 11, 1), "pairs": dt.date(2026, 1, 15)}
#: A day the circles application window is open, for the tests that apply.
APPLY_DAY = dt.date(2021, 10, 20)
#: Forms are shown only where a receiver takes them and their window is open: the "-open" builds
#: (circles in its application window, pairs in its first round) show them, with this receiver.
OPEN_DAY = {"circles": APPLY_DAY, "pairs": dt.date(2025, 2, 3)}
RECEIVER = "https://receiver.example.org/submit"


@pytest.fixture(scope="session", autouse=True)
def away_from_the_checkout(tmp_path_factory: pytest.TempPathFactory):
    """The tests run in an empty folder of their own: a build's default folders (./build with its
    calendar state and change baseline, ./site, ./staff) are then never the ones a developer's own
    `python build.py` left in the checkout, and no test leaves any there."""
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(here)


@pytest.fixture(scope="session")
def circles() -> LoadedProgram:
    return load_program(EXAMPLES["circles"], FORMS)


@pytest.fixture(scope="session")
def pairs() -> LoadedProgram:
    return load_program(EXAMPLES["pairs"], FORMS)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Both example programs, really built with mkdocs, once per test session: after the program
    ended ("circles", "pairs") and on a day their forms are open ("circles-open", "pairs-open")."""
    results = {}
    for name, program in EXAMPLES.items():
        root = tmp_path_factory.mktemp(f"built-{name}")
        results[name] = build(BuildOptions(program=program, out=root / "site", staff_out=root / "staff",
                                           work=root / "build", today=BUILD_DAY[name]))
        root = tmp_path_factory.mktemp(f"built-{name}-open")
        results[f"{name}-open"] = build(BuildOptions(program=program, out=root / "site", staff_out=root / "staff",
                                                     work=root / "build", today=OPEN_DAY[name], receiver_url=RECEIVER))
    return results

# Browser fixtures (headless Debian chromium, the built sites served over HTTP) for every folder.
pytest_plugins = ["tests.browserkit"]
