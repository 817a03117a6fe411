"""Where one build's time goes: its stages on a wall clock, in the process that ran each (the
build, or the child sealing the personal pages beside it): `python bench/bench_build.py --stages
5000`. Seconds from the build's start, without Python's start and imports; stage times, not what a
user waits for (the whole-build table is).

It wraps the stage functions the build looks up in generator.pipeline, unprofiled, so it times
the code path users run, not a copy of it; overlapping lines are work on both cores at once."""
from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

#: The stages in generator.pipeline's namespace, in the order the build calls them.
STAGES = ["load_program", "read_source", "validate_workbook", "screen", "match", "plan_schedule", "revise",
          "progress", "summarize", "check_release", "public_pages", "write_docs", "personal_views",
          "person_calendars", "personal_pages", "personal_links", "due_messages", "compare", "staff_outputs",
          "start_staff", "personal_data", "sync_tree", "finish_staff", "keep_state", "write_baseline", "record"]


def _timed(name: str, function: Callable[..., Any], log: Path, origin: list[float]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            with open(log, "a") as out:  # one line per stage, from whichever process ran it
                out.write(f"{os.getpid()} {name} {began - origin[0]:.3f} {time.perf_counter() - origin[0]:.3f}\n")
    return timed


def print_stages(n: int, model: str = "circles") -> None:
    from bench.bench_build import TODAY, program_folder
    import generator.pipeline as pipeline
    from generator.collector import one_command
    from generator.mkdocs_worker import MkdocsWorker

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        program, _, _ = program_folder(model, n, work)
        options = pipeline.BuildOptions(program=program, out=work / "site", staff_out=work / "staff",
                                        work=work / "build", today=dt.date.fromisoformat(TODAY[model]))
        log = work / "stages.log"
        origin = [0.0]  # the build's start, set when it starts
        for name in STAGES:
            setattr(pipeline, name, _timed(name, getattr(pipeline, name), log, origin))
        MkdocsWorker.wait = _timed("wait_for_mkdocs", MkdocsWorker.wait, log, origin)  # type: ignore[method-assign]
        one_command()  # as build.py: the collector stays off, what the build made is left to the end
        origin[0] = time.perf_counter()
        result = pipeline.build(options)
        total = time.perf_counter() - origin[0]
        del result
        lines = [line.split() for line in log.read_text().splitlines()]
    build_pid = str(os.getpid())
    print(f"{model}, {n:,} people: one build's stages, seconds from its start (wall clock, unprofiled; "
          "without Python's start and imports)")
    print(f"  {'stage':<20} {'start':>6} {'end':>6} {'took':>6}  process")
    for pid, name, began, ended in sorted(lines, key=lambda line: float(line[2])):
        process = "build" if pid == build_pid else "child"
        print(f"  {name:<20} {float(began):6.2f} {float(ended):6.2f} {float(ended) - float(began):6.2f}  {process}")
    print(f"  {'the whole build':<20} {0:6.2f} {total:6.2f} {total:6.2f}")
