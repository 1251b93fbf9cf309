"""Hybrid retrieval: dense (Chroma) and BM25 over the same chunks, fused by reciprocal rank.

We fuse by hand rather than with LangChain's EnsembleRetriever because the answerer needs the
scores (the dense similarity decides `not_found`, and the eval reports ranks), which the
ensemble does not return. The BM25 index lives in memory and is rebuilt only when the store's
generation changes (after an ingest), never per question.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rank_bm25 import BM25Okapi

from assistant.embeddings import MiniLMEmbeddings
from assistant.store import Store
from assistant.text import tokens
from assistant.types import Chunk, Hit

RRF_K = 60
# At most this many passages from one document in the top k: one long Q&A thread should not
# crowd out the guidance note that answers the question.
PER_DOCUMENT = 2


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]: ...


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum of weight / (k + rank), best first."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def diversify(
    ranked: Sequence[tuple[str, float]], chunks: dict[str, Chunk], per_document: int
) -> list[tuple[str, float]]:
    """Keep the ranking, but move a document's passages beyond the first few to the end."""
    kept: list[tuple[str, float]] = []
    later: list[tuple[str, float]] = []
    seen: dict[str, int] = {}
    for cid, score in ranked:
        doc = chunks[cid].doc_id if cid in chunks else cid
        seen[doc] = seen.get(doc, 0) + 1
        (kept if seen[doc] <= per_document else later).append((cid, score))
    return kept + later


@dataclass(frozen=True)
class _Lexicon:
    generation: int
    chunks: dict[str, Chunk]
    ids: tuple[str, ...]
    bm25: BM25Okapi | None


class HybridRetriever:
    def __init__(self, store: Store, embedder: MiniLMEmbeddings, candidates: int = 20) -> None:
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self._lexicon: _Lexicon | None = None
        self._lock = threading.Lock()

    def lexicon(self) -> _Lexicon:
        """The in-memory chunk table and BM25 index, rebuilt only after an ingest."""
        generation = self.store.state().generation
        lex = self._lexicon
        if lex is not None and lex.generation == generation:
            return lex
        with self._lock:
            if self._lexicon is None or self._lexicon.generation != generation:
                chunks = {c.id: c for c in self.store.all_chunks()}
                ids = tuple(sorted(chunks))
                corpus = [tokens(chunks[i].embedding_text()) or ["_"] for i in ids]
                bm25 = BM25Okapi(corpus) if corpus else None
                self._lexicon = _Lexicon(generation, chunks, ids, bm25)
            return self._lexicon

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.lexicon().chunks.get(chunk_id)

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency for a token (0 for unknown tokens).

        Reads the lexicon built by the last `retrieve` without re-checking the store, because
        the answerer calls this once per word and each check is a round trip to Chroma.
        """
        lex = self._lexicon or self.lexicon()
        bm25 = lex.bm25
        return float(bm25.idf.get(token, 0.0)) if bm25 is not None else 0.0

    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]:
        lex = self.lexicon()
        if not lex.ids:
            return ()
        qvec = self.embedder.embed_query(query)
        dense = self.store.query(qvec, self.candidates)
        dense_ids = [cid for cid, _ in dense if cid in lex.chunks]
        similarity = dict(dense)
        sparse_ids: list[str] = []
        q_tokens = tokens(query)
        if lex.bm25 is not None and q_tokens:
            scores = lex.bm25.get_scores(q_tokens)
            order = sorted(range(len(scores)), key=lambda i: -scores[i])[: self.candidates]
            sparse_ids = [lex.ids[i] for i in order if scores[i] > 0]
        fused = diversify(reciprocal_rank_fusion([dense_ids, sparse_ids]), lex.chunks, PER_DOCUMENT)
        dense_rank = {cid: r for r, cid in enumerate(dense_ids, start=1)}
        sparse_rank = {cid: r for r, cid in enumerate(sparse_ids, start=1)}
        missing = [cid for cid, _ in fused[:k] if cid not in similarity]
        if missing:
            similarity.update(self._similarities(qvec, [lex.chunks[c] for c in missing]))
        return tuple(
            Hit(
                chunk=lex.chunks[cid],
                score=score,
                dense_similarity=float(similarity.get(cid, 0.0)),
                dense_rank=dense_rank.get(cid),
                bm25_rank=sparse_rank.get(cid),
            )
            for cid, score in fused[:k]
        )

    def _similarities(self, qvec: Sequence[float], chunks: list[Chunk]) -> dict[str, float]:
        """Dense similarity for chunks that only BM25 found (so every hit carries one)."""
        import numpy as np

        q = np.asarray(qvec, dtype=np.float32)
        got = self.store.collection.get(ids=[c.id for c in chunks], include=["embeddings"])
        return {
            cid: float(np.dot(q, np.asarray(e, dtype=np.float32)))
            for cid, e in zip(got["ids"], got["embeddings"], strict=True)
        }
