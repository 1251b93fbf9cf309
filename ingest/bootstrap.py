"""Build the shipped default index on first run, finish it if its last ingest stopped, and never
touch an index someone built from other folders (say it is incomplete and how to finish it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.embeddings import MiniLMEmbeddings
from assistant.store import IndexState, Store

if TYPE_CHECKING:  # the ingest machinery is imported only when there is something to build:
    # it is ~0.04 s of every cold `signpost ask`, which otherwise only checks the index is there.
    from ingest.pipeline import IngestSummary, Progress

UPLOADS_PREFIX = "uploads/"


def _inside(path: str, folder: Path) -> bool:
    p = Path(path)
    return p == folder or folder in p.parents


def is_default_index(state: IndexState, settings: Settings) -> bool:
    """Whether every ingest recorded in this index was of the shipped corpus or the app's uploads."""
    corpus = settings.corpus_dir.resolve()
    uploads = settings.uploads_dir.resolve()
    recorded = list(state.roots)
    if state.pending is not None:
        recorded += [(p, state.pending.prefix) for p in state.pending.paths]
    for path, prefix in recorded:
        if prefix == "" and _inside(path, corpus):
            continue
        if prefix == UPLOADS_PREFIX and _inside(path, uploads):
            continue
        return False
    return True


def index_needs_build(store: Store) -> bool:
    state = store.state()
    return not state.exists or not state.complete or state.pending is not None or store.count() == 0


def index_notice(settings: Settings, store: Store) -> str | None:
    """What a person should know before asking: None when the index is finished."""
    state = store.state()
    if state.exists and state.complete and state.pending is None:
        return None
    where = settings.chroma_url or str(settings.index_dir)
    if state.pending is not None:
        paths = " ".join(_quote(p) for p in state.pending.paths)
        return (
            f"The index at {where} is incomplete: the last ingest (of {', '.join(state.pending.paths)}) "
            f"did not finish, so answers may miss some documents. Run `signpost ingest {paths}` to finish it."
        )
    return f"The index at {where} is incomplete. Run `signpost ingest` with the folders you indexed to finish it."


def ensure_index(
    settings: Settings,
    store: Store,
    embedder: MiniLMEmbeddings,
    notify: Callable[[str], None],
    progress: Progress | None = None,
) -> IngestSummary | None:
    """Build or finish the default index from corpus/ (and uploads/); otherwise do nothing.

    An index that holds anything other than the shipped corpus and the app's uploads is the
    user's: it is never ingested into from here, only reported.
    """
    if not index_needs_build(store):
        return None
    state = store.state()
    where = settings.chroma_url or settings.index_dir
    if state.exists and not is_default_index(state, settings):
        notify(index_notice(settings, store) or f"The index at {where} is incomplete.")
        return None
    if not state.exists and store.count() > 0:
        notify(f"The index at {where} has passages but no record of how they were added; run `signpost ingest` to check it.")
        return None
    if state.exists and (not state.complete or state.pending is not None):
        notify(f"The last ingest into {where} did not finish; finishing it from {settings.corpus_dir}.")
    else:
        notify(f"No finished index at {where}; building it from {settings.corpus_dir} (first run only).")
    summary = ingest_corpus(settings, store, embedder, progress)
    notify(f"Index ready: {summary.line()}")
    if settings.uploads_dir.is_dir() and any(settings.uploads_dir.iterdir()):
        # Documents added through the app live outside the corpus; bring them back too.
        from ingest.pipeline import ingest_paths
        from ingest.validation import IngestLimits

        uploads = ingest_paths(
            [settings.uploads_dir],
            store,
            embedder,
            chunk_tokens=settings.chunk_tokens,
            overlap=settings.chunk_overlap,
            doc_id_prefix=UPLOADS_PREFIX,
            limits=IngestLimits.from_settings(settings),
            wait_s=settings.ingest_wait_s,
        )
        notify(f"Added documents: {uploads.line()}")
    return summary


def build_index_if_needed(
    settings: Settings, notify: Callable[[str], None], progress: Progress | None = None
) -> IngestSummary | None:
    """Open the configured store and run `ensure_index` on it (every face's first step)."""
    from assistant.embeddings import get_embedder
    from assistant.store import open_store

    embedder = get_embedder(settings.models_dir)
    with open_store(settings, embedder) as store:
        return ensure_index(settings, store, embedder, notify, progress)


def ingest_corpus(
    settings: Settings, store: Store, embedder: MiniLMEmbeddings, progress: Progress | None = None
) -> IngestSummary:
    from ingest.pipeline import ingest_paths
    from ingest.validation import IngestLimits

    return ingest_paths(
        [settings.corpus_dir],
        store,
        embedder,
        chunk_tokens=settings.chunk_tokens,
        overlap=settings.chunk_overlap,
        progress=progress,
        limits=IngestLimits.from_settings(settings),
        wait_s=settings.ingest_wait_s,
    )


def _quote(path: str) -> str:
    return f"'{path}'" if any(c.isspace() for c in path) else path
