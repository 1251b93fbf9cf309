"""What retrieval reads for one question of a message: its restated ask, plus what it leans on
(the post's topic, the statement beside it, the question before it). Split from the message
reader (assistant/message.py), which decides what the questions are."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.reading_rules import ReadingRules
from assistant.text import sentences, tokens
from assistant.topics import (
    POINTER_REACH,
    first_named,
    goes_to_court,
    last_named,
    specific,
    specific_after,
    topic_in,
)

if TYPE_CHECKING:
    from assistant.message import ReadMessage

RECENT_CHARS = 200  # a topic named this close before a question (the sentence before, about) is "recent"
BORROW_WORDS = 3  # a question with this few content words ("do we get free legal advice?") takes the post's topic
VAGUE_WORDS = 2  # a question with this few content words ("where do I start?") borrows its neighbour's
THEY_WORDS = 6  # content words at most in a "what they offer" question that borrows its subject
NEAR_WORDS = 30  # the nearest statement's last words at most, so the question's own words still weigh in the search


def search_text(
    q: str, ask: str, before: str, near: str, pointed: str | None, distance: int | None,
    rules: ReadingRules, single: bool = False, fence: tuple[int, int] | None = None,
    after: str = "",
) -> str:
    """What retrieval reads for one question: its restated ask, plus what it leans on.

    The topic borrowed from the post joins only where the question leans on it (a pronoun, or few
    words of its own): "how do I complain about the SW?" in a post about a risk assessment is about
    complaints. A topic named just before ("what happens after a CPP ends? does social care just
    stop?") is borrowed by a three-word question; one named further back, or later in the post,
    only by a pronoun or a question of two words or fewer ("is there help getting dental
    appointments?" in a CP plan post is about dentists). A topic named in an earlier item of a
    list the parent wrote is never recent.
    """
    own = len(tokens(ask))
    own_topic = topic_in(ask, rules)
    named = topic_in(q, rules)  # before a pointer was replaced
    said = said_just_before(q, before, rules)
    if said is not None:
        return f"{ask} ({last_words(said, NEAR_WORDS)})"
    if pointed is not None and own_topic is not None and own_topic[1] in rules.stage_dependent:
        return f"{ask} ({pointed})"  # legal aid at the stage the post is at (see topics.resolve)
    if pointed is not None:
        # A topic named only in another item of the parent's numbered list (`fence`: how far back
        # the question's own item starts, and where the list starts) is not recent: "3. They've cut
        # contact... 4. How does my mum get herself assessed to have the kids?" asks about
        # assessing a relative (dev dl7-12). Nor does a question of few words borrow it: only a
        # pronoun ("who does she talk to, is there a form?" in that item is about the assessment
        # its first question asked). A process the post named just before its list (as far back
        # as a pointer reaches) is the post's own subject, which every item may lean on ("2. Who
        # will actually be in the room?" in a post about an ICPC: dev d-long-005).
        other_item = (
            fence is not None
            and (distance is None or distance > fence[0])
            and not _named(pointed, before[: fence[1]][-POINTER_REACH:], rules)
        )
        recent = distance is not None and distance <= RECENT_CHARS and not other_item
        few = 0 if other_item else (BORROW_WORDS if recent else VAGUE_WORDS)
        leans = _LEANS.search(q) is not None or own <= few
        # what happens in the room of the meeting the post named (see topics.resolve)
        leans = leans or (not other_item and pointed in rules.meetings and rules.meeting_ask.search(q) is not None)
        # In a message with one question, a process the message names anywhere is what the
        # question is about unless it names its own ("new bf moving in soon. how do i check if hes
        # got convictions against kids? heard of sarahs law").
        leans = leans or (single and not own_topic and not _OWN_ROUTE.search(q))
        if not leans or (own_topic and (named or not single)):
            return ask
        if goes_to_court(q):
            return f"{ask} ({pointed})"  # "if they take it to court": the court case is the subject
        if borrows_subject(q, near, own):
            return f"{ask} ({last_words(near, NEAR_WORDS)})"
        if single and near and (min(own, len(tokens(q))) <= VAGUE_WORDS or distance is None):
            # "can they stop me? (s20)" says too little: the statement before it ("agreed to s20
            # ... i want her home now") says what is being asked about s20. Only in a message
            # with one question: in a long post the nearest statement is as often background
            # (on dev long posts it cost three answers). Also when the process is named only
            # after the question: "thinking of moving in with my mum 2 counties over. do i have
            # to tell the SW before we go? kids are on CPP" is about moving (dev d8-088).
            return f"{ask} ({pointed}) ({last_words(near, NEAR_WORDS)})"
        return f"{ask} ({_status_over_generic(pointed, q, before, rules)})"
    search = ask
    that = rules.pointers.search(q)
    if near and that is not None and that.group(0).lower() == "that" and not own_topic:
        # "that" is the statement before the question (see topics.points_at_statement)
        return f"{ask} ({last_words(near, NEAR_WORDS)})"
    if near and _WHAT_WAS_SAID.search(q):
        # "Is there an official way I can check whether what my mate said is true?": what was said
        # is the statement it refers to ("he'd been in trouble for stuff on his computer and is on
        # the register": dev dl11-17 searched without it and found nothing)
        return f"{ask} ({last_words(near, NEAR_WORDS)})"
    if near and (_WHAT_IT_MEANS.search(q) or (_NEXT_STEP.search(q) and own <= BORROW_WORDS)):
        # "does that mean I lose mine??" after "ICO granted today. the LA now has PR": "that" is
        # the statement before it, whatever the question's own words.
        return f"{ask} ({last_words(near, NEAR_WORDS)})"
    if borrows_subject(q, near, own) and not own_topic:
        return f"{ask} ({last_words(near, NEAR_WORDS)})"
    # A generic term ("before the meeting") is no topic of the question's own when a pronoun in it
    # points at the statement beside it ("the SW report for conference has stuff in it thats just
    # wrong ... can i get it changed before the meeting": dev d3-004 searched for "it" alone).
    generic = (
        own_topic is not None
        and own_topic[1] in rules.generic_only
        and re.search(r"\b(?:it|that)\b", q, re.I) is not None
        and specific(own_topic[1], before, rules, lead=ask[: own_topic[0]]) is None
    )
    if near and single and (not own_topic or generic) and not _OWN_ROUTE.search(q):
        # A message with one question and no process named in it: the statement beside the
        # question says what it is about ("how long can that go on before he has to be approved as
        # a foster carer?" after "kids placed with grandad as a 'connected person' temporarily";
        # "do we need to tell anyone?" after "my son's friend has been living with us for a month").
        # Measured on the dev sets: seven answers better, one worse (2026-11-28). In a long post
        # the statement beside a question is as often background, so this is for one question only.
        return f"{ask} ({last_words(near, NEAR_WORDS)})"
    if near and own <= VAGUE_WORDS and not own_topic:
        # "who do I go to now??" says nothing searchable alone: the statement beside it ("done all
        # 3 stages, the panel upheld nothing") says what it is about.
        search = f"{ask} ({last_words(near, NEAR_WORDS)})"
    if own_topic is not None and topic_in(ask, rules, skip=rules.generic_only | {own_topic[1]}):
        # "What does MAPPA level 1 mean - are there meetings about me?" names its process: the
        # generic "meetings" in it is MAPPA's, not the RCPC the post named (dev dl10-01).
        return search
    narrower = specific(own_topic[1], before, rules, lead=ask[: own_topic[0]]) if own_topic else None
    if narrower is None and own_topic is not None and own_topic[1] in rules.generic_only:
        narrower = specific_after(own_topic[1], after, rules, lead=ask[: own_topic[0]])
    return f"{search} ({narrower})" if narrower else search  # "the conference" in an ICPC post


# A question that names its own route ("how do I complain about the SW's attitude?") is about
# that route, whatever process the message names beside it.
_OWN_ROUTE = re.compile(r"\b(?:complain\w*|appeal\w*|challeng\w*|record(?:ing)?|ombudsman)\b", re.I)
_THEY_DO = re.compile(r"^(?:\w+ ){0,3}?(?:what|how|who|when|where|whether|if) (?:they|he|she) (?:actually |really |even |would |will |can |do |does )?\w+", re.I)
# "this" in "in this situation", "at this stage" is the writer's circumstances or a time, not a
# process: "is there any support for partners in this situation?" in a post that named a
# conference is about support (dev dl4-01 was answered about family group conferences).
# "them" after a verb of telling or giving is people ("will his school be told, even if he doesn't
# tell them?", "do I need to give them notice?"), never a process: dev dl5-10 searched that
# question for the strategy meeting.
# "that" before a subject ("now that he's been in care a while", "is it true that the SW...")
# joins two clauses and points at nothing: dev dl15-06 searched its looked-after reviews question
# for the complaint its post named before it.
_CIRCUMSTANCES = (
    "situation|position|mess|whole|time|stage|point|week|weekend|year|month|morning|evening|afternoon|"
    "forum|site|group|board|thread"
)
_LEANS = re.compile(
    r"\b(?:this|that(?!\s+(?:i|i'm|im|i've|he|he's|hes|she|she's|shes|we|we're|we've|they|they're|"
    r"theyre|they've|you|you're|it's|its|the|my|his|her|our|their|there|there's)\b)|it|they|"
    r"(?<!tell )(?<!told )(?<!telling )(?<!ask )(?<!asked )(?<!give )(?<!gave )(?<!giving )(?<!send )(?<!show )(?<!let )them|these|those)\b"
    rf"(?!\s+(?:{_CIRCUMSTANCES})\b)"
    # "What are the possible outcomes at the end?" (of the LADO process the post is about: dev
    # dl16-16 was told how a section 47 enquiry ends); "at the end of the process" too (dl20-07)
    r"|\b(?:at|in) the end\b(?!\s+of\b(?!\s+(?:the process|it|all this|all of this|that|this)\b))",
    re.I,
)
# "whats next, ombudsman?" after "stage 2 investigation is done and i'm still not happy": next
# after what is in the statement before it.
_NEXT_STEP = re.compile(r"\bwhat(?:'?s| is)? next\b|\bwhat now\b|\bwhere (?:do (?:i|we) go|next)\b|\bnext steps?\b", re.I)
_WHAT_WAS_SAID = re.compile(
    r"\bwhat (?:my|the|her|his|our|their|a|this|that) (?:\w+ ){0,2}?(?:said|says|told (?:me|us|her|him)|mentioned|wrote)\b"
    r"|\bwhat (?:he|she|they) (?:said|told (?:me|us))\b|\bwhat (?:i|we) (?:was|were|have been|'ve been) told\b",
    re.I,
)
_WHAT_IT_MEANS = re.compile(r"\b(?:does|do|would|will|did|could) (?:that|this|it) (?:\w+ )?mean\b", re.I)
# A pronoun as the subject of a short question ("when will it meet?", "how long does that take?",
# "can they do that?"): it points at what the question just before asked about.
_SUBJECT_PRONOUN = re.compile(
    r"^(?:\w+ ){0,2}?(?:is|are|was|were|will|would|can|could|does|do|did|has|have|should|must|may)"
    r" (?:it|this|that|they)\b", re.I
)


_STAGE = re.compile(r"\bstage (1|2|one|two)\b", re.I)
# ("what can I do next?" after a stage 1 reply: dev d10-016)
_NEXT_STAGE = re.compile(
    r"\bnext (?:step|stage)s?\b|\bwhat(?:'?s| is| happens)? (?:after|next)\b|\bwhere (?:do (?:i|we) go|next)\b"
    r"|\bwhat (?:can|do|should|could) (?:i|we) do (?:next|now)\b",
    re.I,
)


_AFTER_STAGE = re.compile(
    r"\b(?:next (?:step|stage)s?|what (?:happens|comes|do (?:i|we) do)(?: next)?|where (?:do (?:i|we) go|next))"
    r" (?:after|beyond|from) (?:the )?stage (1|2|one|two)\b",
    re.I,
)


def next_stage(q: str, before: str) -> str | None:
    """ "What's the next step?" just after a question about stage 1 of a complaint asks about stage
    2 (dev dl8-05 was answered from how long stage 1 takes, the stage it had just been told about)."""
    after = _AFTER_STAGE.search(q)
    if after is not None:
        # "What's the next step after stage 1?" names the stage it is past (dev dl6-15 was told
        # how long stage 1 takes)
        return "stage 2" if after.group(1).lower() in ("1", "one") else "stage 3"
    if _NEXT_STAGE.search(q) is None or _STAGE.search(q):
        return None
    named = _STAGE.findall(before[-RECENT_CHARS:])
    if not named:
        return None
    return "stage 2" if named[-1].lower() in ("1", "one") else "stage 3"


# "that category", "these conditions": a thing the question names by pointing at it. Not a time,
# a stage or the writer's circumstances ("this situation", "at this point").
_THAT_THING = re.compile(
    rf"\b(?:this|that|these|those) (?!(?:{_CIRCUMSTANCES}|kind|kinds|sort|sorts|stuff|thing|things|ones|"
    r"again|much|many|long|were|will|would|could|should|does|have|"
    # verbs and the like: "how long does that take?", "how long is this going to go on?" point at
    # a process, not at a thing just said (the thing is a word of 4 letters or more)
    r"take|takes|taking|going|last|lasts|work|works|mean\w*|happen\w*|apply|applies|cover|covers|"
    r"include|includes|involve|involves|matter|matters|count|counts|affect|affects|stay|stays|need|"
    r"needs|look|looks|sound|sounds|seem|seems|make|makes|come|comes|leave|leaves|stop|stops|change|"
    r"changes|help|helps|allow|allowed|right|true|okay|normal|legal|fair|enough|ever|still|actually|"
    r"really|even|just|also|then|done|sorted|over|finished|ended|with|from|about|into|what|when|where|"
    r"which|while)\b)([a-z]{4,})\b",
    re.I,
)
SAID_REACH = 400  # characters before the question: "that category" points at something just said


def said_just_before(q: str, before: str, rules: ReadingRules) -> str | None:
    """The sentence just before a question that names the thing the question points at: "Why would
    they pick that category?" after "the plan says the category is 'sexual abuse'" (dev dl11-09
    searched the supervised contact its post named earlier). Only for a thing that is no process
    term of the reading rules (those are resolved as topics) and only within SAID_REACH."""
    m = _THAT_THING.search(q)
    if m is None or topic_in(m.group(0), rules) is not None:
        return None
    word = tokens(m.group(1))
    if not word:
        return None
    for sentence in reversed(sentences(before[-SAID_REACH:].strip(), loose=True)):
        if word[0] in tokens(sentence):
            return sentence
    return None


def _named(topic: str, text: str, rules: ReadingRules) -> bool:
    """Whether `text` names `topic`, or a generic term that stands for it ("the conference")."""
    return any(
        p.search(text) is not None
        for name, p in rules.topics
        if name == topic or topic in rules.specific.get(name, ())
    )


def borrows_subject(q: str, near: str, own: int) -> bool:
    """ "I'd like to know what they actually offer for someone like me" after "someone mentioned
    the Lucy Faithfull Foundation": "they" are whoever the statement before names, not the last
    process the post mentioned (its bail conditions)."""
    return bool(near) and own <= THEY_WORDS and _THEY_DO.search(q) is not None


def leans_on_previous(q: str, ask: str, rules: ReadingRules) -> bool:
    return (
        _SUBJECT_PRONOUN.search(ask) is not None
        and len(tokens(ask)) <= BORROW_WORDS
        and topic_in(ask, rules) is None
    )


_SAYS_PR = re.compile(r"\b(?:parental responsibility|PR)\b", re.I)
PR_FOLLOW_REACH = 200  # characters: the rest of the same question ("...? Does the birth certificate matter?")
# How a parent gets PR, or whether an unmarried father has it, is the same under any status: "If I
# haven't got parental responsibility, how do I get it?" from a father whose son is under a care order
# (dev dl16-11 was told that foster carers do not have PR).
_GETTING_PR = re.compile(
    r"\bhow (?:do|does|can|could|would|will) (?:i|we|he|she|they|a dad|a father|dads|fathers) (?:\w+ )?"
    r"(?:get|gets|obtain|apply for|have)\b|\bbirth certificate\b|\b(?:married|unmarried|not married)\b",
    re.I,
)


def getting_pr(ask: str, after: str) -> bool:
    """Whether a question about PR asks how a parent gets it or whether an unmarried father has it
    (in its own words or the rest of the same question: "Do I have PR? ... Does the birth
    certificate matter?"), which no legal status of the post changes."""
    return bool(_SAYS_PR.search(ask)) and bool(
        _GETTING_PR.search(ask) or _GETTING_PR.search(after[:PR_FOLLOW_REACH])
    )


def pr_status(ask: str, before: str, after: str, rules: ReadingRules) -> tuple[bool, str | None]:
    """For a question about parental responsibility: whether its search should spell out
    "parental responsibility" (the parent wrote "rights": "would our daughter lose all her rights?"
    under an SGO, dev dl13-03), and the legal status the post is about, which the question is asked
    under ("Who has PR now - me or them?" in a post about section 20: dev dl12-10). The status is
    the last one named before the question, or else the first after it; none where the question
    names its own."""
    if rules.pr_ask.search(ask) is None:
        return False, None
    spell = _SAYS_PR.search(ask) is None
    if last_named(ask, rules, rules.pr_statuses) is not None or getting_pr(ask, after):
        return spell, None
    return spell, last_named(before, rules, rules.pr_statuses) or first_named(after, rules, rules.pr_statuses)


def review_kind(ask: str, before: str, rules: ReadingRules) -> str | None:
    """What to search for a question about "a review" that names no process of its own: the review
    of the plan or status the post named before it ("review conference" in a post about a child
    protection plan; reading.yaml `reviews`), or None."""
    if rules.review_ask.search(ask) is None or topic_in(ask, rules, skip=rules.generic_only) is not None:
        return None
    names = {name for name, p in rules.topics if p.search(before)}
    return next((search for named, search in rules.review_kinds if names & named), None)


# Generic processes that are seldom a post's subject when it names a legal status: an assessment
# or contact within section 20 or a care order. (A conference or meeting often is the subject: dev
# dl15-14's "what can they decide at the conference?" lost its pre-birth conference to section 20.)
YIELDS_TO_STATUS = frozenset({"assessment", "contact"})
# A pronoun that may stand for a process ("how long will it take?"); "they" and "them" are people
# ("if I take him home can they stop me?")
_THING_PRONOUN = re.compile(r"\b(?:it|this|that|these|those)\b", re.I)


def _status_over_generic(pointed: str, q: str, before: str, rules: ReadingRules) -> str:
    """The topic a question of few words borrows. A generic process the post named last ("we need
    to do an assessment first") gives way to the legal status the post is about (section 20, a care
    order...) when no pronoun in the question points at it: "Can I just go and get him?" and "If I
    take him home can they stop me?" in a post about section 20 are about section 20 (dev dl12-10
    searched them with the assessment and found nothing, then licence conditions)."""
    if pointed not in YIELDS_TO_STATUS or _THING_PRONOUN.search(q) is not None:
        return pointed
    return last_named(before, rules, rules.pr_statuses) or pointed


def last_words(text: str, n: int) -> str:
    words = text.split()
    return " ".join(words[-n:])


def lean_on_support(read: ReadMessage, support: str | None, rules: ReadingRules) -> ReadMessage:
    """A plain ask for support ("is there any support for partners in this situation?") searches
    for the support that fits the writer's situation (`support`, from the signpost rules: the
    partner of someone arrested, the person arrested, a special guardian, a kinship carer). A
    question that names its own process ("what support can a special guardian get?") keeps its
    own search."""
    if support is None:
        return read
    questions = tuple(
        replace(q, search=f"{q.ask} ({support})")
        if rules.support_ask.search(q.text) and topic_in(q.ask, rules) is None
        else q
        for q in read.questions
    )
    return replace(read, questions=questions)
