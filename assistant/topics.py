"""The process term a question points back to: "how do I get *this* reviewed" -> the safety plan
named earlier in the post, and a generic term made specific ("the conference" -> the ICPC)."""

from __future__ import annotations

import re

from assistant.reading_rules import ReadingRules
from assistant.text import sentences

_THIS_THING = re.compile(r"\b(?:this|that|these|those) (?!is\b|was\b|means\b|will\b|would\b|could\b|can\b)[a-z]{3,}", re.I)
_PAST_ONE = re.compile(r"\b(?:last|previous|past|earlier)\s+$", re.I)
# "I want to see everything they've written about me, not just the assessment. How do I get copies
# of all of it?": a term named only to be set aside is not what a pointer stands for (dev dl25-04
# was restated "copies of all of the assessment" and told what an assessment decides). So is one
# named only to compare with: "I don't understand what a core group is compared to the conference.
# Is it another meeting where they decide things?" (dev dl26-05 was searched with the review
# conference).
_SET_ASIDE = re.compile(r"\b(?:not just|not only|other than|apart from|as well as|besides|compared (?:to|with)|rather than|instead of|as opposed to)\s+(?:the\s+|my\s+|our\s+|their\s+|his\s+|her\s+)?$", re.I)
# A process named as what a thing is wanted for ("I want copies of everything on my file... so I can
# use them for my complaint. How do I go about getting that?": dev dl26-20 was restated "getting the
# complaint") is not what a pointer after it stands for.
_PURPOSE = re.compile(r"\buse (?:it|them|this|that|those) (?:for|in|as part of) (?:my|our|the|a|an)\s+$", re.I)
# "copies of all of it": a pointer the `pointers` rule leaves alone (see resolve)
_OF_IT = re.compile(r"\bof (?:it|them)\b", re.I)
_NEXT_ONE = re.compile(r"\b(?:next|another|following|second|later)\s+(?:\w+\s+)?\w+$", re.I)
_COVERS = re.compile(
    r"\b(?:cover|covers|apply to|applies to|include|includes|pay for|pays for|fund|funds|extend to|extends to)\s+$",
    re.I,
)
_IT_ENDS = re.compile(r"\b(?:it|this|that)\s+(?:ends|ended|finishes|finished|stops|closes|closed)\b", re.I)
POINTER_REACH = 1500  # characters: "this" points to something said lately (and a long post stays fast)
# A pointer that is the object of getting or reading stands for a paper (see resolve)
# ("get it moved to another day" still means the meeting)
_GOT_PAPER = re.compile(r"\b(?:receive|received|read|reading|sent|copy of)\s+$", re.I)
_GOT_IT_BEFORE = re.compile(r"\b(?:get|got|getting|have|see)\s+(?:it|them)\s+(?:before|beforehand|in advance|in time|early|earlier|ahead)\b", re.I)
# A clause word between a pointer and a process named after it (see resolve)
_SUBORDINATE = re.compile(r"\b(?:if|because|when|unless|until|while|since|once)\b", re.I)
# "How long does all this take?" asks about the whole process the family is in, not the last thing
# named before it (dev dl19-09, in care proceedings, was searched with the children's guardian).
_ALL_THIS = re.compile(r"\b(?:all (?:of )?(?:this|that)|the whole (?:thing|process|lot))\b", re.I)


