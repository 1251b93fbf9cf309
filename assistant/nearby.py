"""The statements nearest a question of a message: what a question that says little leans on
("how long can that go on?" after "kids placed with grandad as a connected person"). Split from the
message reader (assistant/message.py), which decides what the questions are."""

from __future__ import annotations

import re

from assistant.listed_items import own_statements, referred_statement
from assistant.search_text import NEAR_WORDS, last_words
from assistant.text import word_count

NEAR_MIN_WORDS = 12  # "3 weeks now." alone is no context: statements are gathered up to this many words

_LIST_INTRO = re.compile(r"(?:^|(?<=[.?!])\s+)[\w']+(?: [\w']+){0,2}:\s*$")


def nearest_statements(pieces: list[tuple[str, int | None]], asked: set[int], i: int) -> str:
    """The statements nearest question `i` (about NEAR_MIN_WORDS words): those just before it,
    or failing that those just after. A listed question looks first inside its own item ("- Will
    DH be there? He has bail conditions..."), whose statements are about it and nothing else."""
    # A list's introduction ("Specifically:") says nothing about the questions listed after it:
    # dev dl12-16 searched two of them with it.
    return _LIST_INTRO.sub("", _statements_near(pieces, asked, i)).strip()


def _statements_near(pieces: list[tuple[str, int | None]], asked: set[int], i: int) -> str:
    """The statements `nearest_statements` chooses from: the question's own item's, a referred statement, or
    the nearest before (else after) it."""
    own = own_statements(pieces, asked, i)
    if own and own_statements(pieces, asked, i, before_only=True):
        return last_words(" ".join(own), NEAR_WORDS)
    # An item whose only statements follow its question ("1. Is there an official way I can check
    # whether what my mate said is true? I don't want to accuse the guy") leans on what the post
    # said before the list ("A mate of mine ... said he'd been in trouble for stuff on his
    # computer and is on the register": dev dl11-17), when the question shares rare words with it.
    referred = referred_statement(pieces, asked, i)
    if referred:
        return referred
    if own:
        return last_words(" ".join(own), NEAR_WORDS)
    for order in (range(i - 1, -1, -1), range(i + 1, len(pieces))):
        near: list[str] = []
        for j in order:
            if j in asked:
                if near:
                    break
                continue
            near.append(pieces[j][0])
            if word_count(" ".join(near)) >= NEAR_MIN_WORDS:
                break
        if near:
            return " ".join(near[::-1] if order.step < 0 else near)
    return ""
