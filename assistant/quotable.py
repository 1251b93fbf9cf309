"""Which sentences of a passage may be quoted, and in what order: whole sentences from the
opening, never a fragment, never a Q&A reply's words of kindness to its own poster, a list with
its introduction or not at all, nothing the answer has already said. Split from the answerer
(assistant/answering.py), which decides which sections a part quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.text import sentence_spans, tokens, word_count
from assistant.types import Chunk

LEAD_IN = re.compile(r"^(?:In short:\s*)")
YES_NO_LEAD = re.compile(
    r"^(?:(?:Often|Usually|Generally|Normally|Mostly|Sometimes|Probably),? )?(?:Yes|No)(?:[.!;]\s+|,\s+)"
    r"|^Not (?:always|usually|necessarily|normally|automatically|straight away|on its own|by itself)[.,]\s+"
    r"|^(?:Often|Usually|Generally|Normally|Mostly|Sometimes|Probably|It depends|Not always)[.!]\s+",
    re.I,
)
# Q&A replies open with kindness to the poster; that is not a fact to cite to someone else.
SYMPATHY = re.compile(
    r"\b(?:(?:it is|it's|that is|that's) (?:a )?(?:very |really |completely |entirely )?(?:common|normal|natural|understandable)"
    r"|(?:i am|i'm|we are|we're) (?:so |very |really )?sorry|must (?:be|feel) (?:very |really |so )?(?:hard|difficult|frightening|scary|awful)"
    r"|sign of how much you care|you are not alone|you're not alone|thank you for (?:asking|sharing|posting)"
    r"|sounds (?:very |really |so )?(?:hard|difficult|frightening|stressful)|feeling (?:as if|like) you"
    r"|(?:is|are|was) (?:exactly |absolutely )?the right (?:thing|step|starting point|place to start|question)"
    r"|(?:it is|it's) (?:good|great|brave|wise) (?:that|of you|to ask)|well done|you(?:'re| are) doing the right"
    r"|(?:is|are) a lot to (?:carry|take in|deal with|cope with|process|handle)|(?:is|are) a good sign"
    r"|shows? how much you|one of the hardest|understandabl[ey]|makes sense to (?:feel|worry|want)"
    r"|natural to (?:feel|worry|want)|(?:is|are) (?:so |very |really )?hard to hear|you have done nothing wrong"
    r"|not (?:a |an )?(?:daft|silly|stupid|odd|strange) question|(?:is|was) (?:a )?(?:sensible|wise|fair|good) (?:question|idea|thing to (?:ask|do|check))"
    r"|(?:is|was) (?:very |really |completely )?sensible|took (?:real )?courage|(?:is|was) a real achievement"
    r"|(?:is|are) (?:so |very |really )?frustrating|the right instinct"
    # "Four months of not knowing where you stand is hard, especially with three changes of
    # social worker" (a reply to one poster, read out to another parent as a cited fact: dev dl14-03)
    # (only as the sentence's own opening clause: "Samaritans (116 123) are available if grief or
    # stress feels overwhelming, and your GP can help" is a signpost)
    r"|^[^,;:()\d]{0,120}?\b(?:is|are|was|were|feels?|can feel|can be) (?:so |very |really |deeply |incredibly |understandably )?"
    r"(?:hard|frightening|upsetting|exhausting|scary|distressing|painful|awful|horrible|stressful|worrying|"
    r"overwhelming|bewildering|confusing|unsettling|isolating|draining|heartbreaking),"
    r" (?:and|especially|so)\b)\b",
    re.I,
)
MIN_SENTENCE_WORDS = 4
MAX_SENTENCE_WORDS = 80
# A sentence whose content words are mostly (more than this share) already in the answer says
# nothing new ("A parent cannot be forced to sign" after "Nobody can force a parent to sign").
REPEAT_SHARE = 0.6
# An opening sentence of a later part is skipped as said before only when nearly all its content
# words (more than this share: in effect all of them) are in the earlier parts: a long answer's earlier parts cover many
# words, and REPEAT_SHARE's 0.6 would drop sentences that say something new in familiar words.
SAID_BEFORE_SHARE = 0.95

def opening_sentences(chunk: Chunk, keep_yes_no: bool, budget_words: int) -> list[tuple[int, int]]:
    """The section's first sentences, whole and in order, up to about `budget_words`.

    A list is taken with its introduction or not at all, and a sentence that would start in
    the middle (lower case after a dropped "No,") is skipped, never shown as a fragment.
    """
    chosen: list[tuple[int, int]] = []
    words = 0
    spans = sentence_spans(chunk.text)
    i = 0
    while i < len(spans):
        s, e = spans[i]
        lead = LEAD_IN.match(chunk.text[s:e])
        if lead:
            s += lead.end()
        yn = YES_NO_LEAD.match(chunk.text[s:e])
        if yn and not keep_yes_no:
            s += yn.end()
        sentence = chunk.text[s:e].rstrip()
        n = word_count(sentence)
        i += 1
        if sentence.endswith(":"):
            items = []
            while i < len(spans) and is_item(chunk.text, spans[i]):
                items.append(spans[i])
                i += 1
            block = n + sum(word_count(chunk.text[a:b]) for a, b in items)
            if not items or (chosen and words + block > budget_words + 15):
                break
            chosen.append((s, e))
            chosen.extend(items)
            words += block
            continue
        if not sentence or not (sentence[0].isupper() or sentence[0].isdigit()):
            continue  # never open on a fragment
        if n < MIN_SENTENCE_WORDS or n > MAX_SENTENCE_WORDS or sentence.endswith("?"):
            continue
        if SYMPATHY.search(sentence):
            continue
        if chosen and words + n > budget_words:
            break
        chosen.append((s, e))
        words += n
        if words >= budget_words:
            break
    return chosen


def unsaid(
    chunk: Chunk, spans: list[tuple[int, int]], new: Callable[[Chunk, int, int], bool]
) -> list[tuple[int, int]]:
    """The spans that say something `new`, a list kept whole with its introduction or dropped with
    it: leaving out the items an earlier part named showed "Common outcomes are: no further
    action; help from early help; Parents should be told the outcome." (dev dl14-03)."""
    kept: list[tuple[int, int]] = []
    lead_kept = True
    for s, e in spans:
        if is_item(chunk.text, (s, e)):
            if lead_kept:
                kept.append((s, e))
            continue
        lead_kept = new(chunk, s, e)
        if lead_kept:
            kept.append((s, e))
    return kept


