"""Checks on everything ingest reads, before anything is written: front matter, names, limits.

Every check raises DocumentError with the file and, for front matter, the field, so a person can
fix that one thing; the rest of an ingest goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from assistant.config import Settings
from assistant.errors import DocumentError

# The values CONTRACTS.md section 3 allows. "document" and "forum" are the kinds loaders give
# added files, so an added note may name them too.
KINDS = ("guidance", "qa", "document", "forum")
JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland", "uk")
LEGAL_FORCES = ("statute", "statutory guidance", "local procedure", "practice", "charity advice")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
MAX_ID_CHARS = 200  # the longest shipped id is 48 characters
MAX_TITLE_CHARS = 300  # the longest shipped title is ~110; a title is a line, not a paragraph
MAX_LABEL_CHARS = 500  # a topic, source title, section or alternative phrasing
MAX_FRONT_MATTER_BYTES = 64 * 1024  # the largest shipped front matter is ~6 KB
MAX_YAML_ALIASES = 10  # notes need none; a few are harmless, thousands are an "alias bomb"

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class IngestLimits:
    """Size limits a file must keep to (defaults and reasons in assistant/config.py)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_chunks_per_file: int = 3000
    max_chunk_chars: int = 4000

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestLimits:
        return cls(
            max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
            max_chunks_per_file=settings.max_chunks_per_file,
            max_chunk_chars=settings.max_chunk_chars,
        )


@dataclass(frozen=True)
class SourceRef:
    title: str | None
    url: str | None
    section: str | None


@dataclass(frozen=True)
class NoteMeta:
    """A note's front matter after checking; every field has its contract type."""

    id: str | None = None
    title: str | None = None
    kind: str | None = None
    jurisdiction: str | None = None
    legal_force: str | None = None
    reviewed: str | None = None
    topics: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    asks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    present: bool = False  # whether the file had front matter at all


# --- text hygiene --------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Text without terminal escape sequences or control characters (newlines and tabs stay)."""
    return CONTROL.sub("", ANSI.sub("", text))


def clean_label(text: str) -> str:
    """A one-line label (title, section, author): clean text with white space collapsed."""
    return " ".join(clean_text(text).split())


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) address; None for javascript:, data:, file: and the like."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    parsed = urlparse(url)
    return url if parsed.scheme.lower() in ("http", "https") and parsed.netloc else None


def name_problem(path: Path) -> str | None:
    """Why a file name cannot be indexed as it is, or None."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8 text. Rename the file (letters, digits, - and _ are safe) and ingest it again."
    if CONTROL.search(text) or "\n" in text or "\r" in text or "\t" in path.name:
        return "the file name contains control characters (such as a line break). Rename the file and ingest it again."
    return None


# --- YAML ----------------------------------------------------------------------------------
def load_front_matter_yaml(path: Path, text: str) -> dict[str, Any]:
    """Safe YAML with limits on size and aliases, so a small file cannot expand without bound."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise DocumentError(
            str(path),
            f"the front matter is {size:,} bytes; the limit is {MAX_FRONT_MATTER_BYTES:,}. "
            "Keep only the fields notes use (id, title, kind, sources...).",
        )
    try:
        aliases = sum(isinstance(t, yaml.AliasToken) for t in yaml.scan(text, Loader=yaml.SafeLoader))
        if aliases > MAX_YAML_ALIASES:
            raise DocumentError(
                str(path),
                f"the front matter uses {aliases} YAML aliases (*name); the limit is {MAX_YAML_ALIASES}. "
                "Write the values out in full instead of using anchors (&name) and aliases.",
            )
        meta = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader: no object tags
    except yaml.YAMLError as exc:
        raise DocumentError(str(path), f"the front matter is not valid YAML ({_short(exc)}).") from exc
    except RecursionError as exc:
        raise DocumentError(str(path), "the front matter is nested too deeply to be a note's fields.") from exc
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise DocumentError(str(path), "the front matter must be a YAML mapping of keys to values (key: value lines).")
    bad = [k for k in meta if not isinstance(k, str)]
    if bad:
        raise DocumentError(str(path), f"front matter key {bad[0]!r} is not a word; keys are names such as `title`.")
    return meta


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


