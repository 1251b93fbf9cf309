"""Flesch reading ease with pyphen's syllable dictionaries (the corpus check and the evals share it).

pyphen ships its hyphenation dictionaries inside the package, so this works offline. textstat was
tried first, but its current releases fetch the CMU dictionary through nltk at run time, which
fails offline, and older ones need pkg_resources.
"""

from __future__ import annotations

import functools
import re

SENTENCE_END = re.compile(r"[.!?]+(\s|$)")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@functools.cache
def _dictionary():  # type: ignore[no-untyped-def]
    import pyphen  # loaded on first use, never at import time

    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    """Syllables in one word: hyphenation points plus one (at least one for any letters)."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    return max(1, len(_dictionary().positions(word)) + 1)


def flesch_reading_ease(text: str) -> float:
    """206.835 - 1.015 (words per sentence) - 84.6 (syllables per word); 0.0 for no words.

    Higher is easier: 60-70 is plain English, below 30 reads like a legal text.
    """
    sentences = max(1, len(SENTENCE_END.findall(text)))
    words = WORD.findall(text)
    if not words:
        return 0.0
    syl = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syl / len(words))
