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
from tests.conftest import APPLY_DAY, EXAMPLES
from tests.helpers import application, tab_rows, write_tab

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
    answers.update(email=["kim at ufl"], statement_of_interest=["word " * 501], job_title=[""], attendance=[""])
    result = accept_submission(circles.forms["application"], "circles", answers, NOW)
    assert result.row is None
    assert set(result.errors) == {"Work email: is not an email address (like name@example.edu)",
                                  "Statement of interest: 501 words; at most 500 are allowed",
                                  "Job title: a required answer is missing",
                                  "How can you attend circle meetings? (a required answer is missing)"}


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
    server = LocalReceiver(circles, workbook_copy, today=APPLY_DAY).serve()
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
    secret = "test-secret-not-for-production-use-only"
    path = folder / "data" / "Check-ins.csv"
    rows = tab_rows(path)
    for i, row in enumerate(rows):
        row["token"] = sign(secret, circles.program.slug, row["email"])
    rows[0]["token"] = sign(secret, circles.program.slug, "someone.else@ufhealth.example.edu")  # a link made for another person
    rows[1]["token"] = ""
    write_tab(path, rows)
    g = gather(BuildOptions(program=folder / "program.yml", run_mkdocs=False, env={SECRET_ENV: secret}))
    quarantined = {(i.row, i.reason) for i in g.responses.issues
                   if i.action == "response quarantined (left out)" and i.tab == "Check-ins"}
    assert quarantined == {(2, "response token does not match this email (forged or altered link)"),
                           (3, "response has no token from a personal link")}
    assert len(g.responses.of("checkin")) == len(rows) - 2
    assert secret not in "".join(v for v in g.staff.values() if isinstance(v, str))
    links = g.staff["links.csv"]
    assert "participants/checkin.html?email=" in links and f"token={sign(secret, circles.program.slug, rows[5]['email'])}" in links
    assert "supervisor_support" not in links  # the supervisors' form goes to supervisors, with their own token


def test_a_supervisor_confirms_by_their_own_link_and_staff_may_record_a_letter(circles, tmp_path):
    """The participant's own token cannot confirm their supervisor's support; a row staff
    entered by hand (the staff-only date filled in) needs no token."""
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    secret = "test-secret-not-for-production-use-only"
    path = folder / "data" / "Supervisor support.csv"
    rows = tab_rows(path)
    slug = circles.program.slug
    rows[0].update(token=sign(secret, slug, rows[0]["email"], "supervisor"), confirmed_on="")  # the supervisor's link
    rows[1].update(token=sign(secret, slug, rows[1]["email"]), confirmed_on="")  # the participant's own link
    rows[2].update(token="", confirmed_on="")  # posted to the form without any link
    write_tab(path, rows)
    g = gather(BuildOptions(program=folder / "program.yml", run_mkdocs=False, env={SECRET_ENV: secret}))
    quarantined = {i.row for i in g.responses.issues if i.tab == "Supervisor support" and i.column == "token"}
    assert quarantined == {3, 4}
    kept = {r["email"] for r in g.responses.of("supervisor_support")}
    assert rows[0]["email"] in kept and rows[3]["email"] in kept  # signed by the supervisor; recorded by staff
    assert rows[1]["email"] not in kept and rows[2]["email"] not in kept


def test_without_the_secret_tokens_are_not_checked_and_staff_are_told(built):
    g = built["circles"].gathered
    assert "Response tokens were not checked (Quarterly check-in, Mid-program evaluation, Final evaluation, " \
           "Supervisor support): set CRP_FORM_SECRET to check them." in g.responses.notes
    assert "set CRP_FORM_SECRET to check them" in g.staff["index.html"]
    # The example's demo secret gives personal pages, but no signed form links go to staff without the real secret.
    assert {row.split(",")[2] for row in g.staff["links.csv"].splitlines()[1:]} == {"Personal page"}


# --- Round trip: submit, read back as the build does, every answer intact -----------------

