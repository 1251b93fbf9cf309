"""The message reader: a parent's message -> the situation and the questions asked, in order.

Pure and rule-based (the rules are data in assistant/data/reading.yaml): text pasted twice is
removed, markup is dropped, explicit "?" sentences and indirect asks ("my question is...", "any
advice on...", "does anyone know if...") become questions, compound questions are split, and a
question that points back ("how do I get *this* reviewed") gets the topic it points to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.grouping import OWN_QUESTION, UNIT_ASK_WORDS, after_marker, merge_follow_ups
from assistant.listed_items import (
    item_notes,
    list_fences,
    segments,
    title_pieces,
)
from assistant.message_cleaning import clean, remove_duplicates
from assistant.names import as_roles, people
from assistant.nearby import nearest_statements
from assistant.question_kinds import wh_kind
from assistant.reading_rules import ReadingRules, load_rules
from assistant.restating import claim_asked, is_which_claim, restate, with_its_sentence
from assistant.search_text import (
    NEAR_WORDS,
    getting_pr,
    last_words,
    leans_on_previous,
    next_stage,
    pr_status,
    review_kind,
    search_text,
)
from assistant.sentence_asks import (
    MIN_QUESTION_WORDS,
    as_question,
    is_rhetorical,
    lead_in,
    split_compound,
)
from assistant.text import sentences, tokens, word_count
from assistant.topics import resolve, topic_in

# load_rules and ReadingRules are part of the reader's interface (re-exported).
__all__ = [
    "Question",
    "ReadMessage",
    "ReadingRules",
    "asks_what_to_do_now",
    "clean",
    "load_rules",
    "read_message",
    "remove_duplicates",
]

SHORT_MESSAGE_WORDS = 40  # a message this short with no question mark is itself the question
SAME_QUESTION = 0.8  # token overlap above which two questions are the same question
LIST_MIN_ITEMS = 2  # two listed items that ask something make a list of questions, not a stray bullet
LONG_POST_WORDS = 150  # a post this long is read as background then questions (see grouping.py)
TITLE_GIVES_WAY_TO = 2  # questions in the body, at least, for the title's own questions to be dropped


@dataclass(frozen=True)
class Question:
    """One question found in a message."""

    text: str  # as written (cleaned of markup)
    ask: str  # restated plainly: lead-in dropped, pointer resolved, capitalised, with "?"
    search: str  # what retrieval reads: the restated question plus the topic it points to
    topic: str | None = None  # the process term it points back to, when it had none of its own
    context: str = ""  # the statements nearest it in the post ("if it's her we don't answer...")
    # The quick follow-ups answered in this part (see assistant/grouping.py), each (ask, search):
    # "How do I make a formal complaint? How long do they have to answer?" asks two things.
    follow_ups: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReadMessage:
    original: str
    cleaned: str
    situation: str
    questions: tuple[Question, ...]
    left_out: int = 0  # questions beyond the limit, not answered
    duplicates_removed: int = 0
    distressed: bool = False
    rhetorical: tuple[str, ...] = ()


def read_message(message: str, rules: ReadingRules | None = None) -> ReadMessage:
    """Split a message into the situation and at most `max_questions` questions, in order.

    When the parent lists their questions ("1) ... 2) ..." or bullets), each listed item is one
    question however many sentences it asks in ("Is it binding? Like, is it a court order?"), and
    the list comes before questions asked in passing elsewhere in the post: an adviser answers
    the list the parent wrote out.
    """
    rules = rules or load_rules()
    cleaned = clean(message)
    text, removed = remove_duplicates(cleaned)
    # the paragraph each line of the text is in (segments() yields one piece per line, in order)
    line_paragraph = [n for n, para in enumerate(re.split(r"\n\s*\n", text)) for _ in para.splitlines()]
    split = [
        (piece, item, k > 0, line_paragraph[j] if j < len(line_paragraph) else 0)
        for j, (segment, item) in enumerate(segments(text))
        for sentence in sentences(segment, loose=True)
        for k, piece in enumerate(split_compound(sentence, rules))
    ]
    pieces = [(piece, item) for piece, item, _, _ in split]
    # Pieces that carry on the sentence of the piece before ("Do they have to do a course, will
    # they be told what I'm accused of, is there some kind of check?").
    continues = frozenset(i for i, (_, _, more, _) in enumerate(split) if more)
    paragraphs = tuple(para for *_, para in split)
    found: list[tuple[int, str]] = []  # (index into pieces, the question in it)
    situation: list[str] = []
    rhetorical: list[str] = []
    for i, (piece, _) in enumerate(pieces):
        q = as_question(piece, rules)
        if q is None or word_count(q) < MIN_QUESTION_WORDS:
            situation.append(piece)
        elif is_rhetorical(q, rules):
            rhetorical.append(piece)
        else:
            found.append((i, q))
    kept = after_marker(found, pieces, rules)
    given_way = len(found) - len(kept)  # counted as left out, so the answer says there were more
    found = kept
    flat = " ".join(situation)
    if not found and word_count(text) and (word_count(text) <= SHORT_MESSAGE_WORDS or not situation):
        return _read(message, text, removed, "", [[(text, "", "", "")]], rules, rhetorical)
    if not found and situation and word_count(text):
        # A long post with no question at all: the last sentence is what they ended on.
        return _read(message, text, removed, flat, [[(situation[-1], " ".join(situation[:-1]), "", "")]], rules, rhetorical)
    titled = title_pieces(text, pieces)
    if len([i for i, _ in found if i not in titled]) >= TITLE_GIVES_WAY_TO:
        # A post's title line ("Want my SS file + can I record core groups? Also some stuff in
        # reports is just wrong") names what the post then asks: the title's questions are not
        # asked again (dev dl11-16 and dl11-05, where the title took a listed question's place, and
        # dl11-11, whose title "do we have any say?" pushed out the post's last question).
        found = [(i, q) for i, q in found if i not in titled]
    asked = {i for i, _ in found}
    context = [
        (
            q,
            " ".join([*(p for p, _ in pieces[:i]), lead_in(pieces[i][0], rules)]).strip(),
            " ".join(p for p, _ in pieces[i + 1 :]),
            nearest_statements(pieces, asked, i),
        )
        for i, q in found
    ]
    listed = {pieces[i][1] for i, _ in found} - {None}
    if len(listed) < LIST_MIN_ITEMS:
        resolved = [resolve(q, before, rules, after)[0] for q, before, after, _ in context]
        main = frozenset(k for k, (i, _) in enumerate(found) if OWN_QUESTION.search(pieces[i][0]))
        groups = merge_follow_ups(
            found, [[c] for c in context], rules, resolved, long_post=word_count(text) >= LONG_POST_WORDS, main=main,
            continues=continues, paragraphs=paragraphs,
        )
        return _read(message, text, removed, flat, groups, rules, rhetorical, dropped=given_way)
    units: dict[tuple[str, int], list[tuple[str, str, str, str]]] = {}
    for (i, _), c in zip(found, context, strict=True):
        item = pieces[i][1]
        units.setdefault(("item", item) if item is not None else ("aside", i), []).append(c)
    # An indirect ask in the story before the list ("I don't know if that's true or just gossip,
    # but it's made me feel sick") is background to the questions the parent then listed (dev
    # dl11-17 answered it first); a question with "?" there still counts as one asked in passing.
    first_item = min((i for i, (_, item) in enumerate(pieces) if item is not None), default=len(pieces))
    for key in [k for k in units if k[0] == "aside" and k[1] < first_item and "?" not in pieces[k[1]][0]]:
        del units[key]
    groups = list(units.values())
    fences = list_fences(pieces, found, context)
    notes = item_notes(pieces, found)
    asides = [g for key, g in units.items() if key[0] == "aside"]
    while len(groups) > rules.max_questions and asides:
        groups.remove(asides.pop())  # a question in passing gives way to one the parent listed
    return _read(
        message, text, removed, flat, groups, rules, rhetorical,
        dropped=given_way + len(units) - len(groups), fences=fences, notes=notes,
    )


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|we|me|us|my|our)\b", re.I)


def _read(
    message: str,
    text: str,
    removed: int,
    situation: str,
    groups: list[list[tuple[str, str, str, str]]],
    rules: ReadingRules,
    rhetorical: list[str],
    dropped: int = 0,
    fences: dict[str, tuple[int, int]] | None = None,
    notes: dict[str, str] | None = None,
) -> ReadMessage:
    """The ReadMessage for `groups` of (question, text before it, text after it, the statement
    nearest it): each group is one question to answer (a listed item may hold several)."""
    questions: list[Question] = []
    role = next((name for name, p in rules.writer_roles if p.search(text)), None)
    named = people(text)
    for group in groups:
        asks: list[str] = []
        searches: list[str] = []
        texts: list[str] = []
        topic: str | None = None
        context = group[0][3]
        if len(questions) == rules.max_questions:
            dropped += 1  # counted, not read: a 3,000-word post may ask forty things
            continue
        for q, before, after, near in group:
            resolved, pointed, distance = resolve(q, before, rules, after)
            fence, note = (fences or {}).get(q), (notes or {}).get(q)
            if pointed is not None and fence and note and (distance is None or distance > fence[0]):
                # "(4) ... a mum wants a copy of everything children's services hold on her. What's the
                # legal timescale for the council to provide it?": "it" is what its own item set up,
                # not the Ombudsman named in item 3 (dev dl11-07); the item's words go to the search.
                resolved, pointed, distance = q, None, None
            claim = claim_asked(q, before) if len(groups) > 1 else None
            if claim is not None:
                # "... he lost them when he was convicted'. Is that true?" (dev dl11-05). Not in a
                # message with one question, whose search reads all the statements before it ("signed
                # s20 for DS... SW says i have to 'wait for a planning meeting'. is that right??":
                # read as a claim, dev d4-046 lost the section 20 it was about). A pointer in the
                # claim stands for what the post named before it: "my brother reckons it's basically
                # a court order and I could be arrested if I break it. That doesn't sound right?"
                # is about the written agreement (dev dl12-05 was told "It is a crime" from the
                # non-molestation order section).
                said = before.strip()
                claimed = sentences(said, loose=True)
                earlier = said[: len(said) - len(claimed[-1])] if claimed else ""
                resolved, pointed, distance = resolve(claim, earlier, rules)[0], None, None
                where = topic_in(claimed[-1], rules) if claimed else None
                if where is not None and topic_in(resolved, rules) is None:
                    # "When it was early help, the worker said it was up to me whether I took part.
                    # Was that true?": the process named in the sentence is what the claim is about,
                    # though the reporting words are dropped from the restated claim (dev dl21-19
                    # searched without it and was told about section 47 consent).
                    pointed, distance = where[1], 0
            ask = restate(resolved)
            read_already = texts + ([questions[-1].text] if questions else [])
            if claim is None and pointed is None and len(groups) > 1 and not any(
                before.rstrip().endswith(t.strip()) for t in read_already if t.strip()
            ):
                # (not when the statement before is itself an ask already read: "I don't know what
                # happens to the plan now. Does it just follow us?" would repeat it, dev dl18-06)
                ask = with_its_sentence(ask, before, names_process=topic_in(ask, rules) is not None)
            asks.append(ask)
            texts.append(q)
            search = search_text(
                q, ask, before, near, pointed, distance, rules, single=len(groups) == 1,
                fence=(fences or {}).get(q), after=after,
            )
            spell, status = pr_status(ask, before, after, rules)
            if getting_pr(ask, after):
                search, pointed = ask, None  # the father's own question, not the post's status
            if status is not None:
                # A question about PR in a post about a legal status asks about PR under it, not
                # about the process its pronoun pointed at ("me or them?" after a contact centre).
                if pointed not in rules.pr_statuses:
                    search, pointed = ask, status
                search = search if status in search.lower() else f"{search} ({status})"
            if spell:
                search = f"{search} (parental responsibility)"
            review = review_kind(ask, before, rules)
            if review is not None:
                search = f"{search} ({review})"
            stage = next_stage(q, before)
            if stage is not None:
                search = f"{search} ({stage})"
            if role and _FIRST_PERSON.search(q) and role not in search.lower():
                search = f"{search} ({role})"
            previous = asks[-2] if len(asks) > 1 else (questions[-1].ask if questions else None)
            if pointed is None and previous and (leans_on_previous(q, ask, rules) or is_which_claim(ask)):
                # "How do I ask for a stage 3 panel, and when will it meet?": "it" is the panel,
                # which the question before named (read alone, "when will it meet" found core
                # group timings). "Which is right: a friend said we have rights, another said we've
                # got none?" weighs two answers to the question before it (dev dl11-11 was answered
                # about section 20 from "rights after the Children Act").
                search = f"{search} ({previous})"
            if note and last_words(note, NEAR_WORDS) not in search:
                search = f"{search} ({last_words(note, NEAR_WORDS)})"
            searches.append(as_roles(search, named))
            topic = topic or pointed
        ask = asks[0]
        for more in asks[1:]:
            if word_count(ask) + word_count(more) > UNIT_ASK_WORDS:
                break
            ask = f"{ask} {more}"
        if any(_same_question(ask, other.ask) for other in questions):
            continue
        questions.append(
            Question(
                text=" ".join(texts), ask=ask, search=" ".join(searches), topic=topic, context=context,
                follow_ups=tuple(zip(asks[1:], searches[1:], strict=True)),
            )
        )
    return ReadMessage(
        original=message,
        cleaned=text,
        situation=situation,
        questions=tuple(questions),
        left_out=dropped,
        duplicates_removed=removed,
        distressed=bool(rules.distress.search(text)),
        rhetorical=tuple(rhetorical),
    )


def asks_what_to_do_now(question: str, rules: ReadingRules | None = None) -> bool:
    """ "What do I do?", "do I ring the police or the SW?": in an emergency, the 999 guidance is
    the answer, not a passage about plans."""
    rules = rules or load_rules()
    return rules.act_now.search(restate(question)) is not None


def _same_question(a: str, b: str) -> bool:
    """Two asks are one question (pasted twice, or asked again in other words) when their words
    overlap and they ask the same kind of thing: "What is an SHPO? What can it include?" share
    every content word once "it" is resolved, yet ask two things."""
    return _overlap(set(tokens(a)), set(tokens(b))) >= SAME_QUESTION and wh_kind(a) == wh_kind(b)


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
