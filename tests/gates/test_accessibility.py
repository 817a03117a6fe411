"""WCAG 2.1 A and AA: axe-core finds no serious or critical violation on any page, light or dark."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.gates.outputs import outputs_of

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("output", ["circles-site", "circles-staff", "pairs-site", "pairs-staff"])
def test_every_page_passes_axe(browser, built, served, output, scheme):
    target = next(o for o in outputs_of(built) if o.name == output)
    pages = target.pages()
    assert pages, f"{output} has no pages"
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems = {}
    for rel in pages:
        found = violations(page, f"{served[output]}/{rel}")
        if found:
            problems[rel] = found
    context.close()
    assert problems == {}


def test_axe_really_finds_problems(page):
    """The gate is live: a page with an unlabelled field and low contrast fails it."""
    page.set_content('<html lang="en"><head><title>t</title></head><body><main>'
                     '<input type="text"><p style="color:#bbb;background:#fff">faint</p></main></body></html>')
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert {"label", "color-contrast"} <= {v["id"] for v in found}


@pytest.mark.parametrize("output, rel", [("circles-open-site", "apply.html"), ("circles-open-site", "supervisors/supervisor_support.html"),
                                         ("pairs-open-site", "participants/checkin.html"),
                                         ("pairs-open-site", "participants/meeting_log.html")])
def test_open_forms_pass_axe(browser, served, output, rel):
    """The pages above are built when forms are closed; these are the forms themselves, open."""
    page = browser.new_page()
    try:
        page.goto(f"{served[output]}/{rel}")
        assert page.locator("form.crp-form").count() == 1
        assert violations(page, f"{served[output]}/{rel}") == []
    finally:
        page.close()


@pytest.mark.parametrize("output", ["circles-site", "circles-staff", "pairs-site", "pairs-staff"])
def test_every_page_reflows_at_320_css_pixels(browser, built, served, output):
    """WCAG 1.4.10: at 320 CSS px no page scrolls sideways; a data table wider than that scrolls
    in its own box (the staff reports' tables made their pages up to 1,066 px wide), and such a
    box can be reached by keyboard and is named."""
    target = next(o for o in outputs_of(built) if o.name == output)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = {}
    for rel in target.pages():
        page.goto(f"{served[output]}/{rel}")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[rel] = width
        boxes = page.locator(".wide")
        for i in range(boxes.count()):
            assert boxes.nth(i).get_attribute("tabindex") == "0" and boxes.nth(i).get_attribute("aria-label"), rel
    context.close()
    assert wide == {}
