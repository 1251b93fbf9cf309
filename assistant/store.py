"""The Chroma store: an embedded PersistentClient by default, an HttpClient when a URL is set.

Vectors are written with explicit embeddings from our embedder, and each collection is given our
embedding function too, so Chroma never falls back to its default model (which would download).

Beside the chunks the store keeps two small collections:
- `NAME__state`: one record (generation, complete, the run in progress, the folders ingested),
  so readers notice new ingests cheaply and an interrupted ingest is known and finished later;
- `NAME__files`: one marker per source file (its hash and the ids of all its chunks), written
  only after every chunk of the file is stored. A file without a matching marker is not indexed,
  whatever chunks of it happen to be stored, so a crash can never make a half-written file look
  finished.

Opening the client is assistant/chroma_client.py; the locks are assistant/index_lock.py.
Every Chroma call goes through `_call`, which turns Chroma's and the HTTP client's exceptions into
StoreUnavailableError with a message a person can act on; server calls time out.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from assistant.chroma_client import (
    HNSW,
    ChromaEmbeddingFunction,
    describe_error,
    open_client,
    prepare_home,
    register_embedding_function,
    widen_search,
)
from assistant.config import Settings
from assistant.embeddings import MiniLMEmbeddings, get_embedder
from assistant.errors import (
    IndexMissingError,
    SignpostError,
    StoreUnavailableError,
)
from assistant.index_lock import file_lock, nothing
from assistant.types import Chunk

STATE_ID = "state"
DIM = 384  # the embedder's vector size; the bookkeeping collections store zero vectors of it
# Passages per `get` when reading all of them: SQLite allows 32,766 variables per statement and
# Chroma uses about one per passage; 5,000 is far below that and still reads the shipped corpus
# in one page.
READ_PAGE = 5000
T = TypeVar("T")


@dataclass(frozen=True)
class PendingRun:
    """What an ingest said it was about to write, recorded before it wrote anything."""

    paths: tuple[str, ...]
    prefix: str = ""
    files: tuple[str, ...] = ()
    started: str = ""


@dataclass(frozen=True)
class IndexState:
    generation: int = 0
    complete: bool = False
    exists: bool = False
    pending: PendingRun | None = None
    roots: tuple[tuple[str, str], ...] = ()  # (folder or file, id prefix) of every ingest so far


@dataclass(frozen=True)
class FileMarker:
    """A file is indexed when its marker's hash matches and every chunk it lists is stored."""

    source: str
    file_sha: str
    content_sha: str
    doc_id: str
    chunk_ids: tuple[str, ...] = field(default=())


