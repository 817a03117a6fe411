"""Work done in a forked child: it really runs elsewhere, its errors come back, and it can be stopped.

The build seals the personal pages in a child process while it makes the staff reports; the
pages must be the same bytes either way, and a child's failure must fail the build as if the
work had run in the build's own process.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest

from generator import forked
from generator.changes import BASELINE, ROWS
from generator.schedule.sequence import STATE_FILE
from generator.errors import GeneratorError
from generator.forked import ChildError, Forked
from generator.pipeline import BuildOptions, build
from tests.conftest import BUILD_DAY, EXAMPLES, REPO
from tests.test_incremental import tree

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="work is forked on Linux only")


@linux
def test_the_work_runs_in_another_process_and_is_done_when_wait_returns(tmp_path):
    said = tmp_path / "pid"

    def work():
        time.sleep(0.2)
        said.write_text(str(os.getpid()))

    job = Forked(work, fork=True)
    child = job.pid
    assert child and child != os.getpid()
    job.wait()
    assert int(said.read_text()) == child
    job.wait()  # waiting again is harmless


@linux
def test_an_error_in_the_child_is_raised_by_wait_as_it_was_raised_with_where(tmp_path):
    def work():
        raise GeneratorError("template personal/content.html.j2 is missing")

    job = Forked(work, fork=True)
    with pytest.raises(GeneratorError, match="content.html.j2 is missing") as raised:
        job.wait()
    assert isinstance(raised.value.__cause__, ChildError)
    assert "in work" in str(raised.value.__cause__), "the child's traceback says where it failed"


@linux
def test_a_child_does_not_outlive_a_build_killed_with_sigkill(tmp_path):
    """A killed build must not leave its child writing into a folder the next build uses."""
    said = tmp_path / "child-pid"
    program = ("import os, sys, time; from generator.forked import Forked\n"
               f"def work():\n    open({str(said)!r}, 'w').write(str(os.getpid())); time.sleep(60)\n"
               "Forked(work, fork=True).wait()\n")
    build_process = subprocess.Popen([sys.executable, "-c", program], cwd=REPO)
    try:
        deadline = time.monotonic() + 20
        while not (said.exists() and said.read_text()):
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(said.read_text())
    finally:
        build_process.kill()
        build_process.wait()
    deadline = time.monotonic() + 5
    while _running(child):
        assert time.monotonic() < deadline, "the child went on after its build was killed"
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's first process may never reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Unpicklable(Exception):
    def __init__(self, code, detail):  # pickle rebuilds it with its args: (message,) -> a TypeError
        super().__init__(f"{code}: {detail}")


@linux
def test_an_error_that_cannot_travel_comes_back_as_its_text():
    def work():
        raise Unpicklable(7, "disk full")

    with pytest.raises(ChildError, match="Unpicklable: 7: disk full"):
        Forked(work, fork=True).wait()


@linux
def test_a_child_that_dies_without_a_word_fails_the_wait():
    with pytest.raises(ChildError, match="exit code 3"):
        Forked(lambda: os._exit(3), fork=True).wait()


@linux
def test_cancel_stops_a_child_at_once_and_reaps_it():
    job = Forked(lambda: time.sleep(60), fork=True)
    pid = job.pid
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left
    job.cancel()
    job.wait()


def test_with_another_thread_running_the_work_runs_here_to_the_end(tmp_path):
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert not forked.can_fork()
        ran_in = []
        job = Forked(lambda: ran_in.append(os.getpid()))
        assert ran_in == [os.getpid()] and not job.pid
        job.wait()
    finally:
        stop.set()
        helper.join()


@linux
def test_text_printed_before_the_fork_is_printed_once():
    program = ("import sys; from generator.forked import Forked\n"
               "print('before', end='')\n"
               "Forked(lambda: sys.stdout.write(' child') and sys.stdout.flush(), fork=True).wait()\n")
    out = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert sorted(out.split()) == ["before", "child"]


def test_the_build_seals_the_same_pages_in_a_child_as_in_its_own_process(tmp_path, monkeypatch):
    import generator.pipeline as pipeline

    children = []

    class Seen(Forked):
        def __init__(self, work, fork=None):
            super().__init__(work, fork)
            children.append(self.pid)

    monkeypatch.setattr(pipeline, "Forked", Seen)
    monkeypatch.setattr(pipeline, "ASIDE_FROM", 40)  # the example's 49 people go aside as 1,000 would

    def built(where, can):
        monkeypatch.setattr(forked, "can_fork", lambda: can)
        result = build(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"],
                                    out=where / "site", staff_out=where / "staff", work=where / "build"))
        return tree(result.site_dir), tree(result.staff_dir)

    in_child = built(tmp_path / "child", sys.platform.startswith("linux"))
    here = built(tmp_path / "here", False)
    assert len(children) == 6 and children[3:] == [0, 0, 0], "three jobs each build; the second build's ran here"
    assert all(children[:3]) or not sys.platform.startswith("linux"), "on Linux the first build's ran in children"
    assert sum(name.startswith("me/") for name in in_child[0]) > 40, "every participant's page is there"
    assert in_child == here
    assert baselines(tmp_path / "child") == baselines(tmp_path / "here"), \
        "the rows compared and the calendar state written aside are kept the same"


@linux
def test_the_build_seals_the_pages_the_child_has_not_got_to(tmp_path, monkeypatch):
    """At 5,000 people the build sat idle for a second at the end while the child sealed the last
    pages. The pages go in batches to whichever process is free: here the child is slowed down,
    and the build, its reports done, seals the rest; every page once, the site as a build in one
    process makes it."""
    import time

    import generator.pipeline as pipeline

    build_pid = os.getpid()
    real = pipeline.personal_pages
    sealed_by = tmp_path / "sealed-by"
    sealed_by.mkdir()

    def watched(*args, **kwargs):
        put = args[6]

        def counted(path, content):
            if os.getpid() != build_pid:
                time.sleep(0.02)  # a slow child
            with open(sealed_by / str(os.getpid()), "a", encoding="utf-8") as log:
                log.write(path + "\n")
            put(path, content)
        return real(*args[:6], counted, *args[7:], **kwargs)

    monkeypatch.setattr(pipeline, "ASIDE_FROM", 40)
    monkeypatch.setattr(pipeline, "PAGE_BATCH", 2)
    monkeypatch.setattr(pipeline, "personal_pages", watched)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    result = build(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"],
                                out=tmp_path / "site", staff_out=tmp_path / "staff", work=tmp_path / "build"))
    logs = {int(f.name): f.read_text().split() for f in sealed_by.iterdir()}
    pages = [p for paths in logs.values() for p in paths if p.endswith(".html")]
    assert build_pid in logs and len(logs) == 2, "the child and the build both sealed pages"
    assert sum(p.endswith(".html") for p in logs[build_pid]) > 0
    assert len(pages) == len(set(pages)) == len(list((result.site_dir / "me").glob("*.html"))) > 40
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(pipeline, "personal_pages", real)
    alone = build(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"],
                               out=tmp_path / "alone" / "site", staff_out=tmp_path / "alone" / "staff",
                               work=tmp_path / "alone" / "build"))
    assert tree(result.site_dir) == tree(alone.site_dir)


def baselines(where):
    work = next((where / "build").iterdir())
    return {name: (work / name).read_bytes() for name in (BASELINE, ROWS, STATE_FILE)}


@linux
def test_a_failure_while_sealing_fails_the_build_and_leaves_no_status(tmp_path, monkeypatch):
    import generator.pipeline as pipeline

    options = BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"],
                           out=tmp_path / "site", staff_out=tmp_path / "staff", work=tmp_path / "build")
    build(options)
    assert (options.staff_out / "build.json").is_file()
    published = tree(options.out)
    work = next(options.work.iterdir())  # the program's work folder
    # A calendar state unlike the one this build makes (as after an earlier schedule): the failed
    # build writes its own beside it, which must not stay.
    (work / STATE_FILE).write_text('{"version": 1, "events": {}}', encoding="utf-8")
    records = {name: (work / name).read_bytes() for name in (BASELINE, ROWS, STATE_FILE)}

    def broken(*args, **kwargs):
        raise GeneratorError("sealing failed: no space left on device")

    monkeypatch.setattr(forked, "can_fork", lambda: True)
    monkeypatch.setattr(pipeline, "ASIDE_FROM", 40)
    monkeypatch.setattr(pipeline, "personal_pages", broken)
    midway = replace(options, today=dt.date(2022, 5, 14))  # mid-program: fewer rows, other records
    with pytest.raises(GeneratorError, match="no space left on device"):
        build(midway)
    assert not (options.staff_out / "build.json").exists()
    # What the next build compares with is the last successful build's (this one's differ), and
    # nothing half-written is left beside it.
    assert {name: (work / name).read_bytes() for name in records} == records
    assert not [p for p in work.rglob("*") if p.name.endswith(".partial")]
    assert tree(options.out) == published, "the published site is left as it was"


def test_a_small_program_seals_its_pages_in_the_build_itself(tmp_path, monkeypatch):
    import generator.pipeline as pipeline

    started = []

    class Seen(Forked):
        def __init__(self, work, fork=None):
            super().__init__(work, fork)
            started.append(self.pid)

    monkeypatch.setattr(pipeline, "Forked", Seen)
    result = build(BuildOptions(program=EXAMPLES["circles"], today=BUILD_DAY["circles"],
                                out=tmp_path / "site", staff_out=tmp_path / "staff", work=tmp_path / "build"))
    assert not any(started), "no child process: the rows were compared here, the pages sealed here"
    assert len(list((result.site_dir / "me").glob("*.html"))) > 40


@linux
def test_what_the_work_returns_comes_back_from_the_child():
    job = Forked(lambda: {"pid": os.getpid(), "rows": list(range(50_000))}, fork=True)  # more than a pipe holds
    back = job.wait()
    assert back["pid"] != os.getpid()
    assert back["rows"] == list(range(50_000))
    assert job.wait() is back  # waiting again gives the same answer


def test_run_here_the_work_returns_its_value_too():
    job = Forked(lambda: os.getpid(), fork=False)
    assert job.pid == 0 and job.wait() == os.getpid()


def test_turns_hand_each_batch_to_one_taker_and_then_say_there_is_no_more():
    turns = forked.Turns(10, 3)
    assert [turns.take() for _ in range(6)] == [range(0, 3), range(3, 6), range(6, 9), range(9, 10), None, None]
    assert forked.Turns(0, 3).take() is None
    many = forked.Turns(10**6, 1)  # more batches than a pipe holds: fewer, larger ones
    sizes = []
    while (batch := many.take()) is not None:
        sizes.append(len(batch))
    assert sum(sizes) == 10**6 and len(sizes) <= forked._PIPE_HOLDS // 4
