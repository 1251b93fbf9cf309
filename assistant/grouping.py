"""Which of a long post's questions are one question: a quick follow-up goes with the one before.

A parent often asks in bursts: "How often are core groups? Is the first one soon? Do I have to go
to all of them?" and, three paragraphs later, the question that matters just as much ("can I see
my records?"). With at most `max_questions` answered parts, answering the burst one sentence at a
time used every part before the later questions were reached (in new long posts written for the
dev set, evals/dev_long2.jsonl, this was the commonest reason a question went unanswered). So,
only when a post asks more than the limit, a short question asked straight after another, with
no statement between and no new process term, is answered in the same part as the one before.
"""

from __future__ import annotations

import re
from typing import TypeVar

from assistant.honesty import needs_individual_advice
from assistant.reading_rules import ReadingRules
from assistant.text import word_count
from assistant.topics import topic_in

T = TypeVar("T")

# "Is the first one soon?", "Would he have to be there?", "Do I have to go to all of them?": a
# question this short, right after another, elaborates it. Longer ones usually ask something new.
FOLLOW_UP_WORDS = 10
# ...and one that opens by saying it puts the last one another way ("Is it a legal document?
# Like could I be taken to court for breaking it, or is it more of a promise?": dev dl11-09),
# however long.
_CLARIFIES = re.compile(r"^\W*(?:like|i mean|as in|in other words|basically|so basically)\b", re.I)
# Failing that, a question about the same named process as the one before, at most this many
# sentences after it (a line of background between them), joins it too.
SAME_TOPIC_GAP = 3
# A listed item's (or a burst's) questions are restated together up to this many words (message.py).
# Questions already joined join the part before them in the same paragraph only straight after it
# (dev dl11-08 joined "They keep mentioning his IRO. Who is that?" to its section 20 questions and
# lost the section 20 answer) and while all of them fit this length: a burst of short questions
# about one thing, not two topics in one paragraph.
UNIT_ASK_WORDS = 30
# Two asks for a prediction this close ("are they going to take my kids? ... I need to know what
# my chances are") get one honest answer: they are one part before two unrelated questions asked
# one after the other are (dev dl21-06 answered "how long does court go on for?" inside its legal
# aid part, searched with legal aid).
PREDICTION_GAP = 5
# "And my main question - could I be assessed...?" after two questions already asked says which
# question matters most, not where the questions start (dev dl16-03 lost its strategy discussion and
# section 47 questions to it), and it is a part of its own, never merged into the question before.
MAIN_QUESTION = re.compile(r"\b(?:my|our) (?:main|biggest|most important|big) question\b", re.I)
# "my other question is if it comes back NFA does he just move back in?" says in so many words that
# a new question starts: it stays a part of its own too (dev dl19-01 merged it into the RUI question
# before it and answered only that one).
OWN_QUESTION = re.compile(
    MAIN_QUESTION.pattern
    + r"|\b(?:my|our|the) (?:other|second|third|next|final|last|other main) question\b"
    + r"|\b(?:another|one more|a second|a separate|a different) question\b"
    # "And last, can he complain about a conference decision from back then?" (dev dl19-14)
    + r"|^\W*(?:and |oh and |also )?(?:last(?:ly)?|finally|and one last thing)\b\W",
    re.I,
)


