"""Run eval cases through the assistant and summarise them; the CLI and pytest share `run_eval`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.config import Settings
from assistant.glossary import normalise_query
from assistant.types import Answer, Chunk, Hit
from evals import metrics
from evals.cases import CATEGORIES, EvalCase, load_cases, select_split
from evals.metrics import SentenceSupport

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_THRESHOLDS = EVALS_DIR / "thresholds.yaml"


class RetrieverLike(Protocol):
    def retrieve(self, query: str, k: int) -> tuple[Hit, ...]: ...

    def chunk(self, chunk_id: str) -> Chunk | None: ...


class EvalTarget(Protocol):
    """What the runner needs of an assistant: answers, and its retriever for ranks and chunks."""

    @property
    def retriever(self) -> RetrieverLike: ...

    def ask(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class CaseResult:
    """One case's answer and everything it got right or wrong."""

    id: str
    question: str
    category: str
    split: str | None
    style: str | None
    kind: str
    expected_kinds: tuple[str, ...]
    kind_ok: bool
    missing: tuple[str, ...]
    violated: tuple[str, ...]
    coverage: float | None
    full_pass: bool
    retrieval_scored: bool
    retrieved: tuple[str, ...]
    hit: bool | None
    recall: float | None
    reciprocal_rank: float | None
    missing_sources: tuple[str, ...]
    cited: tuple[str, ...]
    source_cited: bool | None
    citation_checked: bool
    citation_problems: tuple[str, ...]
    support: tuple[SentenceSupport, ...]
    latency_ms: float
    answer_text: str

    def problems(self) -> tuple[str, ...]:
        """What this case missed, in words, most serious first."""
        out = [f"must_not_include matched: /{p}/" for p in self.violated]
        out += [f"citation: {p}" for p in self.citation_problems]
        if not self.kind_ok:
            out.append(f"kind {self.kind!r}, expected {' or '.join(self.expected_kinds)}")
        out += [f"must_include missing: /{p}/" for p in self.missing]
        if self.missing_sources:
            out.append(f"not retrieved in top k: {', '.join(self.missing_sources)}")
        elif self.source_cited is False:
            out.append("expected source retrieved but not cited")
        out += [
            f"weakly supported ({s.share:.0%}): {s.sentence[:90]}"
            for s in self.support
            if not s.supported
        ]
        return tuple(out)


@dataclass(frozen=True)
class Summary:
    """One table row: the metrics over a group of cases (None where nothing applies)."""

    n: int
    kind_accuracy: float | None
    full_pass_rate: float | None
    key_fact_coverage: float | None
    must_not_include_violations: int
    cases_with_violations: int
    retrieval_n: int
    hit_at_k: float | None
    recall_at_k: float | None
    mrr: float | None
    cited_source_rate: float | None
    citation_n: int
    citation_validity: float | None
    support_n: int
    citation_support: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


@dataclass(frozen=True)
class Table:
    """Rows of summaries for one scope ("all", "dev", "heldout", or a style)."""

    scope: str
    title: str
    rows: tuple[tuple[str, Summary], ...]

    def row(self, label: str) -> Summary | None:
        return next((s for name, s in self.rows if name == label), None)


@dataclass(frozen=True)
class EvalResult:
    k: int
    label: str
    results: tuple[CaseResult, ...]
    tables: tuple[Table, ...]

    def table(self, scope: str) -> Table | None:
        return next((t for t in self.tables if t.scope == scope), None)

    @property
    def overall(self) -> Summary:
        table = self.table("all")
        assert table is not None
        row = table.row("overall")
        assert row is not None
        return row


def evaluate_case(case: EvalCase, assistant: EvalTarget, k: int) -> CaseResult:
    """Ask one question, then score its answer, its citations and (if answerable) retrieval."""
    started = time.perf_counter()
    answer = assistant.ask(case.question)
    latency = (time.perf_counter() - started) * 1000
    text = metrics.scored_text(answer)
    missing = metrics.missing_patterns(case.must_include, text)
    violated = metrics.violations(case.must_not_include, text)
    kind_ok = metrics.kind_correct(case.expect_kinds, answer.kind)

    scored = case.answerable and bool(case.expect_sources)
    retrieved: tuple[metrics.SourceRef, ...] = ()
    if scored:
        hits = assistant.retriever.retrieve(normalise_query(case.question).text, k)
        retrieved = tuple((h.chunk.doc_id, h.chunk.url) for h in hits)
    cited = metrics.cited_refs(answer)

    chunk_texts: dict[str, str | None] = {}
    for c in answer.citations:
        chunk = assistant.retriever.chunk(c.chunk_id)
        chunk_texts[c.chunk_id] = chunk.text if chunk is not None else None

    return CaseResult(
        id=case.id,
        question=case.question,
        category=case.category,
        split=case.split,
        style=case.style,
        kind=answer.kind,
        expected_kinds=case.expect_kinds,
        kind_ok=kind_ok,
        missing=missing,
        violated=violated,
        coverage=metrics.key_fact_coverage(case.must_include, text),
        full_pass=metrics.full_pass(
            case.must_include, case.must_not_include, case.expect_kinds, answer
        ),
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
        citation_checked=metrics.citations_checked(answer),
        citation_problems=metrics.citation_problems(answer, chunk_texts),
        support=metrics.sentence_support(answer),
        latency_ms=latency,
        answer_text=answer.text,
    )


