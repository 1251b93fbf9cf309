"""Sibling processes a question and a section heading may name differently (a child in need plan
against a child protection plan; an initial against a review conference), as data in
assistant/data/contrasts.yaml. Retrieval lowers a section whose heading names only another
sibling than the question does."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from assistant.datafiles import load_yaml


@dataclass(frozen=True)
class Contrasts:
    # Per set, (sibling name, its pattern).
    sets: tuple[tuple[tuple[str, re.Pattern[str]], ...], ...]

    def named(self, text: str) -> tuple[frozenset[str], ...]:
        """Per set, the siblings `text` names."""
        low = text.lower()
        return tuple(frozenset(name for name, p in siblings if p.search(low)) for siblings in self.sets)

    def conflicts(self, query: str, heading: str) -> bool:
        """The heading names a sibling the query does not, and none the query does, in some set
        where the query names one."""
        return self.conflicts_named(self.named(query), heading)

    def conflicts_named(self, query_named: tuple[frozenset[str], ...], heading: str) -> bool:
        """`conflicts`, with the query's siblings (`named(query)`) worked out once."""
        return any(
            q and h and not (q & h)
            for q, h in zip(query_named, _named_heading(self, heading), strict=True)
        )


@functools.lru_cache(maxsize=4096)  # headings are asked about again and again
def _named_heading(contrasts: Contrasts, heading: str) -> tuple[frozenset[str], ...]:
    return contrasts.named(heading)


@functools.cache
def load_contrasts() -> Contrasts:
    raw = load_yaml(resources.files("assistant.data").joinpath("contrasts.yaml").read_text("utf-8"))
    return Contrasts(
        tuple(
            tuple(
                (name, re.compile(r"\b(?:" + "|".join(patterns) + r")\b"))
                for name, patterns in siblings.items()
            )
            for siblings in raw["sets"].values()
        )
    )
