"""Pure metric functions over answers, retrieved sources and citations (no I/O, no models).

Definitions (the report repeats them):
- text scored by patterns: the answer text plus each signpost's name, phone and url, never the
  disclaimer, matched case-insensitively;
- a source reference matches an expected source when the expected string is a substring of its
  doc_id or its url;
- a citation marker is `[n]` (or `[n, m]`) with n of one to three digits, so a law report's
  `[2018]` is not one;
- a citation is valid when its quote is a non-empty exact substring of the stored chunk it names,
  and the answer is valid when every `[n]` resolves to a citation and every citation is valid;
- a cited sentence is supported when at least SUPPORT_MIN_SHARE of its content tokens
  (assistant.text.tokens: lower-cased, stemmed, stopwords dropped; markers removed) occur in the
  quotes of the citations it names;
- a part of a long message (CONTRACTS.md `parts`) is answered when at least ANSWERED_MIN_COVERAGE
  of its must_include patterns match the whole scored text;
- words and reading ease are measured on the answer text alone (no signposts, no disclaimer) with
  the `[n]` markers removed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.readability import flesch_reading_ease
from assistant.text import sentence_spans, tokens
from assistant.types import Answer

SUPPORT_MIN_SHARE = 0.6
# A part counts as answered when half its key facts are there: one fact of two is a partial but
# real answer to that question; none is a question left unanswered (issue 9).
ANSWERED_MIN_COVERAGE = 0.5
WORD = re.compile(r"\w+(?:['’-]\w+)*")
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
MARKER_WITH_SPACE = re.compile(r"[ \t]*" + MARKER.pattern)

SourceRef = tuple[str, str | None]
"""(doc_id, url) of a retrieved passage or a citation."""


@dataclass(frozen=True)
class SentenceSupport:
    """How much of one cited answer sentence its cited quotes contain."""

    sentence: str
    cited: tuple[int, ...]
    share: float
    supported: bool


# --- answer text ------------------------------------------------------------------------------
def scored_text(answer: Answer) -> str:
    """What the user reads as the answer, and the patterns match: text and signposts, never the
    disclaimer, and never the questions restated above the parts of a multi-part answer. Those
    are the user's own words echoed: "1. Do I actually have to accept the CIN plan?" matched a
    forbidden claim ("have to accept the CIN") it does not make, and an echoed "subject access
    request" would count as a key fact the answer never gave."""
    body = answer.text
    if len(answer.parts) > 1:  # a single part is shown without its question (service.py)
        for i, part in enumerate(answer.parts, start=1):
            body = body.replace(f"{part.heading(i)}\n", "", 1)
    parts = [body]
    for s in answer.signposts:
        parts.extend(p for p in (s.name, s.phone, s.url) if p)
    return "\n".join(parts)


