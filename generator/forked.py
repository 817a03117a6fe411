"""Work done in a forked child process, on the other core, while the build goes on.

A build at 20,000 people spends a fifth of its time sealing personal pages, which nothing else
in the build reads: they only need to be on disk before the site is put together. Threads
cannot run Python side by side; a forked child can, and starts with the build's memory as it is
(the pages' data, already computed), so nothing is copied or pickled on the way in. The child
writes files and sends back a small answer (pickled): what the work returned, or the error it
raised. A child outlives nothing: when the build's process dies, even by SIGKILL, so does the
child, so no orphan goes on writing into a folder the next build is using. (Matching uses one
too: half of a large peer round's bands of years, solved while this process solves the rest.)

Forking is safe only where no other thread can hold a lock the child would need, so work runs
in a child on Linux when this is the process's only thread, and in this process otherwise (a
test harness with a server thread, `serve`, other systems): the same work, the same files.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Forked(Generic[T]):
    """`work` started at once, in a child process where that is safe (else run here, to the end);
    `wait` returns what it returned (pickled on the way back: keep it small) and raises what it
    raised. `cancel` ends it without waiting."""

    def __init__(self, work: Callable[[], T], fork: bool | None = None) -> None:
        self.pid = 0
        self._answer = -1
        self._value: T | None = None
        if not (can_fork() if fork is None else fork):
            self._value = work()
            return
        answer, told = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered here is printed twice
            stream.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: do the work, say how it went, and leave without running this process's exit code
            os.close(answer)
            _child(work, told, parent)
        os.close(told)
        self.pid, self._answer = pid, answer

    def wait(self) -> T | None:
        if not self.pid:
            return self._value
        with os.fdopen(self._answer, "rb") as pipe:
            told = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            back = pickle.loads(told) if told else {}
        except Exception:  # noqa: BLE001 - cut short: the status below says how it ended
            back = {}
        if "error" in back:
            raise _error(back)
        if status != 0 or "value" not in back:
            raise ChildError(f"the child process ended without finishing ({_how(status)})")
        self._value = back["value"]
        return self._value

    def cancel(self) -> None:
        if not self.pid:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self._answer)
        self.pid = 0


class Turns:
    """Work in batches that this process and a child forked after it share, each taking the next
    batch when it is free, so neither waits while the other has work left. The batch numbers wait
    in a pipe, filled and closed for writing before the fork: a read of one number is atomic, so
    each batch goes to one process, and an empty pipe says there is no more."""

    def __init__(self, count: int, size: int) -> None:
        size = max(size, -(-count // (_PIPE_HOLDS // 4)))  # at most as many batches as the pipe holds
        self.count, self.size = count, size
        numbers = b"".join(struct.pack("<I", n) for n in range(-(-count // size)))
        assert len(numbers) <= _PIPE_HOLDS, "more batches than a pipe holds: make them larger"
        self._read, write = os.pipe()
        os.write(write, numbers)
        os.close(write)

    def take(self) -> range | None:
        """The next batch's items (indices), or None when every batch has been taken."""
        got = os.read(self._read, 4) if self._read >= 0 else b""
        if not got:
            if self._read >= 0:  # this process's end of the pipe, no longer needed
                os.close(self._read)
                self._read = -1
            return None
        start = struct.unpack("<I", got)[0] * self.size
        return range(start, min(start + self.size, self.count))


_PIPE_HOLDS = 4096  # bytes a pipe holds without a reader, everywhere (Linux: 65,536)


class ChildError(RuntimeError):
    """Where the child's error was raised (its traceback), or how it ended if it could not say."""


def _child(work: Callable[[], object], told: int, parent: int) -> None:
    status = 0
    try:
        _die_with(parent)
        answer = pickle.dumps({"value": work()})
        with os.fdopen(told, "wb") as pipe:
            pipe.write(answer)
    except BaseException as error:  # noqa: BLE001 - every error goes back to the build, which raises it
        status = 1
        try:
            pickled: bytes | None = pickle.dumps(error)
        except Exception:  # noqa: BLE001 - an error that cannot be pickled goes back as its text
            pickled = None
        told_back = {"error": pickled, "text": f"{type(error).__name__}: {error}",
                     "where": "".join(traceback.format_exception(error))}
        with os.fdopen(told, "wb") as pipe:
            pipe.write(pickle.dumps(told_back))
    finally:
        os._exit(status)


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when the thread that forked it ends (prctl PR_SET_PDEATHSIG);
    if the parent is already gone, end now."""
    libc = ctypes.CDLL(None, use_errno=True)  # this process's own symbols, libc's among them
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _error(back: dict[str, Any]) -> BaseException:
    """The child's error as it raised it (its traceback as the cause), or as text where the error
    does not survive pickling (an exception whose constructor takes other arguments than it keeps)."""
    try:
        error = pickle.loads(back["error"]) if back["error"] is not None else None
    except Exception:  # noqa: BLE001
        error = None
    if not isinstance(error, BaseException):
        error = ChildError(back["text"])
    error.__cause__ = ChildError(back["where"])
    return error


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
