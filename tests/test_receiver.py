"""Forms feed the sheet: the receiver validates as the build does, appends, and signed links hold."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import urllib.error
import urllib.parse
import urllib.request

import pytest

from generator.pipeline import BuildOptions, gather
from generator.receiver.accept import accept_submission
from generator.receiver.local import LocalReceiver
from generator.validate.tokens import SECRET_ENV, sign, verify
from tests.conftest import EXAMPLES
from tests.helpers import application

NOW = dt.datetime(2021, 10, 20, 9, 5, 7)


def posted(**answers) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in answers.items()}


def good_application() -> dict[str, list[str]]:
    row = application(full_name="Kim Osei", email="kim.osei@ufhealth.example.edu")
    row.pop("submitted_at")
    answers = posted(**row)
    answers["primary_responsibilities"] = ["Recruitment and consent", "Study coordination"]
    return answers


def test_a_good_application_becomes_a_row(circles):
    result = accept_submission(circles.forms["application"], "circles", good_application(), NOW)
    assert result.errors == () and result.row["submitted_at"] == "2021-10-20 09:05:07"
    assert result.row["primary_responsibilities"] == "Recruitment and consent, Study coordination"


def test_a_bad_application_lists_every_problem_in_the_applicants_words(circles):
    answers = good_application()
    answers.update(email=["kim at ufl"], statement_of_interest=["word " * 501], job_title=[""])
    result = accept_submission(circles.forms["application"], "circles", answers, NOW)
    assert result.row is None
    assert set(result.errors) == {"Work email: is not an email address (like name@example.edu)",
                                  "Statement of interest: 501 words; at most 500 are allowed",
                                  "Job title: a required answer is missing"}


def test_the_honeypot_drops_bots_quietly(circles):
    answers = good_application()
    answers["website"] = ["http://spam.example"]
    result = accept_submission(circles.forms["application"], "circles", answers, NOW)
    assert result.spam and result.row is None and result.errors == ()


@pytest.fixture
def workbook_copy(circles, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(circles.data_path, folder)
    return folder


def post(url: str, answers: dict[str, list[str]]) -> tuple[int, str]:
    data = urllib.parse.urlencode(answers, doseq=True).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_the_local_receiver_appends_to_the_right_tab(circles, workbook_copy):
    server = LocalReceiver(circles, workbook_copy).serve()
    base = f"http://127.0.0.1:{server.server_address[1]}/submit"
    try:
        status, page = post(f"{base}/application", good_application())
        assert status == 200 and "Thank you" in page
        status, page = post(f"{base}/application", {**good_application(), "email": ["<b>bad</b>"]})
        assert status == 400 and "&lt;b&gt;bad&lt;/b&gt;" not in page and "Work email: is not an email address" in page
        status, _ = post(f"{base}/withdrawal", {"email": ["kim.osei@ufhealth.example.edu"]})
        assert status == 404  # staff-only forms take no submissions
    finally:
        server.shutdown()
    rows = list(csv.DictReader((workbook_copy / "Applications.csv").open(encoding="utf-8")))
    assert rows[-1]["full_name"] == "Kim Osei" and rows[-1]["email"] == "kim.osei@ufhealth.example.edu"
    assert sum(r["email"] == "kim.osei@ufhealth.example.edu" for r in rows) == 1


def test_tokens_are_per_person_and_unforgeable():
    token = sign("s3cret", "co-mentoring-circles", "Ana.Rivera@example.edu")
    assert verify("s3cret", "co-mentoring-circles", "ana.rivera@example.edu", token)
    assert not verify("s3cret", "co-mentoring-circles", "kim.osei@example.edu", token)
    assert not verify("other", "co-mentoring-circles", "ana.rivera@example.edu", token)
    assert len(token) == 22 and "s3cret" not in token


def test_a_forged_check_in_is_quarantined(circles, tmp_path):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    secret = "test-secret-not-for-production"
    path = folder / "data" / "Check-ins.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for i, row in enumerate(rows):
        row["token"] = sign(secret, circles.program.slug, row["email"])
    rows[0]["token"] = sign(secret, circles.program.slug, "someone.else@ufhealth.example.edu")  # a link made for another person
    rows[1]["token"] = ""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    g = gather(BuildOptions(program=folder / "program.yml", run_mkdocs=False, env={SECRET_ENV: secret}))
    quarantined = {(i.row, i.reason) for i in g.responses.issues
                   if i.action == "response quarantined (left out)" and i.tab == "Check-ins"}
    assert quarantined == {(2, "response token does not match this email (forged or altered link)"),
                           (3, "response has no token from a personal link")}
    assert len(g.responses.of("checkin")) == len(rows) - 2
    assert secret not in "".join(g.staff.values())
    links = g.staff["links.csv"]
    assert "participants/checkin.html?email=" in links and f"token={sign(secret, circles.program.slug, rows[5]['email'])}" in links


def test_without_the_secret_tokens_are_not_checked_and_staff_are_told(built):
    g = built["circles"].gathered
    assert "Response tokens were not checked (Quarterly check-in, Mid-program evaluation, Final evaluation): " \
           "set CRP_FORM_SECRET to check them." in g.responses.notes
    assert "set CRP_FORM_SECRET to check them" in g.staff["index.html"] and "links.csv" not in g.staff
