"""Offline training and calibration of the triage model (numpy only).

    python -m assistant.triage.training [--data FILE.jsonl ...] [--folds 5]

Reads labelled messages (JSONL: text, label or expect) and the short phrasings in
assistant/data/triage_examples.yaml, fits a multinomial logistic regression on segment inputs,
picks each label's threshold from out-of-fold scores (cross-validation on the training data only,
never the test set), and writes assistant/data/triage_model.json.

Messages carry one label but many segments. A message labelled none makes all its segments
negatives; a risky message of one segment is a positive; for a longer risky message the segment
the current model finds most like the label (among those with the label's cue) is the positive,
re-chosen over a few rounds (multiple-instance learning), and its other segments are left out.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.triage.decision import RISKY, triage_segments
from assistant.triage.model import (
    CLASSES,
    MODEL_FILE,
    Encode,
    Segments,
    allowed,
    load_signals,
    segment_inputs,
    softmax,
)
from assistant.triage.rules import PRIORITY, prepare, rule_hits

LABEL_ALIASES = {"declined": "decline", "benign": "none"}
# L2 penalty: picked by cross-validated log loss on the training data (see `--l2`).
L2 = 3e-3
# Most false positives each risky label may add on messages labelled none (out of fold): 2% in
# all is the target, shared among three labels.
FP_BUDGET = {"emergency": 0.01, "own_thoughts": 0.005, "decline": 0.005}
# Thresholds never go below this: a segment must be more likely the label than anything else.
MIN_THRESHOLD = 0.5
ANCHORS = (
    "What is a child protection conference?",
    "My partner is drunk and shouting at the children.",
    "Can I hide this from the social worker?",
)
DEFAULT_DATA = ("tests/data/triage_train.jsonl", "tests/data/triage_suite.jsonl",
                "tests/data/triage_holdout.jsonl")  # fmt: skip


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    label: str
    source: str
    lookalike: bool = False


def read_jsonl(path: Path) -> list[Labelled]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        label = row.get("label", row.get("expect"))
        label = LABEL_ALIASES.get(label, label)
        if label not in CLASSES:
            raise ValueError(f"{path}:{n}: unknown label {label!r}")
        out.append(Labelled(str(row.get("id", n)), row["text"], label, path.name,
                            bool(row.get("lookalike", False))))
    return out


def read_phrasings() -> list[Labelled]:
    raw = yaml.safe_load(
        resources.files("assistant.data").joinpath("triage_examples.yaml").read_text("utf-8")
    )
    return [
        Labelled(f"ex-{label}-{i}", text, LABEL_ALIASES.get(label, label), "phrasings")
        for label, texts in raw.items()
        for i, text in enumerate(texts)
    ]


def featurize(items: Sequence[Labelled], encode: Encode) -> list[Segments]:
    """Segment inputs per message, all texts embedded in batches."""
    signals = load_signals()
    parts = [triage_segments(m.text) for m in items]
    flat = [p for ps in parts for p in ps]
    vecs = np.asarray(encode(flat), dtype=np.float32) if flat else np.zeros((0, 384), np.float32)
    out, start = [], 0
    for ps in parts:
        out.append(segment_inputs(ps, vecs[start : start + len(ps)], signals))
        start += len(ps)
    return out


def fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2,
           steps: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """Weighted multinomial logistic regression by Nesterov gradient descent (convex, so plain)."""
    n, d = x.shape
    k = len(CLASSES)
    onehot = np.eye(k, dtype=np.float32)[y]
    wn = (w / w.sum()).astype(np.float32)[:, None]
    theta = np.zeros((d + 1, k), np.float32)
    vel = np.zeros_like(theta)
    xb = np.hstack([x, np.ones((n, 1), np.float32)])
    lr = 2.0
    for _ in range(steps):
        look = theta + 0.9 * vel
        grad = xb.T @ ((softmax(xb @ look) - onehot) * wn)
        grad[:-1] += l2 * look[:-1]
        vel = 0.9 * vel - lr * grad
        theta = theta + vel
    return theta[:-1], theta[-1]


def _probs(seg: Segments, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return softmax(seg.inputs @ weights + bias)


def train(items: Sequence[Labelled], segs: Sequence[Segments], l2: float = L2,
          rounds: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Fit with multiple-instance rounds (see the module docstring)."""
    signals = load_signals()
    weights = bias = None
    for _ in range(rounds):
        xs, ys = [], []
        for item, seg in zip(items, segs, strict=True):
            if not len(seg.texts):
                continue
            cls = CLASSES.index(item.label)
            if item.label == "none":
                xs.append(seg.inputs)
                ys += [cls] * len(seg.texts)
                continue
            if len(seg.texts) == 1:
                xs.append(seg.inputs)
                ys.append(cls)
                continue
            if weights is None or bias is None:
                continue  # first round: short positives and all negatives
            mask = allowed(seg.texts, item.label, signals)
            score = np.where(mask, _probs(seg, weights, bias)[:, cls], -1.0)
            xs.append(seg.inputs[[int(np.argmax(score))]])
            ys.append(cls)
        x = np.vstack(xs)
        y = np.asarray(ys)
        counts = np.bincount(y, minlength=len(CLASSES)).astype(np.float32)
        w = (1.0 / np.maximum(counts, 1.0))[y]
        weights, bias = fit_lr(x, y, w, l2)
    assert weights is not None and bias is not None
    return weights, bias


