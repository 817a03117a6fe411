"""An applicant reads the eligibility page and applies with the keyboard only."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from tests.conftest import RECEIVER

pytestmark = pytest.mark.browser

TEXT = {"full_name": "Kim Osei", "email": "kim.osei@ufhealth.example.edu", "job_title": "Research Nurse",
        "department": "Neurology", "field_of_study": "Nursing", "research_experience_years": "6",
        "statement_of_interest": "I want to prepare for certification with colleagues.", "goals": "Pass the CCRC exam.",
        "supervisor_name": "Lee Chen", "supervisor_email": "lee.chen@ufhealth.example.edu",
        "resume_link": "https://ufhealth.example.edu/files/kim-osei-resume.pdf"}


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, type: e.type || '', name: e.name || '', id: e.id, text: (e.innerText || '').trim(),
                checked: !!e.checked,
                groupChecked: e.name ? document.querySelectorAll(`input[name="${e.name}"]:checked`).length : 0}; }""")


def tab_until(page, predicate, limit=200) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError("never reached the wanted element with Tab")


def test_keyboard_only_application(page, served):
    page.goto(served["circles-open-site"] + "/eligibility.html")
    assert "Employed at the institution for at least 6 months" in page.locator("main").inner_text()
    tab_until(page, lambda s: s["tag"] == "A" and s["text"] == "how to apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/apply.html")

    posted = []
    page.route(RECEIVER + "/application", lambda route: (posted.append(route.request.post_data), route.fulfill(body="thanks"))
               if route.request.method == "POST" else route.continue_())

    state = tab_until(page, lambda s: s["name"] == "full_name")
    for _ in range(300):
        if state["tag"] == "BUTTON":
            break
        if state["tag"] in ("INPUT", "TEXTAREA") and state["type"] not in ("radio", "checkbox"):
            if state["type"] == "date":
                page.keyboard.type("03012019")
            else:
                page.keyboard.type(TEXT[state["name"]])
        elif state["type"] in ("radio", "checkbox") and not state["groupChecked"]:
            page.keyboard.press("Space")  # the first option of each group
        page.keyboard.press("Tab")
        state = focused(page)
    assert state["text"] == "Submit application"
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)

    assert page.locator("#form-application-errors").is_hidden()
    assert len(posted) == 1
    answers = parse_qs(posted[0])
    assert answers["full_name"] == ["Kim Osei"] and answers["employment_start"] == ["2019-03-01"]
    assert answers["statement_of_interest"] == [TEXT["statement_of_interest"]]
    assert answers["campus"] == ["Gainesville"] and answers["consent_to_list"] == ["Yes"]
    assert answers["degrees"] == ["High school diploma"]


def test_focus_is_visible_on_form_controls(page, served):
    page.goto(served["circles-open-site"] + "/apply.html")
    tab_until(page, lambda s: s["name"] == "full_name")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
