"""`build.py serve`: mkdocs' live-reload server, regenerating pages when the sources change."""
from __future__ import annotations

import shutil
import socket
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable

from generator.dates import long_date
from generator.config.program import LoadedProgram, load_program
from generator.errors import GeneratorError
from generator.fingerprint import input_roots, outputs, stamp_of
from generator.render.templating import environment
from generator.resources import TEMPLATES, bundled_example
from generator.pipeline import BuildOptions, gather, write_docs, write_staff

#: How often the sources are looked at (a stat of each file; a few hundred files take a millisecond).
POLL_SECONDS = 0.2


def _sources(loaded: LoadedProgram, options: BuildOptions) -> list[Path]:
    """What a coordinator edits (the build's inputs) and this tool's page templates."""
    return [root for _, root in input_roots(loaded, options)] + [TEMPLATES]


def regenerate(options: BuildOptions, loaded: LoadedProgram | None = None) -> Path:
    """Gather and write the docs folder and staff reports; only changed files are rewritten
    (atomically), so mkdocs serve rebuilds once, on whole files, and only for real changes."""
    gathered = gather(options, loaded)
    write_staff(gathered, options, [])
    return write_docs(gathered.loaded, gathered.pages, gathered.assets, options)


def watch(options: BuildOptions, loaded: LoadedProgram, stop: threading.Event, say: Callable[[str], None] = print,
          interval: float = POLL_SECONDS) -> None:
    """Regenerate whenever a source changes. The build's own outputs are never watched, even when
    they lie inside the program folder, so regenerating cannot trigger itself."""
    skip = outputs(options, loaded.program.slug)
    last = stamp_of(_sources(loaded, options), skip)
    while not stop.wait(interval):
        now = stamp_of(_sources(loaded, options), skip)
        if now == last:
            continue
        last = now
        try:
            environment.cache_clear()  # a page template may be what changed: read them all again
            loaded = load_program(options.program, options.forms_dir)  # program.yml or a form may be what changed
            regenerate(options, loaded)
            say("Sources changed: pages regenerated.")
        except GeneratorError as exc:
            say(f"error: {exc}")


def serve(options: BuildOptions, port: int, say: Callable[[str], None] = print) -> int:
    """Serve on localhost with live reload, and a local receiver on the next port that appends
    submitted forms to the program's workbook (so the rebuild shows them). A bundled example is
    served from a copy in the work folder, so trying its forms never edits tracked files."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from generator.receiver.local import LocalReceiver

    _free(port, port + 1)
    options = _on_a_copy_if_bundled(options, say)
    loaded = load_program(options.program, options.forms_dir)
    site = f"http://127.0.0.1:{port}"
    receiver = LocalReceiver(loaded, loaded.data_path, back=f"{site}/", origins=(site, f"http://localhost:{port}"),
                             today=options.today).serve(port=port + 1)
    options = replace(options, receiver_url=f"http://127.0.0.1:{port + 1}/submit")
    say(f"Forms submit to the local receiver on port {port + 1} as of {long_date(options.today)}; rows land in {loaded.data_path}.")
    config_file = regenerate(options, loaded)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(options, loaded, stop, say), daemon=True)
    watcher.start()
    say(f"Serving {loaded.program.name} at {site}/ (Ctrl+C stops).")
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=f"127.0.0.1:{port}", livereload=True)
    finally:
        stop.set()
        receiver.shutdown()
    return 0


def _free(*ports: int) -> None:
    """Both ports, before anything starts: one in use (another serve, another program) is for the
    user to choose around, not a bug in the tool. Bound as the servers bind (address reuse, so a
    port a stopped serve left waiting is free; one with a listener is not)."""
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as exc:
                raise GeneratorError(f"port {port} on 127.0.0.1 cannot be used ({exc.strerror}): serve needs the port "
                                     f"given and the next one for its form receiver; choose others with --port, such "
                                     f"as --port {ports[0] + 10}") from None


def _on_a_copy_if_bundled(options: BuildOptions, say: Callable[[str], None]) -> BuildOptions:
    """The bundled examples are tracked files: serve a fresh copy of the program folder instead."""
    if not bundled_example(options.program):
        return options
    program = options.program.resolve()
    copy = options.work.resolve() / "serve" / program.parent.name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(program.parent, copy)
    say(f"Serving a copy of the example in {copy}: forms you try there leave the example's own files untouched.")
    return replace(options, program=copy / program.name)
