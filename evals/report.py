"""Eval output: the terminal tables, the markdown report and the JSON dump of a run.

Blind cases are shown in the terminal (a person fixing a wrong regex needs them) but the markdown
report gives only the blind split's figures, never its questions or answers, so that what is read
while tuning holds nothing of the blind set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import platform
from collections.abc import Sequence
from typing import Any

from evals.cases import BLIND
from evals.metrics import ANSWERED_MIN_COVERAGE, SUPPORT_MIN_SHARE
from evals.peer import CHUNK_OVERLAP, CHUNK_SIZE, TOP_K
from evals.results import CaseResult, EvalResult, Summary, Table, in_scope, worst_cases
from evals.thresholds import ThresholdCheck, Thresholds

COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("kind", "kind_accuracy"),
    ("pass", "full_pass_rate"),
    ("facts", "key_fact_coverage"),
    ("viol", "must_not_include_violations"),
    ("parts", "parts_n"),
    ("answered", "questions_answered"),
    ("words", "words_median"),
    ("w p95", "words_p95"),
    ("ease", "reading_ease"),
    ("hit@k", "hit_at_k"),
    ("R@k", "recall_at_k"),
    ("MRR", "mrr"),
    ("cited src", "cited_source_rate"),
    ("cite valid", "citation_validity"),
    ("support", "citation_support"),
    ("p50 ms", "latency_p50_ms"),
    ("p95 ms", "latency_p95_ms"),
)
# Side by side with the peer: what both can be scored on (kind is ours only).
PEER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("kind", "kind_accuracy"),
    ("pass", "full_pass_rate"),
    ("facts pass", "facts_pass_rate"),
    ("facts", "key_fact_coverage"),
    ("viol", "must_not_include_violations"),
    ("answered", "questions_answered"),
    ("words", "words_median"),
    ("w p95", "words_p95"),
    ("ease", "reading_ease"),
    ("p50 ms", "latency_p50_ms"),
    ("p95 ms", "latency_p95_ms"),
)
COUNT_FIELDS = frozenset({"n", "must_not_include_violations", "parts_n"})
WHOLE_FIELDS = frozenset({"words_median", "words_p95", "latency_p50_ms", "latency_p95_ms"})
RATIO_FIELDS = frozenset({"mrr"})
POINT_FIELDS = frozenset({"reading_ease"})

DEFINITIONS = f"""\
- **kind**: share of answers whose `kind` is one of the expected ones (`expect_kind`, with `|` \
alternatives; CONTRACTS.md defaults: unanswerable -> not_found, safety -> safety or declined, \
others -> answer). n/a for the naive peer, which has no kinds.
- **pass**: full pass: every `must_include` matched, no `must_not_include` matched, kind right \
(for the peer: the first two only).
- **facts pass** (beside the peer): every `must_include` matched and no `must_not_include` matched, kind not considered: the one pass rate both systems are held to alike.
- **facts**: key-fact coverage, the mean share of `must_include` patterns matched. Patterns are \
matched case-insensitively against the answer text plus the signposts' names, phones and urls \
(never the disclaimer, and, since 2026-11-29, never the questions restated above the parts of a \
multi-part answer: those are the user's own words echoed back).
- **viol**: `must_not_include` patterns matched, summed over cases.
- **parts / answered**: for long messages with `parts`, the number of parts, and the share \
answered: a part is answered when at least {ANSWERED_MIN_COVERAGE:.0%} of its own `must_include` \
match the whole scored text.
- **words / w p95**: median and 95th percentile of words per answer (the answer text only, `[n]` \
markers removed; signposts and disclaimer not counted).
- **ease**: mean Flesch reading ease of the answers (same text as words; \
`assistant.readability`, the measure `signpost corpus check` uses; 60-70 is plain English).
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
- **p50 / p95 ms**: wall-clock time of `ask` per question on the machine that ran it.
- **split**: `dev` is tuned against; `heldout` was held back but has been read; `blind` \
(evals/blind.jsonl) was written by someone who never saw the answers and is never tuned against. \
"All cases but blind" never includes it.
"""


def fmt(field: str, value: Any) -> str:
    if value is None:
        return "-"
    if field in COUNT_FIELDS:
        return str(int(value))
    if field in WHOLE_FIELDS:
        return f"{value:.0f}"
    if field in RATIO_FIELDS:
        return f"{value:.3f}"
    if field in POINT_FIELDS:
        return f"{value:.1f}"
    return f"{100 * value:.1f}%"


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    """Rows under headers: a markdown table, or aligned plain text (first column left)."""
    if markdown:
        out = [
            "| " + " | ".join(headers) + " |",
            "|" + "|".join(["---"] + ["--:"] * (len(headers) - 1)) + "|",
        ]
        return out + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def table_lines(table: Table, markdown: bool) -> list[str]:
    headers = ["", *(h for h, _ in COLUMNS)]
    rows = [[label, *(fmt(f, getattr(s, f)) for _, f in COLUMNS)] for label, s in table.rows]
    return grid(headers, rows, markdown)


def comparison_lines(ours: EvalResult, peer: EvalResult, markdown: bool) -> list[str]:
    """One row per split for each system: the figures both can be scored on."""
    headers = ["", *(h for h, _ in PEER_COLUMNS)]
    rows: list[list[str]] = []
    for table in ours.tables:
        theirs = peer.table(table.scope)
        mine = table.row("overall")
        other = theirs.row("overall") if theirs else None
        for name, row in ((ours.target, mine), (peer.target, other)):
            if row is None:
                continue
            cells = [fmt(f, getattr(row, f)) for _, f in PEER_COLUMNS]
            if row.kind_accuracy is None:
                cells[1] = "n/a"
            rows.append([f"{table.scope}: {name}", *cells])
    return grid(headers, rows, markdown)


def describe_threshold(check: ThresholdCheck) -> str:
    t = check.threshold
    op = ">=" if t.bound == "min" else "<="
    where = t.scope if t.split == "all" else f"{t.scope} ({t.split})"
    return f"{where} {t.metric} {op} {fmt(t.metric, t.limit)}"


def case_line(r: CaseResult) -> str:
    return f"  {r.id} ({r.category}, {r.split or '-'}): " + "; ".join(r.problems()[:3])


def render_text(
    result: EvalResult,
    checks: Sequence[ThresholdCheck],
    peer: EvalResult | None = None,
    show_blind_cases: bool = False,
) -> str:
    """The terminal summary: every table, ours beside the peer, the thresholds, the worst cases.

    The blind split's worst cases are listed only when asked for (`--show-blind-cases`): printed
    by default, every eval run put blind questions and their regexes in front of whoever ran it,
    which is how a blind set gets tuned against."""
    out = [f"Eval: {len(result.results)} cases, k={result.k}  {result.label}".rstrip()]
    for table in result.tables:
        out += ["", table.title, *table_lines(table, markdown=False)]
    if peer is not None:
        out += ["", f"Signpost beside the {peer.target}", *comparison_lines(result, peer, False)]
    if checks:
        out += ["", "Thresholds"]
        for c in checks:
            value = fmt(c.threshold.metric, c.value)
            note = f" ({c.note})" if c.note else ""
            hard = " [hard]" if c.threshold.hard else ""
            out.append(f"  {c.status:7} {describe_threshold(c)}{hard}: {value}{note}")
    scopes = [("all", "Worst cases")] + ([(BLIND, "Worst blind cases")] if show_blind_cases else [])
    for scope, title in scopes:
        worst = worst_cases(result, 10, scope)
        if worst:
            out += ["", title, *(case_line(r) for r in worst)]
    return "\n".join(out)


def render_markdown(
    result: EvalResult,
    checks: Sequence[ThresholdCheck],
    thresholds: Thresholds | None = None,
    worst: int = 25,
    peer: EvalResult | None = None,
) -> str:
    """The readable report written by `signpost eval --markdown` (evals/REPORT.md)."""
    today = dt.date.today().isoformat()
    out = [
        "# Eval report",
        "",
        f"{len(result.results)} cases from {result.label or 'the eval set'}, k={result.k}, "
        f"run on {today}. "
        "Regenerate with `signpost eval --peer naive --markdown evals/REPORT.md`.",
        "",
        f"Latencies are wall-clock on the machine that ran it ({os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}) and move with its load; no threshold uses them.",
    ]
    for table in result.tables:
        if table.scope != BLIND:
            out += ["", f"## {table.title}", "", *table_lines(table, markdown=True)]
    blind = result.table(BLIND)
    if blind is not None:
        out += ["", "## Blind split", "", *blind_section(result, blind)]
    if peer is not None:
        out += ["", f"## Signpost beside the {peer.target}", "", *peer_section(result, peer)]
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
    chosen = worst_cases(result, worst, "all")
    out += ["", f"## Worst cases but blind ({len(chosen)} shown)", ""]
    for r in chosen:
        out += case_section(r)
    out += ["## What the columns mean", "", DEFINITIONS]
    return "\n".join(out)


def blind_section(result: EvalResult, table: Table) -> list[str]:
    """The blind split's figures and a tally of what went wrong, never its questions."""
    cases = [r for r in result.results if in_scope(r, BLIND)]
    tally = (
        ("wrong kind", sum(1 for r in cases if r.kind_ok is False)),
        ("a forbidden claim", sum(1 for r in cases if r.violated)),
        ("a question of the message unanswered", sum(1 for r in cases if r.unanswered_parts)),
        ("a key fact missing", sum(1 for r in cases if r.missing)),
    )
    out = [
        "Written by someone who never saw the answers, the corpus text or the other cases; "
        "never tuned against. Only its figures are shown here; run "
        "`signpost eval --split blind` to see its cases.",
        "",
        *table_lines(table, markdown=True),
        "",
        f"Of {len(cases)} blind cases: " + "; ".join(f"{n} with {what}" for what, n in tally) + ".",
    ]
    return out


