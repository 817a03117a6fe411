"""`python build.py serve`: the preview answers, its receiver takes a form, and pages regenerate."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from tests.conftest import EXAMPLES, REPO
from tests.receivers.test_local import good_application


def free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
        with socket.socket() as b:
            try:
                b.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue
    raise RuntimeError("no two free ports in a row")


def fetch(url: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode()
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def test_serve_previews_receives_and_regenerates(tmp_path):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    port = free_port_pair()
    # As of a day in the application window: the form is open and the receiver stamps rows with that day.
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--program", str(folder / "program.yml"), "--today", "2021-10-20",
                             "--port", str(port), "--staff-out", str(tmp_path / "staff")],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        page = fetch(f"http://127.0.0.1:{port}/apply.html")
        assert f'action="http://127.0.0.1:{port + 1}/submit/application"' in page
        data = urllib.parse.urlencode(good_application(), doseq=True).encode()
        with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port + 1}/submit/application", data=data), timeout=10) as r:
            assert "Thank you" in r.read().decode()
        deadline = time.time() + 30
        while "Kim Osei" not in (tmp_path / "staff" / "eligibility.html").read_text():
            assert time.time() < deadline, "the staff report was not regenerated after the submission"
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_serving_the_bundled_example_works_on_a_copy_and_says_where(tmp_path):
    """Trying the form on the example must not edit tracked files; the address is printed."""
    tracked = (EXAMPLES["circles"].parent / "data" / "Applications.csv").read_bytes()
    port = free_port_pair()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--today", "2021-10-20", "--port", str(port),
                             "--staff-out", str(tmp_path / "staff")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        fetch(f"http://127.0.0.1:{port}/apply.html")
        data = urllib.parse.urlencode(good_application(), doseq=True).encode()
        with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port + 1}/submit/application", data=data), timeout=10) as r:
            assert "Thank you" in r.read().decode()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=20)[0]
    assert f"at http://127.0.0.1:{port}/" in output
    copy = tmp_path / "build" / "serve" / "circles"
    assert f"Serving a copy of the example in {copy}" in output
    assert (EXAMPLES["circles"].parent / "data" / "Applications.csv").read_bytes() == tracked
    assert "kim.osei@ufhealth.example.edu" in (copy / "data" / "Applications.csv").read_text(encoding="utf-8")


class Output:
    """The server's output lines, collected as they come."""

    def __init__(self, proc: subprocess.Popen):
        import threading

        self.lines: list[str] = []
        self.thread = threading.Thread(target=lambda: self.lines.extend(iter(proc.stdout.readline, "")), daemon=True)
        self.thread.start()

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))


def test_an_edit_shows_on_the_page_and_the_build_never_triggers_itself(tmp_path):
    """Run from inside the program folder, where site/, staff/ and build/ land beside program.yml:
    regenerating must not be taken for an edit (no loop), and an edit reaches the served page."""
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    port = free_port_pair()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--program", "program.yml",
                             "--today", "2021-10-20", "--port", str(port)],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = Output(proc)
    try:
        assert "Co-Mentoring Circles" in fetch(f"http://127.0.0.1:{port}/index.html")
        time.sleep(3)
        assert output.count("Sources changed") == 0, "nothing was edited, yet the pages were regenerated"

        program = folder / "program.yml"
        program.write_text(program.read_text(encoding="utf-8").replace(
            "Co-Mentoring Circles for Clinical Research Professionals", "Peer Circles for Research Staff", 1), encoding="utf-8")
        saved = time.monotonic()
        while "Peer Circles for Research Staff" not in fetch(f"http://127.0.0.1:{port}/index.html"):
            assert time.monotonic() - saved < 20, "the edit never reached the served page"
            time.sleep(0.05)
        print(f"program.yml saved -> served page shows it: {time.monotonic() - saved:.2f} s "
              "(bench/bench_build.py --serve measures this against its target)")
        time.sleep(3)
        assert output.count("Sources changed") == 1, "one edit regenerates once, not again on its own output"
        assert (folder / "staff" / "index.html").is_file() and (folder / "build").is_dir()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_an_edited_page_template_is_read_again_when_serve_regenerates(tmp_path, monkeypatch):
    """A build reads each template once (no file check per render); serve starts a new template
    environment whenever a source changes, so an edited template shows on the next regeneration."""
    import threading

    from generator import serve as serving
    from generator.config.program import load_program
    from generator.options import BuildOptions
    from generator.render.templating import environment

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html.j2").write_text("before", encoding="utf-8")
    monkeypatch.setattr(serving, "_sources", lambda loaded, options: [templates])
    seen = []
    stop = threading.Event()
    monkeypatch.setattr(serving, "regenerate", lambda options, loaded=None: seen.append(environment()) or stop.set())
    options = BuildOptions(program=EXAMPLES["circles"], run_mkdocs=False)
    first = environment()
    watcher = threading.Thread(target=serving.watch, args=(options, load_program(options.program, options.forms_dir), stop, lambda m: None, 0.02))
    watcher.start()
    time.sleep(0.1)
    (templates / "page.html.j2").write_text("after, a little longer", encoding="utf-8")
    watcher.join(timeout=10)
    assert seen and seen[0] is not first  # regenerated with a new environment: every template read again