def summarise(results: Sequence[CaseResult]) -> Summary:
    """Aggregate case results into one row."""
    with_facts = [r.coverage for r in results if r.coverage is not None]
    scored = [r for r in results if r.retrieval_scored]
    checked = [r for r in results if r.citation_checked]
    sentences = [s for r in results for s in r.support]
    latencies = [r.latency_ms for r in results]
    return Summary(
        n=len(results),
        kind_accuracy=metrics.rate([r.kind_ok for r in results]),
        full_pass_rate=metrics.rate([r.full_pass for r in results]),
        key_fact_coverage=metrics.mean(with_facts),
        must_not_include_violations=sum(len(r.violated) for r in results),
        cases_with_violations=sum(1 for r in results if r.violated),
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
    """An "overall" row and one row per category present, in the contract's category order."""
    rows = [("overall", summarise(results))]
    for category in CATEGORIES:
        group = [r for r in results if r.category == category]
        if group:
            rows.append((category, summarise(group)))
    return Table(scope, title, tuple(rows))


def summarise_run(results: Sequence[CaseResult], k: int, label: str = "") -> EvalResult:
    tables = [build_table("all", "All cases", results)]
    for split in sorted({r.split for r in results if r.split}):
        group = [r for r in results if r.split == split]
        tables.append(build_table(split, f"Split: {split}", group))
    for style in sorted({r.style for r in results if r.style}):
        group = [r for r in results if r.style == style]
        tables.append(build_table(f"style:{style}", f"Question style: {style}", group))
    return EvalResult(k=k, label=label, results=tuple(results), tables=tuple(tables))


def run_eval(
    cases: Sequence[EvalCase],
    assistant: EvalTarget,
    k: int,
    progress: Callable[[int, int], None] | None = None,
    label: str = "",
) -> EvalResult:
    """Ask every case with the one opened assistant and return per-case results and tables."""
    results: list[CaseResult] = []
    for i, case in enumerate(cases, start=1):
        results.append(evaluate_case(case, assistant, k))
        if progress:
            progress(i, len(cases))
    return summarise_run(results, k, label)


def severity(result: CaseResult) -> tuple[float, ...]:
    """Sort key, worst first: hard-floor breaches, wrong kind, then missing facts and sources."""
    return (
        -len(result.violated),
        -len(result.citation_problems),
        0 if result.kind_ok else -1,
        result.coverage if result.coverage is not None else 1.0,
        -len(result.missing_sources),
        0 if result.source_cited is not False else -1,
    )


def worst_cases(result: EvalResult, limit: int = 20) -> tuple[CaseResult, ...]:
    """The cases with something wrong, worst first."""
    bad = [r for r in result.results if r.problems()]
    return tuple(sorted(bad, key=lambda r: (severity(r), r.id))[:limit])


# --- command line -------------------------------------------------------------------------------
@contextmanager
def _open_for_eval(settings: Settings) -> Iterator[EvalTarget]:
    """Build the index from corpus/ if there is none, then open the assistant once."""
    from assistant.service import open_assistant
    from ingest.bootstrap import build_index_if_needed  # the one ingest import evals makes

    build_index_if_needed(settings, _stderr)
    with open_assistant(settings) as assistant:
        yield assistant


def _shown(path: Path) -> str:
    """The path relative to the working directory when it is below it (shorter in reports)."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(done: int, total: int) -> None:
    if done % 25 == 0 or done == total:
        _stderr(f"evaluated {done}/{total}")


def run_eval_cli(args: argparse.Namespace, settings: Settings) -> int:
    """`signpost eval`: run the cases, print the tables, write JSON/markdown; 1 if --check fails."""
    from evals.report import render_markdown, render_text, result_to_json
    from evals.thresholds import check_thresholds, load_thresholds

    cases = select_split(load_cases(args.cases), args.split)
    thresholds = load_thresholds(getattr(args, "thresholds", None) or DEFAULT_THRESHOLDS)
    k = int(args.k or settings.top_k)
    if settings.top_k != k:
        settings = dataclasses.replace(settings, top_k=k)
    label = f"{_shown(Path(args.cases))} (split: {args.split})"
    with _open_for_eval(settings) as assistant:
        result = run_eval(cases, assistant, k, progress=_progress, label=label)
    checks = check_thresholds(result, thresholds)
    print(render_text(result, checks))
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(result_to_json(result, checks), indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        _stderr(f"wrote {args.json_out}")
    if args.markdown_out:
        Path(args.markdown_out).write_text(render_markdown(result, checks, thresholds), "utf-8")
        _stderr(f"wrote {args.markdown_out}")
    failed = [c for c in checks if c.failed]
    if getattr(args, "check", False) and failed:
        _stderr(f"{len(failed)} threshold(s) failed; see the table above.")
        return 1
    return 0
