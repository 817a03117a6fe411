"""Pick the source for a build (Google Sheets or the bundled workbook) and keep snapshots."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from generator.config.program import LoadedProgram
from generator.errors import SourceError
from generator.sources import sheets
from generator.sources.table import Workbook
from generator.sources.workbook import read_workbook, tab_path, write_table

STAMP = "%Y-%m-%dT%H-%M-%SZ"


def sheet_key(loaded: LoadedProgram, env: Mapping[str, str]) -> str | None:
    return env.get(sheets.SHEET_KEY) or loaded.program.source.spreadsheet_key


def read_source(loaded: LoadedProgram, env: Mapping[str, str], now: dt.datetime | None = None,
                http: object | None = None) -> Workbook:
    """Google Sheets when a sheet key and credentials are available, else the bundled workbook."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = sheet_key(loaded, env)
    if key is None:
        return read_workbook(loaded.data_path, loaded.tabs)
    if http is None:
        creds = sheets.credentials(env, sheets.READ_ONLY, application_default=loaded.program.source.kind == "sheets")
        if creds is None:
            book = read_workbook(loaded.data_path, loaded.tabs)
            return replace(book, origin=f"{book.origin} (a sheet key is set, but no Google credentials are in the "
                                        f"environment: set {sheets.ACCOUNT_JSON} or {sheets.ACCOUNT_FILE})")
        http = sheets.client(creds)
    try:
        book = sheets.read_spreadsheet(http, key, loaded.tabs)  # type: ignore[arg-type]
    except SourceError as exc:
        if loaded.program.source.fallback_to_snapshot:
            fallback = latest_snapshot(loaded.snapshot_path, loaded.tabs, now)
            if fallback is not None:
                return replace(fallback, notice=f"Google Sheets could not be read ({exc}); {fallback.notice}")
        raise
    save_snapshot(book, loaded.snapshot_path, now)
    return book


def save_snapshot(book: Workbook, folder: Path, now: dt.datetime) -> Path:
    """The read, in the workbook format, so the build can be reproduced and compared later."""
    target = folder / now.strftime(STAMP)
    for tab, table in book.tabs.items():
        write_table(tab_path(target, tab), table)
    (target / "snapshot.json").write_text(json.dumps({"origin": book.origin, "read_at": now.isoformat(),
                                                      "missing": list(book.missing)}, indent=1), encoding="utf-8")
    return target


def latest_snapshot(folder: Path, tabs: list[str], now: dt.datetime) -> Workbook | None:
    """The newest snapshot, described with its age; None if there is none."""
    candidates = sorted(p for p in folder.glob("*/snapshot.json")) if folder.is_dir() else []
    if not candidates:
        return None
    newest = candidates[-1].parent
    meta = json.loads(candidates[-1].read_text(encoding="utf-8"))
    taken = dt.datetime.fromisoformat(meta["read_at"])
    hours = (now - taken).total_seconds() / 3600
    age = f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"
    book = read_workbook(newest, tabs)
    return replace(book, origin=f"snapshot {newest.name} of {meta['origin']}",
                   notice=f"built from the snapshot taken {taken:%Y-%m-%d %H:%M} UTC, {age} old")
