"""What kind of question a text asks: the wh-kind (a definition, a duration, who, when...) and,
for yes/no questions, whether it asks about permission or obligation.

Retrieval uses the wh-kind to prefer the section whose heading asks the same kind of question
("What is a family group conference?" over "When can we have one?": MiniLM weighs the topic
words and hardly the question word). Answering uses the yes/no kind to keep a section's own
"Yes"/"No" only where it answers the question asked.
"""

from __future__ import annotations

import functools
import re

from assistant.text import normalise

_FILLER = re.compile(r"^(?:(?:and|but|so|also|ok|okay|please|sorry|then|plus|just)\b[\s,]*)+", re.I)
# First match wins; patterns read the start of the (normalised, lower-case) question.
WH_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("duration", r"^how long\b|^for how long\b"),
        ("frequency", r"^how often\b|^how many times\b|^how regularly\b"),
        (
            "consequence",
            r"^what (?:happens|will happen|would happen|could happen|if)\b|^what(?:'s| is) the (?:consequence|risk)",
        ),
        (
            "definition",
            r"^what(?:'s| is| are| exactly is| actually is)\b(?! (?:the )?(?:point|difference|best|timescale|deadline|time limit))"
            r"|^what (?:does|do) .{1,60}\bmean\b|^what (?:kind|sort|type) of\b",
        ),
        (
            "difference",
            r"^what(?:'s| is) the difference\b|^is .{1,60}\bthe same (?:as|thing)\b|^how (?:is|are) .{1,60}\bdifferent\b",
        ),
        (
            "time",
            r"^when\b|^how soon\b|^by when\b|^what(?:'s| is) the (?:timescale|deadline|time limit)\b|^is there a (?:deadline|time limit|timescale)\b",
        ),
        ("person", r"^who\b|^whom\b|^which (?:person|people|professional|agency|organisation)\b"),
        ("place", r"^where\b"),
        ("reason", r"^why\b"),
        (
            "procedure",
            r"^how (?:do|can|should|would|could|does) (?:i|we|you|one|a parent|my|our|someone)\b|^how to\b|^what (?:do|can|should) (?:i|we) do\b",
        ),
        ("amount", r"^how much\b|^how many\b|^who pays\b|^what does it cost\b"),
    )
)
# Kinds that ask for one narrow fact (a time, a length, a person...): a heading of another kind
# rarely answers them, and their sections rarely answer a question of another kind.
NARROW_KINDS = frozenset({"duration", "frequency", "time", "person", "place", "amount"})
# What kind of yes/no question a text asks: permission ("can I", "am I allowed"), obligation
# ("do I have to", "must I", "do I need to"), or another auxiliary. A section's yes answers "Can I
# see my file?", not "Do I have to pay for it?", so the lead is kept only when the question asks
# the same kind of thing as the heading, with the same polarity ("can I refuse" flips "do I have
# to"). Read as a parent would, "Do I have to pay for my records?" was answered "Yes, in most
# cases" from "Can I see my file?".
ASK_KIND: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "oblige",
        re.compile(
            r"\b(?:(?:do|does|will) (?:i|we|you|they|he|she|my \w+) (?:have|need) to|"
            r"(?:have|has) (?:i|we|you|they|he|she) got to|must|obliged|required|"
            r"compulsory|mandatory|legally binding|binding)\b"
        ),
    ),
    (
        "permit",
        re.compile(
            r"\b(?:can|could|may|allowed|permitted|entitled|(?:is|are) it (?:ok|okay|legal))\b"
        ),
    ),
    # Whether something exists ("Is there a time limit for complaining?") is not whether the writer
    # is in some state ("Am I already out of time?"): the section's "Yes" to the first told a father
    # he was out of time (dev dl15-16).
    ("exists", re.compile(r"^(?:is|are|was|were) there\b")),
    ("state", re.compile(r"^(?:am i|are we|have i|have we|has (?:he|she|my \w+)|is (?:he|she|my \w+))\b")),
)
FLIP = re.compile(r"\b(?:refuse|decline|say no|not|n't|without|stop|opt out|turn down)\b")


