"""Incremental, idempotent ingest: files -> chunks -> embeddings -> the store.

Why not LangChain's `index()` with a record manager: that keeps a second database (SQLite) of
what was written, which must stay in step with Chroma. In server mode the two would live on
different machines, and a crash between their writes leaves them disagreeing. Our chunk ids are
content hashes and every chunk carries its source path, so Chroma itself is the record: a single
`get` of ids and metadata tells what is new, changed, unchanged or gone. That also lets us embed
everything *before* writing anything, so a failure while loading or embedding leaves the index
untouched, and the state record says `complete: false` only during the short write phase (the
next ingest repairs an interrupted one, since it compares against what is actually stored).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.embeddings import MiniLMEmbeddings
from assistant.errors import DocumentError, SignpostError
from assistant.store import Store
from assistant.types import Chunk
from ingest.chunking import build_splitter, chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, load_document

Progress = Callable[[int, int], None]
SKIP_NAMES = {"README.md", "signposts.yaml"}


@dataclass(frozen=True)
class IngestSummary:
    files_read: int
    added: int
    updated: int
    deleted: int
    unchanged: int
    failures: tuple[tuple[str, str], ...]
    seconds: float
    embed_seconds: float

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        failed = f"{len(self.failures)} failed" if self.failures else "0 failed"
        return (
            f"{self.files_read} files read; chunks: {self.added} added, {self.updated} updated, "
            f"{self.deleted} deleted, {self.unchanged} unchanged; {failed} ({self.seconds:.1f} s)"
        )


def discover(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs for every supported file under the given files and folders."""
    found: list[tuple[Path, Path]] = []
    for p in paths:
        p = p.resolve()
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and f.name not in SKIP_NAMES:
                    if not any(part.startswith(".") for part in f.relative_to(p).parts):
                        found.append((f, p))
        else:
            found.append((p, p.parent))
    return found


def default_doc_id(file: Path, root: Path) -> str:
    rel = file.relative_to(root).with_suffix("")
    return rel.as_posix()


def ingest_paths(
    paths: Sequence[Path],
    store: Store,
    embedder: MiniLMEmbeddings,
    chunk_tokens: int = 200,
    overlap: int = 30,
    progress: Progress | None = None,
    doc_id_prefix: str = "",
) -> IngestSummary:
    """Bring the store in line with `paths`: add new chunks, drop stale ones, report failures."""
    started = time.perf_counter()
    files = discover(paths)
    missing = [p for p in paths if not p.exists()]
    failures: list[tuple[str, str]] = [
        (str(p), "no such file or folder. Check the path.") for p in missing
    ]
    splitter = None  # built on first need: an unchanged corpus never loads the tokenizer
    wanted: dict[str, Chunk] = {}
    kept: set[str] = set()  # chunks of files whose bytes and chunk settings are unchanged
    stored = store.records_by_source()
    for file, root in files:
        try:
            sha = _file_sha(file, f"{chunk_tokens}/{overlap}/{doc_id_prefix}")
            previous = stored.get(str(file), {})
            if previous and all(m.get("file_sha") == sha for m in previous.values()):
                kept.update(previous)
                continue
            doc = load_document(file, doc_id_prefix + default_doc_id(file, root))
            if doc_id_prefix and not doc.doc_id.startswith(doc_id_prefix):
                # An added note's own `id:` must not collide with a shipped note's id.
                doc = dataclasses.replace(doc, doc_id=doc_id_prefix + doc.doc_id)
            if splitter is None:
                splitter = build_splitter(embedder.tokenizer, chunk_tokens, overlap)
            for chunk in chunk_document(doc, splitter, embedder.count_tokens):
                wanted[chunk.id] = dataclasses.replace(chunk, file_sha=sha)
        except DocumentError as exc:
            failures.append((exc.path, exc.reason))
        except (OSError, SignpostError) as exc:
            failures.append((str(file), f"could not be read ({exc})."))

    stored_meta = {cid: meta for recs in stored.values() for cid, meta in recs.items()}
    to_add = [c for cid, c in wanted.items() if cid not in stored_meta]
    to_update = [
        c for cid, c in wanted.items() if cid in stored_meta and _differs(c.metadata(), stored_meta[cid])
    ]
    unchanged = len(wanted) - len(to_add) - len(to_update) + len(kept)
    failed_paths = {Path(p).resolve() for p, _ in failures if Path(p).exists()}
    scopes = [p.resolve() for p in paths]
    to_delete = [
        cid
        for source, recs in stored.items()
        if _in_scope(Path(source), scopes) and Path(source).resolve() not in failed_paths
        for cid in recs
        if cid not in wanted and cid not in kept
    ]

    # Embed everything first: nothing is written until all of it is ready.
    embed_started = time.perf_counter()
    vectors = _embed(embedder, [c.embedding_text() for c in to_add], progress)
    embed_seconds = time.perf_counter() - embed_started

    state = store.state()
    if to_add or to_update or to_delete:
        store.set_state(state.generation, complete=False)
        store.add(to_add, vectors)
        store.update_metadata(to_update)
        store.delete(to_delete)
        store.set_state(state.generation + 1, complete=True)
    elif not state.complete:
        store.set_state(state.generation + 1, complete=True)

    return IngestSummary(
        files_read=len(files),
        added=len(to_add),
        updated=len(to_update),
        deleted=len(to_delete),
        unchanged=unchanged,
        failures=tuple(failures),
        seconds=time.perf_counter() - started,
        embed_seconds=embed_seconds,
    )


def _embed(embedder: MiniLMEmbeddings, texts: list[str], progress: Progress | None) -> list[list[float]]:
    vectors: list[list[float]] = []
    batch = 64
    if progress:
        progress(0, len(texts))
    for i in range(0, len(texts), batch):
        vectors.extend(embedder.encode(texts[i : i + batch]).tolist())
        if progress:
            progress(min(i + batch, len(texts)), len(texts))
    return vectors


def _file_sha(path: Path, settings: str) -> str:
    digest = hashlib.sha256(settings.encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _differs(new: dict, old: dict) -> bool:
    return any(old.get(k) != v for k, v in new.items()) or any(k not in new for k in old)


def _in_scope(source: Path, scopes: Iterable[Path]) -> bool:
    for scope in scopes:
        if source == scope or scope in source.parents:
            return True
    return False
