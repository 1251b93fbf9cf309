"""A copy of the store's passage table on disk, so a new process need not read it from Chroma.

Why: the retriever keeps every passage (text and metadata) in memory to group them by section.
Reading them through Chroma's `get` took ~0.25 s of a cold `signpost ask` on the shipped corpus
(2,885 passages, this 2-core machine), a sixth of the 1.5 s budget; the same rows from one JSON
file take ~0.03 s. It is a cache, never the record: Chroma stays the store.

When it is used: only for an index whose last ingest finished (state `complete`, no run pending),
under a key made of the collection's id (a new id whenever a collection is made again) and the
index generation (raised by every ingest that finishes, whichever process ran it), and only if
its passage ids are exactly the ids the store holds now. Anything else, including a missing,
unreadable or damaged file, means the passages are read from the store and the file is written
again. It is replaced atomically (write beside, then rename), so a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from assistant.types import Chunk

SCHEMA = 1  # raise when the row layout changes: older files are then ignored and rewritten


class PassageSnapshot:
    """One file per collection: `{"schema", "key", "rows": [[id, text, metadata], ...]}`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, key: str) -> list[Chunk] | None:
        """The passages saved under `key`, or None if the file is missing, stale or damaged."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("schema") != SCHEMA or data.get("key") != key:
                return None
            return [Chunk.from_stored(str(cid), str(text), dict(meta)) for cid, text, meta in data["rows"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # a cache: the caller reads the store instead and writes a good file

    def save(self, key: str, chunks: Sequence[Chunk]) -> None:
        """Write the file atomically; a failure (read-only folder, full disk) is not an error."""
        data = {"schema": SCHEMA, "key": key, "rows": [[c.id, c.text, c.metadata()] for c in chunks]}
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".passages-", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
            tmp = None
        except OSError:
            pass  # the next process reads the store, as this one did
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