def pattern_found(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def missing_patterns(patterns: Sequence[str], text: str) -> tuple[str, ...]:
    """The must_include patterns that do not match."""
    return tuple(p for p in patterns if not pattern_found(p, text))


def violations(patterns: Sequence[str], text: str) -> tuple[str, ...]:
    """The must_not_include patterns that do match."""
    return tuple(p for p in patterns if pattern_found(p, text))


def key_fact_coverage(patterns: Sequence[str], text: str) -> float | None:
    """Share of must_include patterns matched; None when there are none to match."""
    if not patterns:
        return None
    return 1.0 - len(missing_patterns(patterns, text)) / len(patterns)


def kind_correct(expected: Sequence[str], actual: str) -> bool:
    return actual in expected


def facts_pass(must_include: Sequence[str], must_not_include: Sequence[str], text: str) -> bool:
    """Every must_include matched and no must_not_include matched (kind not considered)."""
    return not missing_patterns(must_include, text) and not violations(must_not_include, text)


def part_answered(coverage: float, min_coverage: float = ANSWERED_MIN_COVERAGE) -> bool:
    """Whether one part of a multi-question message got an answer (enough of its key facts)."""
    return coverage >= min_coverage - 1e-9


# --- answer shape -----------------------------------------------------------------------------
def strip_markers(text: str) -> str:
    """The answer text without its `[n]` markers (and the space left before them)."""
    return MARKER_WITH_SPACE.sub("", text)


def word_count(text: str) -> int:
    """Words in an answer text, markers removed; numbers count, a phone's groups count apiece."""
    return len(WORD.findall(strip_markers(text)))


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of an answer text without markers; None when it has no words."""
    clean = strip_markers(text)
    if not WORD.search(clean):
        return None
    return flesch_reading_ease(clean)


def full_pass(
    must_include: Sequence[str],
    must_not_include: Sequence[str],
    expected_kinds: Sequence[str],
    answer: Answer,
) -> bool:
    """Every must_include matched, no must_not_include matched, and the kind is right."""
    text = scored_text(answer)
    return (
        kind_correct(expected_kinds, answer.kind)
        and not missing_patterns(must_include, text)
        and not violations(must_not_include, text)
    )


# --- retrieval --------------------------------------------------------------------------------
def source_matches(expected: str, ref: SourceRef) -> bool:
    doc_id, url = ref
    return expected in doc_id or (url is not None and expected in url)


def first_relevant_rank(
    expected: Sequence[str], retrieved: Sequence[SourceRef], k: int
) -> int | None:
    """1-based rank of the first of the top k that matches any expected source."""
    for rank, ref in enumerate(retrieved[:k], start=1):
        if any(source_matches(e, ref) for e in expected):
            return rank
    return None


def hit_at_k(expected: Sequence[str], retrieved: Sequence[SourceRef], k: int) -> bool:
    """Whether any expected source is among the top k."""
    return any_source_found(expected, retrieved[:k])


def any_source_found(expected: Sequence[str], refs: Sequence[SourceRef]) -> bool:
    """Whether any reference (retrieved passage or citation) matches any expected source."""
    return any(source_matches(e, r) for r in refs for e in expected)


def recall_at_k(expected: Sequence[str], retrieved: Sequence[SourceRef], k: int) -> float:
    """Share of expected sources found among the top k (1.0 when nothing is expected)."""
    if not expected:
        return 1.0
    return 1.0 - len(missing_sources(expected, retrieved[:k])) / len(expected)


def reciprocal_rank(expected: Sequence[str], retrieved: Sequence[SourceRef], k: int) -> float:
    rank = first_relevant_rank(expected, retrieved, k)
    return 0.0 if rank is None else 1.0 / rank


def missing_sources(expected: Sequence[str], refs: Sequence[SourceRef]) -> tuple[str, ...]:
    """Expected sources that no reference matches."""
    return tuple(e for e in expected if not any(source_matches(e, r) for r in refs))


def cited_refs(answer: Answer) -> tuple[SourceRef, ...]:
    return tuple((c.doc_id, c.url) for c in answer.citations)


# --- citations --------------------------------------------------------------------------------
def citation_markers(text: str) -> tuple[int, ...]:
    """Every n of `[n]` (and of `[n, m]`) in reading order, repeats kept."""
    out: list[int] = []
    for m in MARKER.finditer(text):
        out.extend(int(n) for n in re.split(r"\s*[,;]\s*", m.group(1)))
    return tuple(out)


def citation_problems(answer: Answer, chunk_texts: Mapping[str, str | None]) -> tuple[str, ...]:
    """Contract breaches in an answer's citations; empty when the citations are valid.

    `chunk_texts` maps each cited chunk_id to the stored chunk text (None when the index has no
    such chunk).
    """
    problems: list[str] = []
    numbers = {c.n for c in answer.citations}
    for n in dict.fromkeys(citation_markers(answer.text)):
        if n not in numbers:
            problems.append(f"[{n}] in the answer has no citation")
    if answer.kind == "answer" and not answer.citations:
        problems.append("kind 'answer' with no citation")
    for c in answer.citations:
        stored = chunk_texts.get(c.chunk_id)
        if stored is None:
            problems.append(
                f"citation [{c.n}] names chunk {c.chunk_id!r}, which is not in the index"
            )
        elif not c.quote.strip():
            problems.append(f"citation [{c.n}] has an empty quote")
        elif c.quote not in stored:
            problems.append(f"citation [{c.n}] quote is not an exact substring of its chunk")
    return tuple(problems)


def citations_checked(answer: Answer) -> bool:
    """Whether citation validity applies: the answer cites, has markers, or claims kind 'answer'."""
    return bool(answer.citations) or bool(citation_markers(answer.text)) or answer.kind == "answer"


def sentence_support(
    answer: Answer, min_share: float = SUPPORT_MIN_SHARE
) -> tuple[SentenceSupport, ...]:
    """For each answer sentence with `[n]`, the share of its content tokens in the cited quotes."""
    quotes = {c.n: c.quote for c in answer.citations}
    out: list[SentenceSupport] = []
    for s, e in sentence_spans(answer.text):
        sentence = answer.text[s:e]
        cited = tuple(dict.fromkeys(citation_markers(sentence)))
        if not cited:
            continue
        wanted = set(tokens(MARKER.sub(" ", sentence)))
        have: set[str] = set()
        for n in cited:
            have.update(tokens(quotes.get(n, "")))
        share = 1.0 if not wanted else len(wanted & have) / len(wanted)
        if any(n not in quotes for n in cited):
            share = 0.0
        out.append(SentenceSupport(sentence, cited, share, share >= min_share))
    return tuple(out)


# --- aggregates -------------------------------------------------------------------------------
def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def rate(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
