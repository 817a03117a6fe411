"""A local receiver for `build.py serve` and tests: appends accepted rows to the workbook folder.

It writes exactly the row the build will read back as valid, under the tab's own header
(field ids or question texts, in any order), or refuses with a clear page and writes nothing.
"""
from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qs

from generator.config.program import LoadedProgram
from generator.errors import SourceError
from generator.receiver.accept import accept_submission
from generator.render.templating import render
from generator.schedule.windows import closed_reason
from generator.sources.workbook import append_row, existing_header, tab_path
from generator.validate.conventions import conventions
from generator.validate.header import LayoutError, row_for_header

MAX_BYTES = 200_000  # a 500-word statement is a few kilobytes
FORM_TYPE = "application/x-www-form-urlencoded"


class LocalReceiver:
    """POST /submit/<form id>: validate as the build does, then append under a lock."""

    def __init__(self, loaded: LoadedProgram, folder: Path, back: str = "", origins: Iterable[str] = (),
                 today: dt.date | None = None):
        self.loaded, self.folder, self.back = loaded, folder, back
        #: The day whose form windows apply and rows are stamped with (serve previews as of
        #: --today); None: the real date.
        self.today = today
        #: Pages allowed to post here (the site's own origin); a post from elsewhere is refused.
        self.origins = frozenset(o.rstrip("/") for o in origins)
        self.lock = threading.Lock()
        self.conv = conventions(loaded.program.source.locale)

    def page(self, status: int, ok: bool, title: str, errors: list[str] | tuple[str, ...]) -> tuple[int, str]:
        return status, render("receiver/result.html.j2", ok=ok, form_title=title, back=self.back, errors=list(errors))

    def append(self, form_id: str, row: dict[str, str]) -> None:
        """Lay the row out under the tab's header and append it; LayoutError if an answer has no column."""
        form = self.loaded.forms[form_id]
        model = self.loaded.program.model
        path = tab_path(self.folder, self.loaded.tab_of(form_id))
        with self.lock:
            header = existing_header(path) or tuple(form.columns_for(model))
            append_row(path, header, row_for_header(form, model, header, row))

    def handle(self, path: str, body: bytes, origin: str | None = None) -> tuple[int, str]:
        form_id = path.rstrip("/").rsplit("/", 1)[-1]
        form = self.loaded.forms.get(form_id)
        if not path.startswith("/submit/") or form is None or form.audience == "staff":
            return self.page(404, False, "Form", ["There is no such form."])
        if origin is not None and self.origins and origin.rstrip("/") not in self.origins:
            return self.page(403, False, form.title, ["This form can only be sent from the program's own site."])
        closed = closed_reason(self.loaded.program, form, self.today or dt.date.today())
        if closed:
            return self.page(403, False, form.title, [closed + " Nothing was kept."])
        try:
            posted = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return self.page(400, False, form.title, ["The submission was not readable text (UTF-8)."])
        now = dt.datetime.now()
        if self.today:  # a preview as of --today: the row is stamped as sent on that day
            now = dt.datetime.combine(self.today, now.time().replace(microsecond=0))
        result = accept_submission(form, self.loaded.program.model, posted, now, self.conv)
        if result.spam:
            return self.page(200, True, form.title, [])
        if result.row is None:
            return self.page(400, False, form.title, result.errors)
        try:
            self.append(form_id, result.row)
        except (LayoutError, SourceError, OSError) as exc:
            return self.page(500, False, form.title, [f"Your answers could not be saved, and nothing was kept: {exc}. "
                                                      "Please tell the program staff (the contact on the site)."])
        return self.page(200, True, form.title, [])

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        """Start in a background thread; the server's address says the port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                status, page = self.answer()
                data = page.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                self.wfile.write(data)

            def answer(self) -> tuple[int, str]:
                raw = (self.headers.get("Content-Length") or "").strip()
                if not raw.isdigit():
                    self.close_connection = True
                    why = "The submission did not say its size." if not raw else "The submission's size is not a number."
                    return receiver.page(411 if not raw else 400, False, "Form", [why])
                length = int(raw)
                if length > MAX_BYTES:
                    self.close_connection = True
                    return receiver.page(413, False, "Form", ["The submission is too large."])
                kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if kind != FORM_TYPE:
                    self.close_connection = True
                    return receiver.page(415, False, "Form", ["The submission was not sent by the site's form."])
                body = self.rfile.read(length)
                try:
                    return receiver.handle(self.path, body, self.headers.get("Origin"))
                except Exception:  # never a dead connection: the person is told, nothing was written
                    return receiver.page(500, False, "Form", ["Something went wrong; nothing was saved. "
                                                              "Please tell the program staff."])

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
