"""`build.py serve`: mkdocs' live-reload server, regenerating pages when the sources change."""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from generator.errors import GeneratorError
from generator.pipeline import BuildOptions, gather, write_docs, write_staff

_TEMPLATES = Path(__file__).parent / "render" / "templates"


def _sources(options: BuildOptions) -> list[Path]:
    """What a coordinator edits: program folder (config and workbook), forms, pages, templates."""
    return [options.program.parent, options.forms_dir, options.site_src, _TEMPLATES]


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


def serve(options: BuildOptions, port: int) -> int:
    """Serve on localhost with live reload, and a local receiver on the next port that appends
    submitted forms to the bundled workbook (so the rebuild shows them)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.config.program import load_program
    from generator.receiver.local import LocalReceiver

    loaded = load_program(options.program, options.forms_dir)
    site = f"http://127.0.0.1:{port}"
    receiver = LocalReceiver(loaded, loaded.data_path, back=f"{site}/",
                             origins=(site, f"http://localhost:{port}")).serve(port=port + 1)
    options = replace(options, receiver_url=f"http://127.0.0.1:{port + 1}/submit")
    print(f"Forms submit to the local receiver on port {port + 1}; rows land in {loaded.data_path}.")
    config_file = regenerate(options)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(options, stop), daemon=True)
    watcher.start()
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=f"127.0.0.1:{port}", livereload=True)
    finally:
        stop.set()
        receiver.shutdown()
    return 0
