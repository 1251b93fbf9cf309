"""Incremental, idempotent ingest into a real Chroma with the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.store import open_store
from ingest.pipeline import ingest_paths
from tests.helpers import HTML, THREAD, write_note, write_pdf

pytestmark = pytest.mark.slow


def _docs(folder: Path) -> None:
    write_note(folder, "alpha", "Alpha note", "Alpha is about safety plans.", "Is alpha binding?", "No. Alpha is a voluntary plan.")
    write_note(folder, "beta", "Beta note", "Beta is about complaints.", "How long does beta take?", "Beta takes ten working days.")
    (folder / "page.html").write_text(HTML, "utf-8")
    (folder / "thread.txt").write_text(THREAD, "utf-8")
    write_pdf(folder / "leaflet.pdf", ["Page one about contact.", "Page two about reviews."])


def _ids_by_source(store) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    return {Path(k).name: set(v) for k, v in store.records_by_source().items()}


def test_second_run_embeds_nothing_edit_replaces_only_its_chunks_delete_removes(tmp_path: Path, embedder) -> None:
    docs = tmp_path / "docs"
    _docs(docs)
    settings = Settings(home=tmp_path / "home")
    with open_store(settings, embedder) as store:
        first = ingest_paths([docs], store, embedder)
        assert first.ok and first.files_read == 5 and first.added > 0
        before = _ids_by_source(store)

        reported: list[tuple[int, int]] = []
        second = ingest_paths([docs], store, embedder, progress=lambda done, total: reported.append((done, total)))
        assert (second.added, second.updated, second.deleted) == (0, 0, 0)
        assert second.unchanged == first.added
        # Nothing to embed: the progress callback never saw a passage (behaviour, not a time).
        assert all(total == 0 for _, total in reported)

        write_note(docs, "beta", "Beta note", "Beta is about complaints.", "How long does beta take?", "Beta now takes twenty working days.")
        third = ingest_paths([docs], store, embedder)
        after = _ids_by_source(store)
        assert third.added == 1 and third.deleted == 1
        assert after["beta.md"] != before["beta.md"]
        assert {k: v for k, v in after.items() if k != "beta.md"} == {k: v for k, v in before.items() if k != "beta.md"}

        (docs / "page.html").unlink()
        fourth = ingest_paths([docs], store, embedder)
        assert fourth.deleted == len(before["page.html"])
        assert "page.html" not in _ids_by_source(store)
        assert store.state().complete


def test_corrupt_pdf_is_reported_and_the_rest_is_ingested(tmp_path: Path, embedder) -> None:
    docs = tmp_path / "docs"
    _docs(docs)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7 truncated garbage")
    with open_store(Settings(home=tmp_path / "home"), embedder) as store:
        summary = ingest_paths([docs], store, embedder)
        assert not summary.ok
        assert [Path(p).name for p, _ in summary.failures] == ["broken.pdf"]
        assert "could not be read" in summary.failures[0][1]
        assert {"alpha.md", "beta.md", "leaflet.pdf", "page.html", "thread.txt"} <= set(_ids_by_source(store))
        assert "1 failed" in summary.line()


def test_every_corpus_chunk_fits_the_embedder_and_every_note_has_chunks(corpus_settings: Settings, embedder) -> None:
    with open_store(corpus_settings, embedder) as store:
        chunks = store.all_chunks()
    notes = {p.relative_to(corpus_settings.corpus_dir).with_suffix("").as_posix() for p in corpus_settings.corpus_dir.rglob("*.md")}
    assert notes <= {c.doc_id for c in chunks}
    too_long = [(c.doc_id, n) for c in chunks if (n := embedder.count_tokens(c.embedding_text())) > 256]
    assert not too_long


def test_an_index_made_at_chromas_default_search_width_is_widened_when_opened(tmp_path: Path, embedder) -> None:
    """Indexes built before EF_SEARCH searched at Chroma's default (approximate enough that two
    builds of the corpus gave different candidates); opening one widens it, nothing re-embedded."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.chroma_client import EF_SEARCH, register_embedding_function

    settings = Settings(home=tmp_path / "home")
    settings.index_dir.mkdir(parents=True)
    old = chromadb.PersistentClient(path=str(settings.index_dir), settings=ChromaSettings(anonymized_telemetry=False))
    old.get_or_create_collection(settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})
    register_embedding_function()
    assert old.get_collection(settings.collection).configuration["hnsw"]["ef_search"] < EF_SEARCH
    docs = tmp_path / "docs"
    write_note(docs, "records", "Seeing your file", "You can ask for your records.", "How long does a subject access request take?", "The council must reply within one month of a subject access request.")
    with open_store(settings, embedder) as store:
        ingest_paths([docs], store, embedder)
        hnsw = store.collection.configuration["hnsw"]
        assert hnsw["ef_search"] == EF_SEARCH and hnsw["space"] == "cosine"
        hit = store.query(embedder.embed_query("How long does a subject access request take?"), 1)
    assert hit and hit[0][1] > 0.5
