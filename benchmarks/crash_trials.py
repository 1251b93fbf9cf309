"""kill -9 an ingest at chosen or random points, recover, and compare with a clean build.

Each trial: a small corpus (four notes) in a fixed folder; either a fresh index (crash during the
first build) or an index of version 1 (crash while ingesting version 2: one note edited, one
deleted, one added). A child process runs the ingest and SIGKILLs itself just before its Nth
write to the store (or after a random delay); the parent then runs one ordinary ingest and
compares everything a reader can see (chunks, metadata, file records) with a clean build of the
same folder, and checks that one more ingest writes nothing.

    .venv/bin/python benchmarks/crash_trials.py --trials 40            # embedded index
    .venv/bin/python benchmarks/crash_trials.py --trials 20 --server   # a `chroma run` on loopback
    .venv/bin/python benchmarks/crash_trials.py --trials 20 --random-time
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ADD_BATCH = 2  # small write batches, so a kill can land between a file's chunks


@dataclass(frozen=True)
class TrialResult:
    trial: int
    scenario: str  # "fresh" or "incremental"
    kill_at: int | None  # the write that never happened (None: killed by time)
    killed: bool
    equal: bool
    rerun_noop: bool
    detail: str = ""
    total_writes: int = 0


# --- the child: one ingest that dies on purpose ----------------------------------------------
def child_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--home", required=True)
    p.add_argument("--docs", required=True)
    p.add_argument("--chroma-url")
    p.add_argument("--collection", default="signpost")
    p.add_argument("--kill-at", type=int, default=0)
    p.add_argument("--kill-after-s", type=float, default=0.0)
    args = p.parse_args(argv)
    from assistant.config import Settings
    from assistant.embeddings import get_embedder
    from assistant.store import Store, open_store
    from ingest.pipeline import ingest_paths

    writes = 0
    original = Store._call

    def counting(self: Store, what: str, fn: Any, retry: bool = True) -> Any:
        nonlocal writes
        if not retry:  # writes never retry; reads do
            writes += 1
            if writes == args.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return original(self, what, fn, retry)

    Store._call = counting  # type: ignore[method-assign]
    Store.add.__defaults__ = (ADD_BATCH,)
    if args.kill_after_s > 0:
        threading.Timer(args.kill_after_s, lambda: os.kill(os.getpid(), signal.SIGKILL)).start()
    settings = Settings(home=Path(args.home), chroma_url=args.chroma_url, collection=args.collection)
    embedder = get_embedder()
    with open_store(settings, embedder) as store:
        ingest_paths([Path(args.docs)], store, embedder)
    return 0


def _child(home: Path, docs: Path, url: str | None, collection: str, kill_at: int = 0, kill_after_s: float = 0.0) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "benchmarks.crash_trials", "child", "--home", str(home), "--docs", str(docs), "--collection", collection]
    if url:
        cmd += ["--chroma-url", url]
    if kill_at:
        cmd += ["--kill-at", str(kill_at)]
    if kill_after_s:
        cmd += ["--kill-after-s", f"{kill_after_s:.3f}"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(REPO)}
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


# --- the parent ------------------------------------------------------------------------------
def _settings(home: Path, url: str | None, collection: str) -> Any:
    from assistant.config import Settings

    return Settings(home=home, chroma_url=url, collection=collection)


def _ingest(home: Path, docs: Path, url: str | None, collection: str, embedder: Any) -> Any:
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    with open_store(_settings(home, url, collection), embedder) as store:
        return ingest_paths([docs], store, embedder)


def _snapshot(home: Path, url: str | None, collection: str, embedder: Any) -> tuple[dict[str, Any], str]:
    """(what a reader sees, "" if consistent else why not)."""
    from assistant.store import open_store
    from tests.robustness_helpers import assert_consistent, snapshot

    with open_store(_settings(home, url, collection), embedder) as store:
        try:
            assert_consistent(store)
            problem = ""
        except AssertionError as exc:
            problem = f"inconsistent: {exc}"[:300]
        return snapshot(store), problem


def _write_version(docs: Path, version: int) -> None:
    from tests.robustness_helpers import tiny_corpus

    if version == 0:
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
        return
    if version == 1:
        shutil.rmtree(docs, ignore_errors=True)
    tiny_corpus(docs, version)


def run_trials(n: int, workdir: Path, url: str | None = None, seed: int = 13, random_time: bool = False) -> list[TrialResult]:
    """n trials alternating fresh and incremental crashes; kill points spread over every write."""
    from assistant.embeddings import get_embedder

    embedder = get_embedder()
    rng = random.Random(seed)
    docs = workdir / "docs"
    tag = "s" if url else "e"
    clean: dict[int, dict[str, Any]] = {}
    for version in (1, 2):  # clean builds of each version, in the very folder the trials use
        _write_version(docs, 1)
        if version == 2:
            _write_version(docs, 2)
        _ingest(workdir / f"clean{version}", docs, url, f"clean{tag}{version}", embedder)
        clean[version] = _snapshot(workdir / f"clean{version}", url, f"clean{tag}{version}", embedder)[0]
    totals: dict[str, int] = {}
    for scenario in ("fresh", "incremental"):  # how many writes each scenario makes
        home = workdir / f"count-{scenario}"
        _write_version(docs, 1)
        if scenario == "incremental":
            _ingest(home, docs, url, f"count{tag}", embedder)
            _write_version(docs, 2)
        totals[scenario] = _count_writes(home, docs, url, f"count{tag}", embedder)
    per_scenario = (n + 1) // 2
    results = []
    for i in range(n):
        scenario = "fresh" if i % 2 == 0 else "incremental"
        target = 1 if scenario == "fresh" else 2
        home, collection = workdir / f"trial{i}", f"trial{tag}{i}"
        _write_version(docs, 1)
        if scenario == "incremental":
            _ingest(home, docs, url, collection, embedder)
            _write_version(docs, 2)
        total = totals[scenario]
        if random_time:
            kill_at = None
        elif per_scenario <= 6:  # few trials: spread evenly from the first write to the last
            kill_at = 1 + (i // 2) * (total - 1) // max(per_scenario - 1, 1)
        else:
            kill_at = rng.randint(1, total)
        out = _child(home, docs, url, collection, kill_at=kill_at or 0, kill_after_s=rng.uniform(2.0, 12.0) if random_time else 0.0)
        killed = out.returncode == -signal.SIGKILL
        _ingest(home, docs, url, collection, embedder)  # recovery: one ordinary ingest
        got, problem = _snapshot(home, url, collection, embedder)
        rerun = _ingest(home, docs, url, collection, embedder)
        equal = got == clean[target] and not problem
        detail = problem or ("" if equal else _diff(got, clean[target]))
        results.append(TrialResult(i, scenario, kill_at, killed, equal, not rerun.wrote, detail, total))
    return results


def _count_writes(home: Path, docs: Path, url: str | None, collection: str, embedder: Any) -> int:
    """How many store writes the child's ingest makes (same batch size), counted in-process."""
    from assistant.store import Store

    writes = 0
    original, defaults = Store._call, Store.add.__defaults__

    def counting(self: Store, what: str, fn: Any, retry: bool = True) -> Any:
        nonlocal writes
        writes += not retry
        return original(self, what, fn, retry)

    Store._call = counting  # type: ignore[method-assign]
    Store.add.__defaults__ = (ADD_BATCH,)
    try:
        _ingest(home, docs, url, collection, embedder)
    finally:
        Store._call = original  # type: ignore[method-assign]
        Store.add.__defaults__ = defaults
    return writes


