"""Text as the triage reads it: normalised words and the clauses a message is split into."""

from __future__ import annotations

import re

from assistant.text import normalise as plain

# Forum shorthand and contractions typed without apostrophes, spelled out so that rules and the
# model see one form ("im" -> "i'm", "2nite" -> "tonight").
CONTRACTIONS = {
    "cant": "can't", "dont": "don't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't", "hasnt": "hasn't",
    "havent": "haven't", "hadnt": "hadn't", "shouldnt": "shouldn't", "couldnt": "couldn't",
    "wouldnt": "wouldn't", "im": "i'm", "ive": "i've", "id": "i'd", "ill": "i'll",
    "hes": "he's", "shes": "she's", "theyre": "they're", "theyd": "they'd", "theyll": "they'll",
    "youre": "you're", "thats": "that's", "whats": "what's", "its": "it's", "theres": "there's",
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "tmrw": "tomorrow",
    "tmr": "tomorrow", "2moro": "tomorrow", "2nite": "tonight", "tonite": "tonight",
    "hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes", "wanna": "want to",
    "gonna": "going to", "cos": "because", "coz": "because", "bc": "because", "ppl": "people",
    "sayin": "saying", "nite": "night", "thru": "through", "tho": "though", "b4": "before",
    "noone": "no one", "no-one": "no one", "sw's": "sw", "ss's": "ss",
}  # fmt: skip
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+(?=\d\)\s)|(?<=\?)(?=\w)")
# Markup that carries no words a person wrote ("<script>", markdown images, links' targets).
_MARKUP = re.compile(r"<[^>]{0,200}>|!\[[^\]]{0,200}\]\([^)]{0,500}\)|\]\([^)]{0,500}\)")
# Clauses shorter than this are merged into the next one for the model: alone they say nothing.
MIN_WORDS = 3


def normalise(message: str) -> str:
    """Lower case, plain punctuation, no markup, single spaces, shorthand spelled out."""
    text = _MARKUP.sub(" ", plain(message)).lower()
    text = _WORDS.sub(lambda m: CONTRACTIONS.get(m.group(0), m.group(0)), text)
    return re.sub(r"[ \t]+", " ", text).strip()


def clauses(text: str) -> list[str]:
    """Clauses of normalised text: split on . ! ? ; new lines and '2)' list marks."""
    return [c.strip(" -*") for c in _CLAUSE_END.split(text) if c and c.strip(" -*")]


def model_clauses(text: str) -> list[str]:
    """Clauses for the model: very short ones ("ok.", "help!") joined to the clause after."""
    out: list[str] = []
    carry = ""
    for part in clauses(text):
        part = f"{carry} {part}".strip() if carry else part
        if len(part.split()) < MIN_WORDS:
            carry = part
            continue
        out.append(part)
        carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out
