"""The only code that writes output files; it refuses to write the same file twice."""
from __future__ import annotations

import shutil
from pathlib import Path


class Writer:
    """Writes text files under a root, and says so if two pages claim one path."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[Path] = set()

    def reset(self) -> None:
        """Start from an empty folder so no stale page survives a rebuild."""
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def write(self, relative: str, content: str) -> Path:
        path = (self.root / relative).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"refusing to write {relative!r} outside {self.root}")
        if path in self.written:
            raise ValueError(f"two outputs claim {relative!r}; each page needs its own path")
        path.parent.mkdir(parents=True, exist_ok=True)
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
