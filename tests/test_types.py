"""The package and the benchmarks type-check: a renamed key or a wrong type fails here, not in a
coordinator's build or the next time someone measures."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_mypy_finds_no_errors():
    result = subprocess.run([sys.executable, "-m", "mypy", "generator", "bench"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
