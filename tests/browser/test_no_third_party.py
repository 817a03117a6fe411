"""No page asks another origin for anything (fonts, scripts, images): a visit tells no third party
who read what, and the site works offline. Every request each page makes is recorded."""
from __future__ import annotations

import pytest

from tests.gates.outputs import outputs_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("output", ["circles-site", "pairs-site", "circles-open-site", "pairs-open-site", "circles-staff"])
def test_every_request_stays_on_the_sites_own_origin(browser, built, served, output):
    target = next(o for o in outputs_of(built) if o.name == output)
    base = served[output]
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        for rel in target.pages():
            page.goto(f"{base}/{rel}", wait_until="load")
        page.wait_for_load_state("networkidle")  # the last page's late requests (search index, worker)
    finally:
        page.close()
    assert len(requested) >= len(target.pages())
    if output.endswith("-site"):  # the theme's stylesheets and scripts were seen, so fonts would have been too
        assert any(u.endswith(".css") for u in requested) and any(u.endswith(".js") for u in requested)
    elsewhere = sorted({url for url in requested if not url.startswith(base + "/") and not url.startswith(("data:", "blob:"))})
    assert elsewhere == []