def message_scores(seg: Segments, weights: np.ndarray, bias: np.ndarray) -> dict[str, float]:
    signals = load_signals()
    if not len(seg.texts):
        return dict.fromkeys(RISKY, 0.0)
    probs = _probs(seg, weights, bias)
    out: dict[str, float] = {}
    for label in RISKY:
        mask = allowed(seg.texts, label, signals)
        out[label] = float(probs[mask, CLASSES.index(label)].max()) if mask.any() else 0.0
    return out


def rule_labels(items: Sequence[Labelled]) -> list[set[str]]:
    return [{h.rule.label for h in rule_hits(prepare(m.text))} for m in items]


def cross_validate(items: Sequence[Labelled], segs: Sequence[Segments], fixed: Sequence[Labelled],
                   fixed_segs: Sequence[Segments], folds: int = 5, l2: float = L2,
                   seed: int = 7) -> list[dict[str, float]]:
    """Out-of-fold message scores (stratified folds; the phrasings are in every training fold)."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(items), int)
    for label in CLASSES:
        idx = [i for i, m in enumerate(items) if m.label == label]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            fold[i] = j % folds
    out: list[dict[str, float]] = [{} for _ in items]
    for f in range(folds):
        tr = [i for i in range(len(items)) if fold[i] != f]
        weights, bias = train([*fixed, *(items[i] for i in tr)],
                              [*fixed_segs, *(segs[i] for i in tr)], l2)
        for i in range(len(items)):
            if fold[i] == f:
                out[i] = message_scores(segs[i], weights, bias)
    return out


def decide(scores: dict[str, float], rules: set[str], thresholds: dict[str, float]) -> str:
    found = set(rules) | {lab for lab in RISKY if scores.get(lab, 0.0) >= thresholds[lab]}
    return min(found, key=lambda lab: PRIORITY[lab]) if found else "none"


def choose_thresholds(items: Sequence[Labelled], oof: Sequence[dict[str, float]],
                      rules: Sequence[set[str]]) -> dict[str, float]:
    """Per label, the lowest threshold at which the model adds no more out-of-fold false
    positives on benign messages than its budget allows (the rules' own are counted apart)."""
    out: dict[str, float] = {}
    benign = [i for i, m in enumerate(items) if m.label == "none"]
    for label in RISKY:
        allowed_fp = FP_BUDGET[label] * len(benign)
        cands = sorted({round(s[label], 4) for s in oof if s[label] >= MIN_THRESHOLD} | {0.999})
        for t in cands:
            fp = sum(1 for i in benign if label not in rules[i] and oof[i][label] >= t)
            if fp <= allowed_fp:
                out[label] = t
                break
    return out


def report(items: Sequence[Labelled], predicted: Sequence[str]) -> str:
    lines = ["gold\\pred      " + " ".join(f"{c:>13}" for c in CLASSES)]
    for g in CLASSES:
        row = [sum(1 for m, p in zip(items, predicted, strict=True) if m.label == g and p == c)
               for c in CLASSES]
        lines.append(f"{g:<15}" + " ".join(f"{v:>13}" for v in row))
    for c in CLASSES:
        tp = sum(1 for m, p in zip(items, predicted, strict=True) if m.label == c and p == c)
        npred = sum(1 for p in predicted if p == c)
        ngold = sum(1 for m in items if m.label == c)
        lines.append(f"{c:<13} precision {tp / max(npred, 1):.3f} recall {tp / max(ngold, 1):.3f}"
                     f" (n={ngold})")
    look = [(m, p) for m, p in zip(items, predicted, strict=True) if m.lookalike and m.label == "none"]
    if look:
        lines.append(f"look-alike FP {sum(p != 'none' for _, p in look)}/{len(look)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="*", default=list(DEFAULT_DATA))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, nargs="*", default=[L2])
    ap.add_argument("--out", default=str(Path(__file__).parent.parent / "data" / MODEL_FILE))
    ap.add_argument("--dry-run", action="store_true", help="report cross-validation, write nothing")
    args = ap.parse_args(argv)

    from assistant.embeddings import get_embedder

    embedder = get_embedder()

    def encode(texts: Sequence[str]) -> np.ndarray:
        return embedder._encode(list(texts))

    items = [m for p in args.data if Path(p).exists() for m in read_jsonl(Path(p))]
    fixed = read_phrasings()
    print(f"training messages: {len(items)} from {[p for p in args.data if Path(p).exists()]};"
          f" phrasings: {len(fixed)}")
    segs, fixed_segs = featurize(items, encode), featurize(fixed, encode)
    rules = rule_labels(items)
    best: tuple[float, float, dict[str, float], list[dict[str, float]]] | None = None
    for l2 in args.l2:
        oof = cross_validate(items, segs, fixed, fixed_segs, args.folds, l2)
        thresholds = choose_thresholds(items, oof, rules)
        predicted = [decide(s, r, thresholds) for s, r in zip(oof, rules, strict=True)]
        acc = float(np.mean([p == m.label for p, m in zip(predicted, items, strict=True)]))
        print(f"\nl2={l2}: out-of-fold accuracy {acc:.3f}, thresholds {thresholds}")
        print(report(items, predicted))
        if best is None or acc > best[0]:
            best = (acc, l2, thresholds, oof)
    assert best is not None
    acc, l2, thresholds, _ = best
    if args.dry_run:
        return 0
    weights, bias = train([*fixed, *items], [*fixed_segs, *segs], l2)
    anchor_vecs = encode(list(ANCHORS))
    data: dict[str, Any] = {
        "about": "Triage logistic regression; written by python -m assistant.triage.training",
        "trained": date.today().isoformat(),
        "classes": list(CLASSES),
        "features": [n for n, _ in load_signals().features],
        "l2": l2,
        "training_messages": len(items),
        "phrasings": len(fixed),
        "cv_accuracy": round(acc, 4),
        "thresholds": thresholds,
        "threshold_reason": "lowest out-of-fold score keeping each label's false positives on "
                            f"benign training messages within {FP_BUDGET} (never below "
                            f"{MIN_THRESHOLD})",
        "anchors": [{"text": t, "vector": [round(float(v), 6) for v in vec]}
                    for t, vec in zip(ANCHORS, anchor_vecs, strict=True)],
        "bias": [round(float(v), 6) for v in bias],
        "weights": [[round(float(v), 6) for v in row] for row in weights],
    }
    Path(args.out).write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
