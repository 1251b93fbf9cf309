"""Loaders for markdown notes, PDFs, HTML pages and forum threads saved as text.

Each raises DocumentError with a reason a person can act on; the pipeline reports it and goes on.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from ingest.documents import LoadedDocument, Unit
from ingest.validation import (
    clean_label,
    clean_text,
    load_front_matter_yaml,
    safe_url,
    validate_front_matter,
)

SUPPORTED_SUFFIXES = (".md", ".markdown", ".pdf", ".html", ".htm", ".txt")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\r?\n")
EMPTY_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n---[ \t]*(?:\r?\n|\Z)")
POST_HEADER = re.compile(r"^\s*Post by (?P<author>.+?)\s+»\s+(?P<date>.+?)\s*$", re.MULTILINE)


def read_text(path: Path) -> str:
    """UTF-8 text (a BOM is fine); empty or wrongly encoded files get a clear error."""
    data = path.read_bytes()
    if not data:
        raise DocumentError(str(path), "the file is empty. Add some text or remove the file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path),
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Open it in an editor and save it as UTF-8, then ingest it again.",
        ) from exc
    if not clean_text(text).strip():
        raise DocumentError(str(path), "the file has only white space, no text. Add some text or remove the file.")
    return text


def load_document(path: Path, doc_id: str) -> LoadedDocument:
    """Dispatch on the file suffix; titles, sections and text come back free of control codes."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return _cleaned(load_markdown(path, doc_id))
    if suffix == ".pdf":
        return _cleaned(load_pdf(path, doc_id))
    if suffix in (".html", ".htm"):
        return _cleaned(load_html(path, doc_id))
    if suffix == ".txt":
        return _cleaned(load_forum_thread(path, doc_id))
    raise DocumentError(
        str(path),
        f"files of type {suffix or '(none)'} are not supported. "
        f"Use one of: {', '.join(SUPPORTED_SUFFIXES)}.",
    )


# --- markdown ------------------------------------------------------------------------------
def _cleaned(doc: LoadedDocument) -> LoadedDocument:
    """Strip terminal escapes and control characters, drop unsafe links, fail if nothing is left."""
    units = []
    for u in doc.units:
        text = clean_text(u.text).strip()
        if text:
            units.append(
                dataclasses.replace(
                    u,
                    text=text,
                    section=(clean_label(u.section) or None) if u.section else None,
                    author=(clean_label(u.author) or None) if u.author else None,
                    date=(clean_label(u.date) or None) if u.date else None,
                )
            )
    if not units:
        raise DocumentError(doc.source_path, "the file has no readable text once control characters are removed.")
    title = clean_label(doc.title) or Path(doc.source_path).stem
    return dataclasses.replace(doc, title=title, units=tuple(units), url=safe_url(doc.url))


