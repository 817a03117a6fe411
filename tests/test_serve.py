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
