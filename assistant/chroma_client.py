"""Opening Chroma: an embedded PersistentClient by default, an HttpClient (with a deadline on every
request) when a server URL is set, telemetry off either way; and the embedding function each
collection is given, so Chroma never falls back to its default model (which would download).
Errors become StoreUnavailableError with a message a person can act on."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.embeddings import MiniLMEmbeddings, get_embedder
from assistant.errors import StoreUnavailableError

# Dense candidates come from Chroma's HNSW graph, which is approximate. At Chroma's default
# ef_search (100; a query for 180 candidates then searches 180 wide) only 72 of 200 eval questions
# got the same candidate set as an exact search, and two builds of the same corpus gave the same
# candidate list for 57 of 150 (measured, 4,331 passages): the likely reason CI once failed a dev
# case that every build here passed. At 500, 197 of 200 sets equal an exact search's, for about
# +0.3 ms a query; 1,000 gained 2 more sets for another 0.3 ms.
EF_SEARCH = 500
HNSW = {"space": "cosine", "ef_search": EF_SEARCH}


class ChromaEmbeddingFunction:
    """Adapter so a collection's own embedding function is ours, never Chroma's default.

    Registered with Chroma (`register_embedding_function`) before a collection is opened: Chroma
    reads a collection's configuration back by the function's name, and `modify` (which widens an
    older index's search) needs that.
    """

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
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        return ChromaEmbeddingFunction(get_embedder())

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        return None

    def validate_config_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        return None


def register_embedding_function() -> None:
    """Tell Chroma our function's name (a dict entry; doing it twice is harmless)."""
    from chromadb.utils.embedding_functions import register_embedding_function as register

    register(ChromaEmbeddingFunction)


def widen_search(collection: Any) -> None:
    """An index built before EF_SEARCH was set searches at Chroma's default: widen it once.

    ef_search is one of the settings Chroma lets `modify` change on an existing collection (the
    graph is unchanged, so nothing is re-embedded). If it cannot be changed (a server that refuses
    it, say) the index still answers, only with Chroma's approximate default.
    """
    try:
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if int(hnsw.get("ef_search") or 0) >= EF_SEARCH:
            return
        collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
    except Exception:  # noqa: BLE001 - widening is an improvement, never a reason to fail opening
        return


def open_client(settings: Settings) -> Any:
    """A Chroma client with telemetry off: HTTP (with a timeout) when a server URL is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            _preflight(settings.chroma_url, settings.store_timeout_s)
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            _set_http_timeout(client, settings.store_timeout_s)
            client.heartbeat()
        except Exception as exc:  # chromadb raises several transport errors; translate them all
            raise StoreUnavailableError(
                f"Could not reach the Chroma server at {settings.chroma_url} "
                f"({describe_error(exc, settings.store_timeout_s)}). "
                "Check that it is running (for example `chroma run --path DIR --port 8000`) "
                "or unset SIGNPOST_CHROMA_URL to use the local index."
            ) from exc
        return client
    prepare_home(settings)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:
        raise StoreUnavailableError(
            f"Could not open the local index at {settings.index_dir} ({exc.__class__.__name__}: {exc}). "
            "If another signpost command is starting, wait for it and try again; if this keeps "
            "happening, move that folder aside (keep it) and run `signpost ingest` to build a new one."
        ) from exc


def prepare_home(settings: Settings) -> None:
    home = settings.home
    if home.exists() and not home.is_dir():
        raise StoreUnavailableError(
            f"SIGNPOST_HOME ({home}) is a file, not a folder. Point --home or SIGNPOST_HOME at a folder."
        )
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(
            f"Could not create the index folder {settings.index_dir} ({exc.strerror or exc}). "
            "Point --home or SIGNPOST_HOME at a folder you can write to."
        ) from exc
    if not os.access(settings.index_dir, os.W_OK):
        raise StoreUnavailableError(
            f"The index folder {settings.index_dir} is not writable. "
            "Point --home or SIGNPOST_HOME at a folder you can write to."
        )


def _preflight(url: str, seconds: float) -> None:
    """One heartbeat with a deadline before chromadb's client, whose constructor already makes
    requests without any timeout (a server that accepts but never answers would hang it)."""
    import httpx

    with httpx.Client(timeout=httpx.Timeout(seconds, connect=min(seconds, 5.0))) as http:
        http.get(url.rstrip("/") + "/api/v2/heartbeat").raise_for_status()


def _set_http_timeout(client: Any, seconds: float) -> None:
    """chromadb's HTTP client waits forever by default; give every request a deadline."""
    import httpx

    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if session is not None:
        session.timeout = httpx.Timeout(seconds, connect=min(seconds, 5.0))


def describe_error(exc: BaseException, timeout_s: float) -> str:
    name = exc.__class__.__name__
    if "Timeout" in name:
        return f"no answer within {timeout_s:g} s"
    if "Connect" in name or isinstance(exc, ConnectionError):
        return f"connection refused or lost: {name}"
    return f"{name}: {exc}"[:300]
