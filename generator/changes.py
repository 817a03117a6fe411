"""What changed since the last build, in words, for staff and the CI job summary.

A build keeps a baseline of what it read (in build/<slug>/, beside the snapshots: private,
never published): per form, each row's key and a hash of each answer (baseline-rows.json);
the data issues and each person's placement per round (baseline.json). The next build compares
its own baseline with it. Answers are stored as hashes, so the baseline says *that* an answer
changed, not what it was. The rows are compared, and the new ones kept, beside the rest of the
build (`changed_rows`, a child process at scale): they are every record the build read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from generator.render.writer import drop_aside, move_in, write_json_aside, write_json_if_changed
from generator.matching.stage import CIRCLES_ROUND, Matching
from generator.validate.issues import DataIssue
from generator.validate.rows import Record
from generator.validate.workbook import Responses
from generator.words import counted

#: The forms whose new rows are survey responses (counted), not people (named).
SURVEYS = ("checkin", "midpoint", "final", "meeting_log", "module_progress", "supervisor_support", "focus_group")
VERSION = 1
#: In the work folder: the issues, placements and names; each form's rows (see the module doc).
BASELINE, ROWS = "baseline.json", "baseline-rows.json"


def _digest(value: Any) -> str:
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:16]


def _second(moment: dt.datetime) -> str:
    """"2022-03-04 05:06:07", as strftime("%Y-%m-%d %H:%M:%S") writes it, three times faster
    (a baseline holds every response: 460,000 at 20,000 people)."""
    if moment.tzinfo is None and moment.year >= 1000:
        return moment.isoformat(" ", "seconds")
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def _issue(i: DataIssue) -> str:
    where = f"{i.tab}, row {i.row}" if i.row else i.tab
    return f"{where}, {i.column or 'whole tab'}: {i.reason}"


#: A survey response's entry: one shared empty answer set (never changed), not one per response
#: (460,000 of them at 20,000 people: 30 MB of empty dicts).
_COUNTED: dict[str, str] = {}


def baseline(responses: Responses, matching: Matching, names: dict[str, str]) -> dict[str, Any]:
    """What this build read, reduced to what the next build compares (the rows apart: `changed_rows`)."""
    placements = {f"{m.round}|{m.person_id}": m.group_id or m.status for m in matching.rows}
    return {"version": VERSION, "issues": sorted({_issue(i) for i in responses.issues}),
            "issue_count": len(responses.issues), "placements": placements, "names": names}


def read_rows(by_form: Mapping[str, Sequence[Record]]) -> dict[str, dict[str, dict[str, str]]]:
    """Each form's rows by key: an application's answers hashed, a response only its key (see the module doc)."""
    rows: dict[str, dict[str, dict[str, str]]] = {}
    digests: dict[str, str] = {}  # most answers repeat (options, yes/no, dates): each is hashed once

    def digest(value: Any) -> str:
        text = str(value)
        if text not in digests:
            digests[text] = _digest(text)
        return digests[text]

    for form_id, records in by_form.items():
        keyed: dict[str, dict[str, str]] = {}
        for r in records:
            key = str(r.get("email") or r.get("excerpt_id") or r.row)
            if form_id != "application":  # a response is counted as new, never compared answer by answer
                keyed[f"{key} {_second(r.submitted_at)}"] = _COUNTED
                continue
            keyed[key] = {k: digest(v) for k, v in r.values.items() if v not in (None, "", ())}
        rows[form_id] = keyed
    return rows


@dataclass(frozen=True)
class RowChanges:
    """What changed in the rows since the last build, by email (named with the rest, in `compare`)."""
    first: bool  # no earlier rows to compare with
    applications: tuple[str, ...] = ()
    withdrawals: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (email, the columns whose answers changed)
    responses: dict[str, int] = field(default_factory=dict)  # survey form -> new responses
    kept: bool = False  # the new rows wait beside the old file, for write_baseline to move in


def compare_rows(before: dict[str, Any] | None, after: dict[str, Any]) -> RowChanges:
    if before is None:
        return RowChanges(first=True)
    apps_before, apps_after = before.get("application", {}), after.get("application", {})
    withdrawn_before = {k.split(" ")[0] for k in before.get("withdrawal", {})}
    changed = []
    for email in sorted(apps_before.keys() & apps_after.keys()):
        a, b = apps_before[email], apps_after[email]
        columns = tuple(sorted(c for c in a.keys() | b.keys() if a.get(c) != b.get(c)))
        if columns:
            changed.append((email, columns))
    responses = {form: len(after.get(form, {}).keys() - before.get(form, {}).keys()) for form in SURVEYS}
    return RowChanges(False, tuple(sorted(apps_after.keys() - apps_before.keys())),
                      tuple(sorted({k.split(" ")[0] for k in after.get("withdrawal", {})} - withdrawn_before)),
                      tuple(changed), {k: v for k, v in responses.items() if v})


def changed_rows(by_form: Mapping[str, Sequence[Record]], folder: Path, keep: bool) -> RowChanges:
    """The rows this build read compared with the last build's; with `keep`, the new rows are left
    beside the old file (moved in by write_baseline once the build has succeeded)."""
    after = read_rows(by_form)
    changes = compare_rows(_previous_rows(folder), after)
    return replace(changes, kept=keep and write_json_aside(folder / ROWS, {"version": VERSION, "rows": after},
                                                            depth=3))  # {"rows": {form: {row: ...}}}: in pieces


def _previous_rows(folder: Path) -> dict[str, Any] | None:
    """The last build's rows (from baseline.json, where builds before the rows file kept them)."""
    for name in (ROWS, BASELINE):
        found = read_baseline(folder / name)
        if found and found.get("version") == VERSION and "rows" in found:
            return found["rows"]
    return None


