"""What a build costs as a user waits for it, paired with a bare `mkdocs build --strict`.

    python bench/bench_build.py                       # 49, 5,000 and 20,000 people, both models
    python bench/bench_build.py --sizes 49 5000       # other sizes
    python bench/bench_build.py --models circles      # one model
    python bench/bench_build.py --stages 5000         # where one build's time goes, stage by stage
    python bench/bench_build.py --serve               # serve: from saving program.yml to the page showing it
    python bench/bench_build.py --announcement        # as of the day after the announcement: a message per person

Each size gets a program folder (a copy of the example, circles sized to fit, everyone eligible
admitted) and a demo workbook made by `build.py demo-data` (timed, and made twice to check the
output is byte-identical). Then, each in its own process and a new empty folder:

- the whole build (`python build.py --program ... --today ...`), from starting Python to the
  finished site and staff reports;
- a bare `mkdocs build --strict` of exactly the docs folder and mkdocs.yml that build generated,
  into a fresh site folder, paired with it (the same repetition, one right after the other);
- the same build again with nothing changed (it should say so and write nothing).

Times are medians of --repeat runs, unobserved. Peak memory comes from one more build of its
own: the most the build's processes (it, its mkdocs worker and the child sealing personal pages)
held at once, pages shared between them counted once (Pss), sampled every 10 ms, or the
kernel's peak of the largest. (Reading a large process's memory map takes milliseconds, so the
sampler keeps much of one core busy: builds it watched took 20-30% longer on two cores.)
Kernel CPU is the builds' system time (median; the build's processes together): mostly the file
system making files. Where it nears the whole build's time, the file system was slow during the
run (an ext4 without a journal is, for minutes after many files were deleted: start a bench five
minutes after removing earlier runs' output) and the times say more about it than about the build.
"""
from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = {"circles": REPO / "examples" / "circles", "rotating-pairs": REPO / "examples" / "pairs"}
#: After each example program ended, so every stage has work (the tests' build days).
TODAY = {"circles": "2022-11-01", "rotating-pairs": "2026-01-15"}
#: The day after the (first) announcement: every person's announcement is in the outbox, a message
#: and the calendar it carries each (--announcement builds as of it).
ANNOUNCED = {"circles": "2021-12-16", "rotating-pairs": "2024-12-13"}
TARGET = {49: "within 1.3x bare mkdocs", 5000: "within 2x bare mkdocs, < 400 MB", 20000: "< 15 s, < 1 GB"}


def tree_mb(pid: int) -> float:
    """Memory of a process and all its descendants together (the build runs mkdocs in a second
    process and seals the personal pages in a forked child: what the machine needs is their sum,
    not the larger). Proportional (Pss): a page the forked child still shares with the build is
    counted once, not once in each. Read only while the tree stays the same: the build read just
    before its fork and the child just after it would count the shared pages one and a half times
    (samples near 1,000 MB at 20,000 people that no moment held); 0 when it kept changing."""
    for _ in range(3):
        before = _tree(pid)
        total = sum(_resident_kb(here) for here in before)
        if _tree(pid) == before:
            return total / 1024
    return 0.0


def _tree(pid: int) -> list[int]:
    """The process and its descendants (those still there)."""
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        try:
            todo += [int(c) for c in Path(f"/proc/{here}/task/{here}/children").read_text().split()]
        except (OSError, ValueError):
            continue
        found.append(here)
    return found


def _resident_kb(pid: int) -> int:
    """Pss of a process (kB), or its VmRSS where the kernel has no smaps_rollup."""
    try:
        fields, label = Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss:"
    except OSError:
        try:
            fields, label = Path(f"/proc/{pid}/status").read_text(), "VmRSS:"
        except OSError:  # gone: the tree changed, and the sample is read again
            return 0
    return next((int(line.split()[1]) for line in fields.splitlines() if line.startswith(label)), 0)


