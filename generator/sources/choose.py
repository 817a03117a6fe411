"""Pick the source for a build (Google Sheets or the program's workbook folder) and keep snapshots.

Snapshots are full copies of personal data: they are kept per spreadsheet (a fallback never
takes another sheet's), only the newest `source.keep_snapshots` of them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping

from generator.config.program import LoadedProgram
from generator.errors import SourceError
from generator.sources import sheets
from generator.sources.table import Workbook
from generator.sources.workbook import read_workbook, tab_path, write_table

STAMP = "%Y-%m-%dT%H-%M-%SZ"


def sheet_key(loaded: LoadedProgram, env: Mapping[str, str]) -> str | None:
    return env.get(sheets.SHEET_KEY) or loaded.program.source.spreadsheet_key


def snapshot_folder(loaded: LoadedProgram, key: str) -> Path:
    """Where this spreadsheet's snapshots live: one folder per sheet, named by a hash of its key."""
    return loaded.snapshot_path / ("sheet-" + hashlib.sha256(key.encode()).hexdigest()[:12])


def read_source(loaded: LoadedProgram, env: Mapping[str, str], now: dt.datetime | None = None,
                http: object | None = None, say: Callable[[str], None] = lambda _: None) -> Workbook:
    """Google Sheets when a sheet key and credentials are available, else the program's workbook folder.

    Every failure of the sheet ends in one SourceError a coordinator can act on, or, with
    `source.fallback_to_snapshot`, in the newest snapshot of the same sheet, said on the overview.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    key = sheet_key(loaded, env)
    source = loaded.program.source
    if key is None:
        return read_workbook(loaded.data_path, loaded.source_tabs, source.locale)
    folder = snapshot_folder(loaded, key)
    try:
        if http is None:
            creds = sheets.credentials(env, sheets.READ_ONLY, application_default=source.kind == "sheets")
            if creds is None:
                book = read_workbook(loaded.data_path, loaded.source_tabs, source.locale)
                return replace(book, origin=f"{book.origin} (a sheet key is set, but no Google credentials are in the "
                                            f"environment: set {sheets.ACCOUNT_JSON} or {sheets.ACCOUNT_FILE})")
            http = sheets.client(creds, say=say)
        book = sheets.read_spreadsheet(http, key, loaded.source_tabs)  # type: ignore[arg-type]
    except SourceError as exc:
        if source.fallback_to_snapshot:
            fallback = latest_snapshot(folder, loaded.source_tabs, now)
            if fallback is not None:
                return replace(fallback, notice=f"Google Sheets could not be read ({exc}); {fallback.notice}")
            raise SourceError(f"{exc}. No snapshot of this spreadsheet exists yet to fall back on") from None
        raise
    try:
        save_snapshot(book, folder, now, source.keep_snapshots)
    except OSError as exc:
        return replace(book, notice=f"the snapshot of this read could not be saved ({exc.strerror})")
    return book


def save_snapshot(book: Workbook, folder: Path, now: dt.datetime, keep: int = 5) -> Path:
    """The read, in the workbook format, so the build can be reproduced and compared later;
    then all but the newest `keep` snapshots of this sheet are deleted."""
    target = folder / now.strftime(STAMP)
    target.mkdir(parents=True, exist_ok=True)
    for tab, table in book.tabs.items():
        write_table(tab_path(target, tab), table)
    (target / "snapshot.json").write_text(json.dumps({"origin": book.origin, "read_at": now.isoformat(),
                                                      "locale": book.locale, "missing": list(book.missing)},
                                                     indent=1), encoding="utf-8")
    for old in sorted(p.parent for p in folder.glob("*/snapshot.json"))[:-keep]:
        shutil.rmtree(old)
    return target


def latest_snapshot(folder: Path, tabs: list[str], now: dt.datetime) -> Workbook | None:
    """The newest snapshot of one sheet, described with its name and age; None if there is none."""
    candidates = sorted(p for p in folder.glob("*/snapshot.json")) if folder.is_dir() else []
    for found in reversed(candidates):  # the newest one that can be read (a half-written one is skipped)
        try:
            meta = json.loads(found.read_text(encoding="utf-8"))
            taken = dt.datetime.fromisoformat(meta["read_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        return _described(found.parent, folder, meta, taken, tabs, now)
    return None


def _described(newest: Path, folder: Path, meta: dict, taken: dt.datetime, tabs: list[str], now: dt.datetime) -> Workbook:
    hours = (now - taken).total_seconds() / 3600
    age = f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"
    book = read_workbook(newest, tabs, meta.get("locale", "en_US"))
    return replace(book, origin=f"snapshot {newest.name} of {meta.get('origin', 'the spreadsheet')}", snapshot_taken=taken,
                   folder=None,
                   notice=f"built from the snapshot {folder.name}/{newest.name}, taken {taken:%Y-%m-%d %H:%M} UTC, "
                          f"{age} old")