def is_item(text: str, span: tuple[int, int]) -> bool:
    """A list item: the line it sits on starts with a list mark."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    # Up to the sentence's end: a numbered item's sentence starts with its own "1." (a bullet's
    # starts after the "- "), and a numbered list read as no list left the section unquotable.
    return bool(re.match(r"\s*(?:[-*+]|\d+[.)])\s", text[line_start : span[1]]))


def new_sentences(
    chunk: Chunk, spans: list[tuple[int, int]], covered: set[str]
) -> list[tuple[int, int]]:
    """The spans that say something `covered` (the answer's words so far, updated) does not. A
    list's introduction ("These points help:") is kept only with at least one of its items, and
    an item never without its introduction (dev dl12-08 ended a part on "These points help [3]:"
    when every item repeated the answer)."""
    kept: list[tuple[int, int]] = []
    lead: tuple[int, int] | None = None  # an introduction waiting for an item
    lead_out = False  # the current list's introduction was left out: its items go too
    for span in spans:
        toks = set(tokens(chunk.text[span[0] : span[1]]))
        if is_item(chunk.text, span):
            if lead_out or not toks or repeats(toks, covered):
                continue
            if lead is not None:
                kept.append(lead)
                covered |= set(tokens(chunk.text[lead[0] : lead[1]]))
                lead = None
        else:
            lead = None
            lead_out = not toks or repeats(toks, covered)
            if lead_out:
                continue
            if chunk.text[span[0] : span[1]].rstrip().endswith(":"):
                lead = span
                continue
        kept.append(span)
        covered |= toks
    return kept


def repeats(toks: set[str], covered: set[str]) -> bool:
    """A sentence whose words are mostly in the answer already says nothing new, unless it
    brings a number the answer lacks ("A stage 3 review panel must meet within 30 working days"
    after a passage on asking for the panel shares most words but adds the timescale asked for)."""
    if any(t.isdigit() and t not in covered for t in toks):
        return False
    return len(toks & covered) / max(len(toks), 1) > REPEAT_SHARE


def said_before(sentence: str, earlier: set[str]) -> bool:
    """A sentence an earlier part of the answer already said in nearly the same words (a Q&A
    reply's "Any person with parental responsibility may remove a child from section 20..."
    after the guidance note's own): the part moves on to what it adds (dev dl4-06)."""
    toks = set(tokens(sentence)) - _MODALS
    if not earlier or any(t.isdigit() and t not in earlier for t in toks):
        return False
    return len(toks & earlier) / max(len(toks), 1) > SAID_BEFORE_SHARE


# "may remove" says what "can remove" said: modal verbs do not make a sentence new.
_MODALS = frozenset({"may", "might", "must", "should", "would", "could", "will", "shall"})
