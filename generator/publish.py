"""`build.py publish-matches`: add the new proposals to the Matches tab, never touching staff's rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from generator.matching.stage import MatchRow
from generator.pipeline import BuildOptions, gather
from generator.receiver.accept import sheet_time
from generator.sources import sheets
from generator.sources.choose import sheet_key
from generator.sources.table import Table
from generator.errors import GeneratorError
from generator.resources import bundled_example, kept_as_shipped
from generator.sources.workbook import append_row, tab_path
from generator.validate.header import LayoutError, resolve, row_for_header
from generator.words import counted


@dataclass(frozen=True)
class Publication:
    header: list[str]
    rows: list[dict[str, str]]  # to append, in the tab's columns
    kept: int  # rows already in the tab, left exactly as they are
    notes: list[str]


def plan(header: list[str], existing: Table | None, proposals: list[MatchRow], now: dt.datetime) -> Publication:
    """New (round, group, person) placements only; every existing row stays as staff left it."""
    present: dict[tuple[str, str], list[tuple[str, int]]] = {}
    if existing is not None:
        for number, cells in existing.records():
            key = (cells.get("round", "").strip(), cells.get("email", "").strip().lower())
            present.setdefault(key, []).append((cells.get("group_id", "").strip(), number))
    rows, notes = [], []
    for m in proposals:
        if not m.group_id or m.status != "proposed":
            continue
        earlier = present.get((m.round, m.person_id), [])
        if any(group == m.group_id for group, _ in earlier):
            continue
        for group, number in earlier:
            notes.append(f"{m.name} ({m.round}): row {number} places them in {group}; left as it is, the new proposal is "
                         f"{m.group_id}. Decline or delete one of them.")
        rows.append({"submitted_at": sheet_time(now), "round": m.round, "group_id": m.group_id, "email": m.person_id,
                     "role": m.role, "status": "proposed", "note": ""})
    kept = sum(len(v) for v in present.values())
    return Publication(header, rows, kept, notes)


def recorded_at(today: dt.date, now: dt.datetime) -> dt.datetime:
    """The rows' timestamp: now, but no later than the end of --today. A build as of a past day
    (catching up, or trying the example) counts only rows stamped by then: proposals published
    "as of April 4" but stamped with the real date were invisible to the build of April 4."""
    return min(now, dt.datetime.combine(today, dt.time(23, 59, 59)))


def publish_matches(options: BuildOptions, dry_run: bool, say: Callable[[str], None] = print,
                    now: dt.datetime | None = None) -> Publication:
    """Show (dry run) or append the new proposals to the Matches tab of the sheet or workbook."""
    if not dry_run and bundled_example(options.program):
        raise GeneratorError(kept_as_shipped(options.program, "add --dry-run to see the proposals"))
    gathered = gather(options)
    loaded = gathered.loaded
    if "matches" not in loaded.forms:
        say("This program has no Matches tab in its forms: nothing to publish.")
        return Publication([], [], 0, [])
    tab = loaded.tab_of("matches")
    form, model = loaded.forms["matches"], loaded.program.model
    existing = gathered.workbook.tabs.get(tab)
    # The tab's own header, whatever its order or wording; a new or empty tab gets the form's columns.
    real = existing.header if existing is not None and any(h.strip() for h in existing.header) else ()
    header = list(real or form.columns_for(model))
    table = resolve(form, model, tab, existing).table if real and existing is not None else None
    result = plan(header, table, list(gathered.matching.rows), recorded_at(options.today, now or dt.datetime.now()))
    _describe(result, tab, gathered.workbook.origin, dry_run, say,
              {a.email: a.full_name for a in gathered.responses.records.applications})
    if dry_run or not result.rows:
        return result
    try:
        laid_out = [row_for_header(form, model, tuple(header), r) for r in result.rows]
    except LayoutError as exc:
        raise GeneratorError(f"{exc}: add that column to the {tab} tab, then publish again (nothing was written)") from None
    key = sheet_key(loaded, options.env)
    if key and gathered.workbook.folder is None:
        client = options.http
        if client is None:
            creds = sheets.credentials(options.env, sheets.READ_WRITE,
                                       application_default=loaded.program.source.kind == "sheets")
            if creds is None:
                raise GeneratorError(f"no Google credentials to write to the sheet: set {sheets.ACCOUNT_JSON} or "
                                     f"{sheets.ACCOUNT_FILE} (the account needs Editor access)")
            client = sheets.client(creds, say=say)
        sheets.append_rows(client, key, tab, ([] if real else [header]) + laid_out)  # type: ignore[arg-type]
    else:
        path = tab_path(loaded.data_path, tab)
        for row in laid_out:
            append_row(path, tuple(header), row)
    say(f"Appended {counted(len(result.rows), 'row')} to the {tab} tab.")
    return result


def _describe(result: Publication, tab: str, origin: str, dry_run: bool, say: Callable[[str], None],
              names: dict[str, str]) -> None:
    verb = "Would append" if dry_run else "Appending"
    say(f"{verb} {counted(len(result.rows), 'proposed row')} to the {tab} tab of {origin}; "
        f"the existing rows ({result.kept}) are left exactly as they are.")
    for r in result.rows:
        who = f"{names[r['email']]} <{r['email']}>" if r["email"] in names else r["email"]
        say(f"  + {r['round']:<8} {r['group_id']:<10} {r['role']:<12} {who}")
    for note in result.notes:
        say(f"  ! {note}")
    if dry_run:
        say("Dry run: nothing was written. Run again without --dry-run to append.")
