"""The learned part of the triage: a multiple-instance logistic regression over a message's units.

Trained offline from labelled messages (`python -m assistant.triage.training`, which writes
assistant/data/triage_model.json); loading it costs one small embedding call to check that the
embedder is the one it was trained with. The model reads a whole message at once: its clauses
are embedded in one batch; each clause and each pair of adjacent clauses is scored in the
message's context, and the message's score per label pools its units' scores (a soft max). Only
messages are labelled, so training learns which unit carries the label. Judging each segment
alone, or one linear layer over vectors pooled element-wise, measured worse out of fold on
writers the model was not trained on.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from assistant.datafiles import load_yaml
from assistant.errors import ConfigError
from assistant.triage.rules import _compile, _join

MODEL_FILE = "triage_model.json"
FEATURES_FILE = "triage_features.yaml"
CLASSES: tuple[str, ...] = ("none", "emergency", "own_thoughts", "decline")
# Anchor vectors must come back this close (cosine) from the embedder in use; below it, the model
# was trained on another embedder's vectors and its scores mean nothing.
ANCHOR_MIN_COSINE = 0.98
# How sharply a message's score follows its riskiest unit (see `pool`). Chosen out of fold by
# writer on the nine training files (2026-11-27, same false-positive budgets, rules included):
# recall emergency / own thoughts / declined 93.3 / 86.1 / 72.7% at 1, 92.9 / 83.5 / 72.9% at 3,
# against 91.8 / 80.5 / 68.8% for the earlier single layer over element-wise pooled vectors.
SHARPNESS = 1.0

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Signals:
    """Named word signals: model inputs next to the embeddings."""

    features: tuple[tuple[str, re.Pattern[str]], ...]

    def vector(self, text: str) -> np.ndarray:
        return np.array([1.0 if p.search(text) else 0.0 for _, p in self.features], np.float32)


@functools.cache
def load_signals() -> Signals:
    raw = load_yaml(resources.files("assistant.data").joinpath(FEATURES_FILE).read_text("utf-8"))
    vocab = {k: _join(v) for k, v in load_yaml(
        resources.files("assistant.data").joinpath("triage_rules.yaml").read_text("utf-8")
    )["vocabulary"].items()}
    feats = tuple((k, _compile(f"feature {k}", _join(v), vocab)) for k, v in raw["features"].items())
    return Signals(feats)


@dataclass(frozen=True)
class TunedReader:
    """One label read by a fine-tuned encoder (all-MiniLM-L6-v2 with its top three layers
    retrained, exported beside the packaged model) and a linear head over the same clauses and
    adjacent clause pairs, pooled the same way. Used for `decline`, beside the regression: on two
    writers neither had seen (triage_train17, triage_train18), the regression with the rules
    declined 28/70 and 39/70 of their evasive asks, this reader alone 45/70 and 52/70, and either
    of the two 49/70 and 55/70, with no more look-alike false positives (4/84, 8/76). Each misses
    asks the other catches, so a message is declined when either reads it so. The same reading also
    decides own thoughts (`also`): it reads a long first-person post that the regression reads at
    most at 0.98 (see `also.own_thoughts.reason` in triage_model.json)."""

    label: str
    encode: Encode
    weights: np.ndarray  # (classes, 384): the head, with its scale folded in
    bias: np.ndarray
    threshold: float
    # The regression's own score for the label below which the reader is not asked (it costs one
    # more model call; see `ask_above_reason` in triage_model.json).
    ask_above: float = 0.0
    # Other labels the same reading decides, each (label, threshold, ask_above, requires): its head
    # scores every class at once; `requires` is words the message must hold for this reader's label
    # to stand (see `also` in triage_model.json).
    also: tuple[tuple[str, float, float, re.Pattern[str]], ...] = ()

    def labels(self) -> tuple[tuple[str, float, float, re.Pattern[str] | None], ...]:
        """Every label this reader decides: (label, threshold, ask_above, requires)."""
        return ((self.label, self.threshold, self.ask_above, None), *self.also)

    def read(self, clauses: Sequence[str]) -> tuple[float, str]:
        """The label's probability for a message's clauses, and the unit it came from (0 and
        nothing for a message with no words: markup alone, as a chat box may send)."""
        return self.read_all(clauses)[self.label]

    def read_all(self, clauses: Sequence[str]) -> dict[str, tuple[float, str]]:
        """Each class's probability for a message's clauses, and the unit it came from, from one
        encoder call."""
        if not clauses:
            return {label: (0.0, "") for label in CLASSES}
        units = [*clauses, *(f"{a} {b}" for a, b in zip(clauses, clauses[1:], strict=False))]
        logits = np.asarray(self.encode(units), np.float32) @ self.weights.T + self.bias
        pooled, _, _ = pool(logits, np.array([0, len(units)]), 1.0)
        probs = softmax(pooled)[0]
        return {
            label: (float(probs[col]), units[int(np.argmax(logits[:, col]))])
            for col, label in enumerate(CLASSES)
        }


# (file, max_tokens) -> texts -> vectors: opens the fine-tuned encoder (embeddings.get_tuned_encoder)
OpenTuned = Callable[[Path, int], Encode]


@dataclass(frozen=True)
class TriageModel:
    """Weights (inputs x classes), bias, per-label thresholds, and the embedder to use; `tuned`
    reads one label a second way, with a fine-tuned encoder (see TunedReader)."""

    embed: Encode
    weights: np.ndarray
    bias: np.ndarray
    thresholds: dict[str, float]
    feature_names: tuple[str, ...]
    info: dict[str, Any]
    sharpness: float
    tuned: TunedReader | None = None

    def read(self, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For one message's unit rows: its class probabilities (CLASSES order) and each unit's
        logits (rows: units), which say which clause a label came from."""
        logits = units @ self.weights + self.bias
        pooled, _, _ = pool(logits, np.array([0, len(units)]), self.sharpness)
        return softmax(pooled)[0], logits


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def unit_inputs(clauses: Sequence[str], vectors: np.ndarray, signals: Signals) -> np.ndarray:
    """The rows the model scores for one message: each clause, and each pair of adjacent clauses
    (so "she has just told me." and "he is still in the house." are also read as one), each next
    to the message's context: its mean clause vector and each word signal's max and mean."""
    vecs = np.asarray(vectors, np.float32)
    dim = vecs.shape[1] if vecs.ndim == 2 and len(vecs) else 384
    nf = len(signals.features)
    if not len(clauses):
        return np.zeros((1, 2 * dim + 3 * nf), np.float32)
    sig = np.stack([signals.vector(t) for t in clauses])
    unit_vecs, unit_sig = [vecs], [sig]
    if len(vecs) > 1:
        pairs = vecs[:-1] + vecs[1:]
        unit_vecs.append(pairs / np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-6))
        unit_sig.append(np.maximum(sig[:-1], sig[1:]))
    mean = vecs.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-6)
    context = np.hstack([mean, sig.max(axis=0), sig.mean(axis=0)])
    units = np.hstack([np.vstack(unit_vecs), np.vstack(unit_sig)])
    return np.hstack([units, np.repeat(context[None, :], len(units), axis=0)]).astype(np.float32)


