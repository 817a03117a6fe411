"""Past Material for MkDocs' end of life (May 5, 2027): Zensical builds both examples from the
generated config, with the same pages and the same form markup as mkdocs.

Runs when zensical is installed; .ci/run installs it in a separate, non-blocking step after the
suite and reports the result (Zensical is at 0.0.x and changes quickly).
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

pytest.importorskip("zensical", reason="zensical is not installed (.ci/run installs it in its own step)")

FORM = re.compile(r"<form\b.*?</form>", re.S)


def zensical_build(config_file, tmp_path):
    """The generated config, as is but for the output folder (Zensical wants it inside the project)."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    assert not config["docs_dir"].startswith("/") and not config["site_dir"].startswith("/")
    config["site_dir"] = "zensical-site"
    variant = config_file.parent / "zensical.yml"
    variant.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = config_file.parent / "zensical-site"
    shutil.rmtree(out, ignore_errors=True)
    zensical = shutil.which("zensical")
    result = subprocess.run([zensical, "build", "-f", str(variant)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def pages(root):
    """The site's pages, less the sealed personal pages (me/): the build writes those into the site
    itself, beside what the site generator built, so neither generator sees them."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if not p.relative_to(root).parts[0] == "me")


@pytest.mark.parametrize("name", ["circles", "pairs", "circles-open", "pairs-open"])
def test_zensical_builds_the_same_pages_and_forms(built, name, tmp_path):
    result = built[name]
    out = zensical_build(result.config_file, tmp_path)
    assert pages(out) == pages(result.site_dir)
    for page in pages(result.site_dir):
        ours = FORM.findall((result.site_dir / page).read_text(encoding="utf-8"))
        theirs = FORM.findall((out / page).read_text(encoding="utf-8"))
        assert [f for f in theirs if "crp-form" in f] == [f for f in ours if "crp-form" in f], page
