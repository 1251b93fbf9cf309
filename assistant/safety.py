"""Safety triage: runs on every message before, and independently of, retrieval.

Two parts, both deterministic: high-precision rules, then similarity to curated example
phrasings (data/triage_examples.yaml) with the embedder already loaded. A sentence counts for a
risky label only when it is close to that label's examples *and* clearly closer to them than to
the benign look-alikes, so "what happens if I breach the safety plan?" passes through while
"how can he see the kids without the SW finding out?" does not. Thresholds were tuned on
tests/data/triage_suite.jsonl (see tests/test_safety.py for the required rates).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from assistant.text import sentence_spans
from assistant.types import Triage, TriageLabel

RISKY: tuple[TriageLabel, ...] = ("emergency", "own_thoughts", "decline")

_NOW = r"(right now|now|at the moment|tonight|just|currently|as we speak|in the house|here)"
RULES: dict[TriageLabel, tuple[str, ...]] = {
    "emergency": (
        r"\b(kill|hurt|harm)(ing)? (myself|my ?self)\b",
        r"\bsuicid",
        r"\bend(ing)? (it all|my life|things)\b",
        r"\b(took|taken|swallowed) (a load of |all )?(my |the )?(pills|tablets|overdose)\b",
        r"\boverdos(e|ed|ing)\b",
        r"\b(don'?t|do not) want to (live|be alive|be here any ?more)\b",
        r"\bcan'?t go on\b",
        r"\b(he|she|they|oh|dh|dp|partner|ex)('s| is| are)? (hurting|hitting|beating|strangling|touching|abusing) (the |my )?(kids|children|dc|ds|dd|son|daughter|baby|child)\b.*\b" + _NOW,
        r"\b" + _NOW + r"\b.*\b(hurting|hitting|beating|strangling|abusing)\b (the |my )?(kids|children|dc|ds|dd|son|daughter|baby|child)",
        r"\b(child|kids?|children|dc|ds|dd|son|daughter|baby)\b.{0,40}\bin (immediate )?danger (right )?now\b",
    ),
    "own_thoughts": (
        r"\b(i|i'm|im|i've|ive)\b.{0,40}\b(sexual(ly)? (thoughts|urges|feelings|attract\w*|interest)|attracted to)\b.{0,60}\b(child|children|kids?|minors?|under ?age|young (girls|boys)|teen\w*)",
        r"\b(my|i have|i've got|ive got) (own )?(sexual )?(thoughts|urges|fantas\w+) (about|towards|involving) (a )?(child|children|kids?|minors?)",
        r"\b(i|i've|ive|i have) (been )?(look(ing|ed)|view(ing|ed)|watch(ing|ed)|download(ing|ed)|search(ing|ed) for) (at )?(sexual |indecent |illegal )?(images|pictures|pics|videos|content|material)\b.{0,40}\b(child|children|kids?|minors?|under ?age|under ?18s?|teen\w*)",
    ),
    "decline": (
        r"\bwithout (the |our |my )?(sw|social workers?|supervisors?|ss|social services|police|probation|them|anyone) (knowing|finding out|noticing|seeing)\b",
        r"\b(not|never|won'?t) (get|be) (caught|found out)\b",
        r"\b(wipe|wiping|delete|deleting|destroy|destroying|smash|hide|hiding|get rid of|dispose of)\b.{0,40}\b(laptop|phone|hard ?drive|computer|devices?|files|evidence|history|memory stick|usb|cloud)\b.{0,60}\b(before|so (the )?(police|they)|police|ss|sw|social worker|check|find|search)",
        r"\b(coach|teach|tell|get)\b.{0,20}\b(kids|children|dc|ds|dd|son|daughter)\b.{0,30}\b(what to say|not to (tell|say|mention)|to lie|to keep (it |quiet|a secret|secret))",
        r"\b(lie|lying|mislead|misleading|trick|fool) (to )?(the )?(sw|social worker|police|conference|probation|ss|social services)\b",
        r"\b(secretly|in secret|behind (the )?(sw|social worker|ss)'?s? back)\b.{0,60}\b(see|meet|visit|contact|stay|live)",
        r"\bhide (the fact )?(that )?(he|oh|dh|dp|my partner|my husband)('s| is)? (living|staying|back)\b",
    ),
}


@dataclass(frozen=True)
class TriageModel:
    """Example phrasings embedded once; `embed` turns texts into unit vectors."""

    labels: tuple[str, ...]
    vectors: dict[str, np.ndarray]
    embed: Callable[[Sequence[str]], np.ndarray]
    threshold: float = 0.62
    margin: float = 0.06


@functools.cache
def load_examples() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(
        resources.files("assistant.data").joinpath("triage_examples.yaml").read_text("utf-8")
    )
    return {label: tuple(str(x) for x in raw[label]) for label in (*RISKY, "benign")}


def build_triage_model(embed: Callable[[Sequence[str]], np.ndarray]) -> TriageModel:
    examples = load_examples()
    vectors = {label: embed(list(texts)) for label, texts in examples.items()}
    return TriageModel(tuple(examples), vectors, embed)


def rule_label(message: str) -> tuple[TriageLabel, str] | None:
    text = message.lower().replace("’", "'")
    for label in RISKY:
        for pattern in RULES[label]:
            if re.search(pattern, text):
                return label, f"rule:{label}:{pattern[:40]}"
    return None


def _segments(message: str) -> list[str]:
    parts = [message[s:e] for s, e in sentence_spans(message)]
    segs = [p for p in parts if len(p.split()) >= 3]
    if message.strip() and message.strip() not in segs:
        segs.append(message.strip())
    return segs


def triage(message: str, model: TriageModel | None = None) -> Triage:
    """Label a message emergency / own_thoughts / decline / none (rules first, then similarity)."""
    ruled = rule_label(message)
    if ruled:
        return Triage(label=ruled[0], reasons=(ruled[1],))
    if model is None or not message.strip():
        return Triage(label="none")
    segs = _segments(message)
    vecs = model.embed(segs)
    benign = (vecs @ model.vectors["benign"].T).max(axis=1)
    best: list[tuple[float, TriageLabel, str]] = []
    scores: list[tuple[str, float]] = []
    for label in RISKY:
        sims = (vecs @ model.vectors[label].T).max(axis=1)
        i = int(np.argmax(sims - 0.5 * np.maximum(benign - sims, 0)))
        scores.append((label, float(sims.max())))
        if sims[i] >= model.threshold and sims[i] - benign[i] >= model.margin:
            best.append((float(sims[i] - benign[i]), label, segs[i]))
    if not best:
        return Triage(label="none", scores=tuple(scores))
    priority = {"emergency": 0, "own_thoughts": 1, "decline": 2}
    best.sort(key=lambda b: (priority[b[1]], -b[0]))
    _, label, seg = best[0]
    return Triage(label=label, reasons=(f"similar:{label}:{seg[:60]}",), scores=tuple(scores))
