"""The document catalogue: one row per indexed document, a filter, and a note as readable blocks.

Pure: the rows come from the chunks already in the index, and a note's blocks from text the
caller has read (a face reads files through `ingest`, which `assistant` may not import).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.types import Chunk

_BLANK_LINE = re.compile(r"\n\s*\n")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class DocumentRow:
    """One indexed document as the Sources page lists it."""

    doc_id: str
    title: str
    kind: str
    jurisdiction: str
    legal_force: str
    reviewed: str
    topics: str
    url: str | None
    source_path: str
    publisher: str
    chunks: int


@dataclass(frozen=True)
class NoteBlock:
    """A stretch of a document to show: a heading line, a paragraph, or a page under its place."""

    heading: str | None
    text: str


def no_topics(source_path: str) -> tuple[str, ...]:
    return ()


def document_rows(
    chunks: Iterable[Chunk], topics_of: Callable[[str], tuple[str, ...]] = no_topics
) -> tuple[DocumentRow, ...]:
    """One row per document in the index, sorted by kind then title.

    `topics_of(source_path)` gives a document's topics (from its file's front matter).
    """
    by_doc: dict[str, list[Chunk]] = {}
    for ch in chunks:
        by_doc.setdefault(ch.doc_id, []).append(ch)
    rows = []
    for doc_id, parts in by_doc.items():
        first = min(parts, key=lambda c: c.position)
        rows.append(
            DocumentRow(
                doc_id=doc_id,
                title=first.title,
                kind=first.kind,
                jurisdiction=first.jurisdiction,
                legal_force=first.legal_force or "",
                reviewed=first.reviewed or "",
                topics=", ".join(topics_of(first.source_path)),
                url=first.url,
                source_path=first.source_path,
                publisher=first.publisher,
                chunks=len(parts),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.title.lower())))


def matches(row: DocumentRow, words: str) -> bool:
    """Whether every word of a filter appears in the document's title, topics, kind or id."""
    haystack = f"{row.title} {row.topics} {row.kind} {row.doc_id} {row.legal_force}".lower()
    return all(w in haystack for w in words.lower().split())


def note_topics(front_matter: Mapping[str, Any]) -> tuple[str, ...]:
    """`topics` from a note's front matter, where it is a list."""
    topics = front_matter.get("topics") or []
    return tuple(str(t) for t in topics) if isinstance(topics, list) else ()


def note_blocks(body: str) -> tuple[NoteBlock, ...]:
    """A markdown note's body (or a thread's text) as blocks: one-line headings and paragraphs."""
    blocks: list[NoteBlock] = []
    for block in _BLANK_LINE.split(body):
        stripped = block.strip()
        heading = _HEADING.match(stripped)
        if heading and "\n" not in stripped:
            blocks.append(NoteBlock(heading.group(1), ""))
        elif stripped:
            blocks.append(NoteBlock(None, block.strip("\n")))
    return tuple(blocks)


def unit_blocks(units: Iterable[tuple[str | None, int | None, str]]) -> tuple[NoteBlock, ...]:
    """A loaded document's units (section, page, text) as blocks headed by where they sit."""
    return tuple(NoteBlock(where_unit(section, page), text) for section, page, text in units)


def where_unit(section: str | None, page: int | None) -> str | None:
    parts = [section or "", f"Page {page}" if page is not None else ""]
    return " · ".join(p for p in parts if p) or None
