"""Run eval cases through a target (our assistant, or the naive peer) and summarise them.

The CLI (ui/eval_command.py) and pytest share `run_eval`. The target is opened by the caller, so
this module imports nothing but `assistant` and the evals' own modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from assistant.glossary import normalise_query
from assistant.types import Answer, Chunk, Hit
from evals import metrics
from evals.cases import BLIND, CATEGORIES, EvalCase, EvalPart
from evals.results import CaseResult, EvalResult, PartResult, Summary, Table, splits_of


class RetrieverLike(Protocol):
    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]: ...

    def chunk(self, chunk_id: str) -> Chunk | None: ...


class EvalTarget(Protocol):
    """What the runner needs: answers, and (for our assistant) its retriever for ranks and chunks.

    A target whose `retriever` is None is judged on its answer text alone: key facts, forbidden
    claims, parts, words, reading ease and latency; kind, citations and retrieval are n/a.
    """

    @property
    def retriever(self) -> RetrieverLike | None: ...

    def ask(self, question: str) -> Answer: ...


def score_part(part: EvalPart, text: str) -> PartResult:
    """A part's key facts are looked for in the whole scored text (CONTRACTS.md `parts`)."""
    missing = metrics.missing_patterns(part.must_include, text)
    coverage = metrics.key_fact_coverage(part.must_include, text)
    assert coverage is not None  # parse_case insists on at least one pattern per part
    return PartResult(part.ask, coverage, missing, metrics.part_answered(coverage))


def evaluate_case(case: EvalCase, target: EvalTarget, k: int) -> CaseResult:
    """Ask one question, then score its answer, its citations and (if answerable) retrieval."""
    started = time.perf_counter()
    answer = target.ask(case.question)
    latency = (time.perf_counter() - started) * 1000
    text = metrics.scored_text(answer)
    retriever = target.retriever
    kind_ok = metrics.kind_correct(case.expect_kinds, answer.kind) if retriever else None
    facts_ok = metrics.facts_pass(case.must_include, case.must_not_include, text)

    scored = retriever is not None and case.answerable and bool(case.expect_sources)
    retrieved: tuple[metrics.SourceRef, ...] = ()
    if scored and retriever is not None:
        hits = retriever.retrieve(normalise_query(case.question).text, k)
        retrieved = tuple((h.chunk.doc_id, h.chunk.url) for h in hits)
    cited = metrics.cited_refs(answer)

    checked = retriever is not None and metrics.citations_checked(answer)
    chunk_texts: dict[str, str | None] = {}
    if retriever is not None:
        for c in answer.citations:
            chunk = retriever.chunk(c.chunk_id)
            chunk_texts[c.chunk_id] = chunk.text if chunk is not None else None
    answer_parts = getattr(answer, "parts", None)

    return CaseResult(
        id=case.id,
        question=case.question,
        category=case.category,
        split=case.split,
        style=case.style,
        kind=answer.kind,
        expected_kinds=case.expect_kinds,
        kind_ok=kind_ok,
        missing=metrics.missing_patterns(case.must_include, text),
        violated=metrics.violations(case.must_not_include, text),
        coverage=metrics.key_fact_coverage(case.must_include, text),
        full_pass=facts_ok and kind_ok is not False,
        facts_pass=facts_ok,
        parts=tuple(score_part(p, text) for p in case.parts),
        answer_parts=len(answer_parts) if answer_parts is not None else None,
        words=metrics.word_count(answer.text),
        reading_ease=metrics.reading_ease(answer.text),
        retrieval_scored=scored,
        retrieved=tuple(doc_id for doc_id, _ in retrieved),
        hit=metrics.hit_at_k(case.expect_sources, retrieved, k) if scored else None,
        recall=metrics.recall_at_k(case.expect_sources, retrieved, k) if scored else None,
        reciprocal_rank=metrics.reciprocal_rank(case.expect_sources, retrieved, k)
        if scored
        else None,
        missing_sources=metrics.missing_sources(case.expect_sources, retrieved) if scored else (),
        cited=tuple(doc_id for doc_id, _ in cited),
        source_cited=metrics.any_source_found(case.expect_sources, cited) if scored else None,
        citation_checked=checked,
        citation_problems=metrics.citation_problems(answer, chunk_texts) if checked else (),
        support=metrics.sentence_support(answer) if retriever is not None else (),
        latency_ms=latency,
        answer_text=answer.text,
    )