def parse_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body). Loaded safely with limits; see ingest/validation.py."""
    empty = EMPTY_FRONT_MATTER.match(text)
    if empty:
        return {}, text[empty.end() :]
    match = FRONT_MATTER.match(text)
    if not match:
        if FRONT_MATTER_OPEN.match(text):
            raise DocumentError(
                str(path),
                "the front matter opened with --- on the first line is never closed. Add a line "
                "with only --- after the last field (or remove the first line if there is none).",
            )
        return {}, text
    return load_front_matter_yaml(path, match.group(1)), text[match.end() :]


def split_markdown(body: str) -> list[Unit]:
    """Split on headings, keeping the heading path as the section (LangChain's header splitter)."""
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(
        headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
    )
    units = []
    for doc in splitter.split_text(body):
        path = [doc.metadata[h] for h in ("h1", "h2", "h3") if h in doc.metadata]
        text = doc.page_content.strip()
        if not text:
            continue
        section = " > ".join(path) if path else ("In short" if text.startswith("In short") else None)
        units.append(Unit(text=text, section=section))
    return units


def load_markdown(path: Path, doc_id: str) -> LoadedDocument:
    raw, body = parse_front_matter(path, read_text(path))
    meta = validate_front_matter(path, raw)
    units = split_markdown(body)
    if not units:
        reason = "the note has front matter but no text after it." if raw else "the note has no text."
        raise DocumentError(str(path), f"{reason} Add the note's text or remove the file.")
    first = meta.sources[0] if meta.sources else None
    title = meta.title or _first_heading(body) or path.stem.replace("-", " ")
    return LoadedDocument(
        doc_id=meta.id or doc_id,
        title=title,
        source_path=str(path),
        units=tuple(units),
        url=first.url if first else None,
        kind=meta.kind or ("guidance" if raw else "document"),
        jurisdiction=meta.jurisdiction or "england",
        legal_force=meta.legal_force,
        reviewed=meta.reviewed,
        publisher="Signpost guidance notes" if raw else "Added document",
        asks=meta.asks,
    )


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#{1,3}\s+(.+)$", body, re.MULTILINE)
    return match.group(1).strip() if match else None


# --- PDF -----------------------------------------------------------------------------------
def load_pdf(path: Path, doc_id: str) -> LoadedDocument:
    """One unit per page with its 1-based page number."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if path.stat().st_size == 0:
        raise DocumentError(str(path), "the file is empty. Add some text or remove the file.")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            # A PDF "encrypted" with an empty password opens without one; others cannot be read.
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises different errors per cipher; all mean "locked"
                opened = False
            if not opened:
                raise DocumentError(
                    str(path),
                    "the PDF is password-protected. Save an unprotected copy "
                    "(print to PDF without a password) and ingest that.",
                )
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = reader.metadata.title if reader.metadata else None
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(
            str(path),
            f"the PDF could not be read ({exc.__class__.__name__}: {exc}). It may be damaged or "
            "not really a PDF; try opening it and saving a fresh copy.",
        ) from exc
    units = [Unit(text=_tidy(t), page=i) for i, t in enumerate(pages, start=1) if t.strip()]
    if not units:
        raise DocumentError(
            str(path),
            "the PDF has no text that can be extracted (it may be scanned images). "
            "Use a PDF with selectable text.",
        )
    return LoadedDocument(
        doc_id=doc_id,
        title=str(info_title or path.stem.replace("-", " ").replace("_", " ")),
        source_path=str(path),
        units=tuple(units),
        kind="document",
        publisher="Added document",
    )


def _tidy(text: str) -> str:
    text = text.replace("\r", "")
    text = re.sub(r"-\n(?=[a-z])", "", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- HTML ----------------------------------------------------------------------------------
DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template", "svg")
HEADINGS = ("h1", "h2", "h3", "h4")
BLOCKS = ("p", "li", "dd", "dt", "td", "blockquote", "pre")


def load_html(path: Path, doc_id: str) -> LoadedDocument:
    """Main text by heading, with scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(read_text(path), "html.parser")
    title_tag = soup.find("title")
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href") if canonical else None
    url = safe_url(str(href)) if href else None  # javascript:, data: and relative links are dropped
    for tag in soup(list(DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(True, attrs={"role": ["navigation", "banner", "contentinfo"]}):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    units: list[Unit] = []
    path_stack: list[tuple[int, str]] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            section = " > ".join(h for _, h in path_stack) or None
            units.append(Unit(text=text, section=section))
        buffer.clear()

    for el in root.find_all(list(HEADINGS) + list(BLOCKS)):
        if el.name in HEADINGS:
            flush()
            level = int(el.name[1])
            path_stack = [(lvl, h) for lvl, h in path_stack if lvl < level]
            path_stack.append((level, el.get_text(" ", strip=True)))
        elif not el.find_parent(list(BLOCKS)):
            text = el.get_text(" ", strip=True)
            if text:
                buffer.append(text)
    flush()
    if not units:
        raise DocumentError(str(path), "the HTML page has no readable text in its main content.")
    h1 = root.find("h1")
    title = (title_tag.get_text(strip=True) if title_tag else "") or (h1.get_text(strip=True) if h1 else "")
    return LoadedDocument(
        doc_id=doc_id,
        title=title or path.stem,
        source_path=str(path),
        units=tuple(units),
        url=url,
        kind="document",
        publisher="Added document",
    )


# --- forum threads -------------------------------------------------------------------------
def load_forum_thread(path: Path, doc_id: str) -> LoadedDocument:
    """A thread title line, then posts each opened by `Post by NAME » DATE`."""
    text = read_text(path).replace("\r\n", "\n")
    headers = list(POST_HEADER.finditer(text))
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
    if not headers:
        return LoadedDocument(
            doc_id=doc_id,
            title=first_line,
            source_path=str(path),
            units=(Unit(text=text.strip()),),
            kind="document",
            publisher="Added document",
        )
    title = text[: headers[0].start()].strip().splitlines()
    thread_title = re.sub(r"^(Title|Thread|Topic)\s*:\s*", "", title[0].strip()) if title else path.stem
    units = []
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = text[header.end() : end].strip()
        if body:
            author, date = header.group("author").strip(), header.group("date").strip()
            units.append(Unit(text=body, section=f"Post by {author}, {date}", author=author, date=date))
    if not units:
        raise DocumentError(str(path), "the thread has post headers but no post text.")
    return LoadedDocument(
        doc_id=doc_id,
        title=thread_title,
        source_path=str(path),
        units=tuple(units),
        kind="forum",
        publisher="Forum thread",
    )