def topic_in(
    text: str, rules: ReadingRules, pointable: bool = False, skip: frozenset[str] = frozenset()
) -> tuple[int, str] | None:
    """The last process term mentioned in `text`, with where it ends (with `pointable`, only terms
    a pointer may stand for: "the meeting" names no process of its own; terms in `skip` never)."""
    best: tuple[int, str] | None = None
    for name, pattern in rules.topics:
        if name in skip:
            continue
        if pointable and name in rules.generic_only:
            # "this meeting" after a letter before proceedings stands for the PLO meeting where it
            # is said: the specific term the post named before it, or nothing.
            for m in pattern.finditer(text):
                meant = specific(name, text[: m.end()], rules, lead=text[: m.end()])
                if meant and (best is None or m.end() > best[0]):
                    best = (m.end(), meant)
            continue
        for m in pattern.finditer(text):
            if pointable and (
                _SET_ASIDE.search(text[max(0, m.start() - 25) : m.start()])
                or _PURPOSE.search(text[max(0, m.start() - 30) : m.start()])
            ):
                continue
            if pointable and _PAST_ONE.search(text[max(0, m.start() - 20) : m.start()]):
                # "the last core group was fine" is a past meeting, never what "this" points to
                # ("Does anyone know if I'll have to pay for this?" after a letter before
                # proceedings: dev dl11-04 was restated "pay for the core group")
                continue
            if (
                best is None
                or m.end() > best[0]
                or (m.end() == best[0] and len(name) > len(best[1]))
            ):
                best = (m.end(), name)
    return best


def last_named(text: str, rules: ReadingRules, names: frozenset[str]) -> str | None:
    """The last of the topics `names` that `text` mentions, if any."""
    found = topic_in(text, rules, skip=frozenset(n for n, _ in rules.topics) - names)
    return found[1] if found is not None else None


def first_named(text: str, rules: ReadingRules, names: frozenset[str]) -> str | None:
    """The first of the topics `names` that `text` mentions (the longer term at a tie), if any."""
    found = [(m.start(), -len(name), name) for name, p in rules.topics if name in names for m in p.finditer(text)]
    return min(found)[2] if found else None


def _covers_this(question: str, own: tuple[int, str], m: re.Match[str] | None) -> bool:
    """A question that names a process and then ends on "this" after a verb of covering ("does
    anyone know if legal aid covers this?" after a letter before proceedings: dev dl12-09) means
    by "this" another process the post named before it. Not "in cases like this" or "because of
    this", which are the situation."""
    return (
        m is not None
        and m.group(0).lower() == "this"
        and m.start() >= own[0]
        and _COVERS.search(question[: m.start()]) is not None
        and question[m.end() :].strip(" ?!.") == ""
    )


