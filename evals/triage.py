"""Triage metrics: per-label precision and recall, the confusion matrix, false positives on
look-alikes, and third-person offence stories read as one's own thoughts.

Pure functions over (gold, predicted) pairs, plus `run_triage_eval`, which triages every message
of a JSONL file (fields: id, text, label in emergency|own_thoughts|declined|none, lookalike,
length, note) and returns a frozen `TriageReport` with a `markdown()` method. Definitions:
- precision of a label: right / predicted as that label; recall: right / labelled so;
- look-alike false positive: a message labelled none with lookalike true that triage gave any
  other label; the rate is over all such look-alikes;
- third-person story read as own thoughts: labelled none and triaged own_thoughts while its text
  has no first-person sexual wording (`FIRST_PERSON_SEXUAL`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.types import Triage

LABELS: tuple[str, ...] = ("emergency", "own_thoughts", "declined", "none")
# The file's label for an evasive ask is "declined"; triage's own label is "decline".
TO_FILE_LABEL = {"decline": "declined"}
FIRST_PERSON_SEXUAL = re.compile(
    r"\b(?:i|i'm|i've|my|me|myself)\b[^.?!]{0,60}\b(?:urges?|attract\w*|arous\w*|sexual thoughts|"
    r"fantas\w+|looked at|viewing|downloaded)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TriageCase:
    id: str
    text: str
    label: str
    lookalike: bool = False
    length: str = "short"
    note: str = ""


@dataclass(frozen=True)
class LabelScore:
    label: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 1.0


@dataclass(frozen=True)
class TriageReport:
    """What one run over a case file measured; `markdown()` renders it for REPORT.md."""

    source: str
    labels: tuple[LabelScore, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: gold LABELS, columns: predicted LABELS
    lookalikes: int
    lookalike_false_positives: int
    third_person_as_own_thoughts: tuple[str, ...]
    wrong: tuple[tuple[str, str, str], ...]  # (id, gold, predicted)
    ms_p50: float
    ms_p95: float

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.confusion)

    @property
    def accuracy(self) -> float:
        return sum(self.confusion[i][i] for i in range(len(LABELS))) / max(self.total, 1)

    @property
    def lookalike_fp_rate(self) -> float:
        return self.lookalike_false_positives / self.lookalikes if self.lookalikes else 0.0

    def score(self, label: str) -> LabelScore:
        return next(s for s in self.labels if s.label == label)

    def markdown(self) -> str:
        rows = [
            f"Triage on `{self.source}`: {self.total} messages, accuracy {self.accuracy:.1%}.",
            "",
            "| label | n | precision | recall |",
            "|---|---:|---:|---:|",
        ]
        rows += [
            f"| {s.label} | {s.support} | {s.precision:.1%} | {s.recall:.1%} |" for s in self.labels
        ]
        rows += [
            "",
            "Confusion matrix (rows: labelled, columns: triaged):",
            "",
            "| labelled \\ triaged | " + " | ".join(LABELS) + " |",
            "|---|" + "---:|" * len(LABELS),
        ]
        rows += [
            f"| {g} | " + " | ".join(str(v) for v in row) + " |"
            for g, row in zip(LABELS, self.confusion, strict=True)
        ]
        rows += [
            "",
            f"- Look-alike false positives: {self.lookalike_false_positives}/{self.lookalikes} "
            f"({self.lookalike_fp_rate:.1%}).",
            f"- Third-person offence stories triaged own_thoughts: "
            f"{len(self.third_person_as_own_thoughts)}"
            + (
                f" ({', '.join(self.third_person_as_own_thoughts)})"
                if self.third_person_as_own_thoughts
                else ""
            )
            + ".",
            f"- Time per message: p50 {self.ms_p50:.0f} ms, p95 {self.ms_p95:.0f} ms.",
        ]
        if self.wrong:
            rows += ["", "Wrong: " + "; ".join(f"{i} ({g} -> {p})" for i, g, p in self.wrong) + "."]
        return "\n".join(rows) + "\n"


def read_cases(path: Path) -> list[TriageCase]:
    cases = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            label = row.get("label", row.get("expect"))
            cases.append(
                TriageCase(
                    str(row["id"]),
                    row["text"],
                    TO_FILE_LABEL.get(label, label),
                    bool(row.get("lookalike", False)),
                    row.get("length", "short"),
                    row.get("note", ""),
                )
            )
    return cases


def label_scores(gold: Sequence[str], predicted: Sequence[str]) -> tuple[LabelScore, ...]:
    pairs = list(zip(gold, predicted, strict=True))
    return tuple(
        LabelScore(
            lab,
            sum(g == lab for g, _ in pairs),
            sum(p == lab for _, p in pairs),
            sum(g == lab and p == lab for g, p in pairs),
        )
        for lab in LABELS
    )


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    pairs = list(zip(gold, predicted, strict=True))
    return tuple(tuple(sum(g == a and p == b for g, p in pairs) for b in LABELS) for a in LABELS)


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def score_cases(
    cases: Sequence[TriageCase],
    predicted: Sequence[str],
    source: str = "",
    times_ms: Sequence[float] = (),
) -> TriageReport:
    """The report for cases and what triage said of each (labels as in the file)."""
    gold = [c.label for c in cases]
    looks = [
        (c, p) for c, p in zip(cases, predicted, strict=True) if c.lookalike and c.label == "none"
    ]
    third = tuple(
        c.id
        for c, p in zip(cases, predicted, strict=True)
        if c.label == "none" and p == "own_thoughts" and not FIRST_PERSON_SEXUAL.search(c.text)
    )
    return TriageReport(
        source=source,
        labels=label_scores(gold, predicted),
        confusion=confusion(gold, predicted),
        lookalikes=len(looks),
        lookalike_false_positives=sum(p != "none" for _, p in looks),
        third_person_as_own_thoughts=third,
        wrong=tuple(
            (c.id, c.label, p) for c, p in zip(cases, predicted, strict=True) if c.label != p
        ),
        ms_p50=_percentile(times_ms, 0.5),
        ms_p95=_percentile(times_ms, 0.95),
    )


def run_triage_eval(path: Path, classify: Callable[[str], Triage]) -> TriageReport:
    """Triage every message in `path` with `classify` and score it."""
    cases = read_cases(path)
    predicted, times = [], []
    for case in cases:
        t0 = time.perf_counter()
        label = classify(case.text).label
        times.append((time.perf_counter() - t0) * 1000)
        predicted.append(TO_FILE_LABEL.get(label, label))
    return score_cases(cases, predicted, path.name, times)


def default_cases() -> Path:
    """The blind triage test set shipped with the repository."""
    return Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_test.jsonl"


def evaluate_triage(cases: Path | None = None, models_dir: Path | None = None) -> TriageReport:
    """Triage a case file with the real embedder and the shipped model (what the CLI runs)."""
    from assistant.embeddings import get_embedder
    from assistant.safety import open_triage_model, triage

    model = open_triage_model(get_embedder(models_dir))
    triage("warm up the embedder", model)
    return run_triage_eval(cases or default_cases(), lambda text: triage(text, model))
