"""Speed and memory on this machine (a measurement, never a test).

Prints: ingest throughput beside the embedder's own throughput on the same chunks; re-ingest of
the unchanged corpus as a share of the full ingest; warm `ask` latency p50/p95 over the eval
questions (retrieval + extractive answer); time from process start to first answer; peak RSS.
Run: .venv/bin/python benchmarks/bench.py [--questions 60]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()

    from assistant.config import Settings
    from assistant.embeddings import get_embedder
    from assistant.service import open_assistant
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    home = Path(tempfile.mkdtemp(prefix="signpost-bench-"))
    settings = Settings(home=home)
    embedder = get_embedder()
    embedder.encode(["warm up"])

    with open_store(settings, embedder) as store:
        full = ingest_paths([settings.corpus_dir], store, embedder)
        again = ingest_paths([settings.corpus_dir], store, embedder)
        texts = [c.embedding_text() for c in store.all_chunks()]
    t = time.perf_counter()
    for i in range(0, len(texts), 64):
        embedder.encode(texts[i : i + 64])
    raw = time.perf_counter() - t

    questions = [json.loads(x)["question"] for x in (ROOT / "evals" / "cases.jsonl").read_text().splitlines() if x.strip()]
    questions = questions[: args.questions]
    with open_assistant(settings) as assistant:
        first_answer_s = time.perf_counter() - START
        assistant.ask("Is a safety plan legally binding?")
        latencies = []
        grounded = []  # retrieval + extractive answer only (the 50 ms budget), non-safety answers
        for q in questions:
            t = time.perf_counter()
            answer = assistant.ask(q)
            latencies.append((time.perf_counter() - t) * 1000)
            parts = dict(answer.timings_ms)
            if "retrieve" in parts:
                grounded.append(parts["retrieve"] + parts["answer"])

    print(f"chunks: {full.added}; full ingest {full.seconds:.1f} s ({full.embed_seconds:.1f} s embedding)")
    print(f"ingest throughput: {full.added / full.seconds:.1f} chunks/s; embedder alone on the same chunks: {len(texts) / raw:.1f} chunks/s; ratio {(full.added / full.seconds) / (len(texts) / raw):.2f}")
    print(f"re-ingest of unchanged corpus: {again.seconds:.2f} s = {100 * again.seconds / full.seconds:.1f}% of a full ingest (embedded {again.added})")
    print(f"warm ask over {len(latencies)} questions, whole call (triage included): p50 {statistics.median(latencies):.1f} ms, p95 {pct(latencies, 95):.1f} ms, max {max(latencies):.1f} ms")
    print(f"retrieval + extractive answer over {len(grounded)} questions: p50 {statistics.median(grounded):.1f} ms, p95 {pct(grounded, 95):.1f} ms")
    print(f"process start to first answer (including one full ingest): {first_answer_s:.1f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
