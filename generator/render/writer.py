"""The only code that writes output files: only where content changed, atomically, never twice.

A rebuild leaves a file untouched when its bytes are the same, so mkdocs (watching the docs
folder), a deploy (diffing the site) and a person (reading the staff folder) see only real
changes; files the build no longer makes are removed, so no stale page survives.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import IO, Any, Iterator

from generator.errors import GeneratorError

#: Left in every output folder, so a rebuild only ever clears folders this tool made.
MARKER = ".made-by-build-py"
_MARKER_TEXT = b"Output of build.py: this folder is rewritten on every build (only files whose content changed).\n"


def claim(folder: Path, option: str) -> None:
    """Refuse a non-empty folder that build.py did not make: clearing it would delete someone's files."""
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise GeneratorError(f"{option} {folder} is not empty and was not made by build.py; "
                             "choose an empty or new folder (nothing was deleted)")


def mark(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_if_changed(folder / MARKER, _MARKER_TEXT)


def _beside(path: str | Path) -> tuple[str, str]:
    """(folder, the hidden file a new version is written to before it replaces `path`); the
    fingerprint never reads a name ending in .partial."""
    folder, name = os.path.split(path)
    return folder, os.path.join(folder, f".{name}.partial")


def write_if_changed(path: str | Path, content: bytes, watched: bool = True) -> bool:
    """Write `content` unless the file already holds exactly it; atomically (a reader such as
    mkdocs serve never sees half a file). True when the file was written. `watched=False`: a
    folder nothing watches while the build writes it (the staff reports), where a file that is
    not there yet is written in place; one that is there is still replaced atomically. (No
    partial file to rename: 20 us less a file, for 37,000 new staff files at 20,000 people.)"""
    try:
        if os.stat(path).st_size == len(content):
            with open(path, "rb") as old:
                if old.read() == content:
                    return False
    except FileNotFoundError:
        if not watched:
            try:
                with _opened(path, "xb") as handle:
                    handle.write(content)
                return True
            except FileExistsError:  # made meanwhile: replaced as any other
                pass
    _, partial = _beside(path)
    with _opened(partial, "wb") as handle:
        handle.write(content)
    os.replace(partial, path)
    return True


def _opened(path: str | Path, mode: str) -> IO[bytes]:
    """open(path, mode), making its folder only when it is missing: most files go where others
    already are, so no mkdir for them."""
    try:
        return open(path, mode)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return open(path, mode)


def write_new(path: str | Path, content: bytes) -> None:
    """Write a file into a folder this build cleared and nobody reads until `sync_tree` moves its
    files in (each with a rename, atomic there): nothing to compare with and no partial file to
    rename, which halves a file's cost (20,000 sealed pages: 1.6 -> 0.8 s). Refuses to write
    the same path twice in one build ('x' mode), as everything here does."""
    with _opened(path, "xb") as handle:
        handle.write(content)


_BATCH = 500  # entries of a wide dict encoded at once


def _json_chunks(value: Any, depth: int) -> Iterator[str]:
    """json.dumps(value, sort_keys=True), in pieces: dicts with text keys are opened `depth`
    levels down, and what lies below is encoded whole by json's C encoder; a wide dict that is
    opened is encoded _BATCH entries at a time (its entries whole), so no piece is large (whole,
    a 20,000-person form's rows are a 22 MB text, built from hundreds of thousands of pieces)."""
    if depth > 0 and isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        keys = sorted(value)
        yield "{"
        if len(keys) > _BATCH:
            for n in range(0, len(keys), _BATCH):
                part = json.dumps({key: value[key] for key in keys[n:n + _BATCH]}, sort_keys=True)
                yield (", " if n else "") + part[1:-1]
        else:
            for n, key in enumerate(keys):
                yield (", " if n else "") + json.dumps(key) + ": "
                yield from _json_chunks(value[key], depth - 1)
        yield "}"
    else:
        yield json.dumps(value, sort_keys=True)


def write_json_if_changed(path: Path, value: Any, depth: int = 2) -> bool:
    """write_if_changed(path, json.dumps(value, sort_keys=True)), the same bytes, without ever
    holding the whole text: the change baseline of 20,000 people is 54 MB of JSON, and as one
    string, its bytes and the old file to compare with, it was the build's peak memory. Written
    piece by piece beside the file, compared with it, and moved in only if different."""
    if write_json_aside(path, value, depth):
        move_in(path)
        return True
    return False


def write_json_aside(path: Path, value: Any, depth: int = 2) -> bool:
    """The first half of write_json_if_changed: the new text is left beside the file (True) for
    `move_in` to put in place later, or nowhere when the file already holds it (False)."""
    folder, partial = _beside(path)
    os.makedirs(folder, exist_ok=True)
    with open(partial, "w", encoding="utf-8") as handle:
        for chunk in _json_chunks(value, depth):
            handle.write(chunk)
    try:
        if filecmp.cmp(partial, path, shallow=False):
            os.remove(partial)
            return False
    except FileNotFoundError:
        pass
    return True


def move_in(path: Path) -> None:
    """Put what write_json_aside left beside `path` in its place (atomic: a rename)."""
    os.replace(_beside(path)[1], path)


def drop_aside(path: Path) -> None:
    """Remove what write_json_aside left beside `path`, if anything (its build failed)."""
    Path(_beside(path)[1]).unlink(missing_ok=True)


class Writer:
    """Writes files under a root (only changed ones), says so if two outputs claim one path, and
    on `finish` removes the files a previous build made that this one did not."""

    def __init__(self, root: Path, option: str = "the output folder", watched: bool = True):
        self.root = root.resolve()
        self.option = option
        self.watched = watched  # see write_if_changed
        # Paths as strings: a build places tens of thousands of files, and pathlib's parents,
        # hashing and joining were half the cost of writing them.
        self._inside = os.path.join(str(self.root), "")
        self.written: set[str] = set()
        self.changed: list[str] = []
        self.begun = False

    def begin(self) -> None:
        """Only a folder this tool made (or a new one) is ever written into and pruned. (The first
        write begins by itself: a build that stops before writing anything leaves no folder.)"""
        claim(self.root, self.option)
        mark(self.root)
        self.written.add(str(self.root / MARKER))
        self.begun = True

    def _place(self, relative: str) -> str:
        path = self.path_of(relative)
        if path in self.written:
            raise ValueError(f"two outputs claim {relative!r}; each page needs its own path")
        self.written.add(path)
        return path

    def path_of(self, relative: str) -> str:
        """Where `relative` goes (refused outside the root), for a file written elsewhere and
        then `adopt`ed."""
        path = os.path.normpath(os.path.join(self._inside, relative))
        if not path.startswith(self._inside):
            raise ValueError(f"refusing to write {relative!r} outside {self.root}")
        return path

    def write(self, relative: str, content: str | bytes) -> Path:
        if not self.begun:
            self.begin()
        path = self._place(relative)
        if write_if_changed(path, content.encode("utf-8") if isinstance(content, str) else content, self.watched):
            self.changed.append(relative)
        return Path(path)

    def copy_tree(self, source: Path) -> list[str]:
        """Copy hand-written pages and assets; returns their relative paths."""
        copied = []
        for src in sorted(source.rglob("*")):
            if src.is_file():
                rel = src.relative_to(source).as_posix()
                self.write(rel, src.read_bytes())
                copied.append(rel)
        return copied

    def finish(self) -> list[str]:
        """Remove what an earlier build wrote and this one did not (and folders left empty)."""
        if not self.begun:
            self.begin()  # never prune a folder that was not claimed
        removed = []
        root = str(self.root)
        for folder, subfolders, names in os.walk(root, topdown=False):  # a folder after what it holds
            for name in names:
                path = os.path.join(folder, name)
                if path not in self.written:
                    os.unlink(path)
                    removed.append(os.path.relpath(path, root).replace(os.sep, "/"))
            if folder != root and not os.listdir(folder):
                os.rmdir(folder)
        removed.sort(key=lambda rel: PurePosixPath(rel).parts, reverse=True)
        self.changed.extend(removed)
        return removed


def sync_tree(sources: list[Path], target: Writer) -> None:
    """Make target's folder hold exactly the sources' files (mkdocs' output and the personal pages,
    each built aside): a changed or new file is moved in (a rename: atomic, nothing copied), an
    unchanged one is left as it was. A folder the target does not have yet (all of them, in a
    first build) moves in whole, one rename for its files (20,000 sealed pages: 0.3 s of renames)."""
    target.begin()
    for source in sources:
        top = str(source)
        for folder, subfolders, names in os.walk(top):
            inside = os.path.relpath(folder, top).replace(os.sep, "/")
            prefix = "" if inside == "." else f"{inside}/"
            for sub in list(subfolders):
                path = target.path_of(prefix + sub)
                if not os.path.lexists(path):
                    src = os.path.join(folder, sub)
                    moving = [prefix + os.path.relpath(os.path.join(within, name), folder).replace(os.sep, "/")
                              for within, _, inner in os.walk(src) for name in inner]
                    for relative in moving:
                        target._place(relative)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    os.replace(src, path)
                    target.changed.extend(moving)
                    subfolders.remove(sub)
            for name in names:
                src = os.path.join(folder, name)
                relative = prefix + name
                path = target._place(relative)
                try:
                    if os.stat(path).st_size == os.stat(src).st_size and _same_bytes(path, src):
                        continue
                except FileNotFoundError:
                    pass
                try:
                    os.replace(src, path)
                except FileNotFoundError:  # a new folder (as in write_if_changed: no mkdir for every file)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    os.replace(src, path)
                target.changed.append(relative)
    target.finish()
    for source in sources:
        shutil.rmtree(source, ignore_errors=True)


def _same_bytes(one: str, other: str) -> bool:
    with open(one, "rb") as a, open(other, "rb") as b:
        return a.read() == b.read()