def merge_follow_ups(
    found: list[tuple[int, str]], groups: list[list[T]], rules: ReadingRules,
    resolved: list[str] | None = None, long_post: bool = False, main: frozenset[int] = frozenset(),
    continues: frozenset[int] = frozenset(), paragraphs: tuple[int, ...] = (),
) -> list[list[T]]:
    """`groups[k]` holds the question `found[k]` = (index of its sentence, text). While there are
    more groups than the limit, the shortest quick follow-up joins the question before it; the
    rest stay parts of their own (so the answer still takes each question in turn where it can).
    `resolved[k]`, when given, is question k with what it points back to filled in ("can it just
    go on" -> "can the s47 just go on"), so a pronoun follow-up shows its process too. `main` holds
    the questions the parent called their main one (see MAIN_QUESTION), which stay parts of their own;
    `continues` the pieces that carry on the sentence of the piece before them; `paragraphs[i]` the
    paragraph piece i is in."""
    if len(groups) <= rules.max_questions:
        return groups
    named = [topic_in(q, rules, pointable=True) for q in (resolved or [q for _, q in found])]
    topics = [n[1] if n else None for n in named]
    # Each working group: (its questions' positions in `found`, its members).
    work: list[tuple[list[int], list[T]]] = [([k], list(g)) for k, g in enumerate(groups)]

    def follows(j: int) -> bool:
        (ks, _), (prev, _) = work[j], work[j - 1]
        k = ks[0]
        gap = found[k][0] - found[prev[-1]][0]
        return (
            len(ks) == 1
            # straight after, or after only the first half of its own sentence ("Is this actually
            # private fostering? It's only been three weeks so far, does it count yet?": dev
            # dl20-06 answered the two as two parts and left out its last question)
            and (gap == 1 or (gap == 2 and found[k][0] in continues))
            and (
                (word_count(found[k][1]) <= FOLLOW_UP_WORDS and topics[k] in (None, topics[prev[0]]))
                or _CLARIFIES.match(found[k][1]) is not None
            )
        )

    def same_topic(j: int) -> bool:
        # "How long is a s47 supposed to take? Is there a deadline or can s47 just go on as long
        # as the police one does?": asked straight after, about the same named process.
        (ks, _), (prev, _) = work[j], work[j - 1]
        k = ks[0]
        return (
            len(ks) == 1
            and found[k][0] - found[prev[-1]][0] <= SAME_TOPIC_GAP
            and topics[k] is not None
            and topics[k] == topics[prev[0]]
        )

    def adjacent(j: int) -> bool:
        # Failing both, two questions asked straight after each other ("Is that allowed or will
        # they think I'm being difficult? Can I have my mum AND a solicitor there or is it one or
        # the other?") are one part before a later question goes unanswered (dev dl11-01 left out
        # its last question, where to get support).
        # A question that carries on the sentence before it joins that sentence's part however many
        # it already holds ("How does someone get approved as a supervisor? Do they have to do a
        # course, will they be told what I'm accused of, is there some kind of check?": dev dl19-07
        # answered those as two parts and left out its last question, what happens if the
        # agreement is broken).
        (ks, _), (prev, _) = work[j], work[j - 1]
        return (
            len(ks) == 1
            and (len(prev) == 1 or found[ks[0]][0] in continues)
            and found[ks[0]][0] == found[prev[-1]][0] + 1
        )

    def same_paragraph(j: int) -> bool:
        # "Can I get someone on my side? Everyone in these meetings works for the council. Is there
        # anyone independent who can come with me?": one paragraph, one thing asked twice, with a
        # line of background between (dev dl21-19 answered it as two parts and left out its last
        # question, how to complain).
        # A burst already joined counts as one question here ("How do they decide if he goes on a
        # plan? Is it a vote? Does the chair decide or the social worker? Do I get a say?" read as
        # two parts of two, and dev dl18-09 left out its last question, how to challenge the plan).
        # Only while the joined questions still fit one restated ask: dev dl19-14 joined "what if
        # they say it's the social worker's opinion?" (records) with "how does the complaints
        # process work? how long does each stage take?" and answered neither.
        (ks, _), (prev, _) = work[j], work[j - 1]
        k, last = found[ks[0]][0], found[prev[-1]][0]
        fits = k == last + 1 and sum(word_count(found[x][1]) for x in [*prev, *ks]) <= UNIT_ASK_WORDS
        return (
            (len(ks) == 1 or fits)
            and k - last <= SAME_TOPIC_GAP
            and max(k, last) < len(paragraphs)
            and paragraphs[k] == paragraphs[last]
        )

    def both_predictions(j: int) -> bool:
        (ks, _), (prev, _) = work[j], work[j - 1]
        return (
            len(ks) == 1
            and found[ks[0]][0] - found[prev[-1]][0] <= PREDICTION_GAP
            and needs_individual_advice(found[ks[0]][1])
            and needs_individual_advice(found[prev[-1]][1])
        )

    def own_part(j: int) -> bool:
        return work[j][0][0] in main

    while len(work) > rules.max_questions:
        candidates = [j for j in range(1, len(work)) if follows(j) and not own_part(j)]
        if not candidates:
            candidates = [j for j in range(1, len(work)) if same_topic(j) and not own_part(j)]
        if not candidates and long_post:
            candidates = [j for j in range(1, len(work)) if same_paragraph(j) and not own_part(j)]
        if not candidates:
            candidates = [j for j in range(1, len(work)) if both_predictions(j) and not own_part(j)]
        if not candidates and long_post:
            # (in a long post only: five unrelated one-line questions keep four parts and say one
            # was left out, rather than answer two in one part)
            candidates = [j for j in range(1, len(work)) if adjacent(j) and not own_part(j)]
        if not candidates:
            break
        # A question that carries on the sentence before it joins first ("What are the categories,
        # and would it have to be sexual abuse...? Is there any flexibility there?": dev dl21-02
        # joined the last two and left out the third part), then the shortest.
        def order(c: int) -> tuple[bool, int, int]:
            piece, text = found[work[c][0][0]]
            return (piece not in continues, word_count(text), c)

        j = min(candidates, key=order)
        ks, members = work.pop(j)
        work[j - 1][0].extend(ks)
        work[j - 1][1].extend(members)
    return [members for _, members in work]


def after_marker(
    found: list[tuple[int, str]], pieces: list[tuple[str, int | None]], rules: ReadingRules,
) -> list[tuple[int, str]]:
    """A post that asks more than the limit and says where its questions start ("So my questions:
    First, ... Second, ...") is asking those: a question in the story before it ("Was he on his
    phone more? Was he more distant?") gives way, where it took the place of one she asked (dev
    dl5-01 lost "will he go to prison?" to it)."""
    if len(found) <= rules.max_questions:
        return found
    # A marker inside a listed item after the list's first ("4. I suppose what I really want to
    # know is - will he ever be allowed home?") marks that item, not where the questions start:
    # read as the start, it dropped the three items above it (dev dl9-11).
    first_item = next((item for _, item in pieces if item is not None), None)
    marks = [
        i for i, (piece, item) in enumerate(pieces)
        if rules.questions_marker.search(piece) and item in (None, first_item) and not MAIN_QUESTION.search(piece)
    ]
    for m in reversed(marks):
        after = [(i, q) for i, q in found if i >= m]
        if after:
            return after
    return found
