"""Google as it really behaves: refused keys, no network at token time, stalls, rate limits with
Retry-After, refusals that must say what to do, locales, Forms' own columns, and snapshots."""
from __future__ import annotations

import datetime as dt
import random

import google.auth.exceptions as auth_errors
import pytest
import requests

from generator.errors import SourceError
from generator.sources import sheets
from generator.sources.choose import read_source, save_snapshot, snapshot_folder
from generator.sources.table import Table, Workbook
from generator.validate.workbook import validate_workbook
from tests.helpers import application
from tests.sources.cassettes import KEY
from tests.sources.fake_api import FakeSession, batch_body, error, metadata_body, response

NOW = dt.datetime(2022, 3, 30, 14, 0, tzinfo=dt.timezone.utc)
ACCOUNT = "builder@crp-demo.iam.gserviceaccount.com"


def client(steps, waits=None, said=None, policy=sheets.RetryPolicy()):
    session = FakeSession(steps)
    cls = sheets.retrying_client(policy, sleep=(waits if waits is not None else []).append, rng=random.Random(0),
                                 say=(said if said is not None else []).append, account=ACCOUNT)
    return cls(None, session=session), session


def loaded_with(circles, tmp_path, **source):
    return circles.model_copy(update={"root": tmp_path, "program": circles.program.model_copy(update={
        "source": circles.program.source.model_copy(update=source)})})


def read(loaded, http, key=KEY):
    return read_source(loaded, {sheets.SHEET_KEY: key}, NOW, http=http)


def good_steps(circles, locale="en_US", apps=None):
    tabs = {t: [["submitted_at"]] for t in circles.tabs}
    if apps is not None:
        tabs["Applications"] = apps
    return [response(200, metadata_body(circles.tabs, locale)), response(200, batch_body(tabs))]


def test_a_rotated_key_is_one_message_that_says_what_to_do(circles, tmp_path):
    http, _ = client([auth_errors.RefreshError("invalid_grant: Invalid JWT Signature.")])
    with pytest.raises(SourceError) as info:
        read(loaded_with(circles, tmp_path), http)
    text = str(info.value)
    assert ACCOUNT in text and "deleted or rotated" in text and sheets.ACCOUNT_JSON in text and "JWT" not in text


def test_a_refused_key_falls_back_to_the_snapshot_of_the_same_sheet(circles, tmp_path):
    loaded = loaded_with(circles, tmp_path, fallback_to_snapshot=True)
    http, _ = client(good_steps(circles))
    read(loaded, http)
    http, _ = client([auth_errors.RefreshError("invalid_grant")])
    book = read(loaded, http)
    assert "deleted or rotated" in book.notice and "built from the snapshot sheet-" in book.notice


def test_no_network_at_token_time_is_retried_then_said(circles, tmp_path):
    said: list[str] = []
    http, session = client([auth_errors.TransportError("Name resolution failed")] * 5, said=said)
    with pytest.raises(SourceError) as info:
        read(loaded_with(circles, tmp_path), http)
    assert "sign-in could not be reached" in str(info.value) and len(session.calls) == 5
    assert said[0].startswith("Google Sheets: Google's sign-in could not be reached; waiting 2 s before try 2 of 5")


def test_every_request_has_connect_and_read_timeouts_and_a_stall_is_retried(circles, tmp_path):
    http, session = client([requests.ReadTimeout("stalled"), *good_steps(circles)])
    read(loaded_with(circles, tmp_path), http)
    assert all(call["timeout"] == (10.0, 30.0) for call in session.calls) and len(session.calls) == 3


def test_retry_after_is_honoured_and_the_wait_is_said(circles, tmp_path):
    waits: list[float] = []
    said: list[str] = []
    http, _ = client([error(429, "Quota exceeded", headers={"Retry-After": "7"}), *good_steps(circles)], waits, said)
    read(loaded_with(circles, tmp_path), http)
    assert waits == [7.0] and "HTTP 429; waiting 7 s before try 2 of 5" in said[0]


def test_the_retry_budget_is_per_build_not_per_request(circles, tmp_path):
    waits: list[float] = []
    policy = sheets.RetryPolicy(tries=5, total=6)
    steps = [error(503, "busy"), error(503, "busy"), response(200, metadata_body(circles.tabs)),
             error(503, "busy"), error(503, "busy"), error(503, "busy")]
    http, _ = client(steps, waits, policy=policy)
    with pytest.raises(SourceError):
        read(loaded_with(circles, tmp_path), http)
    assert sum(waits) <= 6  # the batch read could not spend a fresh budget of its own


def test_403_names_the_account_to_share_the_sheet_with(circles, tmp_path):
    http, _ = client([error(403, "The caller does not have permission")])
    with pytest.raises(SourceError) as info:
        read(loaded_with(circles, tmp_path), http)
    assert f"Share, and add {ACCOUNT} as a Viewer" in str(info.value)


