"""Shared checks for the robustness tests: what a store holds, and whether it is consistent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.store import Store
from tests.helpers import write_note


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a reader can see: chunks (text and metadata) and per-file markers."""
    got = store.collection.get(include=["documents", "metadatas"])
    chunks = {cid: (doc, tuple(sorted(meta.items()))) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)}
    markers = {s: (m.file_sha, m.doc_id, m.chunk_ids) for s, m in store.file_markers().items()}
    return {"chunks": chunks, "markers": markers}


def assert_consistent(store: Store) -> None:
    """Finished state, and every stored chunk belongs to exactly one file marker that lists it."""
    state = store.state()
    assert state.complete and state.pending is None, state
    markers = store.file_markers()
    by_source = {s: set(ids) for s, ids in store.records_by_source().items()}
    assert set(by_source) == set(markers), (set(by_source) ^ set(markers))
    for source, marker in markers.items():
        assert set(marker.chunk_ids) == by_source[source], source


def tiny_corpus(folder: Path, version: int = 1) -> None:
    """Four small notes; `version` 2 edits one, deletes one and adds one."""
    write_note(folder, "alpha", "Alpha note", "Alpha is about safety plans.", "Is alpha binding?", "No. Alpha is a voluntary plan agreed with the family.")
    write_note(folder, "gamma", "Gamma note", "Gamma is about reviews.", "When is the review?", "The first review is within three months.\n\nLater reviews are every six months.")
    if version == 1:
        write_note(folder, "beta", "Beta note", "Beta is about complaints.", "How long does beta take?", "Beta takes ten working days.")
        write_note(folder, "delta", "Delta note", "Delta is about contact.", "Who supervises contact?", "A family member can supervise contact once approved.")
    else:
        (folder / "delta.md").unlink(missing_ok=True)
        write_note(folder, "beta", "Beta note", "Beta is about complaints.", "How long does beta take?", "Beta now takes twenty working days, and can be extended.")
        write_note(folder, "epsilon", "Epsilon note", "Epsilon is about legal aid.", "Can I get legal aid?", "Parents in care proceedings get legal aid without a means test.")
