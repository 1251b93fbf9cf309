"""What one sentence of a message asks: compound questions split, the question in a sentence
with its lead-in dropped ("my question is...", "any advice on..."), the background an indirect ask
opens with, and sentences that ask nothing (an introduction to the questions, a feeling). Split from
the message reader (assistant/message.py), which reads the whole message."""

from __future__ import annotations

import re

from assistant.question_kinds import asks_after_condition
from assistant.reading_rules import ReadingRules
from assistant.restating import invert
from assistant.text import word_count

MIN_QUESTION_WORDS = 2  # "why??" alone asks nothing we can search for
INTRO_WORDS = 8  # a short line ending in ":" introduces what follows


def split_compound(sentence: str, rules: ReadingRules) -> list[str]:
    pieces: list[str] = []
    rest = sentence
    joined = False  # the first split was at "and"/"also"/"plus": the first piece is coordinated
    while True:
        for m in rules.compound_split.finditer(rest):
            left, right = rest[: m.start()].strip(), rest[m.end() :].strip()
            if _CONDITION.match(left) and not re.search(r"[?,]", left):
                continue  # "If I call Stop It Now, will they report me?" is one question
            if _BETWEEN.search(left) and _JOINED.match(m.group(0).strip()):
                continue  # "the difference between early help and what's happening now" (dl10-17)
            if word_count(left) >= 3 and word_count(right) >= 3:
                if not pieces:
                    joined = _JOINED.search(m.group(0)) is not None
                pieces.append(left if m.group(0).strip() != "?" else left + "?")
                rest = right
                break
        else:
            pieces.append(rest.strip())
            pieces = [p for p in pieces if p]
            asked = sentence.rstrip().endswith("?")
            first_asks = rules.opening.match(_CONDITION_CLAUSE.sub("", pieces[0])) is not None or (asked and joined)
            if len(pieces) > 1 and joined and not (asked or first_asks):
                # "I have the kids most weekends and do the school run twice a week." tells; the
                # piece after "and" is no question of its own (dev dl16-20 asked "Do the school
                # run twice a week?").
                return [sentence.strip()]
            if len(pieces) > 1 and (asked or first_asks):
                # "what actually happens at it and who decides if she goes on a CPP??": a piece
                # split off a question starts with its question word, so it asks too; the first
                # piece asks if it opens like a question or is joined by "and" to the rest of a
                # question ("Who decides it, and can it be changed?"), not after a bare comma
                # ("We got a letter saying pre proceedings, do we get legal aid?").
                pieces = [
                    p if p.endswith("?") or (i == 0 and not first_asks) else f"{p}?"
                    for i, p in enumerate(pieces)
                ]
            return pieces


_JOINED = re.compile(r"\b(?:and|also|plus)\b")
# "between" with no "and" after it yet: the next "and" joins the two things compared.
_BETWEEN = re.compile(r"\bbetween\b(?!.*\band\b)", re.I)
_CONDITION_CLAUSE = re.compile(r"^(?:if|once|after|before|assuming|supposing|unless|when|while|whilst)\b[^,?]{3,120}, ", re.I)
# ("Also if they did go to court, how long does that take?": dev dl26-11 asked "how long does that
# take?" alone and was answered about legal aid)
_CONDITION = re.compile(r"^(?:and |but |so |also |and also |ok so |oh and )?(?:if|once|after|before|assuming|supposing|unless|when|while|whilst)\b", re.I)


_WHETHER = re.compile(r"^whether\s+(?=\S)", re.I)
_PARENTHETICAL_QUERY = re.compile(r"\([^()?]{0,30}\?+\)")


def as_question(sentence: str, rules: ReadingRules) -> str | None:
    """The question in a sentence (lead-in dropped), or None if it asks nothing."""
    s = sentence.strip().strip('"').strip()
    if s.endswith(":") and word_count(s) <= INTRO_WORDS:
        return None  # "Can I ask:", "My questions are:" introduce the questions; they ask nothing
    m = _indirect(s, rules)
    if m:
        thing = (m.groupdict().get("thing") or "").replace('"', "").strip(" '")
        if thing:
            return f"what is {thing}"  # "X mentioned a LADO but I don't know what that is"
        q = (m.groupdict().get("q") or "").strip()
        if _INTRODUCES.match(q) or _WHAT_THE_LAW_SAYS.match(q):
            return None
        if (
            not q
            or word_count(q) < MIN_QUESTION_WORDS
            # (its last words: "has asked if I'd help out at the unit, and I'm wondering what
            # the LADO is" keeps no "help" from the background before the ask)
            or KEEP_LEAD_IN.search(" ".join(m.group(0)[: m.start("q")].split()[-LEAD_IN_WORDS:]))
        ):
            return s
        # ("...and I honestly don't know whether there's a set limit": asked directly, "is there a
        # set limit"; an "if" may open a condition, so only "whether" goes)
        q = invert(_WHETHER.sub("", q))
        # "(if anyone knows of) someone I can talk to" asks whether there is one.
        return f"is there {q}" if m.groupdict().get("there") is not None and _SOMEONE.match(q) else q
    if _asks_directly(s, rules):
        return s
    dash = _dash_ask(s, rules)
    return dash.group("q") if dash is not None else None


