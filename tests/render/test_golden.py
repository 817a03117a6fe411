"""Golden files for rendered pages: a template change shows as a reviewable diff.

Regenerate after an intended change with:  UPDATE_GOLDEN=1 pytest tests/render/test_golden.py
"""
from __future__ import annotations

import os

import pytest

from generator.pipeline import BuildOptions, gather
from tests.conftest import BUILD_DAY, EXAMPLES, OPEN_DAY, RECEIVER, REPO

GOLDEN = REPO / "tests" / "golden"
CASES = [("circles", p) for p in ("index.md", "eligibility.md", "apply.md", "faq.md", "curriculum/index.md", "organizers.md",
                               "evaluation.md", "logic-model.md", "participants/schedule.md")] + \
        [("pairs", p) for p in ("index.md", "how-it-works.md", "time-commitment.md", "participants/checkin.md",
                             "participants/schedule.md", "evaluation.md")] + \
        [("circles-open", "apply.md"), ("pairs-open", "participants/checkin.md")]


@pytest.fixture(scope="module")
def pages():
    out = {}
    for name in ("circles", "pairs"):
        g = gather(BuildOptions(program=EXAMPLES[name], today=BUILD_DAY[name], run_mkdocs=False))
        out[name] = {p.path: p.content for p in g.pages}
        g = gather(BuildOptions(program=EXAMPLES[name], today=OPEN_DAY[name], receiver_url=RECEIVER, run_mkdocs=False))
        out[f"{name}-open"] = {p.path: p.content for p in g.pages}
    return out


@pytest.mark.parametrize("program, path", CASES)
def test_page_matches_golden(pages, program, path):
    golden = GOLDEN / program / path
    content = pages[program][path]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run UPDATE_GOLDEN=1 pytest {__file__}"
    assert content == golden.read_text(encoding="utf-8")
