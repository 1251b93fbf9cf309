"""Incremental ingest that cannot lose or keep stale data: files -> chunks -> embeddings -> store.

Why not LangChain's `index()` with a record manager: that keeps a second database (SQLite) of
what was written, which must stay in step with Chroma; in server mode the two would live on
different machines. Here the store is its own record (see assistant/store.py):

1. Under the index's writer lock, read what is stored (chunks by source, per-file markers).
2. A file is unchanged only if its marker has the file's hash *and* every chunk the marker lists
   is stored and nothing else is. Anything else (new, edited, half-written by a crash) is read,
   checked and chunked again.
3. Embed everything new before writing anything.
4. Record the run's intent (paths, files to write) with `complete: false`, then per file: remove
   its marker, add its new chunks, drop its stale ones, write its marker last. A file whose
   write fails is removed whole, never half kept.
5. Drop the chunks of files that are gone, then record `complete: true` and a new generation.

A crash anywhere leaves files without matching markers and the run recorded as pending; the next
ingest (of any paths) finishes that run first, by the same comparison. Re-running an unchanged
folder writes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.embeddings import MiniLMEmbeddings
from assistant.errors import DocumentError, StoreUnavailableError
from assistant.store import FileMarker, PendingRun, Store
from assistant.types import Chunk
from ingest.chunking import build_splitter, chunk_document
from ingest.discovery import SKIP_NAMES, _display, discover
from ingest.loaders import load_document
from ingest.validation import IngestLimits

__all__ = ["SKIP_NAMES", "IngestSummary", "Progress", "default_doc_id", "discover", "ingest_paths"]

Progress = Callable[[int, int], None]
# Modules whose code decides what a file becomes; a change to any of them re-reads every file.
FINGERPRINT_MODULES = ("chunking.py", "loaders.py", "validation.py", "documents.py", "pipeline.py")


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
    notes: tuple[str, ...] = ()
    wrote: bool = False  # whether anything in the store changed

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        failed = f"{len(self.failures)} failed" if self.failures else "0 failed"
        return (
            f"{self.files_read} files read; chunks: {self.added} added, {self.updated} updated, "
            f"{self.deleted} deleted, {self.unchanged} unchanged; {failed} ({self.seconds:.1f} s)"
        )


def default_doc_id(file: Path, root: Path) -> str:
    return file.relative_to(root).with_suffix("").as_posix()


def ingest_paths(
    paths: Sequence[Path],
    store: Store,
    embedder: MiniLMEmbeddings,
    chunk_tokens: int = 200,
    overlap: int = 30,
    progress: Progress | None = None,
    doc_id_prefix: str = "",
    limits: IngestLimits | None = None,
    wait_s: float = 15.0,
) -> IngestSummary:
    """Bring the store in line with `paths` (and finish any interrupted run first)."""
    started = time.perf_counter()
    options = _Options(chunk_tokens, overlap, limits or IngestLimits())
    with store.writer_lock(wait_s):
        store.refresh()  # another process may have written since this one opened the index
        pending = store.state().pending
        here = tuple(str(_abs(p)) for p in paths)
        parts: list[IngestSummary] = []
        if pending is not None and (pending.paths, pending.prefix) != (here, doc_id_prefix):
            earlier = _Run(store, embedder, options, [Path(p) for p in pending.paths], pending.prefix, True).execute(None)
            note = f"Finished an interrupted ingest of {', '.join(pending.paths)} first."
            parts.append(dataclasses.replace(earlier, files_read=0, notes=(note, *earlier.notes)))
        parts.append(_Run(store, embedder, options, list(paths), doc_id_prefix, False).execute(progress))
    return IngestSummary(
        files_read=sum(s.files_read for s in parts),
        added=sum(s.added for s in parts),
        updated=sum(s.updated for s in parts),
        deleted=sum(s.deleted for s in parts),
        unchanged=parts[-1].unchanged,
        failures=tuple(f for s in parts for f in s.failures),
        seconds=time.perf_counter() - started,
        embed_seconds=sum(s.embed_seconds for s in parts),
        notes=tuple(n for s in parts for n in s.notes),
        wrote=any(s.wrote for s in parts),
    )


@dataclass(frozen=True)
class _Options:
    chunk_tokens: int
    overlap: int
    limits: IngestLimits


@dataclass
class _FilePlan:
    source: str
    marker: FileMarker
    add: list[Chunk]
    update: list[Chunk]
    delete: list[str]


class _Run:
    """One pass over one set of paths with one id prefix."""

    def __init__(self, store: Store, embedder: MiniLMEmbeddings, options: _Options, paths: list[Path], prefix: str, recovering: bool) -> None:
        self.store, self.embedder, self.options = store, embedder, options
        self.paths, self.prefix, self.recovering = paths, prefix, recovering
        self.settings_key = f"{options.chunk_tokens}/{options.overlap}/{prefix}/{_code_fingerprint()}"
        self.splitter: Any = None  # built on first need: an unchanged corpus never loads the tokenizer

    def execute(self, progress: Progress | None) -> IngestSummary:
        started = time.perf_counter()
        found = discover(self.paths)
        failures = [f for f in found.failures if not (self.recovering and f[1].startswith("no such file"))]
        notes = list(found.notes)
        stored = self.store.records_by_source()
        markers = self.store.file_markers()
        stored_all = {cid: meta for recs in stored.values() for cid, meta in recs.items()}
        in_scope = lambda source: _in_scope(source, found.scopes)  # noqa: E731
        files = {str(f): (f, root) for f, root in found.files}

        # Who already holds each document id and each file's content, outside this run's files.
        ids_owner: dict[str, str] = {}
        content_owner: dict[str, str] = {}
        for source, m in markers.items():
            if source not in files and not in_scope(source) and os.path.exists(source):
                ids_owner.setdefault(m.doc_id, source)
                content_owner.setdefault(m.content_sha, source)
        for source, recs in stored.items():
            if source not in markers and source not in files and not in_scope(source) and os.path.exists(source):
                for meta in recs.values():
                    ids_owner.setdefault(str(meta.get("doc_id", "")), source)

        kept: dict[str, FileMarker] = {}
        failed: set[str] = set()
        todo: list[tuple[str, Path, Path, str]] = []
        for source, (file, root) in sorted(files.items()):
            try:
                data = self._read_bytes(file)
            except DocumentError as exc:
                failures.append((_display(exc.path), exc.reason))
                failed.add(source)
                continue
            sha = _sha(self.settings_key.encode(), data)
            old = markers.get(source)
            if old is not None and old.file_sha == sha and set(stored.get(source, {})) == set(old.chunk_ids):
                kept[source] = old
            else:
                todo.append((source, file, root, sha))
        for source, m in kept.items():  # files already indexed keep their claim first
            ids_owner.setdefault(m.doc_id, source)
            content_owner.setdefault(m.content_sha, source)

        plans: list[_FilePlan] = []
        for source, file, root, sha in todo:
            try:
                plans.append(self._plan(source, file, root, sha, stored, stored_all, ids_owner, content_owner))
            except DocumentError as exc:
                failures.append((_display(exc.path), exc.reason))
                failed.add(source)
        for source in failed:  # a failed file keeps a complete older version, or nothing at all
            old = markers.get(source)
            if old is not None and set(stored.get(source, {})) == set(old.chunk_ids):
                kept[source] = old
        # Files gone from disk, and failed files without a complete older version: none of them stays.
        planned = {p.source for p in plans}
        wanted_ids = {cid for p in plans for cid in p.marker.chunk_ids}
        gone: dict[str, list[str]] = {}
        for source in sorted(set(stored) | set(markers)):
            if source in kept or source in planned or not in_scope(source):
                continue
            gone[source] = [cid for cid in stored.get(source, {}) if cid not in wanted_ids]

        to_add = [c for p in plans for c in p.add]
        embed_started = time.perf_counter()
        vectors = dict(zip([c.id for c in to_add], _embed(self.embedder, [c.embedding_text() for c in to_add], progress), strict=True))
        embed_seconds = time.perf_counter() - embed_started

        state = self.store.state()
        work = bool(plans or gone)
        if work or not state.complete or state.pending is not None:
            roots = _merge_roots(state.roots, [(str(s), self.prefix) for s in found.scopes])
            intent = PendingRun(
                tuple(str(s) for s in found.scopes),
                self.prefix,
                tuple(p.source for p in plans) + tuple(gone),
                datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self.store.set_state(state.generation, complete=False, pending=intent, roots=state.roots)
            for plan in plans:
                failure = self._write(plan, vectors, markers.get(plan.source))
                if failure:
                    failures.append((_display(plan.source), failure))
            for source, ids in gone.items():
                self.store.delete(ids)
                self.store.delete_markers([source])
            self.store.set_state(state.generation + 1, complete=True, pending=None, roots=roots)

        kept_chunks = sum(len(m.chunk_ids) for m in kept.values())
        return IngestSummary(
            files_read=len(found.files),
            added=len(to_add),
            updated=sum(len(p.update) for p in plans),
            deleted=sum(len(p.delete) for p in plans) + sum(len(ids) for ids in gone.values()),
            unchanged=kept_chunks + sum(len(p.marker.chunk_ids) - len(p.add) - len(p.update) for p in plans),
            failures=tuple(failures),
            seconds=time.perf_counter() - started,
            embed_seconds=embed_seconds,
            notes=tuple(notes),
            wrote=work,
        )

    # --- one file ------------------------------------------------------------------------
    def _read_bytes(self, file: Path) -> bytes:
        limit = self.options.limits.max_file_bytes
        try:
            size = file.stat().st_size
            if size > limit:
                raise DocumentError(
                    str(file),
                    f"the file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB "
                    "(SIGNPOST_MAX_FILE_MB). Split it into smaller files or raise the limit.",
                )
            return file.read_bytes()
        except OSError as exc:
            raise DocumentError(str(file), f"could not be read ({exc.strerror or exc}).") from exc

    def _plan(
        self,
        source: str,
        file: Path,
        root: Path,
        sha: str,
        stored: dict[str, dict[str, dict[str, Any]]],
        stored_all: dict[str, dict[str, Any]],
        ids_owner: dict[str, str],
        content_owner: dict[str, str],
    ) -> _FilePlan:
        content_sha = _sha(b"", self._read_bytes(file))
        other = content_owner.get(content_sha)
        if other is not None and other != source:
            raise DocumentError(source, f"has the same content as {_display(other)}, so it was not indexed twice. Keep one of the two files.")
        try:
            doc = load_document(file, self.prefix + default_doc_id(file, root))
        except (DocumentError, StoreUnavailableError):
            raise
        except Exception as exc:  # parsers meet hostile input; one bad file must not stop the rest
            raise DocumentError(source, f"could not be read ({exc.__class__.__name__}: {str(exc)[:200]}).") from exc
        if self.prefix and not doc.doc_id.startswith(self.prefix):
            # An added note's own `id:` must not collide with a shipped note's id.
            doc = dataclasses.replace(doc, doc_id=self.prefix + doc.doc_id)
        holder = ids_owner.get(doc.doc_id)
        if holder is not None and holder != source:
            raise DocumentError(
                source,
                f"uses the id {doc.doc_id!r}, which {_display(holder)} already uses; two notes with one id "
                "would be merged. Give this note its own `id:` in the front matter (or remove the copy).",
            )
        if self.splitter is None:
            self.splitter = build_splitter(self.embedder.tokenizer, self.options.chunk_tokens, self.options.overlap)
        chunks: dict[str, Chunk] = {}
        limits = self.options.limits
        for chunk in chunk_document(doc, self.splitter, self.embedder.count_tokens):
            if len(chunk.text) > limits.max_chunk_chars:
                raise DocumentError(
                    source,
                    f"has a stretch of {len(chunk.text):,} characters without spaces or line breaks "
                    f"(the limit for one passage is {limits.max_chunk_chars:,}, SIGNPOST_MAX_CHUNK_CHARS). "
                    "It is probably not prose; remove it or save the document as plain text.",
                )
            chunks.setdefault(chunk.id, dataclasses.replace(chunk, file_sha=sha))
            if len(chunks) > limits.max_chunks_per_file:
                raise DocumentError(
                    source,
                    f"makes more than {limits.max_chunks_per_file:,} passages (SIGNPOST_MAX_CHUNKS_PER_FILE). "
                    "Split it into smaller files or raise the limit.",
                )
        ids_owner[doc.doc_id] = source
        content_owner[content_sha] = source
        previous = stored.get(source, {})
        return _FilePlan(
            source=source,
            marker=FileMarker(source, sha, content_sha, doc.doc_id, tuple(sorted(chunks))),
            add=[c for cid, c in chunks.items() if cid not in stored_all],
            update=[c for cid, c in chunks.items() if cid in stored_all and _differs(c.metadata(), stored_all[cid])],
            delete=[cid for cid in previous if cid not in chunks],
        )

    def _write(self, plan: _FilePlan, vectors: dict[str, list[float]], old: FileMarker | None) -> str | None:
        """Write one file, marker last. On a store error, remove the file whole and say why."""
        store = self.store
        try:
            store.delete_markers([plan.source])
            store.add(plan.add, [vectors[c.id] for c in plan.add])
            store.update_metadata(plan.update)
            store.delete(plan.delete)
            store.put_marker(plan.marker)
            return None
        except StoreUnavailableError as exc:
            try:  # roll back: none of this file stays (a retry writes it whole)
                store.delete([c.id for c in plan.add] + list(plan.marker.chunk_ids) + list(old.chunk_ids if old else ()))
                store.delete_markers([plan.source])
            except StoreUnavailableError:
                raise exc from None  # the store itself is gone: the next ingest repairs this run
            return f"could not be stored, so none of it was kept ({exc}). Fix the cause and ingest it again."


def _abs(p: Path) -> Path:
    try:
        return Path(p).resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(p))


@functools.cache
def _code_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in FINGERPRINT_MODULES:
        path = here / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    types = here.parent / "assistant" / "types.py"
    if types.exists():
        digest.update(types.read_bytes())
    return digest.hexdigest()[:12]


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


def _sha(prefix: bytes, data: bytes) -> str:
    digest = hashlib.sha256(prefix)
    digest.update(data)
    return digest.hexdigest()[:32]


def _differs(new: dict, old: dict) -> bool:
    return any(old.get(k) != v for k, v in new.items()) or any(k not in new for k in old)


def _in_scope(source: str, scopes: Sequence[Path]) -> bool:
    path = Path(source)
    return any(path == scope or scope in path.parents for scope in scopes)


def _merge_roots(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (path, prefix) ingested into this index, without entries inside another."""
    out = list(dict.fromkeys([*old, *new]))
    return [
        (p, x)
        for p, x in out
        if not any(x == x2 and p != p2 and _in_scope(p, [Path(p2)]) for p2, x2 in out)
    ]
