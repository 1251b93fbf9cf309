"""The default answerer: no language model, just the best sentences of the retrieved passages.

Each chosen sentence keeps its exact text and gets `[n]` pointing at the passage it came from,
so every claim is traceable. Sentences are scored by how much of the question's weighted
vocabulary they contain, how well their passage ranked, and whether they open a section
(our notes put the direct answer first). Near-duplicates are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.text import sentence_spans, tokens
from assistant.types import Citation, Hit

YES_NO = re.compile(r"^\s*(is|are|can|could|do|does|did|must|should|will|would|has|have|am|may)\b", re.I)
DIRECT = re.compile(r"^(no|yes|not|usually|normally|only)\b[,. ]", re.I)
LEAD_IN = re.compile(r"^(?:In short:\s*|(?:Yes|No)[.,!]\s+)+")
# Q&A replies are practical and kind but less authoritative than the guidance notes.
QA_WEIGHT = 0.92
# Parts of a Q&A thread that are the parent's own words, not facts to repeat as an answer.
NOT_ANSWER_SECTIONS = re.compile(r"(^|> )(the question|question from|original post)", re.I)


@dataclass(frozen=True)
class Candidate:
    hit_index: int
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class Composed:
    text: str
    citations: tuple[Citation, ...]


def _sub_questions(question: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\?|\n+|(?<=[.!])\s+", question) if len(p.split()) >= 3]
    return parts or [question]


def score_sentences(
    question: str, hits: Sequence[Hit], idf: Callable[[str], float]
) -> list[Candidate]:
    """Every usable sentence of every hit with its score (pure: no I/O)."""
    q_tokens = set(tokens(question))
    q_weight = sum(max(idf(t), 0.1) for t in q_tokens) or 1.0
    yes_no = any(YES_NO.match(p) for p in _sub_questions(question))
    best_hit = max((h.score for h in hits), default=1.0) or 1.0
    out: list[Candidate] = []
    for hi, hit in enumerate(hits):
        chunk = hit.chunk
        if chunk.section and NOT_ANSWER_SECTIONS.search(chunk.section):
            continue
        section_tokens = set(tokens(chunk.section or ""))
        heading = sum(max(idf(t), 0.1) for t in q_tokens & section_tokens) / q_weight
        for pos, (s0, e) in enumerate(sentence_spans(chunk.text)):
            # A bare "No." or "Yes." answers the note's own heading, which may not be the
            # user's question, so the quote starts after it; "In short:" is a label, not text.
            lead = LEAD_IN.match(chunk.text[s0:e])
            s = s0 + (lead.end() if lead else 0)
            sent = chunk.text[s:e]
            words = len(sent.split())
            if words < 5 or words > 70 or sent.rstrip().endswith(("?", ":")):
                continue
            s_tokens = set(tokens(sent))
            lexical = sum(max(idf(t), 0.1) for t in q_tokens & s_tokens) / q_weight
            score = (QA_WEIGHT if chunk.kind == "qa" else 1.0) * (
                0.60 * lexical
                + 0.20 * (hit.score / best_hit)
                + 0.12 * heading
                + (0.05 if pos == 0 else 0.0)
                + (0.08 if yes_no and pos == 0 and DIRECT.match(chunk.text[s0:e]) else 0.0)
                + (0.04 if (chunk.section or "").startswith("In short") else 0.0)
                - 0.02 * pos
            )
            out.append(Candidate(hi, s, e, sent, score))
    return out


def _similar(a: set[str], b: set[str]) -> bool:
    """Near-duplicates: most of the shorter sentence's content words are in the other."""
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.7


def select(candidates: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Greedy best-first selection without near-duplicates, at most 3 sentences per passage."""
    chosen: list[Candidate] = []
    seen: list[set[str]] = []
    per_hit: dict[int, int] = {}
    for c in sorted(candidates, key=lambda c: -c.score):
        toks = set(tokens(c.text))
        if any(_similar(toks, s) for s in seen) or per_hit.get(c.hit_index, 0) >= 3:
            continue
        chosen.append(c)
        seen.append(toks)
        per_hit[c.hit_index] = per_hit.get(c.hit_index, 0) + 1
        if len(chosen) >= limit:
            break
    if not chosen:
        return []
    # Lead with the best sentence; then keep reading order: by passage rank, then position.
    lead, rest = chosen[0], chosen[1:]
    rest.sort(key=lambda c: (c.hit_index != lead.hit_index, c.hit_index, c.start))
    return [lead, *rest]


def with_marker(sentence: str, n: int) -> str:
    """Put `[n]` before the sentence's closing punctuation."""
    m = re.search(r"([.!?:;]+)([\"')\]]*)$", sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(1)}{m.group(2)}"
    return f"{sentence} [{n}]"


def compose(question: str, hits: Sequence[Hit], idf: Callable[[str], float], limit: int) -> Composed:
    """The answer text with [n] markers and one citation per passage used."""
    chosen = select(score_sentences(question, hits, idf), limit)
    numbers: dict[int, int] = {}
    spans: dict[int, list[tuple[int, int]]] = {}
    parts = []
    for c in chosen:
        n = numbers.setdefault(c.hit_index, len(numbers) + 1)
        spans.setdefault(c.hit_index, []).append((c.start, c.end))
        parts.append(with_marker(c.text, n))
    citations = []
    for hit_index, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        chunk = hits[hit_index].chunk
        start = min(s for s, _ in spans[hit_index])
        end = max(e for _, e in spans[hit_index])
        citations.append(
            Citation(
                n=n,
                doc_id=chunk.doc_id,
                chunk_id=chunk.id,
                title=chunk.title,
                section=chunk.section,
                page=chunk.page,
                url=chunk.url,
                quote=chunk.text[start:end],
                publisher=chunk.publisher,
                reviewed=chunk.reviewed,
                legal_force=chunk.legal_force,
                jurisdiction=chunk.jurisdiction,
                context_before=chunk.text[max(0, start - 160) : start],
                context_after=chunk.text[end : end + 160],
            )
        )
    return Composed(" ".join(parts), tuple(citations))
