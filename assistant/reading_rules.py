"""The message reader's rules, as data (assistant/data/reading.yaml), loaded once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from assistant.datafiles import load_yaml


@dataclass(frozen=True)
class ReadingRules:
    max_questions: int
    indirect: tuple[re.Pattern[str], ...]
    opening: re.Pattern[str]
    rhetorical: tuple[re.Pattern[str], ...]
    compound_split: re.Pattern[str]
    topics: tuple[tuple[str, re.Pattern[str]], ...]
    pointers: re.Pattern[str]
    distress: re.Pattern[str]
    sympathy: str
    act_now: re.Pattern[str]
    specific: dict[str, tuple[str, ...]]
    # Generic terms a question names ("what happens at this meeting?") that the post may make
    # specific, but that a pointer never stands for.
    generic_only: frozenset[str] = frozenset()
    writer_roles: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # A plain ask for support ("is there any support for partners?", "who can I talk to?"), which
    # is about the support that fits the writer's situation (see search_text.lean_on_support).
    support_ask: re.Pattern[str] = re.compile(r"(?!)")
    # Where a post says its questions start ("so my questions:", "here are my questions")
    questions_marker: re.Pattern[str] = re.compile(r"(?!)")
    # Non-process things a pointer in the same question stands for ("lost PR, or do SS share it")
    referents: re.Pattern[str] = re.compile(r"(?!)")
    # Documents a family signs, and the words of a question about a document's legal standing
    documents: frozenset[str] = frozenset()
    legal_standing: re.Pattern[str] = re.compile(r"(?!)")
    # Legal statuses that decide who holds PR, and the words of a question about PR
    pr_statuses: frozenset[str] = frozenset()
    pr_ask: re.Pattern[str] = re.compile(r"(?!)")
    # What "a review" is, by the plan or status a post names: (the terms, the words to search)
    review_ask: re.Pattern[str] = re.compile(r"(?!)")
    review_kinds: tuple[tuple[frozenset[str], str], ...] = ()
    # Processes after which "take it to court" means care proceedings
    public_law: frozenset[str] = frozenset()
    # Topics whose answer depends on the stage the family is at (legal aid): a question naming one
    # is searched with the last of these stages the post named
    stage_dependent: frozenset[str] = frozenset()
    stages: dict[str, str] = field(default_factory=dict)  # stage term -> the words its search gets
    # Meetings a family attends, and the words of a question about what happens in the room
    meetings: frozenset[str] = frozenset()
    meeting_ask: re.Pattern[str] = re.compile(r"(?!)")


def _flexible(term: str) -> str:
    """A topic term as a pattern that allows "pre proceedings" for "pre-proceedings"."""
    return "".join(
        r"[\s-]?" if ch in " -" else ("'?" if ch == "'" else re.escape(ch)) for ch in term
    )


@functools.cache
def load_rules() -> ReadingRules:
    raw: dict[str, Any] = load_yaml(
        resources.files("assistant.data").joinpath("reading.yaml").read_text("utf-8")
    )
    verb_uses = {str(k): tuple(v) for k, v in (raw.get("verb_uses") or {}).items()}
    place_uses = {str(k): tuple(v) for k, v in (raw.get("place_uses") or {}).items()}
    topics = tuple(
        (
            t,
            re.compile(
                "".join(rf"(?<!\b{re.escape(w)} )" for w in verb_uses.get(t, ()))
                + r"(?<![a-z0-9])" + _flexible(t) + r"s?(?![a-z0-9])"
                + "".join(rf"(?! {re.escape(w)}\b)" for w in place_uses.get(t, ())),
                re.I,
            ),
        )
        for t in raw["topics"]
    )
    return ReadingRules(
        max_questions=int(raw["max_questions"]),
        indirect=tuple(re.compile(p, re.I) for p in raw["indirect"]),
        opening=re.compile(raw["opening"], re.I),
        rhetorical=tuple(re.compile(p, re.I) for p in raw["rhetorical"]),
        compound_split=re.compile(raw["compound_split"], re.I),
        topics=topics,
        pointers=re.compile(raw["pointers"], re.I),
        act_now=re.compile(raw["act_now"], re.I),
        specific={str(k): tuple(v) for k, v in (raw.get("specific") or {}).items()},
        generic_only=frozenset(raw.get("generic_only") or ()),
        distress=re.compile(raw["distress"], re.I),
        sympathy=str(raw["sympathy"]),
        writer_roles=tuple((str(k), re.compile(v, re.I)) for k, v in (raw.get("writer_roles") or {}).items()),
        support_ask=re.compile(raw.get("support_ask") or r"(?!)", re.I),
        questions_marker=re.compile(raw.get("questions_marker") or r"(?!)", re.I),
        referents=re.compile(
            r"(?<![a-z0-9])(?:" + "|".join(_flexible(t) for t in raw.get("referents") or ()) + r")(?![a-z0-9])"
            if raw.get("referents") else r"(?!)",
            re.I,
        ),
        documents=frozenset(raw.get("documents") or ()),
        legal_standing=re.compile(raw.get("legal_standing") or r"(?!)", re.I),
        pr_statuses=frozenset(raw.get("pr_statuses") or ()),
        pr_ask=re.compile(raw.get("pr_ask") or r"(?!)", re.I),
        public_law=frozenset(raw.get("public_law") or ()),
        stage_dependent=frozenset((raw.get("stage_dependent") or {}).get("topics") or ()),
        stages={str(k): str(v) for k, v in ((raw.get("stage_dependent") or {}).get("stages") or {}).items()},
        meetings=frozenset((raw.get("meetings") or {}).get("topics") or ()),
        meeting_ask=re.compile((raw.get("meetings") or {}).get("ask") or r"(?!)", re.I),
        review_ask=re.compile((raw.get("reviews") or {}).get("ask") or r"(?!)", re.I),
        review_kinds=tuple(
            (frozenset(k["named"]), str(k["search"])) for k in (raw.get("reviews") or {}).get("kinds") or ()
        ),
    )
