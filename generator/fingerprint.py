"""Has anything a build reads changed since the last build? If not, its outputs are already right.

A build is a function of its inputs: program.yml, the workbook, the forms, the hand-written
pages, the base mkdocs.yml, the message templates, this tool's own code and templates, the
options (`--today`, the folders, the receiver) and the secrets that seal pages and sign links
(hashed here, never stored). The state an earlier build left (calendar revisions, the change
baseline) is part of it too, and lives in the work folder with the outputs. After every
successful build a stamp records the inputs' digest and the size and modification time of
every output file; a later build whose inputs hash the same and whose outputs are untouched
has nothing to do. A live Google Sheets read is never skipped: each read is a new snapshot.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from generator.sources.sheets import ACCOUNT_FILE, ACCOUNT_JSON, SHEET_KEY
from generator.validate.tokens import PAGE_SECRET_ENV, SECRET_ENV

if TYPE_CHECKING:
    from generator.config.program import LoadedProgram
    from generator.options import BuildOptions

STAMP = "last-build.json"
#: Environment variables that change what a build writes (values are hashed, never kept).
_ENV = (SECRET_ENV, PAGE_SECRET_ENV, SHEET_KEY, ACCOUNT_JSON, ACCOUNT_FILE)
_PACKAGE = Path(__file__).resolve().parent
_SKIP = {"__pycache__", ".pytest_cache"}


def _files(root: Path, skip: tuple[Path, ...] = ()) -> Iterable[str]:
    """Every file under root (or root itself), in a stable order, as strings (a large cohort leaves
    tens of thousands of files); never one under `skip`, a cache, or a half-written file."""
    if root.is_file():
        yield str(root)
        return
    skipped = tuple(str(s) for s in skip)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and os.path.join(folder, d) not in skipped)
        for name in sorted(names):
            path = os.path.join(folder, name)
            if not name.endswith((".pyc", ".partial")) and path not in skipped:
                yield path


def _hash_tree(digest: Any, label: str, root: Path, skip: tuple[Path, ...] = ()) -> None:
    digest.update(f"\0{label}\0".encode())
    for path in _files(root, skip):
        digest.update(os.path.relpath(path, root).replace(os.sep, "/").encode() if root.is_dir() else b"")
        with open(path, "rb") as handle:
            digest.update(b"\0" + hashlib.sha256(handle.read()).digest())


def inputs_digest(loaded: LoadedProgram, options: BuildOptions) -> str | None:
    """The digest of everything the build will read; None when it reads a live Google Sheet."""
    from generator.sources.choose import sheet_key

    if sheet_key(loaded, options.env) is not None:
        return None
    digest = hashlib.sha256()
    settings = {"today": options.today.isoformat(), "out": str(options.out.resolve()),
                "staff_out": str(options.staff_out.resolve()), "work": str(options.work.resolve()),
                "receiver_url": options.receiver_url, "run_mkdocs": options.run_mkdocs,
                "env": {k: hashlib.sha256(options.env[k].encode()).hexdigest() for k in _ENV if options.env.get(k)}}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for label, root in (("tool", _PACKAGE), *input_roots(loaded, options)):
        _hash_tree(digest, label, root, outputs(options, loaded.program.slug))
    return digest.hexdigest()


def input_roots(loaded: LoadedProgram, options: BuildOptions) -> list[tuple[str, Path]]:
    """What a coordinator edits and the build reads (files or folders), besides this tool itself."""
    roots = [("program", options.program.resolve()), ("data", loaded.data_path),
             ("forms", options.forms_dir.resolve()), ("site_src", options.site_src.resolve()),
             ("mkdocs.yml", options.base_config.resolve()), ("messages", loaded.templates_path)]
    return [(label, root) for label, root in roots if root is not None and root.exists()]


def outputs(options: BuildOptions, slug: str) -> tuple[Path, ...]:
    """The folders a build writes: never read as its inputs, even when they lie inside one."""
    return options.out.resolve(), options.staff_out.resolve(), options.work.resolve() / slug


def stamp_of(roots: list[Path], skip: tuple[Path, ...] = ()) -> dict[str, list[int]]:
    """A cheap look at files: [size, modification time] by path (a watcher's poll, the outputs' check)."""
    found: dict[str, list[int]] = {}
    for root in roots:
        for path in _files(root, skip) if root.exists() else ():
            info = os.stat(path)
            found[path] = [info.st_size, info.st_mtime_ns]
    return found


def output_files(options: BuildOptions, work: Path) -> dict[str, list[int]]:
    """Every file the build wrote (site, staff, work folder): its size and modification time."""
    return stamp_of([options.out.resolve(), options.staff_out.resolve(), work], (work / STAMP,))


def record(options: BuildOptions, work: Path, digest: str | None) -> None:
    """After a successful build: what it read and what it left, for the next build to compare."""
    from generator.render.writer import write_if_changed

    stamp = work / STAMP
    if digest is None:
        stamp.unlink(missing_ok=True)
        return
    write_if_changed(stamp, json.dumps({"inputs": digest, "outputs": output_files(options, work)},
                                       sort_keys=True).encode("utf-8"))


def unchanged(loaded: LoadedProgram, options: BuildOptions, work: Path) -> bool:
    """True when the last build read exactly these inputs and its outputs are as it left them."""
    try:
        stamp = json.loads((work / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    digest = inputs_digest(loaded, options)
    return digest is not None and stamp.get("inputs") == digest and stamp.get("outputs") == output_files(options, work)


def up_to_date(options: BuildOptions) -> bool:
    """The check a build command makes first: loads only the program and its forms."""
    from generator.config.program import load_program

    loaded = load_program(options.program, options.forms_dir)
    return unchanged(loaded, options, options.work.resolve() / loaded.program.slug)
