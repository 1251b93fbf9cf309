"""Small pure text helpers shared by retrieval, answering and evals: tokens and sentences."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves im ive dont cant wont ill id us also
    get got please help know think want really still even like one us ok thanks""".split()
)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def stem(word: str) -> str:
    """A light suffix stripper; enough to match plan/plans, review/reviewed, conference/conferences."""
    for suffix, min_len in (("ings", 6), ("ing", 5), ("ies", 5), ("ied", 5), ("ed", 5), ("es", 5), ("s", 4)):
        if len(word) >= min_len and word.endswith(suffix):
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            return base
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stopwords dropped)."""
    out = []
    for w in WORD.findall(text.lower()):
        w = w.replace("'", "")
        if w in STOPWORDS or len(w) < 2 and not w.isdigit():
            continue
        out.append(stem(w))
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*])|\n+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or list item in `text`, so quotes stay exact substrings.

    A very short lead such as "No." or "Yes." is joined to the sentence after it, because alone
    it answers nothing.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    cleaned: list[tuple[int, int]] = []
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        mark = _LIST_MARK.match(piece[lead:])
        if mark:
            lead += mark.end()
        s2, e2 = s + lead, s + len(piece.rstrip())
        if e2 > s2:
            cleaned.append((s2, e2))
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(cleaned):
        s, e = cleaned[i]
        if len(text[s:e]) <= 12 and i + 1 < len(cleaned) and "\n" not in text[e : cleaned[i + 1][0]]:
            e = cleaned[i + 1][1]
            i += 1
        merged.append((s, e))
        i += 1
    return merged
