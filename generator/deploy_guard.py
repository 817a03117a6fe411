"""`build.py guard`: after a build, may its public site be deployed? One verdict with its reasons.

It reads what the build wrote (staff/build.json, staff/changes.md), never re-runs a stage, and
stops the deploy when the data could not be read and an old snapshot stood in, when data issues
jumped, when a required tab is empty, when the build failed (a release check refused to publish
a derivable small cell), or when the built public site carries personal data. The verdict goes
to the terminal, to GitHub's job summary and to the step's outputs (deploy=true|false).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable, Mapping

from generator.config.program import LoadedProgram, load_program
from generator.pipeline import STATUS, BuildOptions


def reasons_to_stop(status: dict[str, Any] | None, loaded: LoadedProgram, now: dt.datetime,
                    build_failed: str | None = None) -> list[str]:
    """Every reason the deploy must not go ahead; empty when it may."""
    if build_failed is not None:
        return [f"The build did not finish: {build_failed or 'see the build step'}"]
    if status is None:
        return ["There is no build to deploy: build.json is missing from the staff folder (run the build first)."]
    if status.get("program") != loaded.program.slug:
        return [f"build.json is from another program ({status.get('program')}), not {loaded.program.slug}."]
    rules, stop = loaded.program.deploy, []
    if status.get("snapshot_taken"):
        taken = dt.datetime.fromisoformat(status["snapshot_taken"])
        hours = (now - taken).total_seconds() / 3600
        if hours > rules.max_snapshot_age_hours:
            stop.append(f"The sheet could not be read and the build used a snapshot {hours:.0f} hours old (limit "
                        f"{rules.max_snapshot_age_hours}, deploy.max_snapshot_age_hours): {status.get('notice', '')}")
    before, now_issues = status.get("previous_data_issues"), status.get("data_issues", 0)
    if before is not None and now_issues - before > rules.max_new_data_issues:
        stop.append(f"Data issues jumped from {before} to {now_issues} since the last build (limit "
                    f"+{rules.max_new_data_issues}, deploy.max_new_data_issues): see the staff data-issues report.")
    tabs = status.get("tabs", {})
    for tab in rules.required_tabs or (loaded.tab_of("application"),):
        if not tabs.get(tab):
            stop.append(f"The {tab} tab is {'missing' if tab not in tabs else 'empty'} (deploy.required_tabs).")
    for found in status.get("personal_data", []):
        stop.append(f"Personal data on the public site: {found}.")
    return stop


def verdict_markdown(slug: str, stop: list[str], changes: str) -> str:
    head = (f"## {slug}: deploy stopped\n\n" + "\n".join(f"- {r}" for r in stop)) if stop else \
        f"## {slug}: ready to deploy\n\nEvery check passed."
    return f"{head}\n\n### What changed\n\n{changes.strip() or 'No change report.'}\n"


def guard_command(options: BuildOptions, env: Mapping[str, str], summary: Path | None,
                  say: Callable[[str], None] = print, now: dt.datetime | None = None) -> bool:
    """Print the verdict, append it to the job summary and set the step output; True when it may deploy.

    CRP_BUILD_OUTCOME (the build step's outcome in CI) other than success means the build failed;
    CRP_BUILD_LOG names a file holding its error message."""
    loaded = load_program(options.program, options.forms_dir)
    staff = options.staff_out.resolve()
    failed = None
    outcome = env.get("CRP_BUILD_OUTCOME", "success")
    if outcome != "success":
        log = Path(env["CRP_BUILD_LOG"]) if env.get("CRP_BUILD_LOG") else None
        text = log.read_text(encoding="utf-8", errors="replace").strip() if log and log.is_file() else ""
        failed = text if len(text) <= 1500 else text[:1500] + " ... (the rest is in the build step's log)"
    try:
        status = json.loads((staff / STATUS).read_text(encoding="utf-8")) if failed is None else None
    except (OSError, ValueError):
        status = None
    stop = reasons_to_stop(status, loaded, now or dt.datetime.now(dt.timezone.utc), failed)
    changes = (staff / "changes.md").read_text(encoding="utf-8") if (staff / "changes.md").is_file() and failed is None else ""
    report = verdict_markdown(loaded.program.slug, stop, changes)
    say(report)
    target = summary or (Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None)
    if target:
        with target.open("a", encoding="utf-8") as out:
            out.write(report)
    if env.get("GITHUB_OUTPUT"):
        with Path(env["GITHUB_OUTPUT"]).open("a", encoding="utf-8") as out:
            out.write(f"deploy={'false' if stop else 'true'}\n")
    return not stop


