"""The meeting log in a real browser: a meeting is logged once it has taken place."""
from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest

from generator.config.program import load_program
from generator.pipeline import BuildOptions, build
from generator.receiver.local import LocalReceiver
from tests.browserkit import serve_folder
from tests.conftest import EXAMPLES, FORMS

pytestmark = pytest.mark.browser


def test_the_meeting_log_takes_no_day_after_today_and_says_why(browser, tmp_path):
    """A meeting typed as held next year (a slip of the date picker) reached the sheet and counted
    once that day came. The date picker offers no day after today; a later one typed in is named
    in the error summary and nothing is sent; the day fixed, the entry reaches the sheet."""
    day = dt.date(2022, 3, 10)
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    loaded = load_program(folder / "program.yml", FORMS)
    receiver = LocalReceiver(loaded, loaded.data_path, today=day).serve()
    receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/submit"
    build(BuildOptions(program=folder / "program.yml", out=tmp_path / "site", staff_out=tmp_path / "staff",
                       work=tmp_path / "build", today=day, receiver_url=receiver_url))
    site, server = serve_folder(tmp_path / "site")
    page = browser.new_page()
    someone = next(csv.DictReader((loaded.data_path / "Meeting log.csv").open(encoding="utf-8")))["email"]
    try:
        page.goto(f"{site}/participants/meeting_log.html?email={someone}")
        form = page.locator("form#form-meeting_log")
        date = form.locator("[name=meeting_date]")
        today = page.evaluate("() => { const d = new Date(); return d.getFullYear() + '-' + "
                              "String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }")
        assert date.get_attribute("max") == today  # the picker stops at the reader's today
        later = (dt.date.fromisoformat(today) + dt.timedelta(days=30)).isoformat()
        date.fill(later)
        form.locator("[name=minutes]").fill("60")
        form.locator("input[name=format]").first.check()
        form.get_by_role("button", name="Submit meeting log").click()
        summary = page.get_by_role("alert")
        assert ("Date of the meeting: Choose today or an earlier day: this asks when something took place."
                in summary.inner_text())
        assert date.get_attribute("aria-invalid") == "true" and page.url.startswith(site)
        date.fill("2022-03-08")
        form.get_by_role("button", name="Submit meeting log").click()
        page.wait_for_url(f"{receiver_url}/meeting_log")
        assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    finally:
        page.close()
        server.shutdown()
        receiver.shutdown()
    rows = list(csv.DictReader((loaded.data_path / "Meeting log.csv").open(encoding="utf-8")))
    assert rows[-1]["email"] == someone and rows[-1]["meeting_date"] == "2022-03-08"
