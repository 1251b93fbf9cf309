"""The document catalogue: rows from indexed chunks, the filter, and notes as readable blocks."""

from __future__ import annotations

import pytest

from assistant.catalogue import (
    DocumentRow,
    NoteBlock,
    document_rows,
    matches,
    note_blocks,
    note_topics,
    unit_blocks,
)
from assistant.types import Chunk


def _chunk(doc_id: str, title: str, kind: str = "guidance", position: int = 0) -> Chunk:
    return Chunk(
        id=f"{doc_id}-{position}",
        doc_id=doc_id,
        text="text",
        title=title,
        source_path=f"/notes/{doc_id}.md",
        kind=kind,
        legal_force="practice",
        reviewed="2026-11-23",
        position=position,
    )


def test_one_row_per_document_sorted_by_kind_then_title_with_topics() -> None:
    chunks = [
        _chunk("qa/b", "beta thread", "qa"),
        _chunk("guidance/z", "Zebra", position=1),
        _chunk("guidance/z", "Zebra", position=0),
        _chunk("guidance/a", "apples"),
    ]
    rows = document_rows(chunks, lambda path: ("one", "two") if path.endswith("z.md") else ())
    assert [(r.doc_id, r.chunks) for r in rows] == [
        ("guidance/a", 1),
        ("guidance/z", 2),
        ("qa/b", 1),
    ]
    assert rows[1].topics == "one, two" and rows[0].topics == ""
    assert rows[0].legal_force == "practice" and rows[0].reviewed == "2026-11-23"
    assert document_rows([]) == ()


@pytest.mark.parametrize(
    ("words", "expected"),
    [("", True), ("ZEBRA", True), ("zebra crossing", True), ("zebra court", False), ("qa", False)],
)
def test_the_filter_needs_every_word(words: str, expected: bool) -> None:
    row = DocumentRow(
        "guidance/z", "Zebra", "guidance", "england", "practice", "", "crossing", None, "", "", 1
    )
    assert matches(row, words) is expected


def test_topics_come_only_from_a_list() -> None:
    assert note_topics({"topics": ["plans", 3]}) == ("plans", "3")
    assert note_topics({"topics": "plans"}) == ()
    assert note_topics({}) == ()


def test_a_note_reads_as_headings_and_paragraphs_kept_as_written() -> None:
    body = "In short: <b>x</b>.\n\n## Is it binding?\n\nNo.\nSecond line.\n\n\n#not a heading\nmore"
    assert note_blocks(body) == (
        NoteBlock(None, "In short: <b>x</b>."),
        NoteBlock("Is it binding?", ""),
        NoteBlock(None, "No.\nSecond line."),
        NoteBlock(None, "#not a heading\nmore"),
    )


def test_pages_and_sections_head_their_blocks() -> None:
    assert unit_blocks([("Intro", 2, "a"), (None, 3, "b"), (None, None, "c")]) == (
        NoteBlock("Intro · Page 2", "a"),
        NoteBlock("Page 3", "b"),
        NoteBlock(None, "c"),
    )
