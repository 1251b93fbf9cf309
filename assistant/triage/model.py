"""The learned part of the triage: logistic regression on pooled sentence embeddings and word signals.

Trained offline from labelled messages (`python -m assistant.triage.training`, which writes
assistant/data/triage_model.json); loading it costs one small embedding call to check that the
embedder is the one it was trained with. The model reads a whole message at once: its clauses
are embedded in one batch and pooled (mean, and max over clauses and adjacent clause pairs, so
that "she has just told me." and "he is still in the house." are also read as one). A model of
single segments, each judged alone, measured far worse on writers it was not trained on.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
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
class TriageModel:
    """Weights (inputs x classes), bias, per-label thresholds, and the embedder to use."""

    embed: Encode
    weights: np.ndarray
    bias: np.ndarray
    thresholds: dict[str, float]
    feature_names: tuple[str, ...]
    info: dict[str, Any]

    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities (rows: segments, columns: CLASSES)."""
        return softmax(inputs @ self.weights + self.bias)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def message_inputs(clauses: Sequence[str], vectors: np.ndarray, signals: Signals) -> np.ndarray:
    """One row of inputs for a whole message: the mean clause vector (what the message is about),
    the element-wise max over clauses and adjacent clause pairs (what its most pointed part says,
    so one risky sentence in a long post still shows), and each word signal's max and mean."""
    dim = vectors.shape[1] if vectors.ndim == 2 else 384
    nf = len(signals.features)
    if not len(clauses):
        return np.zeros((1, 2 * dim + 2 * nf), np.float32)
    vecs = np.asarray(vectors, np.float32)
    pooled = vecs
    if len(vecs) > 1:
        pairs = vecs[:-1] + vecs[1:]
        pairs = pairs / np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-6)
        pooled = np.vstack([vecs, pairs])
    mean = vecs.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-6)
    sig = np.stack([signals.vector(t) for t in clauses])
    row = np.hstack([mean, pooled.max(axis=0), sig.max(axis=0), sig.mean(axis=0)])
    return row[None, :].astype(np.float32)


def clause_inputs(clauses: Sequence[str], vectors: np.ndarray, signals: Signals) -> np.ndarray:
    """Each clause read as a message of its own (to say which clause a label came from)."""
    sig = np.stack([signals.vector(t) for t in clauses])
    vecs = np.asarray(vectors, np.float32)
    return np.hstack([vecs, vecs, sig, sig]).astype(np.float32)


def load_model_data() -> dict[str, Any]:
    try:
        text = resources.files("assistant.data").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"The triage model ({MODEL_FILE}) is missing; run `python -m assistant.triage.training`."
        ) from exc
    data: dict[str, Any] = json.loads(text)
    return data


def model_from_data(data: dict[str, Any], embed: Encode, check: bool = True) -> TriageModel:
    """The model from its stored form; with `check`, the embedder must match the stored anchors."""
    if check:
        anchors = data["anchors"]
        got = np.asarray(embed([a["text"] for a in anchors]), dtype=np.float32)
        want = np.asarray([a["vector"] for a in anchors], dtype=np.float32)
        if got.shape != want.shape or float(np.min(np.sum(got * want, axis=1))) < ANCHOR_MIN_COSINE:
            raise ConfigError(
                "The triage model was trained on another embedder's vectors; retrain it with "
                "`python -m assistant.triage.training` using the embedder the app loads."
            )
    return TriageModel(
        embed=embed,
        weights=np.asarray(data["weights"], dtype=np.float32),
        bias=np.asarray(data["bias"], dtype=np.float32),
        thresholds={k: float(v) for k, v in data["thresholds"].items()},
        feature_names=tuple(data["features"]),
        info={k: v for k, v in data.items() if k not in ("weights", "bias", "anchors")},
    )


def build_triage_model(embed: Encode, check: bool = True) -> TriageModel:
    """Load the trained model for `embed` (texts -> unit vectors, all-MiniLM-L6-v2)."""
    return model_from_data(load_model_data(), embed, check)
