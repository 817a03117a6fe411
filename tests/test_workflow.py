"""The CI workflow staff run: it lints clean, pins every action, and its build steps really run,
in order, here (the steps that only GitHub can run, such as the Pages upload, are actions)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.scaffold import WORKFLOW, standalone_workflow
from tests.conftest import BUILD_DAY, REPO

SITE = REPO / ".github" / "workflows" / "site.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    return subprocess.run([binary, "-no-color", str(path)], capture_output=True, text=True)


def test_the_repository_runs_the_workflow_it_gives_new_programs():
    assert SITE.read_text(encoding="utf-8") == WORKFLOW.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["repository", "scaffold"])
def test_actionlint_passes(which, tmp_path):
    path = SITE
    if which == "scaffold":
        path = tmp_path / ".github" / "workflows" / "site.yml"
        path.parent.mkdir(parents=True)
        path.write_text(standalone_workflow(), encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_by_commit_and_deploys_are_guarded():
    flow = yaml.safe_load(SITE.read_text(encoding="utf-8"))
    uses = [s["uses"] for job in flow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert flow["concurrency"]["cancel-in-progress"] is False
    assert {"push", "schedule", "workflow_dispatch", "pull_request"} <= set(flow[True])  # YAML reads "on" as True
    deploy = flow["jobs"]["deploy"]
    assert "needs.build.outputs.deploy == 'true'" in deploy["if"] and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    build = {s.get("id", s.get("name")): s for s in flow["jobs"]["build"]["steps"]}
    assert "steps.guard.outputs.deploy == 'true'" in build["Hand the public site to Pages"]["if"]
    artifact = build["Staff reports and personal links (encrypted, kept 3 days)"]
    assert artifact["with"]["retention-days"] == 3 and artifact["with"]["path"] == "staff.tar.gz.enc"
    assert flow["env"]["PIP_CONSTRAINT"] == "constraints.txt" and (REPO / "constraints.txt").is_file()


def _expand(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        expr = match.group(1).strip()
        if expr.startswith("secrets."):
            return values.get(expr, "")
        return values[expr]
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def run_build_steps(flow: dict, cwd: Path, values: dict[str, str]) -> dict[str, str]:
    """Every `run:` step of the build job, in order, as GitHub runs them (bash -eo pipefail), with
    the workflow's env and each step's; the install step is skipped (this environment has it)."""
    outputs: dict[str, str] = {}
    summary, github_output = cwd / "summary.md", cwd / "github-output.txt"
    for step in flow["jobs"]["build"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        github_output.write_text("", encoding="utf-8")
        env = {**os.environ, **{k: str(v) for k, v in flow["env"].items()},
               **{k: _expand(str(v), values) for k, v in step.get("env", {}).items()},
               "GITHUB_OUTPUT": str(github_output), "GITHUB_STEP_SUMMARY": str(summary),
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        env.pop("PIP_CONSTRAINT")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _expand(step["run"], values)],
                                cwd=cwd, env=env, capture_output=True, text=True)
        assert result.returncode == 0, (step.get("name"), result.stdout, result.stderr)
        for line in github_output.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[f"{step.get('id')}.{key}"] = value
    outputs["summary"] = summary.read_text(encoding="utf-8")
    return outputs


def test_the_build_steps_run_in_order_and_keep_state_between_runs(tmp_path):
    flow = yaml.safe_load(SITE.read_text(encoding="utf-8"))
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    values = {"secrets.CRP_STATE_KEY": "a-test-key-for-the-state", "inputs.today": BUILD_DAY["circles"].isoformat(),
              "steps.build.outcome": "success"}
    first = run_build_steps(flow, tmp_path, values)
    assert first["guard.deploy"] == "true" and "ready to deploy" in first["summary"]
    assert (tmp_path / "site" / "index.html").is_file()
    for encrypted in ("state.tar.gz.enc", "staff.tar.gz.enc"):
        assert (tmp_path / encrypted).read_bytes()[:8] == b"Salted__"  # openssl's encrypted format, not a tar
    # The next run starts from a fresh checkout with only the encrypted state restored from the cache.
    fresh = tmp_path / "next"
    shutil.copytree(REPO / "examples", fresh / "examples")
    shutil.copy(tmp_path / "state.tar.gz.enc", fresh / "state.tar.gz.enc")
    second = run_build_steps(flow, fresh, values)
    assert "Nothing changed since the last build." in second["summary"]
    assert "No earlier build" not in second["summary"]
