"""What a loader returns: one document with its metadata and its text units (sections or pages)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A stretch of text with a single place in its document (a section, a page or a post)."""

    text: str
    section: str | None = None
    page: int | None = None
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class LoadedDocument:
    doc_id: str
    title: str
    source_path: str
    units: tuple[Unit, ...]
    url: str | None = None
    kind: str = "guidance"
    jurisdiction: str = "england"
    legal_force: str | None = None
    reviewed: str | None = None
    publisher: str = "Signpost guidance notes"
    # Alternative phrasings of a section's heading question, from front matter `asks:`:
    # ((heading, (phrasing, ...)), ...). Searched like the heading; never quoted.
    asks: tuple[tuple[str, tuple[str, ...]], ...] = ()
