"""The Google Sheets source, with gspread's real client against recorded Sheets API traffic."""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import vcr
from google.oauth2.credentials import Credentials

from generator.errors import SourceError
from generator.pipeline import BuildOptions, gather
from generator.sources import sheets
from generator.sources.choose import latest_snapshot, read_source, snapshot_folder
from generator.sources.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from tests.conftest import EXAMPLES
from tests.sources.cassettes import HERE, KEY

REFERENCE = Path(__file__).resolve().parent / "reference"  # licensed copy, see its README
NOW = dt.datetime(2022, 3, 30, 14, 0, tzinfo=dt.timezone.utc)
replay = vcr.VCR(cassette_library_dir=str(HERE), record_mode="none", serializer="json",
                 match_on=["method", "scheme", "host", "path", "query"])


def http_client(sleeps: list[float] | None = None, policy: sheets.RetryPolicy = sheets.RetryPolicy()):
    """gspread's HTTP client with our bounded retry; a static token, so nothing is refreshed."""
    waits = sleeps if sleeps is not None else []
    return sheets.client(Credentials(token="test-token"), policy, sleep=waits.append, rng=random.Random(0))


def env_with_key() -> dict[str, str]:
    return {sheets.SHEET_KEY: KEY}


def test_a_build_reads_the_sheet_in_two_requests(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    with replay.use_cassette("read_ok.json") as cassette:
        book = read_source(loaded, env_with_key(), NOW, http=http_client())
        assert cassette.play_count == 2 and cassette.all_played
    assert book.origin.startswith("Google Sheet 'CRP Co-Mentoring Circles responses'")
    bundled = read_workbook(circles.data_path, circles.tabs)
    assert book.tabs["Withdrawals"] == bundled.tabs["Withdrawals"]
    assert len(book.tabs["Applications"].rows) == len(bundled.tabs["Applications"].rows)


def test_text_is_not_coerced(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    with replay.use_cassette("read_ok.json"):
        book = read_source(loaded, env_with_key(), NOW, http=http_client())
    apps = {r["email"]: r for r in validate_workbook(circles, book).of("application")}
    values = {(a["full_name"], a["job_title"], a["department"]) for a in apps.values()}
    names = {v[0] for v in values}
    assert "Nan Rivera" in names and "007" in {v[1] for v in values} and "1,2,3" in {v[2] for v in values}


def test_every_successful_read_is_saved_as_a_snapshot(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    with replay.use_cassette("read_ok.json"):
        book = read_source(loaded, env_with_key(), NOW, http=http_client())
    folder = snapshot_folder(loaded, KEY)
    snapshot = latest_snapshot(folder, circles.tabs, NOW + dt.timedelta(hours=5))
    assert snapshot.tabs == book.tabs
    assert snapshot.notice == (f"built from the snapshot {folder.name}/2022-03-30T14-00-00Z, taken 2022-03-30 14:00 UTC, "
                               "5 hours old")


def test_429_is_retried_with_jittered_backoff(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    waits: list[float] = []
    with replay.use_cassette("read_after_429.json") as cassette:
        book = read_source(loaded, env_with_key(), NOW, http=http_client(waits))
        assert cassette.play_count == 3
    assert len(waits) == 1 and 1.0 <= waits[0] <= 2.0 and waits[0] != 1.0  # 2^0 s plus jitter
    assert "Applications" in book.tabs


def test_503_until_giving_up_is_a_clear_error_after_bounded_tries(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    waits: list[float] = []
    with replay.use_cassette("unavailable.json") as cassette:
        with pytest.raises(SourceError) as info:
            read_source(loaded, env_with_key(), NOW, http=http_client(waits))
        assert cassette.play_count == 5
    assert str(info.value).startswith("Google Sheets did not answer after 5 tries (")
    assert "last: HTTP 503" in str(info.value) and "fallback_to_snapshot" in str(info.value)
    assert len(waits) == 4 and all(w <= 32 for w in waits) and waits == sorted(waits)


def test_total_wait_is_bounded_too(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    waits: list[float] = []
    with replay.use_cassette("unavailable.json", allow_playback_repeats=True):
        with pytest.raises(SourceError):
            read_source(loaded, env_with_key(), NOW, http=http_client(waits, sheets.RetryPolicy(tries=50, total=10)))
    assert sum(waits) <= 10


def test_unreadable_sheet_falls_back_to_the_last_snapshot_when_allowed(circles, tmp_path):
    source = circles.program.source.model_copy(update={"fallback_to_snapshot": True})
    loaded = circles.model_copy(update={"root": tmp_path, "program": circles.program.model_copy(update={"source": source})})
    with replay.use_cassette("read_ok.json"):
        good = read_source(loaded, env_with_key(), NOW, http=http_client())
    with replay.use_cassette("unavailable.json"):
        book = read_source(loaded, env_with_key(), NOW + dt.timedelta(days=3), http=http_client())
    assert book.tabs == good.tabs
    assert book.notice.startswith("Google Sheets could not be read (Google Sheets did not answer after 5 tries")
    assert book.notice.endswith("2022-03-30T14-00-00Z, taken 2022-03-30 14:00 UTC, 3 days old")


def test_hand_edited_sheet_renamed_column_blank_row_missing_tab(circles, tmp_path):
    loaded = circles.model_copy(update={"root": tmp_path})
    with replay.use_cassette("hand_edited.json"):
        book = read_source(loaded, env_with_key(), NOW, http=http_client())
    assert book.missing == ("Withdrawals", "Sent")  # the ledger of sent messages is made on the first send
    issues = {(i.tab, i.row, i.column, i.reason) for i in validate_workbook(circles, book).issues}
    assert ("Applications", 1, "H (Position)", "column is not a question of the Application form") in issues
    assert ("Applications", 1, "job_title", "expected column is missing") in issues
    assert ("Applications", 5, "", "row is blank") in issues
    assert ("Withdrawals", None, "", "tab for the Withdrawal form was not found") in issues


def test_without_credentials_the_bundled_workbook_is_used_and_said(circles):
    book = read_source(circles, {sheets.SHEET_KEY: KEY}, NOW)
    assert "no Google credentials are in the environment" in book.origin and book.tabs
    assert read_source(circles, {}, NOW).folder == circles.data_path


def test_a_bad_key_in_the_environment_is_never_echoed():
    secret = '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----SECRETSECRET"}'
    with pytest.raises(SourceError) as info:
        sheets.credentials({sheets.ACCOUNT_JSON: secret}, sheets.READ_ONLY)
    assert "SECRETSECRET" not in str(info.value) and "private_key" not in str(info.value)
    assert str(info.value) == "the credentials in GOOGLE_SERVICE_ACCOUNT_JSON are incomplete (service_account)"


def test_a_service_account_key_gives_read_only_credentials():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    info = {"type": "service_account", "client_email": "builder@crp-demo.iam.gserviceaccount.com", "private_key": pem,
            "token_uri": "https://oauth2.googleapis.com/token", "project_id": "crp-demo", "private_key_id": "k1"}
    creds = sheets.credentials({sheets.ACCOUNT_JSON: json.dumps(info)}, sheets.READ_ONLY)
    assert creds.scopes == sheets.READ_ONLY and creds.service_account_email == info["client_email"]


def test_the_build_fails_with_one_message_when_the_sheet_is_down(tmp_path, capsys):
    from generator.cli import main

    program = tmp_path / "program.yml"
    program.write_text(EXAMPLES["circles"].read_text().replace("  kind: workbook\n", f"  kind: sheets\n  spreadsheet_key: {KEY}\n"))
    (tmp_path / "data").symlink_to(EXAMPLES["circles"].parent / "data")
    service = tmp_path / "sa.json"
    service.write_text("{not json")
    code = main(["--program", str(program), "--out", str(tmp_path / "s"), "--staff-out", str(tmp_path / "t")],
                env={sheets.ACCOUNT_FILE: str(service)})
    err = capsys.readouterr().err
    assert code == 2 and "could not be read as JSON" in err and "not json" not in err


def test_gspread_reads_the_reference_recording():
    """Real recorded traffic from gspread's own test suite, through our retrying client."""
    recorded = vcr.VCR(cassette_library_dir=str(REFERENCE), record_mode="none", serializer="json",
                       match_on=["method", "scheme", "host", "path", "query"])
    key = "1yXHRaUTFlGV-Axis4vLHtoPvGUj3C_-awA_5sLK8k6g"
    with recorded.use_cassette("SpreadsheetTest.test_values_batch_get.json"):
        http = http_client()
        meta = http.fetch_sheet_metadata(key)
        tab = "🌵 test_values_batch_get 1"  # as the recording's test renamed it before reading
        answer = http.values_batch_get(key, [f"{tab}!A:A", f"{tab}!B:B", f"{tab}!C:C"])
    assert meta["properties"]["title"] == "Test SpreadsheetTest test_values_batch_get"
    assert [r["values"] for r in answer["valueRanges"]][0] == [["🍇"], ["🍐"]]


def test_gather_reports_where_the_data_came_from(circles, tmp_path):
    options = BuildOptions(program=EXAMPLES["circles"], run_mkdocs=False, env={})
    book = gather(options).workbook
    assert book.origin == f"the workbook folder {book.folder}" and book.folder is not None


def test_application_default_credentials_only_when_the_program_says_sheets(monkeypatch):
    import google.auth

    calls = []
    monkeypatch.setattr(google.auth, "default", lambda scopes: (calls.append(scopes), ("adc-creds", "project"))[1])
    assert sheets.credentials({}, sheets.READ_ONLY) is None and calls == []
    assert sheets.credentials({}, sheets.READ_ONLY, application_default=True) == "adc-creds"
    assert calls == [sheets.READ_ONLY]


def test_a_workload_identity_federation_file_gives_federated_credentials(tmp_path):
    """What GitHub Actions' auth step writes: an external_account config, no key at all."""
    config = {"type": "external_account", "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh/providers/gh",
              "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token",
              "credential_source": {"file": str(tmp_path / "oidc-token")}}
    path = tmp_path / "wif.json"
    path.write_text(json.dumps(config))
    creds = sheets.credentials({sheets.ACCOUNT_FILE: str(path)}, sheets.READ_ONLY)
    assert type(creds).__module__ == "google.auth.identity_pool" and creds.scopes == sheets.READ_ONLY


def test_other_credential_types_are_refused_by_name(tmp_path):
    path = tmp_path / "user.json"
    path.write_text(json.dumps({"type": "authorized_user", "refresh_token": "SECRET-REFRESH"}))
    with pytest.raises(SourceError) as info:
        sheets.credentials({sheets.ACCOUNT_FILE: str(path)}, sheets.READ_ONLY)
    assert "'authorized_user'" in str(info.value) and "SECRET-REFRESH" not in str(info.value)
