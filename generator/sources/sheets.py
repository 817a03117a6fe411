"""Google Sheets, read for real with gspread: one metadata read and one batch read, every cell as text.

This is the only module that imports gspread. Credentials come from the environment and are
never printed, logged or put in an error message. Faults are retried with jittered
exponential backoff, bounded in tries and time (gspread's own BackOffHTTPClient has no
jitter and no bound).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:  # gspread and requests are imported only when a sheet is read (a workbook build never needs them)
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
    """Google's recipe: wait 2^n seconds plus up to a second of jitter, capped, bounded.

    `total` is the whole build's budget of waiting, across every request it makes; a
    request that stalls is cut off by the connect and read timeouts, so no build hangs.
    """

    tries: int = 5
    cap: float = 32.0
    total: float = 90.0
    jitter: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return min(self.cap, 2.0 ** attempt + rng.uniform(0, self.jitter))


def retry_after(response: requests.Response | None) -> float:
    """Seconds the server asked us to wait (Retry-After: seconds or an HTTP date), or 0."""
    value = (response.headers.get("Retry-After") or "").strip() if response is not None else ""
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def retrying_client(policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep,
                    rng: random.Random | None = None, say: Callable[[str], None] = lambda _: None,
                    account: str | None = None) -> type[HTTPClient]:
    """An HTTPClient class for gspread that retries 408, 429, 5xx and network faults within the
    policy's bounds (one budget per client, that is per build), and turns every other failure
    into one SourceError that says what to do."""
    chooser = rng or random.Random()

    import requests
    from gspread.exceptions import APIError
    from gspread.http_client import HTTPClient

    class BoundedRetryHTTPClient(HTTPClient):
        def __init__(self, auth: Any, session: Any = None) -> None:
            super().__init__(auth, session)
            self.timeout = (policy.connect_timeout, policy.read_timeout)
            self.waited = 0.0

        def request(self, *args: Any, **kwargs: Any) -> requests.Response:
            import google.auth.exceptions as auth_errors

            last = ""
            for attempt in range(policy.tries):
                asked = 0.0
                try:
                    return super().request(*args, **kwargs)
                except APIError as exc:
                    status = exc.response.status_code
                    if status not in RETRYABLE:
                        raise SourceError(explain(status, _reason(exc), account, _key_of(args, kwargs))) from None
                    last, asked = f"HTTP {status}", retry_after(exc.response)
                except requests.Timeout:
                    last = "no answer within the time limit"
                except requests.ConnectionError:
                    last = "no connection"
                except auth_errors.RefreshError as exc:
                    raise SourceError(refused_credentials(exc, account)) from None
                except auth_errors.TransportError:
                    last = "Google's sign-in could not be reached"
                if attempt + 1 >= policy.tries:
                    break
                pause = max(asked, policy.delay(attempt, chooser))
                if self.waited + pause > policy.total:
                    break
                say(f"Google Sheets: {last}; waiting {pause:.0f} s before try {attempt + 2} of {policy.tries} "
                    f"({self.waited + pause:.0f} of at most {policy.total:.0f} s this build).")
                sleep(pause)
                self.waited += pause
            raise SourceError(f"Google Sheets did not answer after {attempt + 1} tries ({self.waited:.0f} s spent "
                              f"waiting; last: {last}). Try again later; with source.fallback_to_snapshot: true the "
                              "build uses the latest snapshot instead")

    return BoundedRetryHTTPClient


def _key_of(args: tuple, kwargs: dict) -> str:
    url = str(kwargs.get("endpoint") or (args[1] if len(args) > 1 else ""))
    match = re.search(r"/spreadsheets/([A-Za-z0-9_-]+)", url)
    return match.group(1) if match else ""


def explain(status: int, reason: str, account: str | None, key: str) -> str:
    """What a refusal means for a coordinator, and what to do about it."""
    sheet = f"{key[:6]}…" if key else "the spreadsheet"
    if status == 403 and ("has not been used" in reason or "is disabled" in reason or "SERVICE_DISABLED" in reason):
        link = re.search(r"https://\S+", reason)
        where = f" at {link.group(0).rstrip('.,)')}" if link else " (APIs & Services > Library > Google Sheets API)"
        return ("the Google Sheets API is not enabled in the Google Cloud project of these credentials: enable it"
                f"{where}, wait a few minutes and build again")
    if status in (401, 403):
        who = f"the service account {account}" if account else "the account in the credentials"
        return (f"Google Sheets refused to let {who} read {sheet} (HTTP {status}): open the spreadsheet, Share, and add "
                f"{account or 'the service account email (client_email in its key)'} as a Viewer (Editor for "
                "publish-matches)")
    if status == 404:
        return (f"no spreadsheet with the key {sheet} was found (HTTP 404): check {SHEET_KEY} in the environment or "
                "source.spreadsheet_key in program.yml (the long id between /d/ and /edit in the sheet's address)")
    return f"Google Sheets refused the request (HTTP {status}): {reason}"


def refused_credentials(exc: Exception, account: str | None) -> str:
    """A RefreshError: the key was deleted or rotated, the account disabled, or the clock is off."""
    who = f"the service account {account}" if account else "the Google credentials"
    return (f"Google did not accept {who} ({type(exc).__name__}): the key may have been deleted or rotated, or the "
            f"account disabled. Create a new key, put it in {ACCOUNT_JSON} (or the file named by {ACCOUNT_FILE}), and "
            "build again")


def _reason(exc: APIError) -> str:
    """Google's own words, whole (a message cut at a fixed length cut its link in half)."""
    try:
        error = exc.response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return ""
    words = str(error.get("message", ""))
    if len(words) > 600:
        words = words[:600].rsplit(" ", 1)[0] + " …"
    details = json.dumps(error.get("details", []))
    return words + (" SERVICE_DISABLED" if "SERVICE_DISABLED" in details else "")


