"""Google Sheets, read for real with gspread: one metadata read and one batch read, every cell as text.

This is the only module that imports gspread. Credentials come from the environment and are
never printed, logged or put in an error message. Faults are retried with jittered
exponential backoff, bounded in tries and time (gspread's own BackOffHTTPClient has no
jitter and no bound).
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from generator.errors import SourceError
from generator.sources.table import Table, Workbook

READ_ONLY = ["https://www.googleapis.com/auth/spreadsheets.readonly"]
READ_WRITE = ["https://www.googleapis.com/auth/spreadsheets"]
RETRYABLE = {408, 429, 500, 502, 503, 504}
#: Environment variables: the sheet, and a service account as JSON text or a file (which may
#: also be a workload identity federation config, as GitHub Actions' auth step writes).
SHEET_KEY = "CRP_SHEET_KEY"
ACCOUNT_JSON = "GOOGLE_SERVICE_ACCOUNT_JSON"
ACCOUNT_FILE = "GOOGLE_APPLICATION_CREDENTIALS"


@dataclass(frozen=True)
class RetryPolicy:
    """Google's recipe: wait 2^n seconds plus up to a second of jitter, capped, bounded."""

    tries: int = 5
    cap: float = 32.0
    total: float = 90.0
    jitter: float = 1.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return min(self.cap, 2.0 ** attempt + rng.uniform(0, self.jitter))


def retrying_client(policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep,
                    rng: random.Random | None = None) -> type[HTTPClient]:
    """An HTTPClient class for gspread that retries 408, 429 and 5xx within the policy's bounds."""
    chooser = rng or random.Random()

    class BoundedRetryHTTPClient(HTTPClient):
        def request(self, *args: Any, **kwargs: Any) -> requests.Response:
            waited = 0.0
            for attempt in range(policy.tries):
                try:
                    return super().request(*args, **kwargs)
                except APIError as exc:
                    status = exc.response.status_code
                    if status not in RETRYABLE:
                        raise SourceError(f"Google Sheets refused the request: HTTP {status} {_reason(exc)}") from None
                    last = f"HTTP {status}"
                except (requests.ConnectionError, requests.Timeout) as exc:
                    last = type(exc).__name__
                if attempt + 1 < policy.tries:
                    pause = policy.delay(attempt, chooser)
                    if waited + pause > policy.total:
                        break
                    sleep(pause)
                    waited += pause
            raise SourceError(f"Google Sheets did not answer after {attempt + 1} tries over {waited:.0f} s (last: {last})")

    return BoundedRetryHTTPClient


def _reason(exc: APIError) -> str:
    try:
        return str(exc.response.json()["error"]["message"])[:200]
    except (ValueError, KeyError, TypeError):
        return ""


def credentials(env: Mapping[str, str], scopes: list[str], application_default: bool = False) -> Any | None:
    """Service-account (or federated) credentials from the environment, or None if there are none.

    With application_default (a program whose source says `kind: sheets`), Google's
    application-default credentials are tried last: gcloud's login, or the metadata server.
    """
    import google.auth
    import google.auth.exceptions

    if env.get(ACCOUNT_JSON):
        try:
            info = json.loads(env[ACCOUNT_JSON])
        except ValueError:
            raise SourceError(f"{ACCOUNT_JSON} is set but is not a service account key in JSON") from None
        return from_info(info, scopes, ACCOUNT_JSON)
    if env.get(ACCOUNT_FILE):
        try:
            info = json.loads(Path(env[ACCOUNT_FILE]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise SourceError(f"the credentials file named by {ACCOUNT_FILE} could not be read as JSON") from None
        return from_info(info, scopes, ACCOUNT_FILE)
    if application_default:
        try:
            creds, _ = google.auth.default(scopes=scopes)
            return creds
        except google.auth.exceptions.DefaultCredentialsError:
            return None
    return None


def from_info(info: Any, scopes: list[str], where: str) -> Any:
    """Only the two kinds a build should accept (as google-auth advises: a type-specific loader):
    a service account key, or a workload identity federation config (GitHub Actions)."""
    from google.auth import identity_pool
    from google.oauth2 import service_account

    kind = info.get("type") if isinstance(info, dict) else None
    try:
        if kind == "service_account":
            return service_account.Credentials.from_service_account_info(info, scopes=scopes)
        if kind == "external_account":
            return identity_pool.Credentials.from_info(info, scopes=scopes)
    except (ValueError, KeyError, TypeError):
        raise SourceError(f"the credentials in {where} are incomplete ({kind})") from None
    if kind is None and where == ACCOUNT_JSON:
        raise SourceError(f"{ACCOUNT_JSON} is set but is not a service account key in JSON")
    raise SourceError(f"the credentials in {where} are of type {str(kind)[:40]!r}; a service account key or a "
                      "workload identity federation config (external_account) is needed")


def quoted(tab: str) -> str:
    """A tab name as an A1 range: the whole sheet."""
    return "'" + tab.replace("'", "''") + "'"


def read_spreadsheet(http: HTTPClient, key: str, tabs: list[str]) -> Workbook:
    """Exactly two requests: the metadata (which tabs exist) and one batch read of those tabs."""
    metadata = http.fetch_sheet_metadata(key)
    titles = [s["properties"]["title"] for s in metadata.get("sheets", [])]
    present = [t for t in tabs if t in titles]
    tables: dict[str, Table] = {}
    if present:
        answer = http.values_batch_get(key, [quoted(t) for t in present],
                                       params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"})
        for tab, value_range in zip(present, answer.get("valueRanges", [])):
            tables[tab] = table_of(value_range.get("values", []))
    title = metadata.get("properties", {}).get("title", "")
    return Workbook(tables, f"Google Sheet '{title}' ({key[:6]}…)", tuple(t for t in tabs if t not in titles))


def table_of(values: list[list[Any]]) -> Table:
    """The API omits trailing blanks: pad every row to the header's width, cells as text."""
    if not values:
        return Table((), ())
    header = tuple(str(h).strip() for h in values[0])
    width = max([len(header)] + [len(r) for r in values[1:]])
    header += ("",) * (width - len(header))
    rows = tuple(tuple(str(c) for c in r) + ("",) * (width - len(r)) for r in values[1:])
    return Table(header, rows)


def client(creds: Any, policy: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] = time.sleep,
           rng: random.Random | None = None) -> HTTPClient:
    """gspread's HTTP client with the bounded retry, ready for read_spreadsheet."""
    return retrying_client(policy, sleep, rng)(creds)


def append_rows(http: HTTPClient, key: str, tab: str, rows: list[list[str]]) -> None:
    """One values:append after the tab's last row; RAW, so no cell is ever parsed as a formula."""
    http.values_append(key, f"{quoted(tab)}!A1", params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                       body={"values": rows})
