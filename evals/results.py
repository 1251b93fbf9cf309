"""What an eval run produces: per-case results, summary rows, tables, and the worst cases.

Values only (frozen dataclasses and pure functions over them), so the runner, the report and the
thresholds all import from here and none of them imports another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evals.metrics import SentenceSupport


@dataclass(frozen=True)
class PartResult:
    """One question of a multi-question message: how many of its key facts the answer holds."""

    ask: str
    coverage: float
    missing: tuple[str, ...]
    answered: bool


@dataclass(frozen=True)
class CaseResult:
    """One case's answer and everything it got right or wrong.

    `kind_ok` is None, and citations and retrieval are not scored, for a target that is judged on
    its text alone (the naive peer has no kinds, no citations and no retriever of ours).
    """

    id: str
    question: str
    category: str
    split: str | None
    style: str | None
    kind: str
    expected_kinds: tuple[str, ...]
    kind_ok: bool | None
    missing: tuple[str, ...]
    violated: tuple[str, ...]
    coverage: float | None
    full_pass: bool
    facts_pass: bool
    parts: tuple[PartResult, ...]
    answer_parts: int | None
    words: int
    reading_ease: float | None
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

    @property
    def unanswered_parts(self) -> tuple[PartResult, ...]:
        return tuple(p for p in self.parts if not p.answered)

    def problems(self) -> tuple[str, ...]:
        """What this case missed, in words, most serious first."""
        out = [f"must_not_include matched: /{p}/" for p in self.violated]
        out += [f"citation: {p}" for p in self.citation_problems]
        if self.kind_ok is False:
            out.append(f"kind {self.kind!r}, expected {' or '.join(self.expected_kinds)}")
        out += [
            f"part unanswered ({p.coverage:.0%} of its facts): {p.ask[:90]}"
            for p in self.unanswered_parts
        ]
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
    facts_pass_rate: float | None
    key_fact_coverage: float | None
    must_not_include_violations: int
    cases_with_violations: int
    parts_n: int
    questions_answered: float | None
    part_coverage: float | None
    words_median: float | None
    words_p95: float | None
    reading_ease: float | None
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
    """Rows of summaries for one split ("all" is every split but blind): "overall", one row per
    category, then one per question style ("style:forum")."""

    scope: str
    title: str
    rows: tuple[tuple[str, Summary], ...]

    def row(self, label: str) -> Summary | None:
        return next((s for name, s in self.rows if name == label), None)


@dataclass(frozen=True)
class EvalResult:
    """One target's run over a set of cases: `target` is "signpost" or the peer's name."""

    k: int
    label: str
    results: tuple[CaseResult, ...]
    tables: tuple[Table, ...]
    target: str = "signpost"

    def table(self, scope: str) -> Table | None:
        return next((t for t in self.tables if t.scope == scope), None)

    @property
    def overall(self) -> Summary:
        """The "overall" row of the first table (all cases but blind, or the one split run)."""
        row = self.tables[0].row("overall")
        assert row is not None
        return row


def severity(result: CaseResult) -> tuple[float, ...]:
    """Sort key, worst first: hard-floor breaches, wrong kind, unanswered parts, then missing
    facts and sources."""
    return (
        -len(result.violated),
        -len(result.citation_problems),
        -1 if result.kind_ok is False else 0,
        -len(result.unanswered_parts),
        result.coverage if result.coverage is not None else 1.0,
        -len(result.missing_sources),
        0 if result.source_cited is not False else -1,
    )


def in_scope(result: CaseResult, scope: str | None) -> bool:
    """Whether a case belongs to a table's scope: None is every case, "all" every case but
    blind ones, anything else one split."""
    if scope is None:
        return True
    if scope == "all":
        return result.split != "blind"
    return result.split == scope


def worst_cases(
    result: EvalResult, limit: int = 20, scope: str | None = None
) -> tuple[CaseResult, ...]:
    """The cases with something wrong, worst first (of one scope when given, see in_scope)."""
    bad = [r for r in result.results if r.problems() and in_scope(r, scope)]
    return tuple(sorted(bad, key=lambda r: (severity(r), r.id))[:limit])


def splits_of(results: Sequence[CaseResult]) -> tuple[str, ...]:
    """The splits present, in reading order: dev, heldout, any others, blind last."""
    present = {r.split for r in results if r.split}
    order = ["dev", "heldout", *sorted(present - {"dev", "heldout", "blind"}), "blind"]
    return tuple(s for s in order if s in present)
