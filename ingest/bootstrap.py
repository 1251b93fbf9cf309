"""Build the index from the shipped corpus when it is missing or unfinished (first run)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.config import Settings
from assistant.embeddings import MiniLMEmbeddings
from assistant.store import Store
from ingest.pipeline import IngestSummary, Progress, ingest_paths


def index_needs_build(store: Store) -> bool:
    state = store.state()
    return not state.exists or not state.complete or store.collection.count() == 0


def ensure_index(
    settings: Settings,
    store: Store,
    embedder: MiniLMEmbeddings,
    notify: Callable[[str], None],
    progress: Progress | None = None,
) -> IngestSummary | None:
    """Ingest corpus/ if the store is empty or the last ingest did not finish; else do nothing."""
    if not index_needs_build(store):
        return None
    notify(f"No finished index at {settings.chroma_url or settings.index_dir}; building it from {settings.corpus_dir} (first run only).")
    summary = ingest_corpus(settings, store, embedder, progress)
    notify(f"Index ready: {summary.line()}")
    if settings.uploads_dir.is_dir() and any(settings.uploads_dir.iterdir()):
        # Documents added through the app live outside the corpus; bring them back too.
        uploads = ingest_paths(
            [settings.uploads_dir],
            store,
            embedder,
            chunk_tokens=settings.chunk_tokens,
            overlap=settings.chunk_overlap,
            doc_id_prefix="uploads/",
        )
        notify(f"Added documents: {uploads.line()}")
    return summary


def build_index_if_needed(
    settings: Settings, notify: Callable[[str], None], progress: Progress | None = None
) -> IngestSummary | None:
    """Open the configured store and run `ensure_index` on it (every face's first step)."""
    from assistant.embeddings import get_embedder
    from assistant.store import open_store

    embedder = get_embedder()
    with open_store(settings, embedder) as store:
        return ensure_index(settings, store, embedder, notify, progress)


def ingest_corpus(
    settings: Settings, store: Store, embedder: MiniLMEmbeddings, progress: Progress | None = None
) -> IngestSummary:
    return ingest_paths(
        [settings.corpus_dir],
        store,
        embedder,
        chunk_tokens=settings.chunk_tokens,
        overlap=settings.chunk_overlap,
        progress=progress,
    )
