"""Sheets API fixtures in vcrpy's cassette format, shaped like the real recordings in
tests/sources/reference/ (same endpoints, query parameters and JSON bodies).

Regenerate after changing a fixture:  python -m tests.sources.cassettes
"""
from __future__ import annotations

import json
from pathlib import Path

import requests

from generator.sources.workbook import read_table, tab_path

HERE = Path(__file__).parent / "cassettes"
KEY = "1CrpMentoringDemoSheetKey0000000000000000000"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets/"
HEADERS = {"Content-Type": ["application/json; charset=UTF-8"], "Server": ["ESF"], "Vary": ["Origin", "X-Origin", "Referer"]}


def _uri(url: str, params: dict) -> str:
    return requests.Request("GET", url, params=params).prepare().url


def _interaction(uri: str, code: int, body: dict) -> dict:
    message = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}[code]
    return {"request": {"body": None, "headers": {"authorization": ["<ACCESS_TOKEN>"]}, "method": "GET", "uri": uri},
            "response": {"status": {"code": code, "message": message}, "headers": HEADERS,
                         "body": {"string": json.dumps(body, indent=2, ensure_ascii=False)}}}


def metadata(titles: list[str], code: int = 200) -> dict:
    if code != 200:
        return _interaction(_uri(SHEETS + KEY, {"includeGridData": "false"}), code,
                            {"error": {"code": code, "message": "Quota exceeded" if code == 429 else "The service is currently unavailable.",
                                       "status": "RESOURCE_EXHAUSTED" if code == 429 else "UNAVAILABLE"}})
    body = {"spreadsheetId": KEY, "properties": {"title": "CRP Co-Mentoring Circles responses", "locale": "en_US", "timeZone": "America/New_York"},
            "sheets": [{"properties": {"sheetId": 1000 + i, "title": t, "index": i, "sheetType": "GRID",
                                       "gridProperties": {"rowCount": 1000, "columnCount": 26}}} for i, t in enumerate(titles)],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{KEY}/edit"}
    return _interaction(_uri(SHEETS + KEY, {"includeGridData": "false"}), 200, body)


def batch(tabs: dict[str, list[list[str]]]) -> dict:
    quoted = ["'" + t.replace("'", "''") + "'" for t in tabs]
    uri = _uri(SHEETS + KEY + "/values:batchGet", {"ranges": quoted, "valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"})
    ranges = []
    for q, values in zip(quoted, tabs.values()):
        trimmed = [_trim(r) for r in values]  # the API leaves out trailing blank cells
        ranges.append({"range": f"{q}!A1:Z{max(len(values), 1)}", "majorDimension": "ROWS", "values": trimmed})
    return _interaction(uri, 200, {"spreadsheetId": KEY, "valueRanges": ranges})


def append(tab: str, rows: int) -> dict:
    from urllib.parse import quote

    uri = _uri(SHEETS + KEY + "/values/" + quote(f"'{tab}'!A1") + ":append",
               {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"})
    body = {"spreadsheetId": KEY, "tableRange": f"'{tab}'!A1:G1",
            "updates": {"spreadsheetId": KEY, "updatedRange": f"'{tab}'!A2:G{rows + 1}", "updatedRows": rows,
                        "updatedColumns": 7, "updatedCells": rows * 7}}
    interaction = _interaction(uri, 200, body)
    interaction["request"]["method"] = "POST"
    return interaction


def add_sheet(title: str) -> dict:
    """spreadsheets.batchUpdate with one addSheet request, answered as the API does."""
    body = {"spreadsheetId": KEY, "replies": [{"addSheet": {"properties": {
        "sheetId": 2000, "title": title, "index": 12, "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26}}}}]}
    interaction = _interaction(SHEETS + KEY + ":batchUpdate", 200, body)
    interaction["request"]["method"] = "POST"
    return interaction


def _trim(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def example_tabs(folder: Path, tabs: list[str]) -> dict[str, list[list[str]]]:
    out = {}
    for tab in tabs:
        table = read_table(tab_path(folder, tab))
        out[tab] = [list(table.header)] + [list(r) for r in table.rows]
    return out


def write(name: str, interactions: list[dict]) -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / f"{name}.json").write_text(json.dumps({"version": 1, "interactions": interactions}, indent=1, ensure_ascii=False) + "\n")


def main() -> None:
    from tests.conftest import EXAMPLES, FORMS
    from generator.config.program import load_program

    loaded = load_program(EXAMPLES["circles"], FORMS)
    tabs = example_tabs(loaded.data_path, loaded.tabs)
    apps = tabs["Applications"]
    col = {name: i for i, name in enumerate(apps[0])}
    # Strings get_all_records() would coerce: they must come through unchanged.
    apps[1][col["full_name"]] = "Nan Rivera"
    apps[2][col["job_title"]] = "007"
    apps[3][col["department"]] = "1,2,3"
    write("read_ok", [metadata(loaded.tabs), batch(tabs)])
    write("read_after_429", [metadata(loaded.tabs, 429), metadata(loaded.tabs), batch(tabs)])
    write("unavailable", [metadata(loaded.tabs, 503) for _ in range(5)])
    edited = {t: [list(r) for r in rows] for t, rows in tabs.items()}
    header = edited["Applications"][0]
    header[header.index("job_title")] = "Position"  # renamed by hand
    edited["Applications"].insert(4, [])  # a blank row in the middle
    without_withdrawals = [t for t in loaded.tabs if t != "Withdrawals"]
    write("hand_edited", [metadata(without_withdrawals), batch({t: edited[t] for t in without_withdrawals})])
    # Before the announcement: the Matches tab has only its header; publishing appends 49 rows.
    fresh = {**tabs, "Matches": tabs["Matches"][:1]}
    write("publish", [metadata(loaded.tabs), batch(fresh), append("Matches", 49)])
    # Sending two messages on announcement day: the Sent tab is made, then each message is
    # recorded before (sending) and after (sent) it goes; the first append carries the header.
    write("send", [metadata(loaded.tabs), batch(tabs), add_sheet("Sent"), append("Sent", 2), append("Sent", 1),
                   append("Sent", 1), append("Sent", 1)])


if __name__ == "__main__":
    main()