@dataclass(frozen=True)
class Changes:
    first: bool  # no earlier build to compare with
    applications: tuple[str, ...] = ()
    withdrawals: tuple[str, ...] = ()
    changed_answers: tuple[str, ...] = ()
    new_issues: tuple[str, ...] = ()
    resolved_issues: tuple[str, ...] = ()
    matches: tuple[str, ...] = ()
    responses: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # form id -> its title, as staff know the form

    @property
    def empty(self) -> bool:
        return not (self.applications or self.withdrawals or self.changed_answers or self.new_issues
                    or self.resolved_issues or self.matches or self.responses)

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        new = tuple(f"{self.titles.get(form, form)}: {counted(n, 'new response')}"
                    for form, n in sorted(self.responses.items()))
        return [("New applications", self.applications), ("Withdrawals", self.withdrawals),
                ("Changed answers", self.changed_answers), ("Forms with new responses", new),
                ("New data issues", self.new_issues), ("Resolved data issues", self.resolved_issues),
                ("Match changes", self.matches)]

    def markdown(self) -> str:
        """For the CI job summary (names and issue texts escaped by the caller's renderer: plain text here)."""
        if self.first:
            return "No earlier build to compare with: the next build will list what changed."
        if self.empty:
            return "Nothing changed since the last build."
        out = []
        for title, items in self.sections():
            if items:
                out.append(f"**{title}** ({len(items)})\n")
                out += [f"- {_md(i)}" for i in items[:50]] + ([f"- ... and {len(items) - 50} more"] if len(items) > 50 else [])
                out.append("")
        return "\n".join(out).strip()


def _md(text: str) -> str:
    """Plain text inside Markdown: no markup, links or HTML from a person's answer."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~" else c for c in text)


def compare(before: dict[str, Any] | None, after: dict[str, Any], rows: RowChanges,
            titles: dict[str, str] | None = None) -> Changes:
    if not before or before.get("version") != VERSION or rows.first:
        return Changes(first=True)
    names = {**before.get("names", {}), **after["names"]}

    def who(email: str) -> str:
        return f"{names[email]} ({email})" if email in names else email

    issues_before, issues_after = set(before["issues"]), set(after["issues"])
    placed_before, placed_after = before["placements"], after["placements"]
    matches = []
    for key in sorted(placed_before.keys() | placed_after.keys()):
        round_name, person = key.split("|", 1)
        absent = "in no circle" if round_name == CIRCLES_ROUND else "not in this round"
        was, now = placed_before.get(key, absent), placed_after.get(key, absent)
        if was != now:
            matches.append(f"{round_name}: {who(person)}: {was} -> {now}")
    return Changes(False, tuple(who(e) for e in rows.applications), tuple(who(e) for e in rows.withdrawals),
                   tuple(f"{who(email)}: {', '.join(columns)}" for email, columns in rows.changed),
                   tuple(sorted(issues_after - issues_before)), tuple(sorted(issues_before - issues_after)),
                   tuple(matches), dict(rows.responses), dict(titles or {}))


def read_baseline(path: Path) -> dict[str, Any] | None:
    """The previous build's baseline; None when there is none or it cannot be read (the report says so)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_baseline(folder: Path, data: dict[str, Any], rows: RowChanges) -> None:
    """After a successful build: its baseline, and the rows `changed_rows` left beside the old ones."""
    write_json_if_changed(folder / BASELINE, data, depth=2)
    if rows.kept:
        move_in(folder / ROWS)


def drop_rows(folder: Path) -> None:
    """A failed build's rows, left beside the last good ones by changed_rows: gone, so the next build
    compares with the last successful build's (and nothing half-written is left)."""
    drop_aside(folder / ROWS)
