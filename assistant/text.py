"""Small pure text helpers shared by the whole code base: the one normaliser, the one sentence
splitter, and the tokens that lexical search and the answerer weigh."""

from __future__ import annotations

import re
import unicodedata

# Typographic characters people paste from phones and word processors, mapped to plain ones so
# that "don’t" and "don't" are the same word everywhere (matching only: quotes stay exact).
_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
    }
)


def normalise(text: str) -> str:
    """Unicode-compatible, plain-punctuation text for matching (never for quoting)."""
    return unicodedata.normalize("NFKC", text).translate(_PLAIN)

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
    for w in WORD.findall(normalise(text).lower()):
        w = w.replace("'", "")
        if w in STOPWORDS or len(w) < 2 and not w.isdigit():
            continue
        out.append(stem(w))
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*])|\n+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


# People's messages often have no capitals after a full stop ("im shaking. what happens if..."),
# so the loose form splits after any end mark; abbreviations that end in a dot are protected
# ("s. 47" but not "his mum's. Would").
_LOOSE_END = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<![\s(]s\.)(?<!^s\.)"
    # "?)" closes a parenthetical query, not the sentence ("they were doing a section 47 (s47?)
    # and the police ..."): split there and the statement became a "question".
    r"(?:(?<=[.!])|(?<=\?)(?!\)))[\"')\]]*\s+(?=\S)|\n+",
    re.IGNORECASE,
)


def sentence_spans(text: str, loose: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence or list item in `text`, so quotes stay exact substrings.

    `loose` is for people's messages, where a new sentence may start in lower case. A very
    short lead such as "No." or "Yes." is joined to the sentence after it, because alone it
    answers nothing.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in (_LOOSE_END if loose else _SENTENCE_END).finditer(text):
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
        if not loose and len(text[s:e]) <= 12 and i + 1 < len(cleaned) and "\n" not in text[e : cleaned[i + 1][0]]:
            e = cleaned[i + 1][1]
            i += 1
        merged.append((s, e))
        i += 1
    return merged


def sentences(text: str, loose: bool = False) -> list[str]:
    """The sentences of `text` (see `sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text, loose)]


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*", text))
