"""Eval output: the terminal table, the markdown report and the JSON dump of a run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import platform
from collections.abc import Sequence
from typing import Any

from evals.metrics import SUPPORT_MIN_SHARE
from evals.runner import EvalResult, Summary, Table, worst_cases
from evals.thresholds import ThresholdCheck, Thresholds

COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("kind", "kind_accuracy"),
    ("pass", "full_pass_rate"),
    ("facts", "key_fact_coverage"),
    ("viol", "must_not_include_violations"),
    ("hit@k", "hit_at_k"),
    ("R@k", "recall_at_k"),
    ("MRR", "mrr"),
    ("cited src", "cited_source_rate"),
    ("cite valid", "citation_validity"),
    ("support", "citation_support"),
    ("p50 ms", "latency_p50_ms"),
    ("p95 ms", "latency_p95_ms"),
)
COUNT_FIELDS = frozenset({"n", "must_not_include_violations"})
RATIO_FIELDS = frozenset({"mrr"})

DEFINITIONS = f"""\
- **kind**: share of answers whose `kind` is the expected one (CONTRACTS.md defaults: \
unanswerable -> not_found, safety -> safety or declined, others -> answer).
- **pass**: full pass: every `must_include` matched, no `must_not_include` matched, kind right.
- **facts**: key-fact coverage, the mean share of `must_include` patterns matched. Patterns are \
matched case-insensitively against the answer text plus the signposts' names, phones and urls \
(never the disclaimer).
- **viol**: `must_not_include` patterns matched, summed over cases.
- **hit@k / R@k / MRR**: the retriever's top k for the normalised question (glossary expanded), \
over cases that expect an answer and list `expect_sources`; a source matches when the expected \
string is a substring of the passage's doc_id or url. hit@k: any expected source in the top k; \
R@k: share of expected sources in the top k; MRR: 1/rank of the first match (0 if none).
- **cited src**: of those cases, the share whose answer cites an expected source.
- **cite valid**: of answers that cite, carry `[n]` or claim kind `answer`, the share where every \
`[n]` resolves to a citation, every quote is a non-empty exact substring of the stored chunk \
(fetched by `chunk_id` from the index) and a kind `answer` has at least one citation.
- **support**: of answer sentences carrying `[n]`, the share where at least \
{SUPPORT_MIN_SHARE:.0%} of the sentence's content tokens (`assistant.text.tokens`: lower-cased, \
stemmed, stopwords dropped, markers removed) occur in the quotes of the citations it names.
- **p50 / p95 ms**: wall-clock time of `Assistant.ask` per question on the machine that ran it.
"""


def fmt(field: str, value: Any) -> str:
    if value is None:
        return "-"
    if field in COUNT_FIELDS:
        return str(int(value))
    if field.startswith("latency"):
        return f"{value:.0f}"
    if field in RATIO_FIELDS:
        return f"{value:.3f}"
    return f"{100 * value:.1f}%"


def table_lines(table: Table, markdown: bool) -> list[str]:
    headers = ["", *(h for h, _ in COLUMNS)]
    rows = [[label, *(fmt(f, getattr(s, f)) for _, f in COLUMNS)] for label, s in table.rows]
    if markdown:
        out = [
            "| " + " | ".join(headers) + " |",
            "|" + "|".join(["---"] + ["--:"] * len(COLUMNS)) + "|",
        ]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = "  ".join
    out = [
        line(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    for r in rows:
        out.append(
            line(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return out


def describe_threshold(check: ThresholdCheck) -> str:
    t = check.threshold
    op = ">=" if t.bound == "min" else "<="
    where = t.scope if t.split == "all" else f"{t.scope} ({t.split})"
    return f"{where} {t.metric} {op} {fmt(t.metric, t.limit)}"


def render_text(result: EvalResult, checks: Sequence[ThresholdCheck]) -> str:
    """The terminal summary: every table, the thresholds, the ten worst cases."""
    out = [f"Eval: {len(result.results)} cases, k={result.k}  {result.label}".rstrip()]
    for table in result.tables:
        out += ["", table.title, *table_lines(table, markdown=False)]
    if checks:
        out += ["", "Thresholds"]
        for c in checks:
            value = fmt(c.threshold.metric, c.value)
            note = f" ({c.note})" if c.note else ""
            hard = " [hard]" if c.threshold.hard else ""
            out.append(f"  {c.status:7} {describe_threshold(c)}{hard}: {value}{note}")
    worst = worst_cases(result, 10)
    if worst:
        out += ["", "Worst cases"]
        for r in worst:
            out.append(f"  {r.id} ({r.category}, {r.split or '-'}): " + "; ".join(r.problems()[:3]))
    return "\n".join(out)


def render_markdown(
    result: EvalResult,
    checks: Sequence[ThresholdCheck],
    thresholds: Thresholds | None = None,
    worst: int = 25,
) -> str:
    """The readable report written by `signpost eval --markdown` (evals/REPORT.md)."""
    today = dt.date.today().isoformat()
    out = [
        "# Eval report",
        "",
        f"{len(result.results)} cases from {result.label or 'the eval set'}, k={result.k}, "
        f"run on {today}. "
        "Regenerate with `signpost eval --markdown evals/REPORT.md`.",
        "",
        f"Latencies are wall-clock on the machine that ran it ({os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}) and move with its load; no threshold uses them.",
    ]
    for table in result.tables:
        out += ["", f"## {table.title}", "", *table_lines(table, markdown=True)]
    out += ["", "## Thresholds (evals/thresholds.yaml)", ""]
    if thresholds is not None:
        out.append(
            f"Set at k={thresholds.k}. Hard floors never move; the others are what the system "
            "achieved when they were set, rounded down, and are only ever raised."
        )
        out.append("")
    out += ["| status | threshold | kind | value | why |", "|---|---|---|--:|---|"]
    for c in checks:
        kind = "hard" if c.threshold.hard else "ratchet"
        value = fmt(c.threshold.metric, c.value) if c.value is not None else c.note
        out.append(
            f"| {c.status} | {describe_threshold(c)} | {kind} | {value} | {c.threshold.why} |"
        )
    chosen = worst_cases(result, worst)
    out += ["", f"## Worst cases ({len(chosen)} shown)", ""]
    for r in chosen:
        out.append(f"### `{r.id}` ({r.category}, {r.split or 'no split'}, {r.style or 'no style'})")
        out.append("")
        out.append(f"> {r.question}")
        out.append("")
        out += [f"- {p}" for p in r.problems()]
        got = [f"got kind `{r.kind}`"]
        if r.retrieval_scored:
            got.append(f"retrieved: {', '.join(dict.fromkeys(r.retrieved)) or '-'}")
        got.append(f"cited: {', '.join(dict.fromkeys(r.cited)) or '-'}")
        out.append("- " + "; ".join(got))
        out.append(f"- answer: {_clip(r.answer_text, 400)}")
        out.append("")
    out += ["## What the columns mean", "", DEFINITIONS]
    return "\n".join(out)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summary_to_json(s: Summary) -> dict[str, Any]:
    return dataclasses.asdict(s)


def result_to_json(result: EvalResult, checks: Sequence[ThresholdCheck]) -> dict[str, Any]:
    """Everything about a run, for `signpost eval --json`."""
    return {
        "k": result.k,
        "label": result.label,
        "tables": [
            {
                "scope": t.scope,
                "title": t.title,
                "rows": {label: summary_to_json(s) for label, s in t.rows},
            }
            for t in result.tables
        ],
        "thresholds": [
            {
                **dataclasses.asdict(c.threshold),
                "value": c.value,
                "status": c.status,
                "note": c.note,
            }
            for c in checks
        ],
        "cases": [
            {**dataclasses.asdict(r), "problems": list(r.problems())} for r in result.results
        ],
    }
