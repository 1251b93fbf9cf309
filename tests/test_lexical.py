"""The lexical index: BM25Okapi's scores from an index kept in step with a real Chroma store."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from assistant import lexical
from assistant.lexical import CollectionSource, LexicalIndex, open_lexical
from assistant.text import tokens

WORDS = (
    "safety plan child protection conference social worker review complaint stage ombudsman "
    "assessment section s47 enquiry parent carer family contact supervised court order legal aid "
    "advocate meeting minutes core group written agreement threshold neglect school health visitor"
).split()


def _passage(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40))) + "."


@pytest.fixture()
def collection(tmp_path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_or_create_collection("lexical-test", embedding_function=None, metadata={"hnsw:space": "cosine"})


def _add(collection, rng: random.Random, start: int, n: int) -> list[str]:
    ids = [f"c{i:05d}" for i in range(start, start + n)]
    collection.add(
        ids=ids,
        documents=[_passage(rng) for _ in ids],
        metadatas=[{"doc_id": f"d{i}", "title": f"Note {i % 7}"} for i in range(start, start + n)],
        embeddings=np.random.default_rng(start).random((n, 8)).tolist(),
    )
    return ids


def _reference(collection) -> tuple[list[str], BM25Okapi]:
    """rank-bm25 over everything the store holds: the score-everything index this replaces."""
    source = CollectionSource(collection)
    ids = sorted(source.ids())
    texts = source.texts(ids)
    return ids, BM25Okapi([tokens(texts[i]) for i in ids])


def _assert_matches_rank_bm25(index: LexicalIndex, collection, queries: list[str]) -> None:
    ids, ref = _reference(collection)
    for q in queries:
        scores = ref.get_scores(tokens(q))
        want = {ids[i]: s for i, s in enumerate(scores) if s > 0}
        got = dict(index.search(q, k=len(ids)))
        assert got.keys() == want.keys(), q
        for cid, score in got.items():
            assert score == pytest.approx(want[cid], rel=1e-9, abs=1e-9)
        best = index.search(q, k=5)
        assert [s for _, s in best] == sorted((s for _, s in best), reverse=True)
        assert best[0][1] == pytest.approx(max(want.values()))
    for word in ["plan", "ombudsman", "s47", "review", "notaword"]:
        assert index.idf(word) == pytest.approx(ref.idf.get(word, 0.0), abs=1e-12)


QUERIES = [
    "Is a safety plan legally binding?",
    "how do I complain to the ombudsman after stage 2",
    "s47 enquiry and a child protection conference",
    "supervised contact court order",
    "plan plan plan",  # repeated words count as often as rank-bm25 counts them
]


def test_scores_and_idf_equal_rank_bm25(collection) -> None:
    rng = random.Random(1)
    _add(collection, rng, 0, 300)
    index = LexicalIndex(None)
    report = index.sync(CollectionSource(collection))
    assert (report.added, report.removed, report.tokenised) == (300, 0, 300)
    _assert_matches_rank_bm25(index, collection, QUERIES)
    assert index.search("nothing matches here zzz", 5) == []
    assert index.search("", 5) == []


def test_sync_adds_and_removes_only_the_difference(collection) -> None:
    rng = random.Random(2)
    first = _add(collection, rng, 0, 200)
    index = LexicalIndex(None)
    index.sync(CollectionSource(collection))
    _add(collection, rng, 200, 50)
    collection.delete(ids=first[:30])
    report = index.sync(CollectionSource(collection))
    assert (report.added, report.removed, report.tokenised) == (50, 30, 50)
    assert len(index) == 220
    assert not {cid for cid, _ in index.search("plan review court", 500)} & set(first[:30])
    _assert_matches_rank_bm25(index, collection, QUERIES)
    assert index.sync(CollectionSource(collection)) == lexical.SyncReport(0, 0, 0)


def test_many_small_syncs_merge_segments_and_stay_exact(collection) -> None:
    rng = random.Random(3)
    index = LexicalIndex(None)
    for round_ in range(lexical.MAX_SEGMENTS + 4):
        ids = _add(collection, rng, round_ * 20, 20)
        collection.delete(ids=ids[:3])
        index.sync(CollectionSource(collection))
    assert len(index._segments) <= lexical.MAX_SEGMENTS
    _assert_matches_rank_bm25(index, collection, QUERIES)


def test_processes_sharing_a_file_and_a_store_stay_consistent(collection, tmp_path: Path) -> None:
    """Two app processes on one data folder and one Chroma (one ingests, both answer)."""
    rng = random.Random(4)
    first = _add(collection, rng, 0, 100)
    a = open_lexical(tmp_path / "lexical", "signpost")
    b = open_lexical(tmp_path / "lexical", "signpost")
    assert a.sync(CollectionSource(collection)).tokenised == 100
    assert b.sync(CollectionSource(collection)).tokenised == 0  # read from the file A wrote
    _add(collection, rng, 100, 10)  # an outside ingest
    collection.delete(ids=first[:5])
    assert b.sync(CollectionSource(collection)) == lexical.SyncReport(10, 5, 10)
    assert a.sync(CollectionSource(collection)) == lexical.SyncReport(10, 5, 0)
    for q in QUERIES:
        assert a.search(q, 10) == b.search(q, 10)
    _assert_matches_rank_bm25(a, collection, QUERIES)
    a.close()
    reopened = open_lexical(tmp_path / "lexical", "signpost")  # a new process: nothing tokenised
    assert reopened.sync(CollectionSource(collection)) == lexical.SyncReport(105, 0, 0)
    _assert_matches_rank_bm25(reopened, collection, QUERIES)


def test_a_changed_tokeniser_rebuilds_the_file(collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add(collection, random.Random(5), 0, 40)
    open_lexical(tmp_path, "c").sync(CollectionSource(collection))
    monkeypatch.setattr(lexical, "tokeniser_fingerprint", lambda: "something-else")
    again = open_lexical(tmp_path, "c")
    assert again.sync(CollectionSource(collection)).tokenised == 40
