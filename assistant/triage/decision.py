"""The verdict for a message: rules and model per clause (in context), then one label.

Any clause judged an emergency makes the message an emergency; else first-person sexual thoughts
make it own_thoughts; else an evasive ask makes it decline; else none. Rules decide where they
fire; the model adds what the rules do not name, only for segments that carry the label's cue
and no guard against it. The caller still answers the other questions in the message.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from assistant.errors import ConfigError
from assistant.triage.model import CLASSES, TriageModel, allowed, load_signals, segment_inputs
from assistant.triage.normalise import model_clauses, normalise
from assistant.triage.rules import PRIORITY, load_rules, prepare, rule_hits
from assistant.types import Triage, TriageLabel

RISKY: tuple[TriageLabel, ...] = ("emergency", "own_thoughts", "decline")
# A 3,000-word post has ~200 clauses. Beyond this many, the model reads the clauses that carry
# the most risk signals (child, sexual, harm, concealment, now, first person), so the one
# embedding batch stays near 48 x ~30 tokens, which is what fits 500 ms on two CPU cores; the
# rules still read every clause. The longest training post has fewer clauses than this.
MAX_CLAUSES = 48


def triage_segments(message: str) -> list[str]:
    """The texts the model embeds for `message`, in the one batch `triage` asks for."""
    text = load_rules().strip.sub(" ", normalise(message))
    parts = model_clauses(text)
    if len(parts) <= MAX_CLAUSES:
        return parts
    signals = load_signals()
    keep = {"child", "sexual", "harm", "conceal", "now", "first_person"}
    idx = [i for i, (name, _) in enumerate(signals.features) if name in keep]

    def weight(p: str) -> float:
        v = signals.vector(p)
        return float(v[idx].sum())

    ranked = sorted(range(len(parts)), key=lambda i: -weight(parts[i]))[:MAX_CLAUSES]
    return [parts[i] for i in sorted(ranked)]


def model_scores(
    model: TriageModel, message: str
) -> tuple[dict[str, float], dict[str, str]]:
    """Per risky label, the best probability over allowed segments, and that segment's text."""
    signals = load_signals()
    if tuple(n for n, _ in signals.features) != model.feature_names:
        raise ConfigError(
            "The triage model was trained with other word signals than triage_features.yaml "
            "holds; retrain it with `python -m assistant.triage.training`."
        )
    parts = triage_segments(message)
    if not parts:
        return {}, {}
    vectors = np.asarray(model.embed(parts), dtype=np.float32)
    segs = segment_inputs(parts, vectors, signals)
    probs = model.probabilities(segs.inputs)
    scores: dict[str, float] = {}
    where: dict[str, str] = {}
    for label in RISKY:
        mask = allowed(segs.texts, label, signals)
        if not mask.any():
            scores[label] = 0.0
            continue
        col = np.where(mask, probs[:, CLASSES.index(label)], -1.0)
        best = int(np.argmax(col))
        scores[label] = float(col[best])
        where[label] = segs.texts[best]
    return scores, where


def triage(message: str, model: TriageModel | None = None) -> Triage:
    """Label a message emergency / own_thoughts / decline / none (rules only without a model)."""
    if not message.strip():
        return Triage(label="none")
    hits = rule_hits(prepare(message))
    found: dict[str, list[str]] = {}
    for hit in hits:
        found.setdefault(hit.rule.label, []).append(hit.reason)
    scores: dict[str, float] = {}
    if model is not None:
        scores, where = model_scores(model, message)
        for label in RISKY:
            if scores.get(label, 0.0) >= model.thresholds[label]:
                found.setdefault(label, []).append(
                    f"model:{label}:{scores[label]:.2f}:{where[label][:60]}"
                )
    score_items = tuple((k, round(v, 4)) for k, v in scores.items())
    if not found:
        return Triage(label="none", scores=score_items)
    label = cast(TriageLabel, min(found, key=lambda lab: PRIORITY[lab]))
    reasons = tuple(r for lab in sorted(found, key=lambda x: PRIORITY[x]) for r in found[lab])
    return Triage(label=label, reasons=reasons, scores=score_items)  # type: ignore[arg-type]
