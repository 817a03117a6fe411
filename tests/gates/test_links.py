"""No broken internal link or anchor in any output (mkdocs --strict checks only Markdown links)."""
from __future__ import annotations

import pytest

from tests.gates.links import broken_links
from tests.gates.outputs import outputs_of


@pytest.mark.parametrize("output", ["circles-site", "circles-staff", "pairs-site", "pairs-staff"])
def test_no_broken_links(built, output):
    target = next(o for o in outputs_of(built) if o.name == output)
    assert broken_links(target.root) == []


def test_the_link_checker_is_live(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#there">b</a><a href="gone.html">x</a><a href="#here">h</a>'
                                     '<p id="here"></p><a href="https://example.org/">e</a>')
    (tmp_path / "b.html").write_text('<p id="elsewhere"></p>')
    assert broken_links(tmp_path) == ["a.html -> b.html#there: no element with id 'there'",
                                      "a.html -> gone.html: no such file"]
