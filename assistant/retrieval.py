"""Hybrid retrieval by section: dense (Chroma) over passages and heading/`asks` phrasings, and
BM25 (assistant/lexical.py), each measured per section and weighed together.

We combine by hand rather than with LangChain's EnsembleRetriever because the answerer and the
gate need the measures themselves (heading similarity, passage similarity), which the ensemble's
rank fusion does not return. The chunk table is rebuilt only when the store's generation changes
(after an ingest), never per question; `chains.SignpostRetriever` offers this as a BaseRetriever.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.contrasts import load_contrasts
from assistant.embeddings import MiniLMEmbeddings
from assistant.lexical import CollectionSource, LexicalIndex
from assistant.passage_snapshot import PassageSnapshot
from assistant.question_kinds import NARROW_KINDS, wh_kind
from assistant.store import IndexState, Store
from assistant.types import Chunk, Hit

SectionKey = tuple[str, str | None, int | None]
# At most this many passages from one document in the top k: one long Q&A thread should not
# crowd out the guidance note that answers the question.
PER_DOCUMENT = 2


class Retriever(Protocol):
    """What the assistant needs of a retriever: sections for answering, passages for evals."""

    def sections(self, query: str, k: int) -> tuple[SectionHit, ...]: ...

    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]: ...

    def chunk(self, chunk_id: str) -> Chunk | None: ...

    def idf(self, token: str) -> float: ...


@dataclass(frozen=True)
class SectionHit:
    """A section of a note (the unit of answering) with the evidence that it answers a question."""

    key: tuple[str, str | None, int | None]
    chunks: tuple[Chunk, ...]  # the section's passages, in reading order
    score: float  # fused rank score
    similarity: float  # best dense similarity of its passages or its questions
    question_similarity: float  # best similarity of its heading or an `asks` phrasing
    best: Chunk  # the passage that matched best
    dense_rank: int | None = None
    text_similarity: float = 0.0  # best similarity of its passages alone
    bm25_rank: int | None = None
    # The note's "In short" paragraph: its key facts in a few plain sentences (every note has one;
    # see CONTRACTS.md). The answerer may add from it what the section's opening lacks.
    summary: Chunk | None = None

    @property
    def doc_id(self) -> str:
        return self.key[0]


@dataclass(frozen=True)
class _Lexicon:
    generation: int
    chunks: dict[str, Chunk]
    ids: tuple[str, ...]
    sections: dict[tuple[str, str | None, int | None], tuple[Chunk, ...]]
    questions: dict[tuple[str, str | None, int | None], tuple[Chunk, ...]]
    # Stored vectors fetched for rescoring, kept for this index generation: the same popular
    # sections are rescored question after question, and each fetch was a Chroma call (~1 ms of a
    # ~20 ms warm ask, measured). Filled lazily, so opening the index costs nothing more.
    vectors: dict[str, Any] = field(default_factory=dict)


# How a section's three measures add up. The heading/`asks` match counts most: question-to-
# question similarity is what MiniLM does best, and our headings are the questions. The passage
# match keeps a near-miss heading from winning over the section whose text answers; BM25 (scaled
# to the best match of the query) rewards the exact words, such as "s47" or "stage 2".
QUESTION_WEIGHT = 0.5
TEXT_WEIGHT = 0.35
BM25_WEIGHT = 0.15
SUMMARY_SECTION = "In short"  # the section name the loader gives a note's opening summary
RESCORE = 12  # candidates measured on every signal before the final ranking
# Q&A replies are practical and kind but less authoritative than the guidance notes.
QA_WEIGHT = 0.93
# Added to a section whose heading asks the same kind of question as the query ("What is...?",
# "How long...?", "Who...?"; assistant/question_kinds.py). MiniLM scores "What is a family group
# conference?" and "When can we have a family group conference?" within 0.01 of each other for
# "What is an FGC?"; this is about the gap between a right and a wrong neighbour in the same
# note, and well under the gap between topics (checked on the dev sets).
SAME_KIND_BONUS = 0.03
# Taken from a section whose heading names another sibling process than the query does (a child
# protection plan for a child in need plan; assistant/data/contrasts.yaml). The wrong sibling led
# by 0.03-0.05 in the dev cases that prompted it; topic gaps between notes are ~0.1 and more.
CONTRAST_PENALTY = 0.06
# Taken from a section whose heading asks for another narrow kind of fact than the query ("What
# is a review conference?" for "When is the first review held?"): the definition led by 0.002.
# Same size as the bonus, so a right-kind heading still needs to be about the right topic.
KIND_MISMATCH_PENALTY = 0.03


class HybridRetriever:
    """Dense (Chroma) and BM25 search over passages and section questions, ranked by section."""

    def __init__(
        self,
        store: Store,
        embedder: MiniLMEmbeddings,
        lexical: LexicalIndex | None = None,
        candidates: int = 60,
        snapshot: PassageSnapshot | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        # BM25 answers from an inverted index kept in step with the store (assistant/lexical.py);
        # in memory only when no folder is given (tests, one-off tools).
        self.lexical = lexical if lexical is not None else LexicalIndex(None)
        self.candidates = candidates
        # The passage table on disk for the next process (assistant/passage_snapshot.py); None
        # reads it from the store every time (tests, one-off tools).
        self.snapshot = snapshot
        self._lexicon: _Lexicon | None = None
        self._lock = threading.Lock()

    def lexicon(self) -> _Lexicon:
        """The in-memory chunk table and BM25 index, rebuilt only after an ingest."""
        state = self.store.state()
        generation = state.generation
        lex = self._lexicon
        if lex is not None and lex.generation == generation:
            return lex
        with self._lock:
            if self._lexicon is None or self._lexicon.generation != generation:
                source = CollectionSource(self.store.collection)
                self.lexical.sync(source)
                chunks = {c.id: c for c in self._passages(state, source.ids())}
                ids = tuple(sorted(chunks))
                grouped: dict[SectionKey, list[Chunk]] = {}
                asked: dict[SectionKey, list[Chunk]] = {}
                for c in chunks.values():
                    (asked if c.is_question else grouped).setdefault(c.section_key(), []).append(c)
                sections = {
                    k: tuple(sorted(v, key=lambda c: (c.position, c.id)))
                    for k, v in grouped.items()
                }
                questions = {k: tuple(v) for k, v in asked.items()}
                self._lexicon = _Lexicon(generation, chunks, ids, sections, questions)
            return self._lexicon

    def _passages(self, state: IndexState, store_ids: Collection[str]) -> list[Chunk]:
        """Every passage: from the snapshot when it matches this finished index, else the store."""
        key = None
        if self.snapshot is not None and state.complete and state.pending is None:
            key = f"{self.store.collection.id}:{state.generation}"
            saved = self.snapshot.load(key)
            if saved is not None and len(saved) == len(store_ids) and {c.id for c in saved} == set(store_ids):
                return saved
        chunks = self.store.all_chunks()
        if key is not None and self.snapshot is not None:
            after = self.store.state()  # an ingest that finished meanwhile: do not file its passages under `key`
            if (after.generation, after.complete, after.pending) == (state.generation, True, None):
                self.snapshot.save(key, chunks)
        return chunks

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.lexicon().chunks.get(chunk_id)

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency for a token (0 for unknown tokens)."""
        return self.lexical.idf(token)

    def sections(self, query: str, k: int) -> tuple[SectionHit, ...]:
        """The k sections that best answer `query`, best first, at most PER_DOCUMENT per note.

        A section is scored by its best heading/`asks` match, its best passage match and its
        best BM25 match, each measured (not just ranked), so a near-exact question match counts
        for what it is. Headings and passages are searched separately so neither crowds out
        the other among the dense candidates.
        """
        lex = self.lexicon()
        if not lex.ids:
            return ()
        qvec = self.embedder.embed_query(query)
        q_sim: dict[SectionKey, float] = {}
        t_sim: dict[SectionKey, float] = {}
        best: dict[SectionKey, tuple[float, Chunk]] = {}
        dense_rank: dict[SectionKey, int] = {}
        # One unfiltered query, split by role here: Chroma's `where` filter made each query
        # ~13 ms instead of ~2 ms on the shipped corpus (measured), and two of them per question
        # were most of the warm latency. Sections the candidates miss on one side are measured
        # directly below (RESCORE), so neither side is lost.
        for rank, (cid, sim) in enumerate(self.store.query(qvec, 3 * self.candidates), start=1):
            c = lex.chunks.get(cid)
            if c is None or c.section_key() not in lex.sections:
                continue
            self._note(c, sim, q_sim, t_sim, best)
            dense_rank[c.section_key()] = min(rank, dense_rank.get(c.section_key(), rank))
        lexical: dict[SectionKey, float] = {}
        bm25_rank: dict[SectionKey, int] = {}
        found = self.lexical.search(query, self.candidates)
        top = found[0][1] if found else 0.0
        for cid, value in found:
            c = lex.chunks.get(cid)
            if c is None or top <= 0:
                continue
            key = c.section_key()
            if key in lex.sections and key not in lexical:
                lexical[key] = value / top
                bm25_rank[key] = len(bm25_rank) + 1

        kind = wh_kind(query)
        contrasts = load_contrasts()
        named = contrasts.named(query)  # once per query: ~20% of a warm ask when done per section
        adjust: dict[SectionKey, float] = {}

        def heading_adjustment(key: SectionKey) -> float:
            if key not in adjust:
                heading = key[1]
                asked = wh_kind(heading) if heading else None
                adjust[key] = 0.0 if not heading else (
                    (SAME_KIND_BONUS if kind is not None and asked == kind else 0.0)
                    - (KIND_MISMATCH_PENALTY if kind in NARROW_KINDS and asked not in (None, kind) else 0.0)
                    - (CONTRAST_PENALTY if contrasts.conflicts_named(named, heading) else 0.0)
                )
            return adjust[key]

        def fused(key: SectionKey, qs: float, ts: float) -> float:
            value = (
                QUESTION_WEIGHT * qs
                + TEXT_WEIGHT * ts
                + BM25_WEIGHT * lexical.get(key, 0.0)
                + heading_adjustment(key)
            )
            return value * (QA_WEIGHT if lex.sections[key][0].kind == "qa" else 1.0)

        def score(key: SectionKey) -> float:
            return fused(key, q_sim.get(key, 0.0), t_sim.get(key, 0.0))

        def provisional(key: SectionKey) -> float:
            # A section the dense candidates found on one side only is ranked for rescoring as if
            # its other side matched as well: counted as 0 it fell out of the top RESCORE and was
            # never measured ("Which agencies take part in a child protection strategy
            # discussion?": the strategy note's text and BM25 led, but its headings and asks were
            # crowded out by the many child protection plan asks, so it ranked nowhere).
            qs, ts = q_sim.get(key), t_sim.get(key)
            return fused(key, qs if qs is not None else ts or 0.0, ts if ts is not None else qs or 0.0)

        candidates = sorted({*q_sim, *t_sim, *lexical}, key=lambda key: -provisional(key))[:RESCORE]
        unmeasured = [key for key in candidates if key not in q_sim or key not in t_sim]
        if unmeasured:
            chunks = [
                c for key in unmeasured for c in (*lex.sections[key], *lex.questions.get(key, ()))
            ]
            for c, sim in self._similarities(lex, qvec, chunks):
                self._note(c, sim, q_sim, t_sim, best)
        ranked = sorted(candidates, key=lambda key: (-score(key), repr(key)))
        out: list[SectionHit] = []
        per_doc: dict[str, int] = {}
        for key in ranked:
            if per_doc.get(key[0], 0) >= PER_DOCUMENT:
                continue
            per_doc[key[0]] = per_doc.get(key[0], 0) + 1
            chunks_ = lex.sections[key]
            qs, ts = q_sim.get(key, 0.0), t_sim.get(key, 0.0)
            out.append(
                SectionHit(
                    key=key,
                    chunks=chunks_,
                    score=score(key),
                    similarity=max(qs, ts),
                    question_similarity=qs,
                    best=best.get(key, (0.0, chunks_[0]))[1],
                    dense_rank=dense_rank.get(key),
                    bm25_rank=bm25_rank.get(key),
                    text_similarity=ts,
                    summary=next(iter(lex.sections.get((key[0], SUMMARY_SECTION, None), ())), None),
                )
            )
            if len(out) >= k:
                break
        return tuple(out)

    @staticmethod
    def _note(
        c: Chunk,
        sim: float,
        q_sim: dict[SectionKey, float],
        t_sim: dict[SectionKey, float],
        best: dict[SectionKey, tuple[float, Chunk]],
    ) -> None:
        key = c.section_key()
        target = q_sim if c.is_question else t_sim
        target[key] = max(target.get(key, -1.0), sim)
        if not c.is_question and (key not in best or sim > best[key][0]):
            best[key] = (sim, c)

    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]:
        """The best passage of each of the k best sections (the eval's view of retrieval)."""
        return tuple(
            Hit(
                chunk=s.best,
                score=s.score,
                dense_similarity=s.similarity,
                dense_rank=s.dense_rank,
                bm25_rank=s.bm25_rank,
            )
            for s in self.sections(query, k)
        )

    def _similarities(
        self, lex: _Lexicon, qvec: Sequence[float], chunks: list[Chunk]
    ) -> list[tuple[Chunk, float]]:
        """Dense similarity of the query to chunks the candidate searches did not return."""
        import numpy as np

        if not chunks:
            return []
        q = np.asarray(qvec, dtype=np.float32)
        vectors = lex.vectors
        missing = [c.id for c in chunks if c.id not in vectors]
        if missing:
            got = self.store.get(missing, include=["embeddings"])  # timeouts, clear errors
            for cid, e in zip(got["ids"], got["embeddings"], strict=True):
                vectors[cid] = np.asarray(e, dtype=np.float32)
        return [(c, float(np.dot(q, vectors[c.id]))) for c in chunks if c.id in vectors]