def raw_post(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """A POST with exactly these headers (urllib would fix a bad Content-Length for us)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("POST", path)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders()
    conn.send(body)
    response = conn.getresponse()
    return response.status, response.read().decode()


@pytest.mark.parametrize("program", ["circles", "pairs"])
def test_every_header_layout_round_trips_every_answer(program, circles, pairs, tmp_path):
    from generator.sources.table import Table
    from generator.sources.workbook import read_workbook, tab_path, write_table
    from tests.receivers.layouts import answers, expected, layouts, read_back

    loaded = {"circles": circles, "pairs": pairs}[program]
    form, model = loaded.forms["application"], loaded.program.model
    posted = answers(form, model)
    want = expected(form, model, posted)
    for name, header in layouts(form, model).items():
        folder = tmp_path / str(abs(hash(name)))
        earlier = {h: ("10/1/2021 8:00:00" if i == 0 else "") for i, h in enumerate(header)}
        write_table(tab_path(folder, form.tab), Table(tuple(header), (tuple(earlier.values()),)))
        server = LocalReceiver(loaded, folder, today=loaded.program.dates.application_open).serve()
        try:
            status, page = post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", posted)
        finally:
            server.shutdown()
        assert status == 200 and "Thank you" in page, (name, page)
        table = read_workbook(folder, [form.tab]).tabs[form.tab]
        assert table.header == tuple(h.strip() for h in header), name
        assert read_back(form, model, table, "kim.osei@ufhealth.example.edu") == want, name


def test_a_file_without_a_final_newline_gets_a_row_of_its_own(circles, workbook_copy):
    path = workbook_copy / "Applications.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))
    last = path.read_text(encoding="utf-8").splitlines()[-1]
    server = LocalReceiver(circles, workbook_copy, today=APPLY_DAY).serve()
    try:
        assert post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", good_application())[0] == 200
    finally:
        server.shutdown()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[-2] == last and lines[-1].startswith("2") and "Kim Osei" in lines[-1]


def test_a_tab_that_cannot_hold_an_answer_refuses_and_writes_nothing(circles, workbook_copy):
    path = workbook_copy / "Applications.csv"
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0]
    path.write_text(text.replace(header, header.replace(",goals,", ",goals_renamed_by_hand,"), 1), encoding="utf-8")
    before = path.read_bytes()
    server = LocalReceiver(circles, workbook_copy, today=APPLY_DAY).serve()
    try:
        status, page = post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", good_application())
    finally:
        server.shutdown()
    assert status == 500 and "nothing was kept" in page and "no column for" in page
    assert path.read_bytes() == before


def test_a_missing_tab_is_created_with_the_forms_columns(circles, tmp_path):
    from generator.sources.workbook import read_workbook
    from tests.receivers.layouts import answers, expected, read_back

    form = circles.forms["application"]
    server = LocalReceiver(circles, tmp_path, today=APPLY_DAY).serve()
    try:
        status, _ = post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", answers(form, "circles"))
    finally:
        server.shutdown()
    table = read_workbook(tmp_path, [form.tab]).tabs[form.tab]
    assert status == 200 and list(table.header) == form.columns_for("circles")
    assert read_back(form, "circles", table, "kim.osei@ufhealth.example.edu") == expected(form, "circles", answers(form, "circles"))


def test_formula_prefixes_and_nul_bytes_never_reach_the_file_raw(circles, workbook_copy):
    server = LocalReceiver(circles, workbook_copy, today=APPLY_DAY).serve()
    try:
        post(f"http://127.0.0.1:{server.server_address[1]}/submit/application",
             {**good_application(), "job_title": ["=cmd|' /C calc'!A0"], "goals": ["@SUM(1)\x00 and more"]})
    finally:
        server.shutdown()
    raw = (workbook_copy / "Applications.csv").read_bytes()
    assert b"\x00" not in raw and b",'=cmd|" in raw and b"'@SUM(1) and more" in raw
    assert b",=cmd" not in raw


@pytest.mark.parametrize("headers, status", [
    ({"Content-Length": "-1"}, 400), ({"Content-Length": "abc"}, 400), ({}, 411),
    ({"Content-Length": "999999999"}, 413), ({"Content-Length": "10", "Content-Type": "text/plain"}, 415),
])
def test_bad_sizes_and_types_are_refused_with_a_page(circles, workbook_copy, headers, status):
    before = (workbook_copy / "Applications.csv").read_bytes()
    server = LocalReceiver(circles, workbook_copy, today=APPLY_DAY).serve()
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        code, page = raw_post(server.server_address[1], "/submit/application", b"full_name=x", headers)
        # the server is still alive and answers the next post
        ok, _ = post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", good_application())
    finally:
        server.shutdown()
    assert code == status and "<h1>Please check your answers</h1>" in page and ok == 200
    assert (workbook_copy / "Applications.csv").read_bytes().startswith(before)


def test_posts_from_another_site_are_refused(circles, workbook_copy):
    before = (workbook_copy / "Applications.csv").read_bytes()
    server = LocalReceiver(circles, workbook_copy, origins=["http://127.0.0.1:8000"], today=APPLY_DAY).serve()
    body = urllib.parse.urlencode(good_application(), doseq=True).encode()
    form_type = {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body))}
    try:
        evil = raw_post(server.server_address[1], "/submit/application", body, {**form_type, "Origin": "https://evil.example"})
        null = raw_post(server.server_address[1], "/submit/application", body, {**form_type, "Origin": "null"})
        after_refusals = (workbook_copy / "Applications.csv").read_bytes()
        ours = raw_post(server.server_address[1], "/submit/application", body, {**form_type, "Origin": "http://127.0.0.1:8000"})
    finally:
        server.shutdown()
    assert evil[0] == 403 and null[0] == 403 and "own site" in evil[1]
    assert after_refusals == before and ours[0] == 200


def test_a_non_ascii_token_is_refused_by_the_receiver_and_quarantined_by_the_build(circles, tmp_path):
    from generator.receiver.accept import accept_submission as accept

    checkin = {"email": ["ana.rivera@ufhealth.example.edu"], "quarter": ["Q2"], "meetings_held": ["3"],
               "wants_to_continue": ["Yes"], "satisfaction": ["4"], "token": ["tökén"]}
    refused = accept(circles.forms["checkin"], "circles", checkin, NOW)
    assert refused.row is None and "personal link is damaged" in refused.errors[0]
    assert not verify("s", "p", "ana@example.edu", "tökén")  # no TypeError from compare_digest
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    path = folder / "data" / "Check-ins.csv"
    rows = tab_rows(path)
    rows[0]["token"] = "tökén\u202e"
    write_tab(path, rows)
    g = gather(BuildOptions(program=folder / "program.yml", run_mkdocs=False, env={SECRET_ENV: "s3cret-s3cret-s3cret-s3cret-s3cret"}))
    assert any(i.row == 2 and i.action == "response quarantined (left out)" for i in g.responses.issues)


def test_the_local_receiver_refuses_outside_the_window_and_keeps_nothing(circles, workbook_copy):
    before = (workbook_copy / "Applications.csv").read_bytes()
    server = LocalReceiver(circles, workbook_copy, today=circles.program.dates.application_close + dt.timedelta(days=1)).serve()
    try:
        status, page = post(f"http://127.0.0.1:{server.server_address[1]}/submit/application", good_application())
    finally:
        server.shutdown()
    assert status == 403 and "The application form closed on November 15, 2021. Nothing was kept." in page
    assert (workbook_copy / "Applications.csv").read_bytes() == before
