"""Output files made when they are written, one at a time, instead of all held until then.

A 20,000-person build's staff folder holds 90 MB of reports and messages besides the calendars.
Made before any was written and held together, they sat in memory beside the child sealing the
personal pages, at the build's peak (the 1 GB target of the build-speed issue). Named up front and
made as the staff writer takes them, each goes once written.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping

Content = str | bytes
#: Makes a group of files, yielding (name, content) in the order it likes.
Make = Callable[[], Iterable[tuple[str, Content]]]


class Deferred(Mapping[str, Content]):
    """File name -> content, each file made when read. `made` makes them all, one after another,
    for a writer that lets each go; a group made together (the outbox's messages and its mail-merge
    CSV, which lists them all) is read from the last group made, so reading every file of it (a
    test does) makes it once."""

    def __init__(self) -> None:
        self._groups: list[tuple[frozenset[str], Make]] = []
        self._group_of: dict[str, int] = {}
        self._last: tuple[int, dict[str, Content]] | None = None

    def add(self, name: str, make: Callable[[], Content]) -> None:
        """One file, made by `make`."""
        self.group([name], lambda: ((name, make()),))

    def held(self, files: Mapping[str, Content]) -> None:
        """Files already made."""
        self.group(list(files), lambda: files.items())

    def group(self, names: Iterable[str], make: Make) -> None:
        """Files made together by `make`, which yields exactly `names`."""
        names = frozenset(names)
        clash = sorted(names & self._group_of.keys())
        if clash:
            raise ValueError(f"two outputs claim {clash[0]!r}; each file needs its own path")
        self._group_of.update(dict.fromkeys(names, len(self._groups)))
        self._groups.append((names, make))

    def extend(self, other: Deferred) -> None:
        """Another's files, made when these are."""
        for names, make in other._groups:
            self.group(names, make)

    def made(self) -> Iterator[tuple[str, Content]]:
        """Every file, each made just before it is yielded (kept by no one here)."""
        for names, make in self._groups:
            yielded = set()
            for name, content in make():
                if name not in names or name in yielded:
                    raise ValueError(f"{name!r} was made but not named before (or made twice)")
                yielded.add(name)
                yield name, content
            if yielded != names:
                raise ValueError(f"{sorted(names - yielded)[0]!r} was named but never made")

    def __getitem__(self, name: str) -> Content:
        index = self._group_of[name]
        if self._last is None or self._last[0] != index:
            self._last = (index, dict(self._groups[index][1]()))
        return self._last[1][name]

    def __iter__(self) -> Iterator[str]:
        for names, _ in self._groups:
            yield from sorted(names)

    def __len__(self) -> int:
        return len(self._group_of)
