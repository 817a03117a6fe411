"""What changed since the last build, in words, for staff and the CI job summary.

A build keeps a baseline of what it read (build/<slug>/baseline.json, beside the snapshots:
private, never published): per form, each row's key and a hash of each answer; the data
issues; each person's placement per round. The next build compares its own baseline with it.
Answers are stored as hashes, so the baseline says *that* an answer changed, not what it was.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.render.writer import write_json_if_changed
from generator.matching.stage import Matching
from generator.validate.issues import DataIssue
from generator.validate.workbook import Responses

#: The forms whose new rows are survey responses (counted), not people (named).
SURVEYS = ("checkin", "midpoint", "final", "meeting_log", "module_progress", "supervisor_support", "focus_group")
VERSION = 1


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
    """What this build read, reduced to what the next build compares (see the module doc)."""
    rows: dict[str, dict[str, dict[str, str]]] = {}
    digests: dict[str, str] = {}  # most answers repeat (options, yes/no, dates): each is hashed once

    def digest(value: Any) -> str:
        text = str(value)
        if text not in digests:
            digests[text] = _digest(text)
        return digests[text]

    for form_id, records in responses.by_form.items():
        keyed: dict[str, dict[str, str]] = {}
        for r in records:
            key = str(r.get("email") or r.get("excerpt_id") or r.row)
            if form_id != "application":  # a response is counted as new, never compared answer by answer
                keyed[f"{key} {_second(r.submitted_at)}"] = _COUNTED
                continue
            keyed[key] = {k: digest(v) for k, v in r.values.items() if v not in (None, "", ())}
        rows[form_id] = keyed
    placements = {f"{m.round}|{m.person_id}": m.group_id or m.status for m in matching.rows}
    return {"version": VERSION, "rows": rows, "issues": sorted({_issue(i) for i in responses.issues}),
            "issue_count": len(responses.issues),
            "placements": placements, "names": names}


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

    @property
    def empty(self) -> bool:
        return not (self.applications or self.withdrawals or self.changed_answers or self.new_issues
                    or self.resolved_issues or self.matches or self.responses)

    def sections(self) -> list[tuple[str, tuple[str, ...]]]:
        counted = tuple(f"{form}: {n} new" for form, n in sorted(self.responses.items()))
        return [("New applications", self.applications), ("Withdrawals", self.withdrawals),
                ("Changed answers", self.changed_answers), ("New survey responses", counted),
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


def compare(before: dict[str, Any] | None, after: dict[str, Any]) -> Changes:
    if not before or before.get("version") != VERSION:
        return Changes(first=True)
    names = {**before.get("names", {}), **after["names"]}

    def who(email: str) -> str:
        return f"{names[email]} ({email})" if email in names else email

    old_rows, new_rows = before["rows"], after["rows"]
    apps_before, apps_after = old_rows.get("application", {}), new_rows.get("application", {})
    applications = tuple(who(e) for e in sorted(apps_after.keys() - apps_before.keys()))
    withdrawn_before = {k.split(" ")[0] for k in old_rows.get("withdrawal", {})}
    withdrawals = tuple(who(e) for e in sorted({k.split(" ")[0] for k in new_rows.get("withdrawal", {})} - withdrawn_before))
    changed = []
    for email in sorted(apps_before.keys() & apps_after.keys()):
        a, b = apps_before[email], apps_after[email]
        columns = sorted(c for c in a.keys() | b.keys() if a.get(c) != b.get(c))
        if columns:
            changed.append(f"{who(email)}: {', '.join(columns)}")
    responses = {form: len(new_rows.get(form, {}).keys() - old_rows.get(form, {}).keys()) for form in SURVEYS}
    issues_before, issues_after = set(before["issues"]), set(after["issues"])
    placed_before, placed_after = before["placements"], after["placements"]
    matches = []
    for key in sorted(placed_before.keys() | placed_after.keys()):
        was, now = placed_before.get(key, "not in this round"), placed_after.get(key, "not in this round")
        if was != now:
            round_name, person = key.split("|", 1)
            matches.append(f"{round_name}: {who(person)}: {was} -> {now}")
    return Changes(False, applications, withdrawals, tuple(changed), tuple(sorted(issues_after - issues_before)),
                   tuple(sorted(issues_before - issues_after)), tuple(matches), {k: v for k, v in responses.items() if v})


def read_baseline(path: Path) -> dict[str, Any] | None:
    """The previous build's baseline; None when there is none or it cannot be read (the report says so)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_baseline(path: Path, data: dict[str, Any]) -> None:
    write_json_if_changed(path, data, depth=3)  # {"rows": {form: {row: ...}}}: a few hundred rows at a time
