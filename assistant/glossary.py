"""Query normalisation with a glossary of social-care shorthand (the glossary itself is data)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from assistant.datafiles import load_yaml


@dataclass(frozen=True)
class Term:
    abbreviation: str
    expand: str
    define: str
    upper_only: bool
    inline: str = ""


@dataclass(frozen=True)
class NormalisedQuery:
    original: str
    text: str
    expanded: tuple[tuple[str, str], ...]


@functools.cache
def load_glossary() -> tuple[Term, ...]:
    raw = load_yaml(resources.files("assistant.data").joinpath("glossary.yaml").read_text("utf-8"))
    return tuple(
        Term(abbr, str(v["expand"]), str(v["define"]), v.get("case") == "upper", str(v.get("inline") or v["expand"]))
        for abbr, v in raw.items()
    )


def _pattern(term: Term) -> re.Pattern[str]:
    # s47 / s.47 / section47 forms, and plurals such as CPPs.
    abbr = re.escape(term.abbreviation)
    if re.fullmatch(r"s\d+", term.abbreviation, re.IGNORECASE):
        abbr = rf"s\.?\s?{term.abbreviation[1:]}"
    return re.compile(rf"(?<![A-Za-z0-9]){abbr}s?(?![A-Za-z0-9])", 0 if term.upper_only else re.IGNORECASE)


def normalise_query(question: str, glossary: tuple[Term, ...] | None = None) -> NormalisedQuery:
    """Append the meaning of each shorthand term found, once, after the question."""
    glossary = glossary if glossary is not None else load_glossary()
    expansions: list[str] = []
    found: list[tuple[str, str]] = []
    for term in glossary:
        if _pattern(term).search(question):
            expansions.append(term.expand)
            found.append((term.abbreviation, term.define))
    text = question if not expansions else f"{question} ({'; '.join(expansions)})"
    return NormalisedQuery(question, text, tuple(found))


def expand_inline(question: str, glossary: tuple[Term, ...] | None = None) -> NormalisedQuery:
    """Replace each shorthand term by its meaning in place, so the question keeps its shape
    (what question-to-question matching needs); `expanded` lists what was replaced."""
    glossary = glossary if glossary is not None else load_glossary()
    found: list[tuple[str, str]] = []
    text = question
    for term in glossary:
        pattern = _pattern(term)
        if pattern.search(text):
            text = pattern.sub(term.inline, text)
            found.append((term.abbreviation, term.define))
    return NormalisedQuery(question, text, tuple(found))
