"""Where one build's time goes, stage by stage, inside one process (without Python's start and
imports): `python bench/bench_build.py --stages 5000`. Stage costs, not what a user waits for.

It profiles the build itself (pipeline.build) and reads each stage function's cumulative time,
so it measures the code path users run, not a copy of it."""
from __future__ import annotations

import cProfile
import pstats
import tempfile
from pathlib import Path

#: (module file suffix, function): the stages in the order the build runs them.
STAGES = [("config/program.py", "load_program"), ("sources/choose.py", "read_source"),
          ("validate/workbook.py", "validate_workbook"), ("screen/eligibility.py", "screen"),
          ("matching/stage.py", "match"), ("schedule/events.py", "plan_schedule"),
          ("progress/report.py", "progress"), ("evaluate/summary.py", "summarize"),
          ("evaluate/release.py", "check_release"), ("render/site.py", "public_pages"),
          ("render/personal.py", "person_calendars"), ("render/personal.py", "personal_pages"),
          ("messages/due.py", "due_messages"), ("render/staff.py", "staff_outputs"),
          ("pipeline.py", "write_docs"), ("pipeline.py", "write_staff"), ("mkdocs_worker.py", "wait"),
          ("release_scan.py", "personal_data"), ("pipeline.py", "build")]


def print_stages(n: int) -> None:
    from bench.bench_build import TODAY, program_folder
    from generator.pipeline import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        program, _, _ = program_folder("circles", n, work)
        options = BuildOptions(program=program, out=work / "site", staff_out=work / "staff", work=work / "build",
                               today=__import__("datetime").date.fromisoformat(TODAY["circles"]))
        profile = cProfile.Profile()
        profile.runcall(build, options)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    print(f"circles, {n:,} people: seconds per stage (cumulative, profiled)")
    for suffix, name in STAGES:
        seconds = sum(v[3] for (file, _, func), v in stats.items() if func == name and file.endswith(suffix))
        print(f"  {name:<20} {seconds:7.3f}")
