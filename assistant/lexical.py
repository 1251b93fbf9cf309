"""Lexical (BM25) search from an inverted index kept in step with the Chroma store.

Why this design (measured on the 2-core machine, 100k synthetic 150-word passages):
- Chroma 1.5.9 has sparse vectors and hybrid `search()`, but only in distributed/hosted Chroma:
  the embedded client says "Sparse vector indexing is not enabled in local" and "Search is not
  implemented for Local Chroma".
- SQLite FTS5 is compiled in, but ranking an OR of a question's ~10 words with `bm25()` visits
  every passage that has any of them: 1.6 s p50 at 100k. bm25s is fast to query but cannot add
  or remove documents without a rebuild.
- So: postings in numpy arrays, scored with vectorised BM25 (only the query's terms' postings are
  touched: ~10-20 ms at 100k), and the same formula and parameters as rank-bm25's BM25Okapi, which
  this replaces, so rankings and the answerer's word weights do not move.

Persistence: tokenising is the slow part (~0.2 ms a passage in Python), so each passage's term
counts are kept in SQLite at `SIGNPOST_HOME/lexical/<collection>.sqlite3`. A process loads them
into memory once, then `sync` brings it in step with the store by id difference only: ids the
store has and we lack are read from the file (or, if no process has seen them yet, fetched from
the store, tokenised and written to the file); ids we hold that the store lost are dropped. That
is correct with several processes sharing one Chroma server or one data folder, and after an
ingest by another process. New passages go into a small segment; segments merge when there are
many, so an ingest never rebuilds the whole index.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.text import STOPWORDS, tokens
from assistant.types import Chunk

# rank-bm25's BM25Okapi defaults, kept so rankings match the score-everything index replaced.
K1 = 1.5
B = 0.75
EPSILON = 0.25  # a word in more than half the passages gets this share of the average idf
MAX_SEGMENTS = 8  # merge beyond this: each extra segment adds a searchsorted per query word
BATCH = 500  # ids per SQLite `IN (...)` and per store fetch (SQLite allows 32766 variables)
SCHEMA = 1
_PROBE = "Reviewed plans, conferences and the child's worries: don’t 47 s47 CIN studies"


def tokeniser_fingerprint() -> str:
    """Changes whenever `assistant.text.tokens` would tokenise differently: the file is rebuilt."""
    probe = " ".join(tokens(_PROBE)) + "|" + " ".join(sorted(STOPWORDS))
    return hashlib.sha256(f"{SCHEMA}|{probe}".encode()).hexdigest()[:16]


class LexicalSource(Protocol):
    """What `sync` reads: every id in the store, and the text to index for some of them."""

    def ids(self) -> Collection[str]: ...

    def texts(self, ids: Sequence[str]) -> Mapping[str, str]: ...


class CollectionSource:
    """A Chroma collection as a LexicalSource; passages are indexed as the embedder reads them."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self._ids: frozenset[str] | None = None

    def ids(self) -> Collection[str]:
        """Read once per source, so the retriever checks its passage table against the same ids."""
        if self._ids is None:
            self._ids = frozenset(self.collection.get(include=[])["ids"])
        return self._ids

    def texts(self, ids: Sequence[str]) -> Mapping[str, str]:
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {
            cid: Chunk.from_stored(cid, doc or "", dict(meta or {})).embedding_text()
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }


@dataclass(frozen=True)
class SyncReport:
    added: int
    removed: int
    tokenised: int  # of the added, how many no process had tokenised before


@dataclass(frozen=True)
class _Segment:
    """Postings sorted by term id: term `t` occupies tids[lo:hi] found by searchsorted."""

    tids: np.ndarray
    slots: np.ndarray
    tfs: np.ndarray