def _diff(got: dict[str, Any], want: dict[str, Any]) -> str:
    extra = set(got["chunks"]) - set(want["chunks"])
    missing = set(want["chunks"]) - set(got["chunks"])
    changed = [k for k in set(got["chunks"]) & set(want["chunks"]) if got["chunks"][k] != want["chunks"][k]]
    return f"{len(extra)} extra, {len(missing)} missing, {len(changed)} changed chunks; markers equal: {got['markers'] == want['markers']}"


@contextmanager
def chroma_server(data: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A `chroma run` on a free loopback port for the duration of the block."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = start_server(data, port)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop_server(proc)


def start_server(data: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma server did not start within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "child":
        return child_main(argv[1:])
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trials", type=int, default=40)
    p.add_argument("--server", action="store_true", help="against a `chroma run` on 127.0.0.1")
    p.add_argument("--random-time", action="store_true", help="kill after a random delay instead of at a chosen write")
    p.add_argument("--seed", type=int, default=13)
    args = p.parse_args(argv)
    import tempfile

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crash-trials-") as tmp:
        work = Path(tmp)
        if args.server:
            with chroma_server(work / "server-data") as (url, _):
                results = run_trials(args.trials, work, url, args.seed, args.random_time)
        else:
            results = run_trials(args.trials, work, None, args.seed, args.random_time)
    for r in results:
        print(f"trial {r.trial:3d} {r.scenario:11s} kill_at={r.kill_at!s:>4s}/{r.total_writes} killed={r.killed!s:5s} equal={r.equal!s:5s} rerun_noop={r.rerun_noop!s:5s} {r.detail}")
    differ = sum(not r.equal for r in results)
    killed = sum(r.killed for r in results)
    mode = "server" if args.server else "embedded"
    print(f"{mode}: {len(results)} trials, {killed} killed mid-ingest, {differ} left the index different from a clean build, "
          f"{sum(not r.rerun_noop for r in results)} re-runs wrote something ({time.perf_counter() - started:.0f} s)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # run as a script: make `assistant`, `ingest` and `tests` importable
    sys.exit(main())
