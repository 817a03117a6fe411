"""The cycle collector: paused while a build makes its objects, and off for good in a process that
runs one command and ends (build.py), where what the build made is left for the process's end."""
from __future__ import annotations

import gc
import subprocess
import sys
import weakref

from generator.collector import leave, paused
from tests.conftest import BUILD_DAY, EXAMPLES, REPO


class Made:
    """Something a command made (weakly referencable, unlike a dict)."""


def test_a_build_in_a_longer_process_pauses_the_collector_and_turns_it_back_on():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    made = Made()
    gone = weakref.ref(made)
    leave(made)  # not a one-command process: nothing is kept
    del made
    assert gone() is None


def _python(code: str, cwd) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}).stdout.splitlines()


def test_build_py_builds_without_the_collector_and_leaves_the_build_to_the_process_end(tmp_path):
    program, day = EXAMPLES["circles"], BUILD_DAY["circles"].isoformat()
    said = _python(
        "import gc\n"
        "from generator import collector\n"
        "from generator.cli import main\n"
        f"code = main(['--program', {str(program)!r}, '--today', {day!r}], exits=True)\n"
        "print(code, gc.isenabled(), [type(m).__name__ for m in collector._left])\n", tmp_path)
    assert said[-1] == "0 False ['BuildResult']"
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "staff" / "build.json").is_file()


def test_serve_keeps_the_collector_it_runs_for_hours(tmp_path):
    program = EXAMPLES["circles"]
    said = _python(
        "import gc\n"
        "import generator.serve\n"
        "generator.serve.serve = lambda *args, **kwargs: print('collector on while serving:', gc.isenabled()) or 0\n"
        "from generator.cli import main\n"
        f"main(['serve', '--program', {str(program)!r}], exits=True)\n", tmp_path)
    assert said == ["collector on while serving: True"]