# --- front matter --------------------------------------------------------------------------
def validate_front_matter(path: Path, meta: dict[str, Any]) -> NoteMeta:
    """Check every field CONTRACTS.md section 3 names; unknown fields are allowed and ignored."""
    if not meta:
        return NoteMeta()

    def fail(field_name: str, problem: str) -> DocumentError:
        return DocumentError(str(path), f"front matter field `{field_name}` {problem}")

    def text_field(name: str, limit: int) -> str | None:
        value = meta.get(name)
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail(name, f"must be text (got {_kind(value)}).")
        out = clean_label(str(value))
        if not out:
            raise fail(name, "is empty. Fill it in or remove the line.")
        if len(out) > limit:
            raise fail(name, f"is {len(out):,} characters long; the limit is {limit}.")
        return out

    def choice(name: str, allowed: tuple[str, ...]) -> str | None:
        value = meta.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            got = repr(value)[:60] if isinstance(value, str) else _kind(value)
            raise fail(name, f"must be one of: {', '.join(allowed)} (got {got}).")
        return value.strip().lower()

    def text_list(name: str) -> tuple[str, ...]:
        value = meta.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise fail(name, f"must be a list of text, like [one, two] (got {_kind(value)}).")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise fail(f"{name}[{i}]", f"must be text (got {_kind(item)}).")
            label = clean_label(str(item))
            if len(label) > MAX_LABEL_CHARS:
                raise fail(f"{name}[{i}]", f"is longer than {MAX_LABEL_CHARS} characters.")
            out.append(label)
        return tuple(out)

    _check_facts(meta, fail)
    doc_id = text_field("id", MAX_ID_CHARS)
    if doc_id is not None and (not ID_PATTERN.match(doc_id) or ".." in doc_id):
        raise fail("id", f"must look like `guidance/topic-slug`: letters, digits, . _ - and / (got {doc_id[:60]!r}).")
    return NoteMeta(
        id=doc_id,
        title=text_field("title", MAX_TITLE_CHARS),
        kind=choice("kind", KINDS),
        jurisdiction=choice("jurisdiction", JURISDICTIONS),
        legal_force=choice("legal_force", LEGAL_FORCES),
        reviewed=_reviewed(meta.get("reviewed"), fail),
        topics=text_list("topics"),
        sources=_sources(meta.get("sources"), fail),
        asks=_asks(meta.get("asks"), fail),
        present=True,
    )


def _check_facts(meta: dict[str, Any], fail: Any) -> None:
    value = meta.get("facts_checked")
    if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise fail("facts_checked", "must be a list of text lines.")


def _reviewed(value: Any, fail: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise fail("reviewed", f"must be a date written YYYY-MM-DD (got {repr(value)[:40] if isinstance(value, str) else _kind(value)}).")


def _sources(value: Any, fail: Any) -> tuple[SourceRef, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fail("sources", f"must be a list of entries with `title` and `url` (got {_kind(value)}).")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise fail(f"sources[{i}]", f"must be an entry with `title` and `url` (got {_kind(item)}).")
        parts: dict[str, str | None] = {}
        for key in ("title", "url", "section"):
            v = item.get(key)
            if v is not None and not isinstance(v, str):
                raise fail(f"sources[{i}].{key}", f"must be text (got {_kind(v)}).")
            parts[key] = clean_label(v) if isinstance(v, str) else None
        if item.get("url") is not None and safe_url(item["url"]) is None:
            raise fail(f"sources[{i}].url", f"must be an http:// or https:// address (got {str(item['url'])[:60]!r}).")
        out.append(SourceRef(parts["title"], safe_url(item.get("url")), parts["section"]))
    return tuple(out)


def _asks(value: Any, fail: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`asks`: {"## heading text": ["another way to ask it", ...]} (read by chunking)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fail("asks", f"must map each `##` heading to a list of other ways to ask it (got {_kind(value)}).")
    out = []
    for heading, phrasings in value.items():
        if not isinstance(heading, str) or not heading.strip():
            raise fail("asks", f"keys must be heading text (got {_kind(heading)}).")
        label = f"asks[{heading[:40]!r}]"
        if not isinstance(phrasings, list):
            raise fail(label, f"must be a list of phrasings (got {_kind(phrasings)}).")
        items = []
        for j, p in enumerate(phrasings):
            if not isinstance(p, str) or not p.strip():
                raise fail(f"{label}[{j}]", f"must be non-empty text (got {_kind(p)}).")
            if len(p) > MAX_LABEL_CHARS:
                raise fail(f"{label}[{j}]", f"is longer than {MAX_LABEL_CHARS} characters.")
            items.append(clean_label(p))
        out.append((clean_label(heading), tuple(items)))
    return tuple(out)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return "a date"
    return f"{type(value).__name__} {str(value)[:40]!r}"
