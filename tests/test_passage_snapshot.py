"""The passage table on disk: a new process reads it instead of every passage from Chroma, and
never uses it for an index that changed since it was written (real Chroma, real embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.passage_snapshot import PassageSnapshot
from assistant.types import Chunk
from tests.helpers import write_note


def _chunk(cid: str, section: str | None = "Q?", reviewed: str = "2026-11-01") -> Chunk:
    return Chunk(
        id=cid,
        doc_id="guidance/x",
        text=f"Text of {cid}.",
        title="X",
        source_path="/x.md",
        section=section,
        url="https://example.org/x",
        legal_force="guidance",
        reviewed=reviewed,
        position=3,
    )


def test_a_saved_table_loads_back_equal_under_its_key_only(tmp_path: Path) -> None:
    snap = PassageSnapshot(tmp_path / "lexical" / "c.passages.json")
    chunks = [_chunk("a"), _chunk("b", section=None)]
    snap.save("col:3", chunks)
    assert snap.load("col:3") == chunks
    assert snap.load("col:4") is None  # another generation
    assert snap.load("other:3") is None  # another collection
    assert not [p for p in snap.path.parent.iterdir() if p.name.startswith(".passages-")]  # no temp file left


@pytest.mark.parametrize(
    "content",
    ["", "{not json", '{"schema": 1, "key": "col:3", "rows": [["a"]]}', '{"schema": 99, "key": "col:3", "rows": []}', "[1, 2]"],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "c.passages.json"
    path.write_text(content, "utf-8")
    assert PassageSnapshot(path).load("col:3") is None


def test_a_folder_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "lexical"
    blocker.write_text("a file where the folder should be", "utf-8")
    snap = PassageSnapshot(blocker / "c.passages.json")
    snap.save("col:1", [_chunk("a")])  # nothing raised
    assert snap.load("col:1") is None


def _retriever(settings: Settings, store, embedder):  # type: ignore[no-untyped-def]
    from assistant.lexical import open_lexical
    from assistant.retrieval import HybridRetriever

    return HybridRetriever(
        store,
        embedder,
        open_lexical(settings.lexical_dir, settings.collection),
        snapshot=PassageSnapshot(settings.lexical_dir / f"{settings.collection}.passages.json"),
    )


def test_a_new_process_reads_the_table_from_disk_until_an_ingest_changes_the_index(tmp_path: Path, embedder) -> None:
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    notes = tmp_path / "notes"
    path = write_note(notes, "fgc", "Family group conferences", "Families plan.", "What is a family group conference?",
                      "A family group conference is a meeting of the wider family to make a plan for a child.")
    settings = Settings(home=tmp_path / "home")
    with open_store(settings, embedder) as store:
        assert ingest_paths([notes], store, embedder).ok
        first = _retriever(settings, store, embedder).lexicon()  # reads Chroma, writes the file
    snapshot_file = settings.lexical_dir / f"{settings.collection}.passages.json"
    assert snapshot_file.exists()

    with open_store(settings, embedder) as store:
        def refuse():  # type: ignore[no-untyped-def]
            raise AssertionError("read every passage from Chroma although the file matches this index")

        real_read = store.all_chunks
        store.all_chunks = refuse  # a spy on the real store: this process must use the file
        again = _retriever(settings, store, embedder).lexicon()
        assert again.chunks == first.chunks and again.sections == first.sections

        # Metadata-only edit (the reviewed date): same passage ids, new generation.
        path.write_text(path.read_text("utf-8").replace("reviewed: 2026-11-23", "reviewed: 2026-11-26"), "utf-8")
        assert ingest_paths([notes], store, embedder).ok
        store.all_chunks = real_read
        after = _retriever(settings, store, embedder).lexicon()
    assert set(after.chunks) == set(first.chunks)
    assert {c.reviewed for c in after.chunks.values()} == {"2026-11-26"}  # not the file's stale copy

    with open_store(settings, embedder) as store:
        store.all_chunks = refuse  # the file was rewritten for the new generation
        latest = _retriever(settings, store, embedder).lexicon()
    assert {c.reviewed for c in latest.chunks.values()} == {"2026-11-26"}


def test_the_file_is_not_used_when_the_store_holds_other_passages(tmp_path: Path, embedder) -> None:
    """Same key, different ids (e.g. passages removed behind the index's back): read the store."""
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    notes = tmp_path / "notes"
    write_note(notes, "contact", "Contact centres", "A safe place.", "What is a contact centre?",
               "A contact centre is a safe place where children can spend time with a parent they do not live with.")
    settings = Settings(home=tmp_path / "home")
    with open_store(settings, embedder) as store:
        assert ingest_paths([notes], store, embedder).ok
        full = _retriever(settings, store, embedder).lexicon()
        gone = sorted(full.chunks)[0]
        store.delete([gone])  # no ingest, so no new generation
        fresh = _retriever(settings, store, embedder).lexicon()
    assert gone not in fresh.chunks and len(fresh.chunks) == len(full.chunks) - 1


def test_every_passage_is_read_in_pages(tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading all passages pages through the store (one unpaged read fails in Chroma at ~100k)."""
    import assistant.store as store_module
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    notes = tmp_path / "notes"
    for i in range(4):
        write_note(notes, f"n{i}", f"Note {i}", "Short.", f"What is thing {i}?", f"Thing {i} is a test passage number {i}.")
    settings = Settings(home=tmp_path / "home")
    with open_store(settings, embedder) as store:
        assert ingest_paths([notes], store, embedder).ok
        whole = {c.id: c for c in store.all_chunks()}
        by_source = store.records_by_source()
        monkeypatch.setattr(store_module, "READ_PAGE", 3)
        paged = store.all_chunks()
        assert len(whole) > 6  # several pages of 3, the last one short
        assert {c.id: c for c in paged} == whole and len(paged) == len(whole)
        assert store.records_by_source() == by_source
