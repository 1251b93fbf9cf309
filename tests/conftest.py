"""Shared fixtures: real embedder, real Chroma, the real shipped corpus indexed once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Offline by construction: the model comes from an installed package; any hub call must fail.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.config import Settings  # noqa: E402


@pytest.fixture(scope="session")
def embedder():
    from assistant.embeddings import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """A SIGNPOST_HOME whose local index holds the whole shipped corpus (read-only for tests)."""
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths

    home = tmp_path_factory.mktemp("corpus-home")
    settings = Settings(home=home)
    with open_store(settings, embedder) as store:
        summary = ingest_paths([settings.corpus_dir], store, embedder)
    assert summary.ok, summary.failures
    return home


@pytest.fixture(scope="session")
def corpus_settings(corpus_home: Path) -> Settings:
    return Settings(home=corpus_home)


@pytest.fixture(scope="session")
def corpus_assistant(corpus_settings: Settings):
    """One Assistant over the shared corpus index. Do not ingest into it: use a fresh home."""
    from assistant.service import open_assistant

    with open_assistant(corpus_settings) as assistant:
        yield assistant
