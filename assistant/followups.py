"""Follow-up questions in a chat, rewritten into standalone questions before retrieval.

No language model: a follow-up is recognised by its shape (an opener such as "and" or "what if",
or a pronoun in a short message) and gets the topic phrases of the previous question appended,
e.g. "and how long does stage 2 take?" after a complaints question becomes
"How long does stage 2 take? (about: complaint, children's services)". The bracket after the
question reads, to the message reader, as the situation: a question that points back ("is *it*
binding?") takes its topic from there, and one that names its own ("stage 2") is searched as is.
After an answer in several parts, the topic comes from the part the follow-up refers to: the
last part whose topic it shares a word with, else the last part (its restated question, or the
section that answered it when the question names no topic of its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.text import STOPWORDS, normalise, stem
from assistant.types import Answer, AnswerPart, Triage

MAX_FOLLOWUP_WORDS = 8  # a pronoun only signals a follow-up in a short message
MAX_OPENER_WORDS = 14  # "and ..." questions longer than this stand on their own
MAX_TOPIC_TERMS = 4

OPENER = re.compile(
    r"^\s*(?:and|but|so|also|then|or|plus|what if|what about|how about|and if|if so|if not|"
    r"what happens if|what happens then|even if|in that case|same for)\b[\s,]*",
    re.IGNORECASE,
)
# Openers that carry no meaning of their own and are dropped from the rewritten question.
DROPPABLE = re.compile(r"^\s*(?:(?:and|but|so|also|then|plus)\b[\s,]*)+", re.IGNORECASE)
PRONOUN = re.compile(
    r"\b(?:it|its|it's|they|them|their|theirs|that|this|those|these|there|he|she|him|his|her)\b",
    re.IGNORECASE,
)
CLOSINGS = re.compile(
    r"^\s*(?:thanks?|thank you|thank u|ta|cheers|ok|okay|great|brilliant|bye|goodbye|hi|hello)"
    r"(?:\s+(?:so much|very much|a lot|for that|again))?\s*[.!]*\s*$",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
# The topics a rewrite added, after the question ("...take? (about: X, Y)"); a trailing mark
# is allowed so a hand-written "(about: X)?" reads the same.
ABOUT = re.compile(r"\s*\(about: (?P<topics>[^)]*)\)\s*[?.!]?\s*$")
# Small words allowed inside a topic phrase ("child in need plan", "letter before proceedings").
CONNECTORS = frozenset({"in", "of", "before", "on"})
# Words too general to carry a topic on their own.
GENERIC = frozenset(
    """happen happens happened make made making long much many take takes taking
    say said tell told mean means way ways go goes going went come comes start starts stop day
    days week weeks attend attends attending decide decides ask asks asked find work works
    time times thing things someone something anything everything people person kids
    kid sure able allowed possible happening now soon yet ever never always usually legally
    right rights wrong best good bad new old next first last""".split()
)


@dataclass(frozen=True)
class Rewrite:
    """The question as asked, the standalone question used for retrieval, and the terms added."""

    original: str
    standalone: str
    added_terms: tuple[str, ...] = ()

    @property
    def rewritten(self) -> bool:
        return bool(self.added_terms)


def is_followup(question: str) -> bool:
    """Whether a message reads as a follow-up that leans on the previous turn."""
    words = WORD.findall(question)
    if not words or CLOSINGS.match(question):
        return False
    if OPENER.match(question) and len(words) <= MAX_OPENER_WORDS:
        return True
    if len(words) <= MAX_FOLLOWUP_WORDS and PRONOUN.search(question):
        return True
    return len(words) <= 3


def topic_terms(question: str) -> tuple[str, ...]:
    """Runs of content words in a question, in order ("child in need plan", "complaint")."""
    text = ABOUT.sub("", question)
    about = ABOUT.search(question)
    words = WORD.findall(text)
    phrases: list[str] = []
    run: list[str] = []

    def close() -> None:
        while run and run[-1].lower() in CONNECTORS:
            run.pop()
        if run:
            phrases.append(" ".join(run))
        run.clear()

    for w in words:
        low = normalise(w).lower()
        if low in CONNECTORS and run:
            run.append(w)
        elif _is_content(low):
            run.append(w)
        else:
            close()
    close()
    if about:  # keep the topic of a chain of follow-ups
        phrases += [p.strip() for p in about.group("topics").split(",") if p.strip()]
    return tuple(dict.fromkeys(phrases))


def rewrite_followup(question: str, history: Sequence[str]) -> Rewrite:
    """Make `question` standalone using the most recent earlier question (pure, deterministic).

    `history` holds the earlier standalone questions, oldest first. A question that is not a
    follow-up, or that already names the earlier topic, comes back unchanged.
    """
    question = question.strip()
    previous = next((h for h in reversed(history) if h.strip()), None)
    if previous is None or not is_followup(question):
        return Rewrite(question, question)
    asked = {stem(w.lower()) for w in WORD.findall(question)}
    added: list[str] = []
    for phrase in topic_terms(previous):
        stems = {stem(w.lower()) for w in WORD.findall(phrase)} - CONNECTORS
        if stems and not stems <= asked and not _replaced(stems, asked):
            added.append(phrase)
        if len(added) == MAX_TOPIC_TERMS:
            break
    if not added:
        return Rewrite(question, question)
    core = DROPPABLE.sub("", question).strip() or question
    core = core[0].upper() + core[1:]
    if not core.endswith(("?", ".", "!")):
        core += "?"
    return Rewrite(question, f"{core} (about: {', '.join(added)})", tuple(added))


def _replaced(stems: set[str], asked: set[str]) -> bool:
    """The new question names the same thing with another number ("stage 3" after "stage 2")."""
    rest = stems - asked
    return bool(stems & asked) and all(w.isdigit() for w in rest)


def _is_content(word: str) -> bool:
    plain = word.replace("'", "")
    if plain in STOPWORDS or word in STOPWORDS or plain in GENERIC or word in GENERIC:
        return False
    return len(plain) > 1 or plain.isdigit()


# --- a conversation turn ----------------------------------------------------------------------
class Asks(Protocol):
    def triage(self, message: str) -> Triage: ...

    def ask(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class Turn:
    """One exchange in a chat: what was typed, what was searched for, and the answer."""

    id: int
    question: str
    standalone: str
    answer: Answer

    @property
    def rewritten(self) -> bool:
        return self.standalone != self.question


TOPICAL = ("answer", "not_found")  # safety and declined answers carry no topic to lean on


def context_questions(turns: Sequence[Turn], question: str = "") -> tuple[str, ...]:
    """Earlier questions a follow-up may lean on, oldest first (safety turns carry no topic).

    A turn answered in one part stands for its standalone question; a turn answered in several
    stands for the part `question` refers to (see `referenced_part`).
    """
    found = []
    for t in turns:
        if t.answer.kind not in TOPICAL:
            continue
        parts = [p for p in t.answer.parts if p.kind in TOPICAL]
        if len(t.answer.parts) <= 1 or not parts:
            found.append(t.standalone)
        else:
            found.append(part_topic(referenced_part(parts, question)))
    return tuple(found)


def referenced_part(parts: Sequence[AnswerPart], question: str) -> AnswerPart:
    """The last part whose topic shares a content word with `question`, else the last part."""
    asked = _content_stems(question)
    for part in reversed(parts):
        if asked & _content_stems(f"{part.ask} {part.section or ''}"):
            return part
    return parts[-1]


def part_topic(part: AnswerPart) -> str:
    """What a part was about, as a question `topic_terms` can read: its restated question, or
    the section that answered it when the question names no topic of its own ("Why?")."""
    if topic_terms(part.ask) or not part.section:
        return part.ask
    return part.section.replace(" > ", ", ")


def _content_stems(text: str) -> set[str]:
    return {
        stem(w.lower())
        for w in WORD.findall(ABOUT.sub("", text))
        if _is_content(normalise(w).lower()) and w.lower() not in CONNECTORS
    }


def ask_in_conversation(assistant: Asks, question: str, turns: Sequence[Turn]) -> Turn:
    """Answer a message in the light of the chat so far; safety is judged on the words as typed."""
    next_id = max((t.id for t in turns), default=0) + 1
    if assistant.triage(question).label != "none":
        return Turn(next_id, question, question, assistant.ask(question))
    rewrite = rewrite_followup(question, context_questions(turns, question))
    return Turn(next_id, question, rewrite.standalone, assistant.ask(rewrite.standalone))
