"""In a real browser: a personal page opens with its link's key, and shows nothing without it."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.pipeline import BuildOptions, build
from tests.browserkit import serve_folder
from tests.gates.test_accessibility import AXE_OPTIONS, BLOCKING

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def march(tmp_path_factory):
    """The circles example built as of March 1, 2022, mid-program, and served over HTTP."""
    from tests.conftest import EXAMPLES

    root = tmp_path_factory.mktemp("march")
    result = build(BuildOptions(program=EXAMPLES["circles"], out=root / "site", staff_out=root / "staff",
                                work=root / "build", today=dt.date(2022, 3, 1)))
    url, server = serve_folder(result.site_dir)
    yield result, url, page_links(result)
    server.shutdown()


def page_links(result) -> dict[str, str]:
    """Each person's personal page link as staff get it (links.csv), relative to where the site
    is served here, not the program's address."""
    site = result.gathered.loaded.program.site_url or ""
    with open(result.staff_dir / "links.csv", newline="") as f:
        return {r["email"]: r["link"].removeprefix(site) for r in csv.DictReader(f) if r["form"] == "Personal page"}


def follow_from_page(page, url: str, link: str, name: str) -> None:
    """Open a personal page and follow its link called `name` (a form it fills in)."""
    page.goto(f"{url}/{link}")
    page.wait_for_selector("#hello")
    with page.expect_navigation():
        page.get_by_role("link", name=name).click()


def test_the_link_opens_the_persons_circle_and_next_meeting(page, march):
    result, url, links = march
    circle = result.gathered.matching.circles.circles[2]
    person = result.gathered.matching.people[circle.members[-1]]
    page.goto(f"{url}/{links[person.id]}")
    page.wait_for_selector("#hello")
    text = page.inner_text("main")
    assert person.name in text and f"circle {circle.id}" in text
    assert "Tuesday, March 8, 2022, 12:00-1:00 PM" in text
    assert page.inner_text("#status") == "Your page is open."
    download = page.locator("a[download]").first
    href = download.get_attribute("href")
    assert href.startswith("blob:")
    carried = page.evaluate("async href => Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer()))", href)
    own = (result.staff_dir / "calendars" / "people" / f"{person.id}.ics").read_bytes()
    assert bytes(carried) == own, "the download is the person's calendar file, byte for byte (CRLF too)"
    with page.expect_download() as saved:
        download.click()
    assert saved.value.suggested_filename.endswith("-my-calendar.ics")
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in found if v["impact"] in BLOCKING] == []


def test_without_the_key_or_with_anothers_key_nothing_personal_shows(page, march):
    result, url, links = march
    names = [p.name for p in result.gathered.matching.people.values()]
    first, second = list(links.values())[:2]
    path = first.partition("#")[0]
    page.goto(f"{url}/{path}")
    page.wait_for_function("document.getElementById('status').innerText.indexOf('Opening') < 0")
    assert "Open it with the whole link you were sent" in page.inner_text("#status")
    assert not any(n in page.content() for n in names)
    with page.expect_navigation():  # another link pasted into the same tab: only the fragment changes
        page.evaluate("key => { window.location.hash = key; }", second.partition("#")[2])
    page.wait_for_function("document.getElementById('status').innerText.indexOf('Opening') < 0")
    assert "its key is wrong or incomplete" in page.inner_text("#status")
    assert page.inner_text("#content") == "" and not any(n in page.content() for n in names)


def test_with_javascript_off_the_page_explains_itself(browser, march):
    result, url, links = march
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/{next(iter(links.values()))}")
    assert "Turn JavaScript on and reload" in page.inner_text("body")
    context.close()


