"""An applicant applies on the site; the row lands in the workbook; the rebuild shows them to staff."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shutil

import pytest

from generator.config.program import load_program
from generator.pipeline import BuildOptions, build
from generator.receiver.local import LocalReceiver
from tests.browserkit import serve_folder
from tests.conftest import APPLY_DAY, EXAMPLES, FORMS

pytestmark = pytest.mark.browser


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    from tests.gates.test_accessibility import AXE_OPTIONS, BLOCKING

    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [v["id"] for v in found if v["impact"] in BLOCKING]

TEXT = {"full_name": "Kim Osei", "email": "kim.osei@ufhealth.example.edu", "employment_start": "2019-03-01",
        "job_title": "Research Nurse", "department": "Neurology", "field_of_study": "Nursing",
        "research_experience_years": "1", "statement_of_interest": "I want to prepare for certification.",
        "goals": "Pass the CCRC exam.", "supervisor_name": "Lee Chen", "supervisor_email": "lee.chen@ufhealth.example.edu"}


def test_apply_in_the_browser_and_see_it_in_the_staff_report(browser, tmp_path):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    loaded = load_program(folder / "program.yml", FORMS)
    receiver = LocalReceiver(loaded, loaded.data_path, today=APPLY_DAY).serve()
    receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/submit"
    options = BuildOptions(program=folder / "program.yml", out=tmp_path / "site", staff_out=tmp_path / "staff",
                           work=tmp_path / "build", today=APPLY_DAY, receiver_url=receiver_url)
    build(options)
    site, server = serve_folder(tmp_path / "site")
    page = browser.new_page()
    try:
        page.goto(f"{site}/apply.html")
        form = page.locator("form#form-application")
        assert form.get_attribute("action") == f"{receiver_url}/application"
        for name, value in TEXT.items():
            form.locator(f"[name={name}]").fill(value)
        for group in form.locator("fieldset").all():
            group.locator("input").first.check()
        form.get_by_role("button", name="Submit application").click()
        page.wait_for_url(f"{receiver_url}/application")
        assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
        assert blocking_violations(page) == []  # the receiver's own pages meet WCAG 2.1 AA too
        page.go_back()
        form.locator("[name=email]").fill("kim at ufl")
        # Without the page's script (as a no-JS browser would), the server still refuses it.
        with page.expect_navigation():
            form.evaluate("f => f.submit()")
        assert "Work email: is not an email address" in page.get_by_role("alert").inner_text()
        assert blocking_violations(page) == []
    finally:
        page.close()
        server.shutdown()
        receiver.shutdown()
    rows = list(csv.DictReader((loaded.data_path / "Applications.csv").open(encoding="utf-8")))
    assert rows[-1]["full_name"] == "Kim Osei" and rows[-1]["employment_start"] == "2019-03-01"
    # The receiver previews as of the window's day: the row is stamped with it, so a rebuild as of
    # that day counts it.
    assert rows[-1]["submitted_at"].startswith("2021-10-20")
    rebuilt = build(options)
    eligibility = (rebuilt.staff_dir / "eligibility.html").read_text()
    assert "Kim Osei" in eligibility and "kim.osei@ufhealth.example.edu" in eligibility
    assert "Kim Osei" not in (rebuilt.site_dir / "index.html").read_text()
