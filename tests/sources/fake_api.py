"""A fake Sheets API transport: a requests-like session that answers from a script.

It stands where google-auth's AuthorizedSession stands under gspread, so faults that only
the live service produces (a stalled read, a refused key, no network at token time,
Retry-After) reach our client exactly as they would, without the network.
"""
from __future__ import annotations

import json
from typing import Any, Callable

import requests
from requests.structures import CaseInsensitiveDict

from tests.sources.cassettes import KEY

Step = Callable[[str, str, dict], Any]  # (method, url, kwargs) -> Response, or raises


def response(status: int, body: dict | None = None, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body or {}).encode()
    r.headers = CaseInsensitiveDict({"Content-Type": "application/json", **(headers or {})})
    r.url = "https://sheets.googleapis.com/v4/spreadsheets/" + KEY
    return r


def error(status: int, message: str, reason: str = "", headers: dict[str, str] | None = None) -> requests.Response:
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}] if reason else []
    return response(status, {"error": {"code": status, "message": message, "status": "X", "details": details}}, headers)


def metadata_body(titles: list[str], locale: str = "en_US", title: str = "CRP responses") -> dict:
    return {"spreadsheetId": KEY, "properties": {"title": title, "locale": locale},
            "sheets": [{"properties": {"title": t, "sheetId": i}} for i, t in enumerate(titles)]}


def batch_body(tabs: dict[str, list[list[str]]]) -> dict:
    return {"spreadsheetId": KEY, "valueRanges": [{"range": f"'{t}'!A1:Z", "values": v} for t, v in tabs.items()]}


class FakeSession:
    """Answers each request with the next step of the script; records what was asked."""

    def __init__(self, steps: list[Any]):
        self.steps = list(steps)
        self.calls: list[dict] = []

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.calls.append({"method": method, "url": url, **kwargs})
        step = self.steps.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step