# A condition before the question proper: "If the children are put on a plan, when is the next
# review?" asks when. ("When ..., ..." is left alone: "when" is usually the question word.)
_CONDITION = re.compile(r"^(?:if|once|after|before|assuming|say|supposing) [^,?]{3,120}, ")


# "If they come back with nothing does that mean he's safe?": a yes/no question after a leading
# condition, with or without its "?". The asking verb must come with its pronoun subject, within
# the sentence, and no wh-word may come before it ("if he breaks it what will they do" asks what,
# not whether; "When I asked she said ... he did it this morning" is an account, not a question).
_AFTER_CONDITION = re.compile(
    r"^\s*(?:(?:and|but|also|so|then|or)\s+)?(?:even\s+)?(?:if|when|once)\b"
    r"(?:(?!\b(?:what|how|where|who|whom|why|which)\b)[^.?!]){3,80}?,?\s+"
    r"(?:does|do|is|are|will|would|can|could|should|has|have)\s+(?:that|this|it|they|he|she|i|we|you)\b",
    re.I,
)


def asks_after_condition(text: str) -> bool:
    """Whether `text` asks a yes/no question after a leading condition (see _AFTER_CONDITION)."""
    return _AFTER_CONDITION.match(normalise(text)) is not None


def _start(text: str) -> str:
    start = _FILLER.sub("", normalise(text).lower().strip())
    return _FILLER.sub("", _CONDITION.sub("", start))


@functools.lru_cache(maxsize=4096)  # headings are asked about again and again
def wh_kind(text: str) -> str | None:
    """The kind of open question `text` starts with (see WH_KINDS), or None."""
    start = _start(text)
    return next((name for name, pattern in WH_KINDS if pattern.search(start)), None)


def ask_kind(text: str) -> tuple[str, bool]:
    """The kind of yes/no question `text` asks (see ASK_KIND) and whether it is asked negated."""
    low = _start(text)
    kind = next((name for name, pattern in ASK_KIND if pattern.search(low)), "other")
    return kind, FLIP.search(low) is not None


def same_ask(question: str, heading: str | None) -> bool:
    """Whether a section's own yes/no, which answers `heading`, also answers `question`."""
    return heading is not None and ask_kind(question) == ask_kind(heading)


_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"twenty-(?:one|four|six|eight)|thirty|forty|seventy-two|a few|several)"
)
_SPAN = rf"\b{_NUMBER}[- ](?:working[- ]|calendar[- ]|business[- ])?(?:hours?|days?|weeks?|months?|years?)\b"
# What a sentence holds when it answers a narrow question: a length of time for "how long", a
# time or deadline for "when", a rate for "how often", a sum for "how much". An adviser asked "How
# long can police protection last?" says "72 hours" first, even where the section that answers
# it opens on what police protection is (dev dl7-20 lost the 72 hours from its third sentence).
KIND_FACTS: dict[str, re.Pattern[str]] = {
    "duration": re.compile(
        rf"{_SPAN}|\bno (?:set |fixed |legal |statutory |maximum )?(?:time[- ])?limit\b|\bindefinitely\b",
        re.I,
    ),
    "time": re.compile(rf"{_SPAN}|\bwithin\b|\bno (?:set |fixed |national )?(?:timescale|deadline|time[- ]limit)\b", re.I),
    "frequency": re.compile(
        rf"\bevery\b|\bat least (?:once|every)\b|\b(?:weekly|fortnightly|monthly|daily|yearly|annually)\b|\b{_NUMBER} times\b",
        re.I,
    ),
    "amount": re.compile(r"£\s?\d|\bfree\b|\bno charge\b|\bmeans[- ]test", re.I),
}


def kind_fact(question: str, heading: str | None) -> re.Pattern[str] | None:
    """What the answer to a narrow question must hold (see KIND_FACTS), when the section's heading
    asks another kind of question (its opening then answers the heading, not the question)."""
    kind = wh_kind(question)
    if kind is None or kind not in KIND_FACTS or wh_kind(heading or "") == kind:
        return None
    return KIND_FACTS[kind]
