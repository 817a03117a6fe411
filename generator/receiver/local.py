"""A local receiver for `build.py serve` and tests: appends accepted rows to the workbook folder."""
from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from generator.config.program import LoadedProgram
from generator.receiver.accept import accept_submission
from generator.render.templating import render
from generator.sources.workbook import append_rows, tab_path

MAX_BYTES = 200_000  # a 500-word statement is a few kilobytes


class LocalReceiver:
    """POST /submit/<form id>: validate as the build does, then append under a lock."""

    def __init__(self, loaded: LoadedProgram, folder: Path, back: str = ""):
        self.loaded, self.folder, self.back = loaded, folder, back
        self.lock = threading.Lock()

    def append(self, form_id: str, row: dict[str, str]) -> None:
        path = tab_path(self.folder, self.loaded.tab_of(form_id))
        with self.lock:
            append_rows(path, self.loaded.forms[form_id].columns_for(self.loaded.program.model), [row])

    def handle(self, path: str, body: bytes) -> tuple[int, str]:
        form_id = path.rstrip("/").rsplit("/", 1)[-1]
        form = self.loaded.forms.get(form_id)
        if not path.startswith("/submit/") or form is None or form.audience == "staff":
            return 404, render("receiver/result.html.j2", ok=False, form_title="Form", back=self.back,
                               errors=["There is no such form."])
        posted = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        result = accept_submission(form, self.loaded.program.model, posted, dt.datetime.now())
        if result.row is not None:
            self.append(form_id, result.row)
        ok = result.row is not None or result.spam
        return (200 if ok else 400), render("receiver/result.html.j2", ok=ok, form_title=form.title,
                                             errors=result.errors, back=self.back)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        """Start in a background thread; the server's address says the port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BYTES:
                    status, page = 413, render("receiver/result.html.j2", ok=False, form_title="Form", back=receiver.back,
                                               errors=["The submission is too large."])
                else:
                    status, page = receiver.handle(self.path, self.rfile.read(length))
                data = page.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