def resolve(
    question: str, before: str, rules: ReadingRules, after: str = ""
) -> tuple[str, str | None, int | None]:
    """Replace a pointer ("this", "it") with the last process term mentioned before it.

    Returns the question (pointer replaced where there was one), the topic it points to, and how
    many characters before the question that topic was named (None when it came from after the
    question); a question with no pointer keeps its words, and the topic only joins its search.
    """
    own = topic_in(question, rules)
    m = rules.pointers.search(question)
    if own is not None and m is not None and m.start() < own[0] and _SUBORDINATE.search(question[m.end() : own[0]]):
        # "how long can it last and can it be extended if the full assessment isn't done in time":
        # the process named in a clause after the pointer is not what the pointer stands for (dev
        # dl21-14, about a temporary approval).
        own = None
    if own is not None and _compared_with(question, own, rules):
        # "Is it like the child protection conferences our daughter goes to?": what "it" is compared
        # with is not what it stands for (dev dl26-14, about a family group conference named in the
        # post's title, was answered about child protection conferences).
        own = None
    court = _TO_COURT.search(question)
    if (m is not None and court is not None and court.start(1) == m.start()) or (
        court is None and own is None and _IN_COURT.search(question)
    ):
        # "if they do take it to court, how long does that go on for?": "it" is the case, not the
        # written agreement named before (dev dl5-06 was restated "take the written agreement to
        # court" and told how long a stage 1 complaint takes); so is what goes on in "if it does end
        # up in court, how long does that go on for?" (dev dl21-06 was searched with the legal aid
        # asked about just before it). After a public-law process the court case is care
        # proceedings, which joins the search; otherwise nothing does.
        public = last_named(before, rules, rules.public_law)
        return question, ("care proceedings" if public else None), None
    if own is not None and not _covers_this(question, own, m):
        if own[1] in rules.stage_dependent:
            words = _stage_words(before, rules)
            return question, (words if words is not None and words not in question.lower() else None), None
        return question, None, None
    if own is None and rules.meeting_ask.search(question):
        # "who makes the decision at the end, is it a vote?": the meeting the post named (see
        # `meetings` in reading.yaml), not a process named after it.
        reach = before[-POINTER_REACH:]
        meeting = topic_in(reach, rules, skip=frozenset(n for n, _ in rules.topics) - rules.meetings)
        if meeting is not None:
            topic = specific(meeting[1], reach, rules, lead=reach[: meeting[0]]) or meeting[1]
            return question, topic, len(reach) - meeting[0]
    if own is None and _ALL_THIS.search(question):
        words = _stage_words(before, rules)
        if words is not None:
            return question, words, None  # search only: the words stay as written
    skip = frozenset({own[1]}) if own is not None else frozenset()
    if m is not None and rules.referents.search(question[: m.start()]):
        return question, None, None  # "have we lost PR, or do SS share it?": "it" is the PR
    if m is not None and m.group(0).lower() == "it" and _THIS_THING.search(question[: m.start()]):
        # "whether this negative viability is the end of the road for me - can I challenge it":
        # "it" is the thing the question itself named with "this" (dev dl10-07 was restated
        # "challenge the family group conference", the process the post named last)
        return question, None, None
    if m is not None and m.group(0).lower() == "one":
        # "Do I need a solicitor for this meeting and how do I pay for one?": "one" is the thing just
        # named with "a", not the last process (dev dl9-06 was restated "pay for the letter before
        # proceedings"). A process named so ("can we ask for one?" after "an FGC") is resolved below.
        thing = _thing_before(before[-ONE_REACH:] + " " + question[: m.start()])
        if thing is not None and topic_in(thing, rules) is None:
            return question[: m.start()] + thing + question[m.end() :], None, None
    whole = before
    before, after = before[-POINTER_REACH:], after[:POINTER_REACH]
    found = topic_in(before, rules, pointable=True, skip=skip)
    if own is not None and (found is None or found[1] == own[1]):
        return question, None, None  # "this" stands for the question's own process after all
    if found is None:
        # Nothing earlier: a post may name its topic only after the question ("can she do that?
        # how does a CPP end"), so take the first process term that follows.
        later = first_named(after, rules, frozenset(n for n, _ in rules.topics) - rules.generic_only)
        return question, later, None  # search only
    if points_at_statement(question, before, found[0], rules):
        return question, None, None
    if m is not None and found[1] in rules.meetings and (
        _GOT_PAPER.search(question[: m.start()]) or _GOT_IT_BEFORE.search(question)
    ):
        # "I got the SW's report as I sat down in the meeting... Am I supposed to get it before?":
        # what one gets, reads or is sent is a paper, never the meeting named last (dev dl24-19 was
        # restated "Am I supposed to get ICPC before?"); the statement before it joins the search.
        return question, None, None
    thing = _referent_after(before, found[0], rules)
    if thing is not None and m is not None and m.group(0).lower() in ("it", "that"):
        # "1. Do I have parental responsibility? 2. If I haven't got it, how do I get it?": "it" is
        # the PR the question before asked about, not the contact the background named earlier
        # (dev dl16-11); "I want my full file... how long do they have to give it to me?" (dl16-13)
        return question[: m.start()] + thing + question[m.end() :], None, None
    if thing is not None and m is None and _OF_IT.search(question):
        # "I want to see everything they've written about me... How do I get copies of all of it?"
        # ("of it" is no pointer the rules replace): the thing named after the last process is
        # what is asked about, so that process stays out of the search (dev dl25-04).
        return question, None, None
    ends = _IT_ENDS.search(question) is not None
    if (ends or rules.legal_standing.search(question)) and found[1] not in rules.documents:
        # "Is it a legal document? Could I be taken to court for breaking it?": the written
        # agreement the post named, not the contact its terms mention after it (dev dl11-09).
        # What "ends" is a plan, not the meeting that decides it: "If it ends does the SW just
        # disappear?" after "what do they need to see to end the plan" (dev dl18-15 was searched
        # with the review conference named last).
        skip = frozenset(n for n, _ in rules.topics) - rules.documents
        document = topic_in(before, rules, skip=skip)
        if document is None and ends:
            # the plan may have been named by its full name only at the start of a long post
            document = topic_in(whole, rules, skip=skip)
            before = whole if document is not None else before
        found = document or found
    if m is not None and found[1] in ROUTES and _CONTESTING.search(question[: m.start()]):
        # "While I'm challenging it, does the plan stay in place?" after "is it the normal council
        # complaints thing?": what is challenged is the decision, never the route of challenge
        # (dev dl8-11 was restated "While I'm challenging the complaints" and told about safety
        # plan reviews). The pointer stands for the last process before it that is not a route.
        found = topic_in(before, rules, skip=ROUTES | rules.generic_only)
        if found is None:
            return question, None, None
    topic = specific(found[1], before, rules, lead=before[: found[0]]) or found[1]
    # The term as the parent wrote it ("the CIN plan", not "the cin plan"); shorthand in capitals.
    written = [m.group(0) for name, p in rules.topics if name == topic for m in p.finditer(before)][-1]
    short = len(topic) <= 4 and topic.isalpha() and topic != "bail"
    bare = (len(topic) <= 4 and topic != "bail") or topic.startswith("stage")  # "after stage 3"
    phrase = written.upper() if short else (written if bare else f"the {written}")
    return rules.pointers.sub(phrase, question, count=1), topic, len(before) - found[0]