def pool(
    logits: np.ndarray, starts: np.ndarray, sharpness: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Message logits from unit logits, per class a log-mean-exp over the message's units.

    `starts` holds each message's first row and, last, the row count. Returns the message logits
    (messages x classes), each unit's weight within its message per class (the gradient of the
    pooling, which training needs), and each unit's message index. A sharpness near 0 is the
    mean; a large one is the max, so one risky clause decides however long the post is."""
    counts = np.diff(starts)
    owner = np.repeat(np.arange(len(counts)), counts)
    top = np.maximum.reduceat(logits, starts[:-1], axis=0)
    e = np.exp(sharpness * (logits - top[owner]))
    total = np.add.reduceat(e, starts[:-1], axis=0)
    pooled = top + np.log(total / counts[:, None]) / sharpness
    return pooled, e / total[owner], owner


def load_model_data() -> dict[str, Any]:
    try:
        text = resources.files("assistant.data").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"The triage model ({MODEL_FILE}) is missing; run `python -m assistant.triage.training`."
        ) from exc
    data: dict[str, Any] = json.loads(text)
    return data


def tuned_path(spec: dict[str, Any]) -> Path:
    """Where the weights file a `decline_encoder` spec names is (in assistant/data)."""
    return Path(str(resources.files("assistant.data").joinpath(spec["file"])))


def tuned_reader(spec: dict[str, Any], open_tuned: OpenTuned) -> TunedReader:
    """The fine-tuned reader `spec` names (its weights file in assistant/data)."""
    path = tuned_path(spec)
    if not path.exists():
        raise ConfigError(
            f"The triage's fine-tuned weights ({spec['file']}) are missing from assistant/data; "
            "reinstall Signpost or run `python -m assistant.triage.finetune`."
        )
    with np.load(path) as weights:
        head, bias = weights["head.weight"].astype(np.float32), weights["head.bias"].astype(np.float32)
    also = tuple(
        (label, float(more["threshold"]), float(more.get("ask_above", 0.0)), re.compile(more["requires"]))
        for label, more in spec.get("also", {}).items()
    )
    return TunedReader(
        label=spec["label"], encode=open_tuned(path, int(spec["max_tokens"])),
        weights=head, bias=bias, threshold=float(spec["threshold"]),
        ask_above=float(spec.get("ask_above", 0.0)), also=also,
    )


def model_from_data(
    data: dict[str, Any], embed: Encode, check: bool = True, open_tuned: OpenTuned | None = None
) -> TriageModel:
    """The model from its stored form; with `check`, the embedder must match the stored anchors.
    With `open_tuned`, the fine-tuned reader the data names reads its label too (without it, as in
    tests that fake the embedder, the regression alone reads every label)."""
    if "sharpness" not in data:
        raise ConfigError(
            "The triage model file is from an older version; retrain it with "
            "`python -m assistant.triage.training`."
        )
    if check:
        anchors = data["anchors"]
        got = np.asarray(embed([a["text"] for a in anchors]), dtype=np.float32)
        want = np.asarray([a["vector"] for a in anchors], dtype=np.float32)
        if got.shape != want.shape or float(np.min(np.sum(got * want, axis=1))) < ANCHOR_MIN_COSINE:
            raise ConfigError(
                "The triage model was trained on another embedder's vectors; retrain it with "
                "`python -m assistant.triage.training` using the embedder the app loads."
            )
    thresholds = {k: float(v) for k, v in data["thresholds"].items()}
    tuned = None
    if open_tuned is not None and data.get("decline_encoder"):
        tuned = tuned_reader(data["decline_encoder"], open_tuned)
    return TriageModel(
        embed=embed,
        weights=np.asarray(data["weights"], dtype=np.float32),
        bias=np.asarray(data["bias"], dtype=np.float32),
        thresholds=thresholds,
        feature_names=tuple(data["features"]),
        sharpness=float(data["sharpness"]),
        info={k: v for k, v in data.items() if k not in ("weights", "bias", "anchors")},
        tuned=tuned,
    )


def build_triage_model(
    embed: Encode, check: bool = True, open_tuned: OpenTuned | None = None
) -> TriageModel:
    """Load the trained model for `embed` (texts -> unit vectors, all-MiniLM-L6-v2), with the
    fine-tuned decline reader when `open_tuned` is given."""
    return model_from_data(load_model_data(), embed, check, open_tuned)