def summarise(results: Sequence[CaseResult]) -> Summary:
    """Aggregate case results into one row."""
    with_facts = [r.coverage for r in results if r.coverage is not None]
    judged = [r.kind_ok for r in results if r.kind_ok is not None]
    parts = [p for r in results for p in r.parts]
    words = [float(r.words) for r in results]
    ease = [r.reading_ease for r in results if r.reading_ease is not None]
    scored = [r for r in results if r.retrieval_scored]
    checked = [r for r in results if r.citation_checked]
    sentences = [s for r in results for s in r.support]
    latencies = [r.latency_ms for r in results]
    return Summary(
        n=len(results),
        kind_accuracy=metrics.rate(judged),
        full_pass_rate=metrics.rate([r.full_pass for r in results]),
        facts_pass_rate=metrics.rate([r.facts_pass for r in results]),
        key_fact_coverage=metrics.mean(with_facts),
        must_not_include_violations=sum(len(r.violated) for r in results),
        cases_with_violations=sum(1 for r in results if r.violated),
        parts_n=len(parts),
        questions_answered=metrics.rate([p.answered for p in parts]),
        part_coverage=metrics.mean([p.coverage for p in parts]),
        words_median=metrics.median(words),
        words_p95=metrics.percentile(words, 95),
        reading_ease=metrics.mean(ease),
        retrieval_n=len(scored),
        hit_at_k=metrics.rate([bool(r.hit) for r in scored]),
        recall_at_k=metrics.mean([r.recall or 0.0 for r in scored]),
        mrr=metrics.mean([r.reciprocal_rank or 0.0 for r in scored]),
        cited_source_rate=metrics.rate([bool(r.source_cited) for r in scored]),
        citation_n=len(checked),
        citation_validity=metrics.rate([not r.citation_problems for r in checked]),
        support_n=len(sentences),
        citation_support=metrics.rate([s.supported for s in sentences]),
        latency_p50_ms=metrics.percentile(latencies, 50),
        latency_p95_ms=metrics.percentile(latencies, 95),
    )


def build_table(scope: str, title: str, results: Sequence[CaseResult]) -> Table:
    """An "overall" row, one row per category present (the contract's order), one per style."""
    rows = [("overall", summarise(results))]
    for category in CATEGORIES:
        group = [r for r in results if r.category == category]
        if group:
            rows.append((category, summarise(group)))
    for style in sorted({r.style for r in results if r.style}):
        rows.append((f"style:{style}", summarise([r for r in results if r.style == style])))
    return Table(scope, title, tuple(rows))


def build_tables(results: Sequence[CaseResult]) -> tuple[Table, ...]:
    """Table "all" (every case but blind ones: blind is never mixed into the tuned figures), then
    one table per split."""
    tables: list[Table] = []
    tuned = [r for r in results if r.split != BLIND]
    if tuned:
        blind_run = len(tuned) < len(results)
        title = "All cases but blind (the tuned set)" if blind_run else "All cases"
        tables.append(build_table("all", title, tuned))
    for split in splits_of(results):
        group = [r for r in results if r.split == split]
        tables.append(build_table(split, f"Split: {split}", group))
    return tuple(tables)


def summarise_run(
    results: Sequence[CaseResult], k: int, label: str = "", target: str = "signpost"
) -> EvalResult:
    return EvalResult(
        k=k, label=label, results=tuple(results), tables=build_tables(results), target=target
    )


def run_eval(
    cases: Sequence[EvalCase],
    target: EvalTarget,
    k: int,
    progress: Callable[[int, int], None] | None = None,
    label: str = "",
    name: str = "signpost",
) -> EvalResult:
    """Ask every case with the one opened target and return per-case results and tables."""
    results: list[CaseResult] = []
    for i, case in enumerate(cases, start=1):
        results.append(evaluate_case(case, target, k))
        if progress:
            progress(i, len(cases))
    return summarise_run(results, k, label, name)
