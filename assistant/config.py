"""The one settings object: built once from SIGNPOST_* environment variables and CLI flags."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent


def _field(default: Any, description: str, env: str | None = None) -> Any:
    return field(default=default, metadata={"description": description, "env": env})


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the environment variable that sets each field."""

    home: Path = _field(
        Path.home() / ".local" / "share" / "signpost",
        "Folder for the local index, uploads and feedback.",
        "SIGNPOST_HOME",
    )
    corpus_dir: Path = _field(
        REPO_ROOT / "corpus", "The shipped corpus of notes and Q&A threads.", "SIGNPOST_CORPUS"
    )
    chroma_url: str | None = _field(
        None,
        "URL of a Chroma server (e.g. http://127.0.0.1:8000); unset means the embedded store.",
        "SIGNPOST_CHROMA_URL",
    )
    collection: str = _field("signpost", "Chroma collection name.", "SIGNPOST_COLLECTION")
    top_k: int = _field(5, "Passages retrieved per question.", "SIGNPOST_TOP_K")
    min_score: float = _field(
        0.45,
        "Best dense cosine similarity below which the answer is not_found (see README).",
        "SIGNPOST_MIN_SCORE",
    )
    chunk_tokens: int = _field(
        200, "Maximum word-piece tokens per chunk (the embedder reads 256).", "SIGNPOST_CHUNK_TOKENS"
    )
    chunk_overlap: int = _field(30, "Token overlap between chunks.", "SIGNPOST_CHUNK_OVERLAP")
    log_questions: bool = _field(
        False, "Write question text to logs (off by default for privacy).", "SIGNPOST_LOG_QUESTIONS"
    )
    # Ingest limits: a file over them is reported and skipped, never half-indexed.
    max_file_mb: float = _field(
        20.0,
        "Largest file ingest reads, in MB (the biggest council procedure PDF we have seen is ~8 MB; "
        "a 50 MB text file would take over two hours to embed).",
        "SIGNPOST_MAX_FILE_MB",
    )
    max_chunks_per_file: int = _field(
        3000,
        "Most passages one file may become (~3,000 x 200 tokens is a 1,500-page book, a few "
        "minutes of embedding; the largest shipped note makes 30).",
        "SIGNPOST_MAX_CHUNKS_PER_FILE",
    )
    max_chunk_chars: int = _field(
        4000,
        "Longest passage in characters (200 tokens of prose is ~1,000 characters; longer means "
        "text without spaces, such as encoded data, which retrieval cannot use).",
        "SIGNPOST_MAX_CHUNK_CHARS",
    )
    store_timeout_s: float = _field(
        20.0,
        "Seconds to wait for a Chroma server to answer one call (a warm server answers in under "
        "0.1 s; writing a 256-passage batch takes ~2 s).",
        "SIGNPOST_STORE_TIMEOUT_S",
    )
    ingest_wait_s: float = _field(
        15.0,
        "Seconds a second ingest waits for one already writing to the same index before saying "
        "so (re-ingesting an unchanged corpus takes ~2 s).",
        "SIGNPOST_INGEST_WAIT_S",
    )

    @property
    def index_dir(self) -> Path:
        """Where the embedded Chroma index lives."""
        return self.home / "index"

    @property
    def uploads_dir(self) -> Path:
        """Where documents added through the app are kept (never the shipped corpus)."""
        return self.home / "uploads"

    @property
    def feedback_db(self) -> Path:
        return self.home / "feedback.sqlite3"

    @property
    def models_dir(self) -> Path:
        """Where the embedder's one-time ONNX export is kept (made from the installed weights)."""
        return self.home / "models"

    @property
    def lexical_dir(self) -> Path:
        """Where the lexical index of each collection keeps its term counts (SQLite)."""
        return self.home / "lexical"

    @classmethod
    def from_env(cls, env: Mapping[str, str], **overrides: Any) -> Settings:
        """Build settings from an environment mapping, then apply non-None overrides."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            name = f.metadata.get("env")
            if name and name in env and env[name] != "":
                values[f.name] = _convert(f.name, f.type, env[name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("home", "corpus_dir"):
            if key in values:
                values[key] = Path(values[key]).expanduser()
        return cls(**values)

    def describe(self) -> list[tuple[str, str, str]]:
        """(env var, current value, description) for the README and `--help`."""
        return [
            (f.metadata["env"], str(getattr(self, f.name)), f.metadata["description"])
            for f in dataclasses.fields(self)
        ]


def _convert(name: str, kind: Any, raw: str) -> Any:
    kind = str(kind)
    try:
        if "bool" in kind:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if "int" in kind:
            return int(raw)
        if "float" in kind:
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"Setting {name} has the value {raw!r}, which is not a {kind}.") from exc
    return raw
