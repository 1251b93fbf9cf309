"""Markdown for Streamlit made from untrusted text: escaping, safe links, badges, contacts.

Every piece of document text goes through `escape_markdown` or a plain-text element, never
through HTML, so a note containing `<script>` or Markdown shows exactly what it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlparse

from assistant.types import Chunk, Citation, SignpostContact

# Legal force -> (label a person reads, badge colour); the colours only tell kinds apart.
LEGAL_FORCE = {
    "statute": ("Law (statute)", "blue"),
    "statutory guidance": ("Statutory guidance", "violet"),
    "local procedure": ("Local procedure: varies by council", "orange"),
    "practice": ("Practice guidance", "gray"),
    "charity advice": ("Charity advice", "green"),
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^])")
_MARKER = re.compile(r"(\[\d+\])")


def escape_markdown(text: str, keep_lines: bool = False) -> str:
    """Text that Streamlit's Markdown shows literally (no HTML, links, emphasis or directives)."""
    if keep_lines:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return "  \n".join(_MD_SPECIAL.sub(r"\\\1", line) for line in lines)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def answer_markdown(text: str) -> str:
    """The answer with its [n] markers kept visible (coloured) and everything else escaped."""
    parts = _MARKER.split(text)
    return "".join(
        f":blue[{escape_markdown(p)}]" if _MARKER.fullmatch(p) else escape_markdown(p)
        for p in parts
    ).strip()


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with the characters that would break a Markdown link percent-encoded."""
    if not url or urlparse(url).scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def link(label: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{escape_markdown(label)}]({target})" if target else escape_markdown(label)


def phone_link(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"[{escape_markdown(phone)}](tel:{digits})" if digits else escape_markdown(phone)


def where(c: Citation | Chunk) -> str:
    """Where a passage sits in its document: section path and page, as a person reads them."""
    parts = [c.section.replace(" > ", " › ") if c.section else ""]
    if c.page is not None:
        parts.append(f"page {c.page}")
    return ", ".join(p for p in parts if p)


def legal_force_badge(force: str | None) -> str:
    if not force:
        return ""
    label, colour = LEGAL_FORCE.get(force, (force, "gray"))
    return f":{colour}-badge[{escape_markdown(label)}]"


def trim_context(before: str, after: str, limit: int = 120) -> tuple[str, str]:
    """Up to `limit` characters either side of a quote, cut at a word, marked with an ellipsis."""
    before, after = " ".join(before.split()), " ".join(after.split())
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return before, after


def contacts(items: Iterable[SignpostContact]) -> str:
    """A Markdown list of who can help: name, phone link, website, opening hours."""
    lines = []
    for c in items:
        how = " · ".join(
            x for x in (phone_link(c.phone) if c.phone else "", link("website", c.url)) if x
        )
        hours = f" ({escape_markdown(c.hours)})" if c.hours else ""
        lines.append(f"- **{escape_markdown(c.name)}**: {how}{hours}")
    return "\n".join(lines)
