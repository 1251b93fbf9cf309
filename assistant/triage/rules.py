"""Precise rules, kept as data in assistant/data/triage_rules.yaml, run clause by clause.

A rule names one phenomenon (an overdose taken, a fresh disclosure, hiding a device before a
search, first-person sexual interest in children). It fires on a clause when its pattern matches
the clause, its `context` matches the clause's window (the clause and `WINDOW` neighbours either
side), its `unless` does not, and no guard for its label matches the clause. Guards drop clauses
that only ask about rules or consequences, talk about something over, or say the writer is safe.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from assistant.datafiles import load_yaml
from assistant.errors import ConfigError
from assistant.triage.normalise import clauses, normalise
from assistant.types import TriageLabel

RULES_FILE = "triage_rules.yaml"
# Neighbouring clauses a rule's context may come from: two either side holds a short message
# whole, and keeps a word from one paragraph of a long post from arming a rule in another.
WINDOW = 2
PRIORITY: dict[str, int] = {"emergency": 0, "own_thoughts": 1, "decline": 2}
_MACRO = re.compile(r"%([A-Z_0-9]+)%")


@dataclass(frozen=True)
class Rule:
    """One phenomenon; see the module docstring for when it fires."""

    name: str
    label: TriageLabel
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelGuard:
    """When the model's label for a message does not stand: the message matches `message` and not
    `unless_message`, the clause the label came from matches `clause`, and that clause does not
    match `unless_clause` (each check left out passes)."""

    message: re.Pattern[str] | None = None
    unless_message: re.Pattern[str] | None = None
    clause: re.Pattern[str] | None = None
    unless_clause: re.Pattern[str] | None = None

    def blocks(self, message: str, clause: str) -> bool:
        return (
            (self.message is None or bool(self.message.search(message)))
            and (self.unless_message is None or not self.unless_message.search(message))
            and (self.clause is None or bool(self.clause.search(clause)))
            and (self.unless_clause is None or not self.unless_clause.search(clause))
        )


@dataclass(frozen=True)
class ModelAssist:
    """Where the model's label stands at a lower score (`threshold`): the message says in words
    what the label is about (for decline, how to deceive: "so it doesn't look like he's still
    here", "what if I just say no, can they prove it?") and does not match `unless_message`."""

    threshold: float
    message: re.Pattern[str]
    unless_message: re.Pattern[str] | None = None

    def supports(self, message: str, score: float) -> bool:
        return (
            score >= self.threshold
            and bool(self.message.search(message))
            and (self.unless_message is None or not self.unless_message.search(message))
        )


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    guards: dict[str, re.Pattern[str]]
    strip: re.Pattern[str]
    model_guards: dict[str, tuple[ModelGuard, ...]] = field(default_factory=dict)
    model_assists: dict[str, tuple[ModelAssist, ...]] = field(default_factory=dict)
    # A message that says everyone is safe now (see triage_rules.yaml; the decision reads it).
    safe_now: re.Pattern[str] = re.compile(r"(?!)")


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired, on which clause (index into the message's clauses)."""

    rule: Rule
    clause: int

    @property
    def reason(self) -> str:
        return f"rule:{self.rule.label}:{self.rule.name}"


def _join(value: Any) -> str:
    return "|".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _expand(pattern: str, vocab: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ConfigError(f"{RULES_FILE}: vocabulary refers to itself; check the %NAME% entries")

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in vocab:
            raise ConfigError(f"{RULES_FILE}: unknown vocabulary %{name}%; define it under vocabulary")
        return _expand(vocab[name], vocab, depth + 1)

    return _MACRO.sub(sub, pattern)


def _compile(where: str, pattern: str, vocab: dict[str, str]) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern, vocab))
    except re.error as exc:
        raise ConfigError(f"{RULES_FILE}: {where} is not a valid regular expression ({exc})") from exc


def parse_rules(raw: dict[str, Any]) -> RuleBook:
    """Build the rule book from the YAML's mapping (vocabulary, guards, strip, rules)."""
    vocab = {k: _join(v) for k, v in raw.get("vocabulary", {}).items()}
    guards = {k: _compile(f"guard {k}", _join(v), vocab) for k, v in raw.get("guards", {}).items()}
    strip = _compile("strip", _join(raw["strip"]["pattern"]), vocab)
    rules = []
    for item in raw["rules"]:
        name = item["name"]
        opt = {
            key: _compile(f"rule {name} {key}", _join(item[key]), vocab)
            for key in ("context", "unless")
            if item.get(key)
        }
        rules.append(
            Rule(
                name=name,
                label=item["label"],
                pattern=_compile(f"rule {name} pattern", _join(item["pattern"]), vocab),
                examples=tuple(item.get("examples") or ()),
                near_misses=tuple(item.get("near_misses") or ()),
                **opt,
            )
        )
    # A label's model guard is one mapping or a list of them; any one of them blocks.
    model_guards = {
        label: tuple(
            ModelGuard(**{
                key: _compile(f"model guard {label} {key}", _join(g[key]), vocab)
                for key in ("message", "unless_message", "clause", "unless_clause")
                if g.get(key)
            })
            for g in (gs if isinstance(gs, list) else [gs])
        )
        for label, gs in raw.get("model_guards", {}).items()
    }
    model_assists = {
        label: tuple(
            ModelAssist(
                threshold=float(a["threshold"]),
                message=_compile(f"model assist {label} message", _join(a["message"]), vocab),
                unless_message=(
                    _compile(f"model assist {label} unless_message", _join(a["unless_message"]), vocab)
                    if a.get("unless_message") else None
                ),
            )
            for a in (gs if isinstance(gs, list) else [gs])
        )
        for label, gs in raw.get("model_assists", {}).items()
    }
    safe_now = _compile("safe_now", _join(raw["safe_now"]), vocab) if raw.get("safe_now") else re.compile(r"(?!)")
    return RuleBook(
        tuple(rules), guards, strip, model_guards=model_guards, model_assists=model_assists, safe_now=safe_now
    )


@functools.cache
def load_rules() -> RuleBook:
    text = resources.files("assistant.data").joinpath(RULES_FILE).read_text("utf-8")
    return parse_rules(load_yaml(text))


def prepare(message: str, book: RuleBook | None = None) -> list[str]:
    """The clauses the rules read: normalised, with benign phrases ("without telling them") cut."""
    book = book or load_rules()
    return clauses(book.strip.sub(" ", normalise(message)))


def rule_hits(parts: list[str], book: RuleBook | None = None) -> list[RuleHit]:
    """Every (rule, clause) that fires; at most one hit per rule (its first clause)."""
    book = book or load_rules()
    windows = [" ".join(parts[max(0, i - WINDOW) : i + WINDOW + 1]) for i in range(len(parts))]
    hits: list[RuleHit] = []
    for rule in book.rules:
        guard = book.guards.get(rule.label)
        for i, part in enumerate(parts):
            if not rule.pattern.search(part):
                continue
            if guard is not None and guard.search(part):
                continue
            if rule.context is not None and not rule.context.search(windows[i]):
                continue
            if rule.unless is not None and rule.unless.search(windows[i]):
                continue
            hits.append(RuleHit(rule, i))
            break
    return hits


def rule_label(message: str) -> tuple[TriageLabel, str] | None:
    """The highest-priority label a rule gives the message, with the rule's reason."""
    hits = rule_hits(prepare(message))
    if not hits:
        return None
    best = min(hits, key=lambda h: PRIORITY[h.rule.label])
    return best.rule.label, best.reason
