"""What each stage of a build costs: ours (load, read, validate, screen, match, render, write) and mkdocs.

    python bench/bench_build.py                 # the circles example and a 5,000-person circles cohort
    python bench/bench_build.py 49 500          # other cohort sizes (the example's config, circles sized to fit)
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cohorts import REPO  # noqa: E402
from generator.config.program import load_program  # noqa: E402
from generator.demo.generate import write_demo  # noqa: E402
from generator.evaluate.summary import summarize  # noqa: E402
from generator.matching.stage import match  # noqa: E402
from generator.mkdocs_site import run_mkdocs  # noqa: E402
from generator.progress.report import progress  # noqa: E402
from generator.pipeline import BuildOptions, Gathered, write_docs, write_staff  # noqa: E402
from generator.sources.choose import read_source  # noqa: E402
from generator.render.site import public_pages  # noqa: E402
from generator.render.staff import staff_outputs  # noqa: E402
from generator.screen.eligibility import screen  # noqa: E402
from generator.validate.workbook import validate_workbook  # noqa: E402


def timed(label: str, times: dict[str, float], fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    times[label] = time.perf_counter() - start
    return value


def stages(program_file: Path, work: Path) -> dict[str, float]:
    options = BuildOptions(program=program_file, out=work / "site", staff_out=work / "staff", work=work / "build")
    t: dict[str, float] = {}
    loaded = timed("load config and forms", t, load_program, options.program, options.forms_dir)
    workbook = timed("read workbook", t, read_source, loaded, {})
    responses = timed("validate rows", t, validate_workbook, loaded, workbook)
    screenings = timed("screen eligibility", t, screen, loaded.program, responses.of("application"))
    matching = timed("match", t, match, loaded.program, responses, screenings, options.today)
    evaluation = timed("summarize evaluations", t, summarize, loaded.forms, loaded.program.model, responses,
                       loaded.program.privacy.min_group_size)
    pages = timed("render public pages", t, public_pages, loaded, options.today, None, evaluation, matching)
    report = timed("progress", t, progress, loaded.program, responses, screenings, matching, options.today)
    staff = timed("render staff reports", t, staff_outputs, loaded, responses, screenings, matching, report, workbook.origin, "bench")
    gathered = Gathered(loaded, workbook, responses, screenings, matching, pages, staff)
    config = timed("write docs and staff files", t, lambda: (write_staff(gathered, options), write_docs(gathered, options))[1])
    timed("mkdocs build --strict", t, run_mkdocs, config)
    return t


def cohort_program(n: int, work: Path) -> Path:
    """A copy of the circles example with an n-person demo workbook and circles sized to fit."""
    folder = work / f"circles-{n}"
    shutil.copytree(REPO / "examples" / "circles", folder, ignore=shutil.ignore_patterns("data"))
    data = yaml.safe_load((folder / "program.yml").read_text())
    data["circles"].update(count=None, in_person={"Gainesville": max(1, n // 25), "Jacksonville": max(1, n // 50)})
    data.pop("admission", None)  # the example's 49 places would turn a large cohort into a waiting list
    (folder / "program.yml").write_text(yaml.safe_dump(data))
    write_demo(load_program(folder / "program.yml", REPO / "forms"), folder / "data", n, seed=1, bad_rows=True)
    return folder / "program.yml"


def report(title: str, t: dict[str, float]) -> None:
    ours = sum(v for k, v in t.items() if not k.startswith("mkdocs"))
    print(f"\n{title}: total {sum(t.values()):.2f}s, our stages {ours:.2f}s, mkdocs {t['mkdocs build --strict']:.2f}s")
    for label, seconds in t.items():
        print(f"  {label:<28} {seconds:7.3f}s")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [5000]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        report("circles example (49 participants)", stages(REPO / "examples" / "circles" / "program.yml", work / "example"))
        for n in sizes:
            report(f"circles cohort of {n}", stages(cohort_program(n, work), work / f"run-{n}"))