def test_404_names_the_setting_that_holds_the_key(circles, tmp_path):
    http, _ = client([error(404, "Requested entity was not found.")])
    with pytest.raises(SourceError) as info:
        read(loaded_with(circles, tmp_path), http)
    assert sheets.SHEET_KEY in str(info.value) and "source.spreadsheet_key" in str(info.value)


def test_a_disabled_api_keeps_googles_link_whole(circles, tmp_path):
    link = ("https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456789012"
            "&very-long-parameter=" + "x" * 150)
    message = ("Google Sheets API has not been used in project 123456789012 before or it is disabled. Enable it by "
               f"visiting {link} then retry. If you enabled this API recently, wait a few minutes.")
    http, _ = client([error(403, message, reason="SERVICE_DISABLED")])
    with pytest.raises(SourceError) as info:
        read(loaded_with(circles, tmp_path), http)
    assert f"enable it at {link}," in str(info.value)


def test_the_fallback_never_takes_another_sheets_snapshot(circles, tmp_path):
    loaded = loaded_with(circles, tmp_path, fallback_to_snapshot=True)
    other = "1SomeOtherProgramsSheetKey00000000000000000"
    save_snapshot(Workbook({}, "Google Sheet 'other'"), snapshot_folder(loaded, other), NOW)
    http, _ = client([error(404, "not found")])
    with pytest.raises(SourceError) as info:
        read(loaded, http)
    assert "No snapshot of this spreadsheet exists yet" in str(info.value)


def test_only_the_newest_snapshots_are_kept(circles, tmp_path):
    loaded = loaded_with(circles, tmp_path, keep_snapshots=3)
    for hour in range(7):
        http, _ = client(good_steps(circles))
        read_source(loaded, {sheets.SHEET_KEY: KEY}, NOW + dt.timedelta(hours=hour), http=http)
    kept = sorted(p.name for p in snapshot_folder(loaded, KEY).iterdir())
    assert kept == ["2022-03-30T18-00-00Z", "2022-03-30T19-00-00Z", "2022-03-30T20-00-00Z"]


@pytest.mark.parametrize("locale, start", [("en_GB", dt.date(2019, 10, 5)), ("en_US", dt.date(2019, 5, 10))])
def test_dates_follow_the_sheets_locale(circles, tmp_path, locale, start):
    form = circles.forms["application"]
    row = application(submitted_at="21/10/2021 14:03:22" if locale == "en_GB" else "10/21/2021 14:03:22",
                      employment_start="05/10/2019", research_experience_years="4")
    columns = form.columns_for("circles")
    http, _ = client(good_steps(circles, locale, [columns, [row.get(c, "") for c in columns]]))
    book = read(loaded_with(circles, tmp_path), http)
    assert book.locale == locale
    (app,) = validate_workbook(circles, book).of("application")
    assert app["employment_start"] == start and app.submitted_at == dt.datetime(2021, 10, 21, 14, 3, 22)


def test_a_google_form_response_sheet_with_a_recreated_question_loses_no_application(circles):
    """Forms keeps the old, now empty, column of a deleted question beside the new one; it also adds
    'Email Address' when it collects emails and writes curly quotes."""
    form = circles.forms["application"]
    fields = form.fields_for("circles")
    header = ["Timestamp", "Email Address", "Department or division"] + \
             [f.label.replace("'", "\u2019") for f in fields if f.id != "email"]
    rows = []
    for n in range(27):
        app = application(email=f"person{n}@ufhealth.example.edu", full_name=f"Person {n}", department="")
        new_department = f"Department {n % 4}"
        rows.append(tuple([app["submitted_at"], app["email"], ""] +
                          [new_department if f.id == "department" else app.get(f.id, "") for f in fields if f.id != "email"]))
    book = Workbook({"Applications": Table(tuple(header), tuple(rows))}, "Google Sheet", locale="en_US")
    responses = validate_workbook(circles, book)
    apps = responses.of("application")
    assert len(apps) == 27 and {a["department"] for a in apps} == {f"Department {n}" for n in range(4)}
    merged = [i for i in responses.issues if i.tab == "Applications" and i.column == "department"]
    assert len(merged) == 1 and merged[0].row == 1 and "2 columns hold this question" in merged[0].reason


def test_a_damaged_newest_snapshot_is_skipped_for_the_one_before(circles, tmp_path):
    loaded = loaded_with(circles, tmp_path, fallback_to_snapshot=True)
    for hour in range(2):
        http, _ = client(good_steps(circles))
        read_source(loaded, {sheets.SHEET_KEY: KEY}, NOW + dt.timedelta(hours=hour), http=http)
    (snapshot_folder(loaded, KEY) / "2022-03-30T15-00-00Z" / "snapshot.json").write_text("{half", encoding="utf-8")
    http, _ = client([error(503, "busy")] * 5)
    book = read(loaded, http)
    assert "2022-03-30T14-00-00Z" in book.notice
