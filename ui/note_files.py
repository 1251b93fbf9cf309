"""Reading an indexed document's file again, for the catalogue: its topics and its whole text.

The parsing is `ingest`'s (the same loaders that indexed it); the shaping is assistant/catalogue.
"""

from __future__ import annotations

from pathlib import Path

from assistant.catalogue import DocumentRow, NoteBlock, note_blocks, note_topics, unit_blocks
from assistant.errors import SignpostError

MARKDOWN = (".md", ".markdown")


def topics_of(source_path: str) -> tuple[str, ...]:
    """`topics` from a markdown note's front matter, where there is one."""
    from ingest.loaders import parse_front_matter

    path = Path(source_path)
    if path.suffix.lower() not in MARKDOWN or not path.is_file():
        return ()
    try:
        meta, _ = parse_front_matter(path, path.read_text("utf-8", errors="replace"))
    except SignpostError:
        return ()
    return note_topics(meta)


def read_note(row: DocumentRow) -> tuple[NoteBlock, ...]:
    """The whole document as blocks, read from its file on disk (empty if the file has gone)."""
    from ingest.loaders import load_document, parse_front_matter

    path = Path(row.source_path)
    if not path.is_file():
        return ()
    suffix = path.suffix.lower()
    if suffix in (*MARKDOWN, ".txt"):
        text = path.read_text("utf-8", errors="replace")
        if suffix != ".txt":
            try:
                text = parse_front_matter(path, text)[1]
            except SignpostError:
                pass
        return note_blocks(text)
    try:
        doc = load_document(path, row.doc_id)
    except SignpostError as exc:
        return (NoteBlock(None, f"This document could not be read again: {exc}"),)
    return unit_blocks((u.section, u.page, u.text) for u in doc.units)