_COMPARED = re.compile(
    r"\b(?:like|same as|different (?:from|to)|compared (?:to|with)|similar to)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+|his\s+|her\s+)?$",
    re.I,
)


def _compared_with(question: str, own: tuple[int, str], rules: ReadingRules) -> bool:
    """Whether the question's own process term comes straight after a word of comparison."""
    starts = [m.start() for name, p in rules.topics if name == own[1] for m in p.finditer(question) if m.end() == own[0]]
    return (
        bool(starts)
        and _COMPARED.search(question[: starts[0]]) is not None
        and re.search(r"\b(?:it|this|that)\b", question[: starts[0]], re.I) is not None
    )


REFERENT_REACH = 800  # characters: a thing named this close before "it", after the last process


def _stage_words(before: str, rules: ReadingRules) -> str | None:
    """The search words of the last stage (`stage_dependent` in reading.yaml) `before` names."""
    stage = last_named(before, rules, frozenset(rules.stages))
    return rules.stages.get(stage) if stage is not None else None


def _referent_after(before: str, topic_start: int, rules: ReadingRules) -> str | None:
    """The last thing (not a process) named after the last process term and close before the
    question, as the parent wrote it; None when there is none."""
    last = max(rules.referents.finditer(before), key=lambda m: m.start(), default=None)
    if last is None or last.start() <= topic_start or len(before) - last.start() > REFERENT_REACH:
        return None
    thing = last.group(0)
    # "a consent form" -> "sign the consent form"; "my file", "PR" and "everything" stay as they are
    bare = thing.split()[0].lower() not in ("the", "my", "our", "his", "her", "their", "everything", "pr", "parental")
    return f"the {thing}" if bare else thing


ONE_REACH = 150  # characters: "pay for one" stands for a thing named with "a" in the clause or two before
# A thing named as what someone needs or gets ("need a solicitor"), which "one" may stand for later;
# not a person named otherwise ("can a grandparent request one?" asks for the conference).
_A_THING = re.compile(
    r"\b(?:need|needs|want|wants|get|gets|have|has|hire|find|instruct|afford|pay for|ask for|apply for)"
    r" (?P<thing>(?:a|an) (?!(?:lot|bit|few|little|while|way|chance|good|bad|new|big|real|very|really|"
    r"couple|number|kind|sort)\b)[a-z]{3,})\b",
    re.I,
)


def _thing_before(text: str) -> str | None:
    """The last thing `text` names as needed or got ("a solicitor" in "do I need a solicitor"), if any."""
    found = list(_A_THING.finditer(text))
    return found[-1].group("thing") if found else None