def run(args: list[str], cwd: Path, observe: bool = False) -> tuple[float, float, str, float]:
    """(wall seconds, peak MB, output, kernel CPU seconds) of one child process. The peak is the
    kernel's (the largest single process), or when observed the larger of it and the sum over
    the process tree, sampled every 10 ms. The kernel's CPU time is the process's and its
    children's: most of it is the file system creating files, and a large share says the file
    system is slow just now (on an ext4 without a journal, for minutes after many deletions)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="")
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampled = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            sampled[0] = max(sampled[0], tree_mb(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if observe and Path(f"/proc/{child.pid}").exists():
        sampler.start()
    out = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{out[-3000:]}")
    return seconds, max(usage.ru_maxrss / 1024, sampled[0]), out, usage.ru_stime


def program_folder(model: str, n: int, work: Path) -> tuple[Path, float, bool]:
    """A program of n people: (program.yml, demo-data seconds, byte-identical on a second run)."""
    folder = work / f"{model}-{n}"
    shutil.copytree(EXAMPLE[model], folder, ignore=shutil.ignore_patterns("data"))
    program = folder / "program.yml"
    data = yaml.safe_load(program.read_text())
    data.pop("admission", None)  # the circles example's 49 places would make a large cohort a waiting list
    if model == "circles" and n != 49:
        data["circles"].update(count=None, in_person={"Gainesville": max(1, n // 25), "Jacksonville": max(1, n // 50)})
    program.write_text(yaml.safe_dump(data, sort_keys=False))
    demo = [sys.executable, str(REPO / "build.py"), "demo-data", "--program", str(program), "--model", model,
            "--participants", str(n), "--seed", "1"]
    seconds, _, _, _ = run(demo, work)
    run(demo + ["--data-out", str(work / f"again-{model}-{n}")], work)
    same = not filecmp.dircmp(folder / "data", work / f"again-{model}-{n}").diff_files
    return program, seconds, same


def measure(model: str, n: int, program: Path, work: Path, repeat: int) -> dict[str, object]:
    builds, bares, bare_peaks, again, kernel = [], [], [], [], []
    command = [sys.executable, str(REPO / "build.py"), "--program", str(program), "--today", TODAY[model]]
    for i in range(repeat):
        here = work / f"run-{model}-{n}-{i}"
        here.mkdir()
        seconds, _, _, system = run(command, here)
        builds.append(seconds)
        kernel.append(system)
        config = next((here / "build").glob("*/mkdocs.yml"))
        seconds, peak, _, _ = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                                "-d", str(here / "bare-site")], here)
        bares.append(seconds)
        bare_peaks.append(peak)
        seconds, _, said, _ = run(command, here)
        if "Nothing changed" not in said:
            raise SystemExit(f"the second build of {model} {n} did not find its inputs unchanged:\n{said}")
        again.append(seconds)
    watched = work / f"memory-{model}-{n}"
    watched.mkdir()
    _, peak, _, _ = run(command, watched, observe=True)
    build, bare = statistics.median(builds), statistics.median(bares)
    return {"model": model, "people": n, "build": build, "bare": bare, "ratio": build / bare, "peak": peak,
            "bare_peak": max(bare_peaks), "again": statistics.median(again), "kernel": statistics.median(kernel)}


def table(rows: list[dict[str, object]], demo: dict[tuple[str, int], tuple[float, bool]]) -> str:
    lines = ["| people | model | whole build (median) | bare mkdocs | ratio | peak memory | nothing changed | "
             "demo-data | kernel CPU | target |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        seconds, same = demo[(str(r["model"]), int(r["people"]))]  # type: ignore[call-overload]
        lines.append(f"| {r['people']:,} | {r['model']} | {r['build']:.2f} s | {r['bare']:.2f} s | {r['ratio']:.1f}x | "
                     f"{r['peak']:.0f} MB | {r['again']:.2f} s | {seconds:.1f} s{'' if same else ' (NOT identical)'} | "
                     f"{r['kernel']:.2f} s | "
                     f"{TARGET.get(int(r['people']), '')} |")  # type: ignore[call-overload]
    return "\n".join(lines)


def serve_latency(repeat: int) -> None:
    """Seconds from saving program.yml (the program's name, on every page) to the served page showing
    it, under `build.py serve` with the 49-person circles example."""
    import signal
    import socket
    import urllib.request

    def page(url: str) -> str:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    def until(url: str, text: str, limit: float = 30) -> float:
        start = time.monotonic()
        while True:
            try:
                if text in page(url):
                    return time.monotonic() - start
            except OSError:
                pass
            if time.monotonic() - start > limit:
                raise SystemExit(f"{text!r} never appeared on {url}")
            time.sleep(0.02)

    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        folder = Path(tmp) / "program"
        shutil.copytree(EXAMPLE["circles"], folder)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--program", "program.yml",
                                 "--today", "2022-11-01", "--port", str(port)], cwd=folder, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}/index.html"
            until(url, "Co-Mentoring", limit=120)
            program = folder / "program.yml"
            times = []
            for i in range(repeat):
                text = program.read_text(encoding="utf-8")
                old = "Co-Mentoring Circles" if i == 0 else f"Co-Mentoring Circles {i - 1}"
                program.write_text(text.replace(f"name: {old}", f"name: Co-Mentoring Circles {i}", 1), encoding="utf-8")
                times.append(until(url, f"Co-Mentoring Circles {i}"))
                time.sleep(1)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"serve, 49 people: program.yml saved -> page shows it: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)}; target < 1.5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[49, 5000, 20000])
    parser.add_argument("--models", nargs="+", default=["circles", "rotating-pairs"], choices=list(EXAMPLE))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stages", type=int, metavar="N", help="print where one n-person build's time goes, stage by stage (the first of --models)")
    parser.add_argument("--serve", action="store_true", help="measure serve's edit-to-page time (the circles example)")
    parser.add_argument("--announcement", action="store_true",
                        help="build as of the day after the announcement (an outbox of a message per person) instead "
                             "of the year's end")
    args = parser.parse_args()
    if args.announcement:
        TODAY.update(ANNOUNCED)
    if args.serve:
        serve_latency(args.repeat)
        return
    if args.stages:
        from bench.stages import print_stages
        print_stages(args.stages, args.models[0])
        return
    rows, demo = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for model in args.models:
            for n in args.sizes:
                program, seconds, same = program_folder(model, n, work)
                demo[(model, n)] = (seconds, same)
                rows.append(measure(model, n, program, work, args.repeat))
                print(f"{model} {n}: {rows[-1]}", file=sys.stderr, flush=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    print(f"{dt.date.today()}, {os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]}, "
          f"median of {args.repeat}; builds as of {', '.join(f'{TODAY[m]} ({m})' for m in args.models)}\n")
    print(table(rows, demo))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
