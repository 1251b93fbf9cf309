"""Safety triage, re-exported from `assistant.triage` (normalise, rules, model, decision), and how
the app opens the shipped model with its fine-tuned decline reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.triage import (
    RISKY,
    TriageModel,
    build_triage_model,
    rule_label,
    triage,
    triage_segments,
)
from assistant.triage.model import load_model_data, tuned_path

if TYPE_CHECKING:
    import threading
    from pathlib import Path

    from assistant.embeddings import MiniLMEmbeddings

__all__ = [
    "RISKY", "TriageModel", "build_triage_model", "open_triage_model", "rule_label", "triage",
    "triage_segments", "warm_triage_in_background",
]


def open_triage_model(embedder: MiniLMEmbeddings | None = None) -> TriageModel:
    """The shipped triage model on `embedder` (the process's own by default), with its fine-tuned
    decline reader, exported once into the same models folder."""
    from assistant.embeddings import get_embedder, get_tuned_encoder

    base = embedder or get_embedder()
    return build_triage_model(
        lambda texts: base.encode(list(texts)),
        open_tuned=lambda path, tokens: get_tuned_encoder(base.cache_dir, path, tokens).encode,
    )


def warm_triage_in_background(models_dir: Path) -> threading.Thread | None:
    """Open the triage's fine-tuned encoder on a side thread (about 1 s; the first time in a
    models folder, a 4 s export), so the first message that needs it does not wait. For a
    long-running app: a one-shot command must not exit while the thread is still opening it
    (ONNX Runtime aborts the process), so the CLI leaves it to the first message."""
    from assistant.embeddings import get_tuned_encoder, warm_encoder

    spec = load_model_data().get("decline_encoder")
    if not spec:
        return None
    return warm_encoder(get_tuned_encoder(models_dir, tuned_path(spec), int(spec["max_tokens"])))
