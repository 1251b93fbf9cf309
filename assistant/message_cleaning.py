"""A message made plain before it is read: markup dropped, typographic characters made plain, and
text pasted twice removed (forum posts often paste a paragraph again). Split from the message
reader (assistant/message.py), which reads what this leaves."""

from __future__ import annotations

import re

from assistant.listed_items import LIST_ITEM
from assistant.text import normalise, sentences

DUPLICATE_MIN_CHARS = 40  # shorter repeated lines ("Thanks", "Help") are not a paste error

_MARKUP = (
    re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S),
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # markdown images
    re.compile(r"<[^>\n]{1,200}>"),  # html tags
)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")  # markdown links keep their words
_SPACES = re.compile(r"[ \t]+")


def clean(message: str) -> str:
    """Plain text: markup dropped, typographic characters made plain, spaces collapsed."""
    text = normalise(message)
    for pattern in _MARKUP:
        text = pattern.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def remove_duplicates(text: str) -> tuple[str, int]:
    """Drop paragraphs and long sentences pasted twice; returns the text and how many went.

    Lines stay lines, and a list item keeps its mark, so the reader can still see a list of
    questions ("1) ... 2) ...") after the duplicates are gone.
    """
    removed = 0
    seen_paragraphs: set[str] = set()
    seen_sentences: set[str] = set()
    kept_paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        key = _key(paragraph)
        if len(key) >= DUPLICATE_MIN_CHARS and key in seen_paragraphs:
            removed += 1
            continue
        seen_paragraphs.add(key)
        kept_lines = []
        for line in paragraph.splitlines():
            mark = LIST_ITEM.match(line)
            kept_sentences = []
            for sentence in sentences(line[mark.end() :] if mark else line, loose=True):
                skey = _key(sentence)
                if len(skey) >= DUPLICATE_MIN_CHARS and skey in seen_sentences:
                    removed += 1
                    continue
                seen_sentences.add(skey)
                kept_sentences.append(sentence)
            if kept_sentences:
                kept_lines.append((mark.group(0).strip() + " " if mark else "") + " ".join(kept_sentences))
        if kept_lines:
            kept_paragraphs.append("\n".join(kept_lines))
    return "\n\n".join(kept_paragraphs), removed