def account_email(creds: Any) -> str | None:
    """The service account's email, to name in 'share the sheet with ...' (None if unknown)."""
    value = getattr(creds, "service_account_email", None)
    return value if isinstance(value, str) and "@" in value else None


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
        except google.auth.exceptions.GoogleAuthError:
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
    try:
        metadata = http.fetch_sheet_metadata(key)
        titles = [s["properties"]["title"] for s in metadata.get("sheets", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"Google Sheets answered with something that is not a spreadsheet's description ({exc!r})") from None
    present = [t for t in tabs if t in titles]
    tables: dict[str, Table] = {}
    if present:
        answer = http.values_batch_get(key, [quoted(t) for t in present],
                                       params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"})
        for tab, value_range in zip(present, answer.get("valueRanges", [])):
            tables[tab] = table_of(value_range.get("values", []))
    properties = metadata.get("properties", {})
    return Workbook(tables, f"Google Sheet '{properties.get('title', '')}' ({key[:6]}…)",
                    tuple(t for t in tabs if t not in titles), locale=str(properties.get("locale") or "en_US"))


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
           rng: random.Random | None = None, say: Callable[[str], None] = lambda _: None) -> HTTPClient:
    """gspread's HTTP client with the bounded retry and timeouts, ready for read_spreadsheet."""
    return retrying_client(policy, sleep, rng, say, account_email(creds))(creds)


def append_rows(http: HTTPClient, key: str, tab: str, rows: list[list[str]]) -> None:
    """One values:append after the tab's last row; RAW, so no cell is ever parsed as a formula."""
    http.values_append(key, f"{quoted(tab)}!A1", params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                       body={"values": rows})


def add_tab(http: HTTPClient, key: str, tab: str) -> None:
    """A new, empty tab (the ledger of sent messages, on its first use)."""
    http.batch_update(key, {"requests": [{"addSheet": {"properties": {"title": tab}}}]})
