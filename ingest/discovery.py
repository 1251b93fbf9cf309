"""Which files an ingest reads: regular files only, each problem reported against its own path."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.validation import name_problem

SKIP_NAMES = {"readme.md", "signposts.yaml"}  # a folder's README describes it; it is not guidance


@dataclass(frozen=True)
class Found:
    files: tuple[tuple[Path, Path], ...]  # (file, the folder its default id is relative to)
    scopes: tuple[Path, ...]  # what the run is responsible for: stored files under these go if gone
    failures: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def _display(path: Path | str) -> str:
    """A path as text that can always be printed (odd bytes shown as escapes)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _absolute(p: Path) -> Path:
    try:
        return p.resolve()
    except (RuntimeError, OSError):  # a symlink loop: keep the name as given, report it below
        return Path(os.path.abspath(p))


def discover(paths: Sequence[Path]) -> Found:
    files: list[tuple[Path, Path]] = []
    failures: list[tuple[str, str]] = []
    notes: list[str] = []
    scopes: list[Path] = []
    for given in paths:
        p = _absolute(Path(given))
        scopes.append(p)
        problem = _stat_problem(p)
        if problem == "missing":
            failures.append((_display(given), "no such file or folder. Check the path."))
            continue
        if problem:
            failures.append((_display(p), problem))
            continue
        if p.is_dir():
            _walk(p, files, failures, notes)
        elif name_problem(p):
            failures.append((_display(p), str(name_problem(p))))
        else:
            files.append((p, p.parent))
    unique = list(dict.fromkeys(files))
    return Found(tuple(unique), tuple(dict.fromkeys(scopes)), tuple(failures), tuple(notes))


def _stat_problem(p: Path) -> str | None:
    """None for a readable regular file or folder, else why it cannot be read."""
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if os.path.lexists(p):
            return "is a link to something that does not exist. Fix or remove the link."
        return "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that leads back to itself (a loop). Fix or remove the link."
        if exc.errno == errno.EACCES:
            return "cannot be read (permission denied). Check the file's permissions."
        return f"cannot be read ({exc.strerror or exc})."
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        if not os.access(p, os.R_OK):
            return "cannot be read (permission denied). Check the file's permissions."
        return None
    return (
        "is not a regular file (it is a pipe, socket or device), so it was not read. "
        "Give the path of a saved document."
    )


def _walk(root: Path, files: list[tuple[Path, Path]], failures: list[tuple[str, str]], notes: list[str]) -> None:
    def on_error(exc: OSError) -> None:
        failures.append((_display(exc.filename or root), f"the folder cannot be read ({exc.strerror or exc})."))

    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        base = Path(folder)
        for d in list(dirnames):
            if d.startswith("."):
                dirnames.remove(d)
            elif (base / d).is_symlink():
                notes.append(f"{_display(base / d)}: links to folders are not followed; ingest that folder itself if you want it.")
        dirnames.sort()
        for name in sorted(filenames):
            f = base / name
            if name.startswith(".") or f.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if name.lower() in SKIP_NAMES:
                notes.append(f"{_display(f)}: skipped (a folder's README is not indexed; rename it to index it).")
                continue
            odd = name_problem(f)
            problem = odd or _stat_problem(f)
            if problem == "missing":
                continue  # removed while we were looking
            if problem:
                failures.append((_display(f), problem))
                continue
            files.append((f, root))