@contextlib.contextmanager
def on_a_phone(browser, address: str, ready: str):
    """The page at `address` in a 320 CSS px wide window, once `ready` (a selector) is there."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(address)
    page.wait_for_selector(ready)
    try:
        yield page
    finally:
        context.close()


def reflows_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in found if v["impact"] in BLOCKING] == []


def test_on_a_phone_the_page_reflows_without_scrolling_sideways(browser, march):
    """WCAG 1.4.10 at 320 CSS px: the page never scrolls sideways (it did, to twice a phone's
    width, for a table of work emails). A long email breaks; a table still too wide scrolls in its
    own box, which a keyboard can reach and a screen reader names."""
    result, url, links = march
    circle = result.gathered.matching.circles.circles[0]
    with on_a_phone(browser, f"{url}/{links[circle.members[0]]}", "#hello") as page:
        emails = [result.gathered.matching.people[m].id for m in circle.members]
        assert any(e in page.inner_text("main") for e in emails), "the members' emails are on the page"
        box = page.locator(".wide").first
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label") == "Your circle"
        reflows_and_passes_axe(page)


def test_logging_a_meeting_from_the_page_fills_in_who_met(page, tmp_path):
    """The page counts meetings logged; beside the count, a link to the meeting log that fills in
    the person's email (a site whose forms post to a receiver, in March of the circles year)."""
    from tests.conftest import EXAMPLES, RECEIVER

    result = build(BuildOptions(program=EXAMPLES["circles"], out=tmp_path / "site", staff_out=tmp_path / "staff",
                                work=tmp_path / "build", today=dt.date(2022, 3, 1), receiver_url=RECEIVER))
    url, server = serve_folder(result.site_dir)
    try:
        person, link = next(iter(page_links(result).items()))
        follow_from_page(page, url, link, "Log a meeting")
        assert page.url.split("?")[0].endswith("/participants/meeting_log.html")
        assert page.input_value("form input[name=email]") == person
    finally:
        server.shutdown()


def test_the_check_in_link_opens_the_form_on_the_quarter_still_missing(page, tmp_path):
    """In July the check-in link opened the form with the person filled in but no quarter chosen,
    whichever quarter they owed. It chooses the quarter last due when that one is not answered (Q2
    here, due July 7), which the person can still change; someone who answered it is not asked
    for it again, nor for Q3's, due in October, about a quarter just begun: no quarter is chosen
    (the link chooses Q3 once Q3's is asked for, a week before it is due)."""
    from tests.conftest import EXAMPLES, RECEIVER

    day = dt.date(2022, 7, 20)
    result = build(BuildOptions(program=EXAMPLES["circles"], out=tmp_path / "site", staff_out=tmp_path / "staff",
                                work=tmp_path / "build", today=day, receiver_url=RECEIVER))
    g = result.gathered
    answered = {c.email for c in g.responses.records.checkins if c.quarter == "Q2"}
    gone = set(g.responses.records.withdrawal_of())
    placed = sorted({r.person_id for r in g.matching.rows if r.group_id} - gone)
    url, server = serve_folder(result.site_dir)
    try:
        links = page_links(result)
        for person, quarter in ((next(e for e in placed if e not in answered), "Q2"),
                                (next(e for e in placed if e in answered), "")):
            follow_from_page(page, url, links[person], "Quarterly check-in")
            assert page.url.split("?")[0].endswith("/participants/checkin.html")
            assert page.input_value("form input[name=email]") == person
            checked = page.locator("form input[name=quarter]:checked")
            chosen = [checked.nth(i).get_attribute("value") for i in range(checked.count())]
            assert chosen == ([quarter] if quarter else []), person
            page.locator("form input[name=quarter][value=Q1]").check()  # theirs to change
            assert page.locator("form input[name=quarter]:checked").get_attribute("value") == "Q1"
    finally:
        server.shutdown()


def test_a_facilitators_page_with_the_circles_progress_passes_axe_and_reflows(browser, march):
    """The facilitator's own page adds a table of every member's modules and meetings: named,
    keyboard-reachable when it scrolls, no sideways scrolling at 320 CSS px, nothing axe blocks."""
    result, url, links = march
    circle = result.gathered.matching.circles.circles[1]
    with on_a_phone(browser, f"{url}/{links[circle.facilitators[0]]}", "#circle-progress") as page:
        table = page.locator(".wide", has=page.locator("caption", has_text="Members' modules and meetings"))
        assert table.count() == 1 and table.get_attribute("aria-label") == "Members' modules and meetings"
        members = [result.gathered.matching.people[m].name for m in circle.members if m not in circle.facilitators]
        assert all(name in table.inner_text() for name in members)
        reflows_and_passes_axe(page)