class LexicalIndex:
    """BM25 over the store's passages; `sync` before searching whenever the store may have changed."""

    def __init__(self, path: Path | None) -> None:
        """`path` is the SQLite file (`settings.lexical_dir / f"{collection}.sqlite3"`); None keeps
        everything in memory (tests, benchmarks)."""
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self._lock = threading.RLock()
        self._prepare_file()
        self._vocab: dict[str, int] = dict(self._db.execute("SELECT term, tid FROM vocab"))
        self._ids: list[str | None] = []
        self._slot_of: dict[str, int] = {}
        self._lengths = np.zeros(0, dtype=np.float64)
        self._alive = np.zeros(0, dtype=bool)
        self._df = np.zeros(0, dtype=np.int64)
        self._segments: list[_Segment] = []
        self._idf = np.zeros(0, dtype=np.float64)

    # --- the file --------------------------------------------------------------------------
    def _prepare_file(self) -> None:
        db = self._db
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, tid INTEGER UNIQUE)")
            db.execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, length INTEGER, terms BLOB)")
            row = db.execute("SELECT value FROM meta WHERE key='tokeniser'").fetchone()
            if row is None or row[0] != tokeniser_fingerprint():
                db.execute("DELETE FROM docs")
                db.execute("DELETE FROM vocab")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('tokeniser', ?)", (tokeniser_fingerprint(),))

    def _read_rows(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        out: dict[str, tuple[int, bytes]] = {}
        for i in range(0, len(ids), BATCH):
            part = list(ids[i : i + BATCH])
            marks = ",".join("?" * len(part))
            for cid, length, blob in self._db.execute(f"SELECT id, length, terms FROM docs WHERE id IN ({marks})", part):
                out[cid] = (length, blob)
        return out

    def _tokenise_and_write(self, texts: Mapping[str, str]) -> dict[str, tuple[int, bytes]]:
        """Term counts for new passages, written to the file (one transaction, ids assigned inside)."""
        counted = {cid: Counter(tokens(text)) for cid, text in texts.items()}
        rows: dict[str, tuple[int, bytes]] = {}
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")  # another process may be adding words right now
            self._vocab.update(self._db.execute("SELECT term, tid FROM vocab"))
            new_terms = sorted({t for c in counted.values() for t in c} - self._vocab.keys())
            next_tid = int(self._db.execute("SELECT COALESCE(MAX(tid), -1) + 1 FROM vocab").fetchone()[0])
            for offset, term in enumerate(new_terms):
                self._vocab[term] = next_tid + offset
            self._db.executemany("INSERT INTO vocab VALUES (?, ?)", [(t, self._vocab[t]) for t in new_terms])
            for cid, counts in counted.items():
                pairs = np.asarray([(self._vocab[t], n) for t, n in counts.items()], dtype=np.int32).reshape(-1, 2)
                rows[cid] = (int(sum(counts.values())), pairs.tobytes())
            self._db.executemany("INSERT OR IGNORE INTO docs VALUES (?, ?, ?)", [(c, n, b) for c, (n, b) in rows.items()])
        return rows

    # --- keeping in step -------------------------------------------------------------------
    def sync(self, source: LexicalSource) -> SyncReport:
        """Add the passages the store has and this index lacks; drop those the store lost."""
        with self._lock:
            store_ids = set(source.ids())
            held = set(self._slot_of)
            gone = held - store_ids
            new = sorted(store_ids - held)
            rows = self._read_rows(new)
            unseen = [cid for cid in new if cid not in rows]
            texts: dict[str, str] = {}
            for i in range(0, len(unseen), BATCH):
                texts.update(source.texts(unseen[i : i + BATCH]))
            if texts:
                rows.update(self._tokenise_and_write(texts))
                self._vocab.update(self._db.execute("SELECT term, tid FROM vocab"))
            self._forget_in_file(store_ids)
            self._remove(gone)
            self._add([(cid, *rows[cid]) for cid in new if cid in rows])
            self._refresh_idf()
            return SyncReport(added=len(new), removed=len(gone), tokenised=len(texts))

    def _forget_in_file(self, store_ids: set[str]) -> None:
        """Delete rows for passages the store no longer has (whoever tokenised them)."""
        stale = [cid for (cid,) in self._db.execute("SELECT id FROM docs") if cid not in store_ids]
        if stale:
            with self._db:
                self._db.executemany("DELETE FROM docs WHERE id = ?", [(c,) for c in stale])

    def _remove(self, ids: Iterable[str]) -> None:
        slots = np.asarray([self._slot_of.pop(cid) for cid in ids], dtype=np.int64)
        if not slots.size:
            return
        for slot in slots.tolist():
            self._ids[slot] = None
        self._alive[slots] = False
        for seg in self._segments:  # their words no longer count towards document frequency
            hit = np.isin(seg.slots, slots)
            np.subtract.at(self._df, seg.tids[hit], 1)

    def _add(self, rows: Sequence[tuple[str, int, bytes]]) -> None:
        if not rows:
            return
        first = len(self._ids)
        pairs = [np.frombuffer(blob, dtype=np.int32).reshape(-1, 2) for _, _, blob in rows]
        counts = np.asarray([len(p) for p in pairs], dtype=np.int64)
        flat = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int32)
        slots = np.repeat(np.arange(first, first + len(rows), dtype=np.int64), counts)
        for offset, (cid, _, _) in enumerate(rows):
            self._slot_of[cid] = first + offset
            self._ids.append(cid)
        self._lengths = np.concatenate([self._lengths, np.asarray([n for _, n, _ in rows], dtype=np.float64)])
        self._alive = np.concatenate([self._alive, np.ones(len(rows), dtype=bool)])
        size = max(len(self._vocab), int(flat[:, 0].max()) + 1 if len(flat) else 0)
        if size > len(self._df):
            self._df = np.concatenate([self._df, np.zeros(size - len(self._df), dtype=np.int64)])
        np.add.at(self._df, flat[:, 0], 1)
        self._segments.append(_segment(flat[:, 0], slots, flat[:, 1]))
        if len(self._segments) > MAX_SEGMENTS:
            self._merge()

    def _merge(self) -> None:
        """One segment from many, without the postings of removed passages."""
        tids = np.concatenate([s.tids for s in self._segments])
        slots = np.concatenate([s.slots for s in self._segments])
        tfs = np.concatenate([s.tfs for s in self._segments])
        keep = self._alive[slots]
        self._segments = [_segment(tids[keep], slots[keep], tfs[keep])]

    def _refresh_idf(self) -> None:
        """BM25Okapi's idf: log((N - n + 0.5) / (n + 0.5)), floored at EPSILON x the mean idf."""
        n_docs = len(self._slot_of)
        df = self._df.astype(np.float64)
        raw = np.log(n_docs - df + 0.5) - np.log(df + 0.5) if n_docs else np.zeros_like(df)
        present = self._df > 0
        average = float(raw[present].mean()) if present.any() else 0.0
        self._idf = np.where(present, np.where(raw < 0, EPSILON * average, raw), 0.0)

    # --- reading ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot_of)

    def ids(self) -> set[str]:
        return set(self._slot_of)

    def idf(self, token: str) -> float:
        """BM25 inverse document frequency of an already tokenised word (0 for unknown words)."""
        tid = self._vocab.get(token)
        idf = self._idf
        return float(idf[tid]) if tid is not None and tid < len(idf) else 0.0

    def search(self, query_text: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the k best passages with any query word, best first."""
        with self._lock:
            n_slots = len(self._ids)
            if not n_slots or k <= 0:
                return []
            wanted = Counter(tokens(query_text))
            avgdl = float(self._lengths[self._alive].mean()) or 1.0
            norm = K1 * (1 - B + B * self._lengths / avgdl)
            scores = np.zeros(n_slots, dtype=np.float64)
            for term, times in wanted.items():
                tid = self._vocab.get(term)
                if tid is None or tid >= len(self._idf) or self._idf[tid] == 0.0:
                    continue
                weight = times * self._idf[tid]
                for seg in self._segments:
                    lo, hi = np.searchsorted(seg.tids, [tid, tid + 1])
                    if hi > lo:
                        slots, tf = seg.slots[lo:hi], seg.tfs[lo:hi]
                        scores[slots] += weight * tf * (K1 + 1) / (tf + norm[slots])
            scores[~self._alive] = 0.0
            found = np.flatnonzero(scores > 0)
            if len(found) > k:
                found = found[np.argpartition(-scores[found], k - 1)[:k]]
            ranked = sorted(found.tolist(), key=lambda s: (-scores[s], self._ids[s]))
            return [(str(self._ids[s]), float(scores[s])) for s in ranked]

    def close(self) -> None:
        self._db.close()


def _segment(tids: np.ndarray, slots: np.ndarray, tfs: np.ndarray) -> _Segment:
    order = np.argsort(tids, kind="stable")
    return _Segment(
        tids=tids[order].astype(np.int32), slots=slots[order].astype(np.int64), tfs=tfs[order].astype(np.float64)
    )


def open_lexical(lexical_dir: Path, collection: str) -> LexicalIndex:
    """The lexical index file for one collection (created empty; `sync` fills it)."""
    return LexicalIndex(lexical_dir / f"{collection}.sqlite3")

