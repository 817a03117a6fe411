"""The only code that writes output files; it refuses to write the same file twice."""
from __future__ import annotations

import shutil
from pathlib import Path

from generator.errors import GeneratorError

#: Left in every output folder, so a rebuild only ever clears folders this tool made.
MARKER = ".made-by-build-py"


def claim(folder: Path, option: str) -> None:
    """Refuse a non-empty folder that build.py did not make: clearing it would delete someone's files."""
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise GeneratorError(f"{option} {folder} is not empty and was not made by build.py; "
                             "choose an empty or new folder (nothing was deleted)")


def mark(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Output of build.py: this folder is cleared and rewritten on every build.\n")


class Writer:
    """Writes text files under a root, and says so if two pages claim one path."""

    def __init__(self, root: Path, option: str = "the output folder"):
        self.root = root
        self.option = option
        self.written: set[Path] = set()

    def reset(self) -> None:
        """Start from an empty folder so no stale page survives a rebuild (only a folder we made)."""
        claim(self.root, self.option)
        if self.root.exists():
            shutil.rmtree(self.root)
        mark(self.root)

    def write(self, relative: str, content: str | bytes) -> Path:
        path = (self.root / relative).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"refusing to write {relative!r} outside {self.root}")
        if path in self.written:
            raise ValueError(f"two outputs claim {relative!r}; each page needs its own path")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        self.written.add(path)
        return path

    def copy_tree(self, source: Path) -> list[str]:
        """Copy hand-written pages and assets; returns their relative paths."""
        copied = []
        for src in sorted(source.rglob("*")):
            if src.is_file():
                rel = src.relative_to(source).as_posix()
                dest = (self.root / rel).resolve()
                if dest in self.written:
                    raise ValueError(f"two outputs claim {rel!r}; each page needs its own path")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                self.written.add(dest)
                copied.append(rel)
        return copied
