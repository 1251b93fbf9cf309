"""The Chroma store: an embedded PersistentClient by default, an HttpClient when a URL is set.

Vectors are written with explicit embeddings from our embedder, and each collection is given our
embedding function too, so Chroma never falls back to its default model (which would download).
A small state record (generation, complete) lets readers notice new ingests cheaply and tells
whether the last ingest finished.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.embeddings import MiniLMEmbeddings, get_embedder
from assistant.errors import IndexMissingError, StoreUnavailableError
from assistant.types import Chunk

STATE_ID = "state"


class _ChromaEmbeddingFunction:
    """Adapter so a collection's own embedding function is ours, never Chroma's default."""

    def __init__(self, embedder: MiniLMEmbeddings) -> None:
        self._embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[Any]:  # noqa: A002 - Chroma's name
        return list(self._embedder.encode(list(input)))

    def embed_query(self, input: Sequence[str]) -> list[Any]:  # noqa: A002
        return self(input)

    @staticmethod
    def name() -> str:
        return "signpost-minilm"

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _ChromaEmbeddingFunction:
        return _ChromaEmbeddingFunction(get_embedder())

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        return None

    def validate_config_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        return None


@dataclass(frozen=True)
class IndexState:
    generation: int = 0
    complete: bool = False
    exists: bool = False


def open_client(settings: Settings) -> Any:
    """A Chroma client with telemetry off: HTTP when a server URL is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several transport errors; translate them all
            raise StoreUnavailableError(
                f"Could not reach the Chroma server at {settings.chroma_url} ({exc.__class__.__name__}). "
                "Check that it is running (for example `chroma run --path DIR --port 8000`) "
                "or unset SIGNPOST_CHROMA_URL to use the local index."
            ) from exc
        return client
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:
        raise StoreUnavailableError(
            f"Could not open the local index at {settings.index_dir} ({exc}). "
            "If it is damaged, delete that folder and run `signpost ingest` to rebuild it."
        ) from exc


class Store:
    """Our view of one Chroma collection plus its state record."""

    def __init__(self, client: Any, name: str, embedder: MiniLMEmbeddings) -> None:
        self.client = client
        self.name = name
        self.embedder = embedder
        ef = _ChromaEmbeddingFunction(embedder)
        self.collection = client.get_or_create_collection(
            name, embedding_function=ef, metadata={"hnsw:space": "cosine"}
        )
        self._state = client.get_or_create_collection(
            f"{name}__state", embedding_function=ef, metadata={"hnsw:space": "cosine"}
        )

    # --- state -----------------------------------------------------------------------------
    def state(self) -> IndexState:
        got = self._state.get(ids=[STATE_ID], include=["documents"])
        if not got["ids"]:
            return IndexState()
        data = json.loads(got["documents"][0])
        return IndexState(int(data["generation"]), bool(data["complete"]), True)

    def set_state(self, generation: int, complete: bool) -> None:
        doc = json.dumps({"generation": generation, "complete": complete})
        self._state.upsert(ids=[STATE_ID], documents=[doc], embeddings=[[0.0] * 384])

    def require_ready(self) -> IndexState:
        state = self.state()
        if not state.exists or self.collection.count() == 0:
            raise IndexMissingError(
                "No index has been built yet. Run `signpost ingest` to build it from corpus/."
            )
        return state

    # --- reads -----------------------------------------------------------------------------
    def records_by_source(self) -> dict[str, dict[str, dict[str, Any]]]:
        """{source path: {chunk id: metadata}} for every stored chunk."""
        got = self.collection.get(include=["metadatas"])
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            out.setdefault(str(meta.get("source", "")), {})[cid] = dict(meta)
        return out

    def all_chunks(self) -> list[Chunk]:
        got = self.collection.get(include=["documents", "metadatas"])
        return [
            Chunk.from_stored(cid, doc, dict(meta))
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def query(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) for the k nearest chunks."""
        n = self.collection.count()
        if n == 0:
            return []
        res = self.collection.query(
            query_embeddings=[list(embedding)], n_results=min(k, n), include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    # --- writes ----------------------------------------------------------------------------
    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]], batch: int = 256) -> None:
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            self.collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=[list(e) for e in embeddings[i : i + batch]],
            )

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        if chunks:
            self.collection.update(ids=[c.id for c in chunks], metadatas=[c.metadata() for c in chunks])

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self.collection.delete(ids=list(ids))


@contextmanager
def open_store(settings: Settings, embedder: MiniLMEmbeddings | None = None) -> Iterator[Store]:
    """Open the configured store; translate connection failures into StoreUnavailableError."""
    client = open_client(settings)
    try:
        store = Store(client, settings.collection, embedder or get_embedder())
    except StoreUnavailableError:
        raise
    except Exception as exc:
        raise StoreUnavailableError(
            f"Could not open the collection {settings.collection!r} ({exc.__class__.__name__}: {exc})."
        ) from exc
    yield store
