"""Thresholds (evals/thresholds.yaml): load them and check an eval result against each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evals.cases import EVALS_DIR, CaseFileError
from evals.results import EvalResult, Summary

DEFAULT_THRESHOLDS = EVALS_DIR / "thresholds.yaml"

METRICS = tuple(f.name for f in dataclasses.fields(Summary) if f.name != "n")
RETRIEVAL_METRICS = frozenset({"hit_at_k", "recall_at_k", "mrr"})


@dataclass(frozen=True)
class Threshold:
    """One bound on one metric of one table row: scope is "overall", a category or a style
    ("style:forum"); split is "all" (every case but blind), "dev", "heldout" or "blind"."""

    scope: str
    metric: str
    bound: str  # "min" or "max"
    limit: float
    hard: bool
    split: str = "all"
    why: str = ""


@dataclass(frozen=True)
class Thresholds:
    k: int
    items: tuple[Threshold, ...]


@dataclass(frozen=True)
class ThresholdCheck:
    threshold: Threshold
    value: float | None
    passed: bool
    note: str = ""

    @property
    def failed(self) -> bool:
        return not self.passed and not self.note

    @property
    def status(self) -> str:
        return "skipped" if self.note else ("pass" if self.passed else "FAIL")


def parse_thresholds(raw: Any, where: str = "thresholds") -> Thresholds:
    """Validate the YAML structure: `k`, then lists `hard` and `ratchet` of bounds."""
    if not isinstance(raw, dict):
        raise CaseFileError(f"{where}: expected a mapping with keys k, hard and ratchet.")
    items: list[Threshold] = []
    for group in ("hard", "ratchet"):
        for i, entry in enumerate(raw.get(group) or []):
            at = f"{where}: {group}[{i}]"
            if not isinstance(entry, dict):
                raise CaseFileError(
                    f"{at} must be a mapping such as {{scope: overall, metric: mrr, min: 0.5}}."
                )
            metric = entry.get("metric")
            if metric not in METRICS:
                raise CaseFileError(
                    f"{at}: unknown metric {metric!r}; use one of {', '.join(METRICS)}."
                )
            bounds = [b for b in ("min", "max") if b in entry]
            if len(bounds) != 1 or not isinstance(entry[bounds[0]], (int, float)):
                raise CaseFileError(f"{at}: give exactly one numeric `min` or `max`.")
            items.append(
                Threshold(
                    scope=str(entry.get("scope", "overall")),
                    metric=metric,
                    bound=bounds[0],
                    limit=float(entry[bounds[0]]),
                    hard=group == "hard",
                    split=str(entry.get("split", "all")),
                    why=str(entry.get("why", "")),
                )
            )
    return Thresholds(k=int(raw.get("k", 5)), items=tuple(items))


def load_thresholds(path: Path | str) -> Thresholds:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise CaseFileError(f"The thresholds file {path} does not exist.") from exc
    except yaml.YAMLError as exc:
        raise CaseFileError(f"{path} is not valid YAML ({exc}).") from exc
    return parse_thresholds(raw, str(path))


def check_threshold(result: EvalResult, t: Threshold, k: int) -> ThresholdCheck:
    """Pass, fail, or skipped (with a note) when the scope is absent or the metric n/a."""
    table = result.table(t.split)
    if table is None:
        return ThresholdCheck(t, None, True, f"split {t.split} was not run")
    row = table.row(t.scope)
    if row is None:
        return ThresholdCheck(t, None, True, f"no {t.scope} cases in split {t.split}")
    if t.metric in RETRIEVAL_METRICS and result.k != k:
        return ThresholdCheck(t, None, True, f"set at k={k}, run at k={result.k}")
    value = getattr(row, t.metric)
    if value is None:
        return ThresholdCheck(t, None, True, "metric does not apply to these cases")
    passed = value >= t.limit - 1e-9 if t.bound == "min" else value <= t.limit + 1e-9
    return ThresholdCheck(t, float(value), passed)


def check_thresholds(result: EvalResult, thresholds: Thresholds) -> tuple[ThresholdCheck, ...]:
    return tuple(check_threshold(result, t, thresholds.k) for t in thresholds.items)
