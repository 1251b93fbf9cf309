"""The `ask --json` shape fixed in CONTRACTS.md (extended, never renamed)."""

from __future__ import annotations

from typing import Any

from assistant.types import Answer


def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "kind": answer.kind,
        "answer": answer.text,
        "citations": [
            {
                "n": c.n,
                "doc_id": c.doc_id,
                "title": c.title,
                "section": c.section,
                "page": c.page,
                "url": c.url,
                "quote": c.quote,
                "publisher": c.publisher,
                "reviewed": c.reviewed,
                "legal_force": c.legal_force,
                "jurisdiction": c.jurisdiction,
                "chunk_id": c.chunk_id,
            }
            for c in answer.citations
        ],
        "signposts": [
            {"name": s.name, "phone": s.phone, "url": s.url, "when": s.hours or s.when, "helps_with": s.helps_with}
            for s in answer.signposts
        ],
        "disclaimer": answer.disclaimer,
        "timings_ms": {k: round(v, 1) for k, v in answer.timings_ms},
        "searched_for": answer.searched_for,
        "expanded_terms": [{"term": t, "meaning": m} for t, m in answer.expanded_terms],
        "notices": list(answer.notices),
        "parts": [
            {"ask": p.ask, "kind": p.kind, "answer": p.text, "citations": list(p.citations), "section": p.section}
            for p in answer.parts
        ],
        "preface": answer.preface,
    }