# The case as the subject ("if it does end up in court"), not a person going to court over something
# ("can she go to court over it?": dev dl7-05, where "it" is the contact).
_IN_COURT = re.compile(
    r"\b(?:it|this|that|things|the case|everything)\s+(?:does |do |ever |actually )?"
    r"(?:ends?|ended|goes|go|went|gets?|got) (?:up )?(?:in|to|before) (?:the )?court\b"
    # "if they did go to court, how long does that take?" (dev dl26-11, after a letter before
    # proceedings, was answered about legal aid)
    r"|\bif (?:they|the council|the la|ss|social services|children's services) (?:do |did |does |ever |actually )*"
    r"(?:go|goes|went|take (?:us|me|it)) to court\b",
    re.I,
)
_TO_COURT = re.compile(r"\b(?:take|takes|taking|took|taken|bring|brings|brought) (it|this|that) to court\b", re.I)


def goes_to_court(question: str) -> bool:
    """Whether the question asks about "taking it to court", where "it" is the case."""
    return _TO_COURT.search(question) is not None


# Routes of challenge: never what "challenging it" challenges.
ROUTES = frozenset({"complaint", "stage 1 complaint", "stage 2", "stage 3", "ombudsman"})
_CONTESTING = re.compile(
    r"\b(?:challeng\w*|appeal\w*|disput\w*|contest\w*|fight\w*|complain\w* about|object\w* to)\s*$", re.I
)


STATEMENT_WORDS = 5  # a sentence this long just before "that" is what "that" is
_CONTESTED = re.compile(
    r"\b(?:challenge|appeal|dispute|contest|query|fight|complain about|object to|do about|stop|prevent|avoid)\s*$", re.I
)


def points_at_statement(question: str, before: str, topic_end: int, rules: ReadingRules) -> bool:
    """ "Do I have to agree to that?" right after "she's now demanding to see him every weekend
    unsupervised at her flat": "that" is the sentence before it, not a process named earlier (the
    SGO two sentences back). Only "that", only when the sentence just before names no process."""
    m = rules.pointers.search(question)
    if m is None or m.group(0).lower() != "that":
        return False
    if _CONTESTED.search(question[: m.start()]):
        # "can i challenge that?" after "got my SAR back and loads of it is blacked out": what is
        # contested is what the sentence before says was done, not the process it names (dev
        # d8-070 was restated "Can I challenge SAR?" and told how to make one).
        return True
    said = sentences(before.strip(), loose=True)
    last = said[-1] if said else ""
    starts = len(before.rstrip()) - len(last)
    return topic_end <= starts and len(last.split()) >= STATEMENT_WORDS


def specific(topic: str, before: str, rules: ReadingRules, lead: str = "") -> str | None:
    """The specific term the post named for a generic one ("icpc" for "conference"), if any.

    `lead` is the text ending with the generic term's mention: "the next conference" in an ICPC
    post is the review, so a term after "next" (or "another"...) stays generic.
    """
    if topic not in rules.specific or _NEXT_ONE.search(lead[-60:]):
        return None
    reach = before[-POINTER_REACH:]
    named = [
        (m.end(), name)
        for name, p in rules.topics
        if name in rules.specific[topic]
        for m in p.finditer(reach)
        if not _PAST_ONE.search(reach[max(0, m.start() - 20) : m.start()])  # not "the last core group"
    ]
    return max(named)[1] if named else None


def specific_after(topic: str, after: str, rules: ReadingRules, lead: str = "") -> str | None:
    """The first specific term for a generic one that the post names after the question, when it
    named none before ("do I need a solicitor for this meeting? ... what happens at a
    pre-proceedings meeting?": dev dl8-07, whose letter before proceedings was named 3,000
    characters earlier, beyond a pointer's reach)."""
    if topic not in rules.specific or _NEXT_ONE.search(lead[-60:]):
        return None
    named = [
        (m.start(), -len(name), name)
        for name, p in rules.topics
        if name in rules.specific[topic]
        for m in p.finditer(after[:POINTER_REACH])
    ]
    return min(named)[2] if named else None
