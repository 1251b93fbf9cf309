"""Units -> chunks that fit the embedder, with ids taken from their content."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from typing import Any

from assistant.embeddings import MAX_TOKENS
from assistant.types import Chunk
from ingest.documents import LoadedDocument, Unit

# Sentence ends first, then clauses, then words: a chunk boundary should not cut a sentence
# when it can be helped, so extractive answers quote whole sentences.
SEPARATORS = ["\n\n", "\n", r"(?<=[.!?])\s+", r"(?<=[;:])\s+", " "]


def chunk_id(doc_id: str, page: int | None, text: str, title: str = "", section: str | None = None, role: str = "text") -> str:
    """Id from content: the same text under the same title and heading always gets the same id,
    and an edited title or heading (both are embedded) gets a new one, so no vector goes stale."""
    key = "\x1f".join((doc_id, str(page or ""), title, section or "", role, text))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# Headings that hold the poster's own words in a Q&A thread: not a question the note answers.
NOT_ANSWER_SECTIONS = re.compile(r"(^|> )(the question|question from|original post|in short)", re.I)


def question_chunks(doc: LoadedDocument, start: int) -> list[Chunk]:
    """One searchable chunk per section heading that is a question, and one per `asks` phrasing."""
    asks = dict(doc.asks)
    out: list[Chunk] = []
    seen: set[tuple[str, str]] = set()
    for unit in doc.units:
        if not unit.section or NOT_ANSWER_SECTIONS.search(unit.section):
            continue
        heading = unit.section.split(" > ")[-1].strip()
        phrasings = [heading, *asks.get(heading, ())]
        for phrasing in phrasings:
            if (unit.section, phrasing) in seen:
                continue
            seen.add((unit.section, phrasing))
            # Kept as written, though the service spells shorthand out in the question before it
            # searches ("can an SHPO be varied" then matches "how do you get a SHPO varied" at 0.42
            # rather than 0.82). Spelling it out here too was tried (2026-11-29): 732 dev answers
            # changed for no net gain (short sets 922 -> 921 passes, long posts 969 -> 971 of 1,070
            # questions), and dev long posts fell to 99/104 answered, below CI's floor.
            out.append(_make(doc, unit, phrasing.strip(), start + len(out), role="question"))
    return out


def build_splitter(tokenizer: Any, chunk_tokens: int, overlap: int) -> Any:
    """A splitter that measures pieces in the embedder's word pieces.

    `tokenizer` is the embedder's `tokenizers.Tokenizer` (no transformers, no torch). Pieces are
    counted without [CLS]/[SEP], exactly as LangChain's `from_huggingface_tokenizer` counts
    them, so chunk boundaries (and so chunk ids) are the same as with the transformers tokenizer.
    """
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    def word_pieces(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    return RecursiveCharacterTextSplitter(
        length_function=word_pieces,
        chunk_size=chunk_tokens,
        chunk_overlap=overlap,
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
    )


def chunk_document(
    doc: LoadedDocument,
    splitter: Any,
    count_tokens: Callable[[str], int],
    max_tokens: int = MAX_TOKENS,
) -> list[Chunk]:
    """Split every unit, then re-split any piece whose title+section+text would not fit."""
    chunks: list[Chunk] = []
    for unit in doc.units:
        for piece in splitter.split_text(unit.text):
            for chunk in _fit(doc, unit, piece.strip(), splitter, count_tokens, max_tokens):
                chunks.append(dataclasses.replace(chunk, position=len(chunks)))
    return chunks + question_chunks(doc, len(chunks))


def _fit(
    doc: LoadedDocument,
    unit: Unit,
    text: str,
    splitter: Any,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    depth: int = 0,
) -> list[Chunk]:
    if not text:
        return []
    chunk = _make(doc, unit, text)
    if count_tokens(chunk.embedding_text()) <= max_tokens or depth > 3:
        return [chunk]
    half = max(8, len(text) // 2)
    cut = text.rfind(" ", 0, half) if " " in text[:half] else half
    left, right = text[:cut].strip(), text[cut:].strip()
    return _fit(doc, unit, left, splitter, count_tokens, max_tokens, depth + 1) + _fit(
        doc, unit, right, splitter, count_tokens, max_tokens, depth + 1
    )


def _make(doc: LoadedDocument, unit: Unit, text: str, position: int = 0, role: str = "text") -> Chunk:
    return Chunk(
        id=chunk_id(doc.doc_id, unit.page, text, doc.title, unit.section, role),
        doc_id=doc.doc_id,
        text=text,
        title=doc.title,
        source_path=doc.source_path,
        section=unit.section,
        page=unit.page,
        url=doc.url,
        kind=doc.kind,
        jurisdiction=doc.jurisdiction,
        legal_force=doc.legal_force,
        reviewed=doc.reviewed,
        publisher=doc.publisher,
        author=unit.author,
        date=unit.date,
        role=role,
        position=position,
    )