def _marker_id(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Store:
    """Our view of one Chroma collection, its state record and its per-file markers."""

    def __init__(
        self,
        client: Any,
        name: str,
        embedder: MiniLMEmbeddings,
        *,
        reopen: Callable[[], Any] | None = None,
        lock_path: Path | None = None,
        where: str = "the index",
        server: bool = False,
        timeout_s: float = 20.0,
    ) -> None:
        self.client = client
        self.name = name
        self.embedder = embedder
        self.where = where
        self.server = server
        self.timeout_s = timeout_s
        self.lock_path = lock_path
        self._reopen_client = reopen
        self._reopen_lock = threading.RLock()
        self._seen_generation: int | None = None
        self._bind()

    def _bind(self) -> None:
        register_embedding_function()
        ef = ChromaEmbeddingFunction(self.embedder)
        meta = {"hnsw:space": "cosine"}
        # The passages' collection takes `configuration` (Chroma 1.x) rather than the metadata
        # keys: given both, Chroma took the configuration's space and made it l2 (seen).
        self.collection = self.client.get_or_create_collection(
            self.name, embedding_function=ef, configuration={"hnsw": dict(HNSW)}
        )
        widen_search(self.collection)
        self._state = self.client.get_or_create_collection(f"{self.name}__state", embedding_function=ef, metadata=meta)
        self._files = self.client.get_or_create_collection(f"{self.name}__files", embedding_function=ef, metadata=meta)

    # --- errors and reopening --------------------------------------------------------------
    def _call(self, what: str, fn: Callable[[], T], retry: bool = True) -> T:
        """Run one Chroma call; reopen once on an embedded read error; translate failures."""
        try:
            return fn()
        except SignpostError:
            raise
        except Exception as exc:  # chromadb and httpx raise many types; all mean "store failed"
            if retry and not self.server and self._reopen_client is not None:
                self.reopen()
                return self._call(what, fn, retry=False)
            raise self._unavailable(what, exc) from exc

    def _unavailable(self, what: str, exc: BaseException) -> StoreUnavailableError:
        if self.server:
            return StoreUnavailableError(
                f"The Chroma server at {self.where} failed while {what} "
                f"({describe_error(exc, self.timeout_s)}). Check that it is running and reachable, then "
                "try again; an interrupted ingest is finished by the next `signpost ingest`."
            )
        return StoreUnavailableError(
            f"The local index at {self.where} failed while {what} ({exc.__class__.__name__}: "
            f"{str(exc)[:200]}). Run `signpost ingest` to check and repair it; if another signpost "
            "command is writing to it, wait for that to finish first."
        )

    def reopen(self) -> None:
        """Drop this process's cached view of an embedded index and open it again.

        Another process's ingest changes the files under an embedded index; this process's
        in-memory vector index does not see that until it is reopened.
        """
        if self._reopen_client is None:
            return
        with self._reopen_lock:
            old = self.client
            try:
                old.close()
            except Exception:  # noqa: BLE001 - closing a stale client must never stop the reopen
                pass
            try:
                self.client = self._reopen_client()
                self._bind()
            except SignpostError:
                raise
            except Exception as exc:
                raise self._unavailable("reopening the index", exc) from exc

    # --- state -----------------------------------------------------------------------------
    def state(self) -> IndexState:
        got = self._call("reading the index state", lambda: self._state.get(ids=[STATE_ID], include=["documents"]))
        if not got["ids"]:
            return IndexState()
        data = json.loads(got["documents"][0])
        pending = data.get("pending")
        state = IndexState(
            generation=int(data["generation"]),
            complete=bool(data["complete"]),
            exists=True,
            pending=PendingRun(
                tuple(pending.get("paths", ())),
                str(pending.get("prefix", "")),
                tuple(pending.get("files", ())),
                str(pending.get("started", "")),
            )
            if pending
            else None,
            roots=tuple((str(p), str(x)) for p, x in data.get("roots", ())),
        )
        seen = self._seen_generation
        self._seen_generation = state.generation
        if seen is not None and seen != state.generation and not self.server:
            self.reopen()  # another process ingested: see its vectors, not our cached ones
        return state

    def set_state(
        self,
        generation: int,
        complete: bool,
        pending: PendingRun | None = None,
        roots: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        if roots is None:
            roots = self.state().roots
        data: dict[str, Any] = {"generation": generation, "complete": complete, "roots": [list(r) for r in roots]}
        if pending is not None:
            data["pending"] = {
                "paths": list(pending.paths),
                "prefix": pending.prefix,
                "files": list(pending.files),
                "started": pending.started,
            }
        doc = json.dumps(data, ensure_ascii=False)
        self._call(
            "recording the index state",
            lambda: self._state.upsert(ids=[STATE_ID], documents=[doc], embeddings=[[0.0] * DIM]),
            retry=False,
        )
        self._seen_generation = generation

    def require_ready(self) -> IndexState:
        state = self.state()
        if not state.exists or self.count() == 0:
            raise IndexMissingError(
                "No index has been built yet. Run `signpost ingest` to build it from corpus/."
            )
        return state

    def refresh(self) -> None:
        """Before writing to an embedded index: drop any view cached before another process wrote."""
        if not self.server:
            self.reopen()

    # --- writer lock -----------------------------------------------------------------------
    @contextmanager
    def writer_lock(self, wait_s: float = 15.0) -> Iterator[None]:
        """One writer per index: wait up to `wait_s` for another ingest, then say it is running."""
        if self.lock_path is None:
            yield
            return
        with file_lock(self.lock_path, wait_s, self.where):
            yield

    # --- reads -----------------------------------------------------------------------------
    def count(self) -> int:
        return self._call("counting passages", lambda: self.collection.count())

    def records_by_source(self) -> dict[str, dict[str, dict[str, Any]]]:
        """{source path: {chunk id: metadata}} for every stored chunk."""
        got = self._get_all("listing passages", ["metadatas"])
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            out.setdefault(str((meta or {}).get("source", "")), {})[cid] = dict(meta or {})
        return out

    def _get_all(self, what: str, include: list[str]) -> dict[str, list[Any]]:
        """Every passage's `include` fields, read in pages: one unpaged `get` of documents or
        metadata fails inside embedded Chroma beyond ~32k passages ("too many SQL variables",
        seen at 100k), and a page also bounds each call's time under the store timeout."""
        out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
        offset = 0
        while True:
            got = self._call(what, functools.partial(self.collection.get, include=include, limit=READ_PAGE, offset=offset))
            for key in out:
                out[key].extend(got[key] or [])
            if len(got["ids"]) < READ_PAGE:
                return out
            offset += READ_PAGE

    def all_chunks(self) -> list[Chunk]:
        got = self._get_all("reading passages", ["documents", "metadatas"])
        return [
            Chunk.from_stored(cid, doc, dict(meta))
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def get(self, ids: Sequence[str], include: Sequence[str]) -> dict[str, Any]:
        """`collection.get` through the error translation (for callers that need embeddings)."""
        return self._call("reading passages", lambda: self.collection.get(ids=list(ids), include=list(include)))

    def query(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) for the k nearest chunks (matching `where`, if given)."""

        # No `count()` first: Chroma 1.5 returns what it has when asked for more (an empty list
        # when empty), and the extra call was a round trip per question on a server.
        res = self._call(
            "searching",
            lambda: self.collection.query(
                query_embeddings=[list(embedding)], n_results=k, include=["distances"], where=where
            ),
        )
        if not res["ids"]:
            return []
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def file_markers(self) -> dict[str, FileMarker]:
        """{source path: marker} for every file whose chunks were all stored."""
        got = self._call("reading file records", lambda: self._files.get(include=["documents"]))
        out: dict[str, FileMarker] = {}
        for doc in got["documents"]:
            data = json.loads(doc)
            out[data["source"]] = FileMarker(
                data["source"], data["file_sha"], data["content_sha"], data["doc_id"], tuple(data["chunk_ids"])
            )
        return out

    # --- writes ----------------------------------------------------------------------------
    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]], batch: int = 256) -> None:
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            vectors = [list(e) for e in embeddings[i : i + batch]]
            self._call(
                "writing passages",
                lambda part=part, vectors=vectors: self.collection.upsert(  # type: ignore[misc]
                    ids=[c.id for c in part],
                    documents=[c.text for c in part],
                    metadatas=[c.metadata() for c in part],
                    embeddings=vectors,
                ),
                retry=False,
            )

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        if chunks:
            self._call(
                "updating passages",
                lambda: self.collection.update(ids=[c.id for c in chunks], metadatas=[c.metadata() for c in chunks]),
                retry=False,
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._call("deleting passages", lambda: self.collection.delete(ids=list(ids)), retry=False)

    def put_marker(self, marker: FileMarker) -> None:
        doc = json.dumps(
            {
                "source": marker.source,
                "file_sha": marker.file_sha,
                "content_sha": marker.content_sha,
                "doc_id": marker.doc_id,
                "chunk_ids": list(marker.chunk_ids),
            },
            ensure_ascii=False,
        )
        self._call(
            "recording a finished file",
            lambda: self._files.upsert(
                ids=[_marker_id(marker.source)], documents=[doc], embeddings=[[0.0] * DIM], metadatas=[{"source": marker.source}]
            ),
            retry=False,
        )

    def delete_markers(self, sources: Sequence[str]) -> None:
        if sources:
            ids = [_marker_id(s) for s in sources]
            self._call("removing file records", lambda: self._files.delete(ids=ids), retry=False)


@contextmanager
def open_store(settings: Settings, embedder: MiniLMEmbeddings | None = None) -> Iterator[Store]:
    """Open the configured store; translate connection failures into StoreUnavailableError."""
    embedder = embedder or get_embedder()
    server = bool(settings.chroma_url)
    if server:
        key = hashlib.sha256(f"{settings.chroma_url}\x1f{settings.collection}".encode()).hexdigest()[:16]
        lock_path = settings.home / "locks" / f"server-{key}.lock"
        where = f"{settings.chroma_url} (collection {settings.collection})"
    else:
        lock_path = settings.home / "index.lock"
        where = str(settings.index_dir)
    # Creating a fresh index folder is not safe from two processes at once: a short lock, apart
    # from the writer lock so that readers never wait for a whole ingest, covers the opening.
    if not server:
        prepare_home(settings)
    opening = file_lock(settings.home / "index.open.lock", max(settings.ingest_wait_s, 30.0), where)
    with opening if not server else nothing():
        client = open_client(settings)
        try:
            store = Store(
                client,
                settings.collection,
                embedder,
                reopen=lambda: open_client(settings),
                lock_path=lock_path,
                where=where,
                server=server,
                timeout_s=settings.store_timeout_s,
            )
        except SignpostError:
            raise
        except Exception as exc:
            raise StoreUnavailableError(
                f"Could not open the collection {settings.collection!r} at {where} "
                f"({describe_error(exc, settings.store_timeout_s)}). Check the server or the folder, then try again."
            ) from exc
    try:
        yield store
    finally:
        # Release this process's hold on an embedded index, so that a later open (or a reopen
        # after another process's ingest) reads the files afresh instead of a cached view.
        try:
            store.client.close()
        except Exception:  # noqa: BLE001 - closing must never hide the caller's own error
            pass


