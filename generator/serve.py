"""`build.py serve`: mkdocs' live-reload server, regenerating pages when the sources change."""
from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable

from generator.errors import GeneratorError
from generator.resources import EXAMPLES, TEMPLATES
from generator.pipeline import BuildOptions, gather, write_docs, write_staff




def _sources(options: BuildOptions) -> list[Path]:
    """What a coordinator edits: program folder (config and workbook), forms, pages, templates."""
    return [options.program.parent, options.forms_dir, options.site_src, TEMPLATES]


def _stamp(paths: list[Path]) -> tuple:
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for root in paths for f in root.rglob("*") if f.is_file()))


def regenerate(options: BuildOptions) -> Path:
    """Gather and write the docs folder and staff reports; mkdocs serve picks up the change."""
    gathered = gather(options)
    write_staff(gathered, options)
    return write_docs(gathered, options)


def _watch(options: BuildOptions, stop: threading.Event, interval: float = 1.0) -> None:
    last = _stamp(_sources(options))
    while not stop.wait(interval):
        now = _stamp(_sources(options))
        if now != last:
            last = now
            try:
                regenerate(options)
                print("Sources changed: pages regenerated.")
            except GeneratorError as exc:
                print(f"error: {exc}")


def serve(options: BuildOptions, port: int, say: Callable[[str], None] = print) -> int:
    """Serve on localhost with live reload, and a local receiver on the next port that appends
    submitted forms to the program's workbook (so the rebuild shows them). A bundled example is
    served from a copy in the work folder, so trying its forms never edits tracked files."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.config.program import load_program
    from generator.receiver.local import LocalReceiver

    options = _on_a_copy_if_bundled(options, say)
    loaded = load_program(options.program, options.forms_dir)
    site = f"http://127.0.0.1:{port}"
    receiver = LocalReceiver(loaded, loaded.data_path, back=f"{site}/", origins=(site, f"http://localhost:{port}"),
                             today=options.today).serve(port=port + 1)
    options = replace(options, receiver_url=f"http://127.0.0.1:{port + 1}/submit")
    say(f"Forms submit to the local receiver on port {port + 1} as of {options.today}; rows land in {loaded.data_path}.")
    config_file = regenerate(options)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(options, stop), daemon=True)
    watcher.start()
    say(f"Serving {loaded.program.name} at {site}/ (Ctrl+C stops).")
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=f"127.0.0.1:{port}", livereload=True)
    finally:
        stop.set()
        receiver.shutdown()
    return 0


def _on_a_copy_if_bundled(options: BuildOptions, say: Callable[[str], None]) -> BuildOptions:
    """The bundled examples are tracked files: serve a fresh copy of the program folder instead."""
    program = options.program.resolve()
    if not program.is_relative_to(EXAMPLES.resolve()):
        return options
    copy = options.work.resolve() / "serve" / program.parent.name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(program.parent, copy)
    say(f"Serving a copy of the example in {copy}: forms you try there leave the example's own files untouched.")
    return replace(options, program=copy / program.name)
