"""The index locks: exclusive across processes (flock on a file beside the index) and threads,
re-entrant within a thread; a held lock names its holder, so a waiting command can say who."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexBusyError, StoreUnavailableError

_THREAD_LOCKS: dict[str, threading.RLock] = {}
_HELD: dict[str, tuple[int, int]] = {}  # path -> (fd, depth) for locks this process holds
_REGISTRY_LOCK = threading.Lock()


@contextmanager
def file_lock(path: Path, wait_s: float, where: str) -> Iterator[None]:
    """An exclusive lock across processes (flock) and threads, re-entrant within a thread."""
    key = str(path)
    with _REGISTRY_LOCK:
        rlock = _THREAD_LOCKS.setdefault(key, threading.RLock())
    deadline = time.monotonic() + max(wait_s, 0.0)
    if not rlock.acquire(timeout=max(wait_s, 0.0)):
        raise _busy(path, wait_s, where)
    try:
        held = _HELD.get(key)
        if held is not None:
            _HELD[key] = (held[0], held[1] + 1)
            try:
                yield
            finally:
                fd, depth = _HELD[key]
                _HELD[key] = (fd, depth - 1)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreUnavailableError(
                f"Could not create the lock file {path} ({exc.strerror or exc}). "
                "Point --home or SIGNPOST_HOME at a folder you can write to."
            ) from exc
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise _busy(path, wait_s, where) from None
                    time.sleep(0.1)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
            _HELD[key] = (fd, 1)
            try:
                yield
            finally:
                _HELD.pop(key, None)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        rlock.release()


def _busy(path: Path, wait_s: float, where: str) -> IndexBusyError:
    try:
        holder = path.read_text("utf-8").split()
    except OSError:
        holder = []
    who = f" (process {holder[0]}, since {' '.join(holder[1:3])})" if len(holder) >= 3 else ""
    return IndexBusyError(
        f"Another ingest is writing to {where}{who}. This one waited {wait_s:g} s. Let that one "
        "finish, then run this command again (it will only add what is still missing)."
    )


@contextmanager
def nothing() -> Iterator[None]:
    yield
