"""Python's cycle collector, paused while a batch job makes its objects.

A build or a demo workbook makes millions of objects (cells, records, pages, people) that live
until it ends and form no cycles. The collector walks all of them again and again as they grow:
a quarter of a 20,000-person build (60 -> 45 s), a tenth at 5,000, and 22 -> 18 s of a 20,000-
person demo year, for no memory back (peak 410 MB with it, 415 MB without, at 5,000).
Reference counting still frees everything that is not a cycle; the few cycles wait for the
collector, which is back on afterwards.

A process that runs one command and ends (`build.py`, see cli.exit_now) keeps it off for good and
leaves what the command made for the process's end: turned back on, the collector's first pass
walks every object the build made (0.44 s at 20,000 people), and freeing them one by one when
the command returns takes another quarter second, for memory the process gives back anyway.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


_one_command = False
_left: list[object] = []


def one_command() -> None:
    """This process runs one command and then ends: the collector stays off from here on."""
    global _one_command
    _one_command = True
    gc.disable()


def leave(made: object) -> None:
    """Keep what a command made until the process ends, if it runs one command (else nothing)."""
    if _one_command:
        _left.append(made)


@contextmanager
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
