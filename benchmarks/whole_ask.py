"""Whole-answer latency at 100k passages: `Assistant.ask` (triage, reading, retrieval, answer),
not only the retrieval primitives that `scale.py` times, on the embedded store and a server.

What it builds: the shipped corpus, ingested for real, plus synthetic passages up to `--size`
made as in `scale.py` (real chunks with a third of their sentences swapped, the real vector plus
noise), added to Signpost's own collection with their metadata (notes, sections, heading
questions), and the index state moved on one generation as an ingest would. Then, per store:
- the first question after that change in a warm process (the passage table and the lexical
  index catch up: every new passage is read and tokenised once);
- a fresh `signpost ask --json` with the index present (the passage table from its file);
- warm per-question whole-call latency over the eval questions, p50/p95.
A measurement, never a test. Run: .venv/bin/python benchmarks/whole_ask.py [--size 100000]
Writes benchmarks/results/<date>-whole-ask.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import (  # noqa: E402 - the sibling benchmark's helpers
    BUDGETS,
    ROOT,
    fill,
    http_client,
    machine,
    save,
    start_server,
    summary,
    synthetic,
)

Q = "Is a safety plan legally binding?"


def build_home(home: Path, size: int) -> dict[str, Any]:
    from assistant.config import Settings
    from assistant.embeddings import get_embedder
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    settings = Settings(home=home)
    embedder = get_embedder(settings.models_dir)
    with open_store(settings, embedder) as store:
        t = time.perf_counter()
        assert ingest_paths([settings.corpus_dir], store, embedder).ok
        ingest_s = time.perf_counter() - t
        got = store.collection.get(include=["documents", "metadatas", "embeddings"])
        import numpy as np

        base = {"documents": got["documents"], "metadatas": got["metadatas"],
                "vectors": np.asarray(got["embeddings"], dtype=np.float32)}
        ids, docs, metas, vecs = synthetic(base, size - len(got["ids"]))
        rate = fill(store.collection, ids, docs, metas, vecs)
        state = store.state()
        store.set_state(state.generation + 1, complete=True, roots=state.roots)
        return {"corpus_ingest_s": round(ingest_s, 1), "real_passages": len(got["ids"]),
                "synthetic_passages": len(ids), "synthetic_add_per_s": round(rate, 1)}


def copy_to_server(home: Path, port: int) -> None:
    """Signpost's three collections, as stored, into the server (no re-embedding)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.config import Settings

    name = Settings(home=home).collection
    local = chromadb.PersistentClient(path=str(Settings(home=home).index_dir),
                                      settings=ChromaSettings(anonymized_telemetry=False))
    server = http_client(port)
    for coll in (name, f"{name}__state", f"{name}__files"):
        src = local.get_collection(coll)
        dst = server.get_or_create_collection(coll, embedding_function=None, metadata=src.metadata)
        for offset in range(0, src.count(), 5000):  # pages: one unpaged get fails at 100k
            got = src.get(include=["documents", "metadatas", "embeddings"], limit=5000, offset=offset)
            fill(dst, got["ids"], got["documents"], got["metadatas"], got["embeddings"])


def measure(settings: Any, questions: list[str]) -> dict[str, Any]:
    from assistant.embeddings import get_embedder
    from assistant.service import build_assistant
    from assistant.store import open_store

    embedder = get_embedder(settings.models_dir)
    embedder.encode(["warm up"])
    out: dict[str, Any] = {}
    with open_store(settings, embedder) as store:
        assistant = build_assistant(settings, store, embedder)
        t = time.perf_counter()
        assistant.ask(Q)
        out["first_question_after_change_s"] = round(time.perf_counter() - t, 2)
        ms = []
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            ms.append((time.perf_counter() - t) * 1000)
        out["warm_whole_ask"] = summary(ms)
    return out


def cold_ask(home: Path, env_extra: dict[str, str]) -> dict[str, Any]:
    signpost = Path(sys.executable).with_name("signpost")
    env = {**__import__("os").environ, "SIGNPOST_HOME": str(home), **env_extra}
    times = []
    for _ in range(3):
        t = time.perf_counter()
        done = subprocess.run([str(signpost), "ask", "--json", Q], env=env, capture_output=True, text=True,
                              timeout=600)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            return {"error": done.stderr.strip()[-300:]}
    return {"best_s": round(min(times), 2), "median_s": round(sorted(times)[1], 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--name", default="whole-ask")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it (for profiling); "
                        "an index already there is reused")
    args = parser.parse_args()
    from assistant.config import Settings

    questions = [json.loads(x)["question"] for x in (ROOT / "evals" / "cases.jsonl").read_text().splitlines()
                 if x.strip()][: args.questions]
    report: dict[str, Any] = {"date": dt.date.today().isoformat(), "machine": machine(),
                              "budget_warm_p95_ms_100k": BUDGETS["warm_p95_ms_100k"], "questions": len(questions)}
    work = args.keep or Path(tempfile.mkdtemp(prefix="signpost-whole-ask-"))
    step = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: E731
    try:
        home = work / "home"
        if not (home / "index").exists():
            step(f"building a {args.size:,}-passage index")
            report["build"] = build_home(home, args.size)
        step("embedded: first question, warm questions")
        report["embedded"] = measure(Settings(home=home), questions)
        step("embedded: cold `signpost ask`")
        report["embedded"]["cold_ask"] = cold_ask(home, {})
        save(report, args.name)  # a run stopped later still leaves these figures
        proc, port = start_server(work / "server")
        try:
            step("server: copying the collections")
            copy_to_server(home, port)
            url = f"http://127.0.0.1:{port}"
            server_home = work / "server-home"  # its own data folder: lexical file and passage table
            step("server: first question, warm questions")
            report["server"] = measure(Settings(home=server_home, chroma_url=url), questions)
            report["server"]["cold_ask"] = cold_ask(server_home, {"SIGNPOST_CHROMA_URL": url})
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out = save(report, args.name)
    print(json.dumps(report, indent=2))
    step(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