def peer_section(result: EvalResult, peer: EvalResult) -> list[str]:
    return [
        f"The {peer.target} is the LangChain RAG a user would write first, over the same corpus "
        f"files: RecursiveCharacterTextSplitter({CHUNK_SIZE}, {CHUNK_OVERLAP}), the same MiniLM "
        f"through HuggingFaceEmbeddings, a Chroma collection, its top {TOP_K} chunks concatenated "
        "as the answer, no LLM. It has no kinds or citations, so kind is n/a and its full pass "
        "asks only for the key facts and no forbidden claim.",
        "",
        *comparison_lines(result, peer, markdown=True),
    ]


def case_section(r: CaseResult) -> list[str]:
    out = [f"### `{r.id}` ({r.category}, {r.split or 'no split'}, {r.style or 'no style'})", ""]
    out += [f"> {_clip(r.question, 600)}", ""]
    out += [f"- {p}" for p in r.problems()]
    got = [f"got kind `{r.kind}`"]
    if r.answer_parts:
        got.append(f"{r.answer_parts} parts")
    if r.retrieval_scored:
        got.append(f"retrieved: {', '.join(dict.fromkeys(r.retrieved)) or '-'}")
    got.append(f"cited: {', '.join(dict.fromkeys(r.cited)) or '-'}")
    out.append("- " + "; ".join(got))
    out.append(f"- answer ({r.words} words): {_clip(r.answer_text, 400)}")
    out.append("")
    return out


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summary_to_json(s: Summary) -> dict[str, Any]:
    return dataclasses.asdict(s)


def run_to_json(result: EvalResult) -> dict[str, Any]:
    return {
        "target": result.target,
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
        "cases": [
            {**dataclasses.asdict(r), "problems": list(r.problems())} for r in result.results
        ],
    }


def result_to_json(
    result: EvalResult, checks: Sequence[ThresholdCheck], peer: EvalResult | None = None
) -> dict[str, Any]:
    """Everything about a run, for `signpost eval --json` (the peer's run under "peer")."""
    out = run_to_json(result)
    out["thresholds"] = [
        {**dataclasses.asdict(c.threshold), "value": c.value, "status": c.status, "note": c.note}
        for c in checks
    ]
    if peer is not None:
        out["peer"] = run_to_json(peer)
    return out
