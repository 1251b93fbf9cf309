"""Honesty checks on the question itself: predictions we must not make, neighbouring areas we do
not cover, and other UK nations. The patterns are data: assistant/data/honesty.yaml."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from assistant.datafiles import load_yaml
from assistant.text import normalise

HONESTY_FILE = "honesty.yaml"


@dataclass(frozen=True)
class HonestyRules:
    """The patterns in assistant/data/honesty.yaml, compiled."""

    predictions: tuple[re.Pattern[str], ...]
    consequences: tuple[re.Pattern[str], ...]
    out_of_scope: tuple[tuple[str, re.Pattern[str]], ...]
    nations: tuple[tuple[str, re.Pattern[str]], ...]
    place_pointer: re.Pattern[str]
    england: re.Pattern[str]
    residence: re.Pattern[str]
    set_aside: re.Pattern[str]
    # What the answer adds for a neighbouring area, when it can say something true without
    # guessing (criminal sentences: nobody can say in advance; a defence solicitor can).
    scope_notes: tuple[tuple[str, str], ...] = ()


@functools.cache
def load_honesty() -> HonestyRules:
    raw = load_yaml(resources.files("assistant.data").joinpath(HONESTY_FILE).read_text("utf-8"))
    return HonestyRules(
        predictions=tuple(re.compile(p) for p in raw["predictions"]),
        consequences=tuple(re.compile(p) for p in raw["consequences"]),
        out_of_scope=tuple((item["name"], re.compile(item["pattern"])) for item in raw["out_of_scope"]),
        nations=tuple((name, re.compile(p)) for name, p in raw["nations"].items()),
        place_pointer=re.compile(raw["place_pointer"]),
        england=re.compile(raw["england"]),
        residence=re.compile(raw["residence"]),
        set_aside=re.compile(raw["set_aside"]),
        scope_notes=tuple((item["name"], str(item["note"])) for item in raw["out_of_scope"] if item.get("note")),
    )


def _is_prediction(text: str) -> bool:
    text = normalise(text).lower()
    return any(p.search(text) for p in load_honesty().predictions)


def needs_individual_advice(question: str) -> bool:
    """The message asks only for a prediction or a decision about this family's case.

    A long message that also asks a process question ("do I tell the SW? will they take the
    kids?") is answered for the process part; the prediction part gets a notice instead.
    """
    if not _is_prediction(question):
        return False
    asked = [q for q in re.split(r"(?<=\?)(?!\?)", question) if q.strip().endswith("?") and len(q.split()) >= 3]
    return all(_is_prediction(q) for q in asked) if asked else True


def asks_for_prediction(question: str) -> bool:
    """Some part of the message asks us to predict an outcome for this family, or how one thing
    they did will be judged ("will SS use it against me if I tell them?"): the answer opens with
    the notice that nobody can predict it, then gives what the guidance says."""
    text = normalise(question).lower()
    rules = load_honesty()
    return any(p.search(text) for p in (*rules.predictions, *rules.consequences))


def out_of_scope(question: str) -> str | None:
    """The name of a neighbouring area the guidance does not cover, if the question is about one."""
    text = normalise(question).lower()
    rules = load_honesty()
    for name, pattern in rules.out_of_scope:
        for m in pattern.finditer(text):
            if not rules.set_aside.search(text[max(0, m.start() - 20) : m.start()]):
                return name
    return None


def scope_note(name: str) -> str:
    """The extra words for the neighbouring area `name` (empty when it has none)."""
    return dict(load_honesty().scope_notes).get(name, "")


def other_nation(question: str) -> str | None:
    text = normalise(question).lower()
    for nation, pattern in load_honesty().nations:
        if pattern.search(text):
            return nation
    return None


def points_to_a_place(question: str) -> bool:
    """The question ends on "there" (or "in that country"): a place the message named."""
    return load_honesty().place_pointer.search(normalise(question).lower()) is not None


def lives_in_other_nation(text: str) -> str | None:
    """The other nation the writer says they live in ("I live in Glasgow", "we moved to Wales"),
    unless the message also names England; a nation mentioned in passing ("a lot of it seems to
    be about Wales or Scotland") does not count."""
    rules = load_honesty()
    text = normalise(text).lower()
    if rules.england.search(text):
        return None
    for nation, pattern in rules.nations:
        for m in pattern.finditer(text):
            if rules.residence.search(text[max(0, m.start() - 40) : m.start()]):
                return nation
    return None