def _asks_directly(s: str, rules: ReadingRules) -> bool:
    """Whether the whole sentence is a question as written (no lead-in to drop)."""
    asks = "?" in _PARENTHETICAL_QUERY.sub("", s)  # "(s47?)" queries a word, not the sentence
    # ("if nothing comes back, does that mean he's safe" asks without its "?": dev dl13-18)
    return bool(rules.opening.match(s) or asks_after_condition(s) or (asks and not _only_reported(s)))


# A question after a dash that ends a sentence of background ("when I asked how long it takes she
# said 'as long as it needs', which didn't really help - is there actually a limit on how long they
# can take over it, because I feel like I'm holding my breath": dev dl23-02 left it out). A reason
# after it (", because ...") is no part of the question; the background before the dash is its
# lead-in (what its pronouns point back to).
_DASH_ASK = re.compile(r"\s[-\u2013\u2014]+\s+(?P<q>[^-\u2013\u2014]+?)(?:,? (?:because|as|since|cos|coz) [^?]*)?[.!]*$", re.I)
DASH_ASK_WORDS = 3  # "- is that normal" asks; a shorter tail is an aside


def _dash_ask(s: str, rules: ReadingRules) -> re.Match[str] | None:
    m = _DASH_ASK.search(s)
    if m is None or not rules.opening.match(m.group("q")) or word_count(m.group("q")) < DASH_ASK_WORDS:
        return None
    return m


# Someone else's question reported in a story ('she asked me "are you still with him?"') is
# background, not the parent's question.
_REPORTED = re.compile(
    r"\b(?:asked|asks|said|says|told|tells|texted|wrote|writes)\b[^\"?]{0,40}\"[^\"]*\?\"?", re.I
)


# What an ask that only introduces the questions asks for: "My questions are these.", "So I'd really
# like to understand a few things." (dev dl21-13 and dl21-06 asked "A few things?" and "My questions
# are these?", and dl21-06 left out its question on how long care proceedings last for it).
_INTRODUCES = re.compile(
    r"^(?:these|those|the following|as follows|below|(?:just )?(?:a few|a couple of|a couple|some|several|two|three|four|a number of|\d+)"
    r"(?: (?:more|other|quick|little|simple|basic))? (?:things|questions|points|bits|queries))\W*$",
    re.I,
)
# "...but I'd like to know what the law actually says before the meeting next week" asks the
# question before it again, in general: as a part of its own, or joined to it, its words pulled the
# search away from it (dev dl21-13 lost section 20(8) to it, dl12-15 "what the rule actually is").
# "what the law says about contact" still asks.
_WHAT_THE_LAW_SAYS = re.compile(
    r"^what (?:the )?(?:law|rules?|guidance|legal position|position)(?: (?:actually|really|exactly))? "
    r"(?:says?|is|are)\b(?!\s+(?:about|on|for|regarding|if|when|with)\b)",
    re.I,
)
_SOMEONE = re.compile(r"(?:someone|somebody|somewhere|something|anyone|anybody|anything)\b(?!\s+(?:can|could|will|would|is|has|who)\b)", re.I)


def _only_reported(sentence: str) -> bool:
    m = _REPORTED.search(sentence)
    return m is not None and "?" not in sentence[: m.start()] + sentence[m.end() :]


# Lead-ins that carry the meaning ("any advice on telling the kids") stay in the restated ask.
LEAD_IN_WORDS = 6  # the words before the question that count as its lead-in
KEEP_LEAD_IN = re.compile(
    r"\b(advice|tips|recommendations|suggestions|guidance|help|rights|options|how)\b", re.I
)
# An indirect ask's opening longer than this is a clause of background, not a lead-in like "I
# don't know" or "any advice on" (whose "that" stays the statement before: dev dl20-08's "I don't
# know how to answer that").
BACKGROUND_WORDS = 6


def _indirect(s: str, rules: ReadingRules) -> re.Match[str] | None:
    """The first indirect-ask pattern (reading.yaml) that `s` matches."""
    return next((m for p in rules.indirect if (m := p.match(s))), None)


def lead_in(piece: str, rules: ReadingRules) -> str:
    """The background an indirect ask opens with, which the restated question drops but what its
    pronouns point back to ("The SW mentioned that the temporary approval has a limit, and I'd like
    to know how long it can last": "it" is the approval)."""
    s = piece.strip().strip('"').strip()
    # the same match as_question took its question from
    m = _indirect(s, rules) or (None if _asks_directly(s, rules) else _dash_ask(s, rules))
    if m is None or not m.groupdict().get("q"):
        return ""
    lead = m.string[: m.start("q")]
    return lead if word_count(lead) > BACKGROUND_WORDS else ""


def is_rhetorical(question: str, rules: ReadingRules) -> bool:
    return any(p.match(question.strip()) for p in rules.rhetorical)
