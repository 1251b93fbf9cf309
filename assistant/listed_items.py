"""What a parent's own list of questions holds: where its items start ("1.", "-", "First,"), the
text in order by item, and for each listed question its own item's statements and how far back
its item starts. Split from the message reader (assistant/message.py), which uses them."""

from __future__ import annotations

import functools
import re
from collections import Counter

from assistant.text import WORD, normalise, tokens

# A list item's mark at the start of a line: "1.", "2)", "(3)", "Q4:", "a)", "-", "*", "•".
LIST_ITEM = re.compile(r"^\s*(?:\(?(?:q(?:uestion)?\s?)?\d{1,2}[.):]|\(?[a-d]\)|[-*+\u2022\u00b7])\s+", re.I)


# A paragraph opened by an ordinal ("First, can I bring someone? ... Can I bring a solicitor?",
# "Secondly, ...") is one listed item, as a numbered line is (dev dl10-14: read as loose
# questions, the two about supporters took two of the four places and the last question went).
ORDINAL_ITEM = re.compile(
    r"^\s*(?:and\s+)?(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|finally|lastly)\b\s*[,:]\s*",
    re.I,
)


def segments(text: str) -> list[tuple[str, int | None]]:
    """The text in order, as (piece, list item number or None): an item runs from its mark to
    the next mark or the end of its paragraph, so "2) Is it binding? Like, is it a court order?"
    is one item however many sentences it has."""
    out: list[tuple[str, int | None]] = []
    item = 0
    for paragraph in re.split(r"\n\s*\n", text):
        current: int | None = None
        for n, line in enumerate(paragraph.splitlines()):
            mark = LIST_ITEM.match(line) or (ORDINAL_ITEM.match(line) if n == 0 else None)
            if mark:
                item += 1
                current = item
                line = line[mark.end() :]
            out.append((line, current))
    return out


def own_statements(
    pieces: list[tuple[str, int | None]], asked: set[int], i: int, before_only: bool = False
) -> list[str]:
    """The statements (pieces that ask nothing) in the listed item that holds piece `i`, in order;
    with `before_only`, only those before it. Empty when piece `i` is in no item."""
    item = pieces[i][1]
    if item is None:
        return []
    return [
        p for j, (p, it) in enumerate(pieces)
        if it == item and j not in asked and (not before_only or j < i)
    ]


TITLE_WORDS = 20  # a first line this short, standing alone above the post, is its title


def title_pieces(text: str, pieces: list[tuple[str, int | None]]) -> set[int]:
    """The pieces that make up the post's title: a first paragraph of one short line, outside any
    list, with the rest of the post below it."""
    first, _, rest = text.strip().partition("\n\n")
    if "\n" in first.strip() or not rest.strip() or len(first.split()) > TITLE_WORDS:
        return set()
    out: set[int] = set()
    # Compared by words: the reader may cut a title's sentence in two and end each half with its
    # own "?" ("Section 20 - can I bring my son home, and does what he wants count?": dev dl22-17
    # kept that title as a part, beside the same two questions asked in the post).
    title = _words(first)
    for i, (piece, item) in enumerate(pieces):
        if item is not None or not piece.strip() or _words(piece) not in title:
            break
        out.add(i)
    return out


def _words(text: str) -> str:
    """The text's words, lower case, with the code base's one normaliser (curly quotes included)."""
    return " ".join(WORD.findall(normalise(text).lower())) + " "


REFERRED_MIN_SHARED = 2  # rare words a listed question shares with a statement for it to refer to it
REFERRED_RARE_IN = 3  # a word in at most this many of the post's sentences is rare ("form", not "SW")


def referred_statement(pieces: list[tuple[str, int | None]], asked: set[int], i: int) -> str | None:
    """For a listed question: the statement in the post it refers to, when it shares words the
    post rarely uses with one ("1. ... Does the fact that we signed the form change that?" is about
    "we agreed (signed a form) for him to be accommodated under section 20", three paragraphs up,
    not the last statement before the list: dev dl10-19 was answered about the IRO). Words the
    post uses everywhere ("SS", "plan") say nothing about which statement is meant."""
    if pieces[i][1] is None:
        return None
    seen = Counter(w for p, _ in pieces for w in _token_set(p))
    words = {w for w in _token_set(pieces[i][0]) if seen[w] <= REFERRED_RARE_IN}
    best: tuple[int, int, str] | None = None
    for j, (p, _) in enumerate(pieces):
        if j in asked:
            continue
        shared = len(words & _token_set(p))
        rank = (shared, -abs(i - j))
        if shared >= REFERRED_MIN_SHARED and (best is None or rank > best[:2]):
            best = (shared, -abs(i - j), p)
    return best[2] if best else None


@functools.lru_cache(maxsize=4096)
def _token_set(text: str) -> frozenset[str]:
    """A piece's word stems, kept: each listed question of a long post compares itself with every
    piece, and stemming the same pieces again per question took ~50 ms of a 3,867-word post."""
    return frozenset(tokens(text))


def item_notes(pieces: list[tuple[str, int | None]], found: list[tuple[int, str]]) -> dict[str, str]:
    """For each question in a listed item, the statements its own item makes before it ("4. I've
    heard of Clare's Law. I want to know whether he had a history... Can I ask?"): the parent
    set the question up with them, so its search reads them (dev dl10-18 searched "Can I ask?"
    with nothing about Clare's Law, and "Can I stop that?" without the address). Not those after
    it ("3. What happens next? She used words like 'strategy discussion'"), which elaborate:
    with them too, as many dev answers got worse as better."""
    asked = {i for i, _ in found}
    notes = {}
    for i, q in found:
        own = own_statements(pieces, asked, i, before_only=True)
        if own:
            notes[q] = " ".join(own)
    return notes


def list_fences(
    pieces: list[tuple[str, int | None]], found: list[tuple[int, str]],
    context: list[tuple[str, str, str, str]],
) -> dict[str, tuple[int, int]]:
    """For each question in a listed item after the first: how many characters of its text before
    it belong to its own item (a process named further back was named in another item), and how
    many come before the list (the post's own account of its situation)."""
    starts: dict[int, int] = {}
    for j, (_, item) in enumerate(pieces):
        if item is not None:
            starts.setdefault(item, j)
    first = min(starts.values(), default=None)
    intro = len(" ".join(p for p, _ in pieces[:first])) if first is not None else 0
    fences = {}
    for (i, _), (q, before, _, _) in zip(found, context, strict=True):
        item = pieces[i][1]
        if item is None or starts[item] == first:
            continue
        fences[q] = (len(before) - len(" ".join(p for p, _ in pieces[: starts[item]])), intro)
    return fences
