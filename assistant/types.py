"""Frozen value types passed between ingest, retrieval, answering and the faces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AnswerKind = Literal["answer", "not_found", "safety", "declined"]
TriageLabel = Literal["emergency", "own_thoughts", "decline", "none"]


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage and where it came from."""

    id: str
    doc_id: str
    text: str
    title: str
    source_path: str
    section: str | None = None
    page: int | None = None
    url: str | None = None
    kind: str = "guidance"
    jurisdiction: str = "england"
    legal_force: str | None = None
    reviewed: str | None = None
    publisher: str = "Signpost guidance notes"
    author: str | None = None
    date: str | None = None
    file_sha: str | None = None  # hash of the source file and chunk settings, to skip re-reading
    # "text": a passage of the document. "question": a section's heading or one of the note's
    # alternative phrasings of it (`asks:`); it is searched, never quoted, and points at its section.
    role: str = "text"
    position: int = 0  # order of the passage within its document (sections are read in order)

    @property
    def is_question(self) -> bool:
        return self.role == "question"

    def section_key(self) -> tuple[str, str | None, int | None]:
        """The section this chunk belongs to: the unit of answering."""
        return (self.doc_id, self.section, self.page)

    def embedding_text(self) -> str:
        """What the embedder reads: title and section give a passage its context; a question
        is embedded on its own, since question-to-question similarity is what MiniLM does best."""
        if self.is_question:
            return self.text
        head = self.title if not self.section else f"{self.title} - {self.section}"
        return f"{head}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for Chroma (which rejects None values)."""
        values = {
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source_path,
            "section": self.section,
            "page": self.page,
            "url": self.url,
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "legal_force": self.legal_force,
            "reviewed": self.reviewed,
            "publisher": self.publisher,
            "author": self.author,
            "date": self.date,
            "file_sha": self.file_sha,
            "role": self.role,
            "position": self.position,
        }
        return {k: v for k, v in values.items() if v is not None}

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict) -> Chunk:
        page = meta.get("page")
        return cls(
            id=chunk_id,
            doc_id=str(meta.get("doc_id", "")),
            text=text,
            title=str(meta.get("title", "")),
            source_path=str(meta.get("source", "")),
            section=meta.get("section"),
            page=int(page) if page is not None else None,
            url=meta.get("url"),
            kind=str(meta.get("kind", "guidance")),
            jurisdiction=str(meta.get("jurisdiction", "england")),
            legal_force=meta.get("legal_force"),
            reviewed=meta.get("reviewed"),
            publisher=str(meta.get("publisher", "Signpost guidance notes")),
            author=meta.get("author"),
            date=meta.get("date"),
            file_sha=meta.get("file_sha"),
            role=str(meta.get("role", "text")),
            position=int(meta.get("position", 0) or 0),
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the evidence behind it."""

    chunk: Chunk
    score: float
    dense_similarity: float
    dense_rank: int | None
    bm25_rank: int | None


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    section: str | None
    page: int | None
    url: str | None
    quote: str
    publisher: str
    reviewed: str | None
    legal_force: str | None
    jurisdiction: str
    context_before: str = ""
    context_after: str = ""


@dataclass(frozen=True)
class SignpostContact:
    key: str
    name: str
    helps_with: str
    when: str
    phone: str | None
    url: str | None
    hours: str | None
    checked: str | None
    email: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Triage:
    """The safety layer's verdict on a message, before any retrieval."""

    label: TriageLabel
    reasons: tuple[str, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    other_nation: str | None = None
    needs_individual_advice: bool = False
    # False when only the message model, on a long post, suggests an emergency: the answer then
    # opens with a one-line 999 check and is otherwise a normal answer (see triage/decision.py).
    certain: bool = True


@dataclass(frozen=True)
class AnswerPart:
    """One question found in the message and what was said to it (CONTRACTS.md `parts`)."""

    ask: str
    kind: AnswerKind
    text: str
    citations: tuple[int, ...] = ()
    section: str | None = None  # the section that answered it, for follow-ups and the UI

    def heading(self, n: int) -> str:
        """The restated question above this part in a multi-part answer's text ("2. How do I...?");
        evals.metrics leaves these lines out of what it scores."""
        return f"{n}. {self.ask}"


@dataclass(frozen=True)
class Answer:
    question: str
    kind: AnswerKind
    text: str
    citations: tuple[Citation, ...]
    signposts: tuple[SignpostContact, ...]
    disclaimer: str
    timings_ms: tuple[tuple[str, float], ...] = ()
    searched_for: str | None = None
    expanded_terms: tuple[tuple[str, str], ...] = ()
    notices: tuple[str, ...] = field(default=())
    parts: tuple[AnswerPart, ...] = ()
    preface: str = ""  # fixed words before the parts (sympathy, emergency help), never cited
