"""Honesty checks on the question itself: predictions we must not make, and other UK nations."""

from __future__ import annotations

import re

from assistant.text import normalise

PREDICTION = (
    r"\bwill (i|we|they|he|she|ss|social services|the council|the court|the judge|my (?:partner|husband|wife|boyfriend|girlfriend|ex|son|daughter|dad|brother)|oh|dh|dp|bf)\b.{0,40}\b(keep|lose|get (them|the (kids|children)|my (kids|children|dc)) back|take (them|the (kids|children)|my (kids|children|dc|son|daughter|baby))|remove|go to (prison|jail)|be (jailed|sentenced|removed|taken)|adopt)",
    r"\bhow long will (he|she|they|my \w+|oh|dh|dp)\b.{0,30}\b(get|go down|serve|be sentenced|go to prison|be in prison)",
    r"\bwhat sentence\b|\bhow many years will\b|\b(chances|odds|likely|likelihood)\b.{0,40}\b(keep|lose|removed|taken|prison|jail|custod|sentence)",
    r"\b(am i|are we) going to lose\b|\bwill i ever get\b",
    r"\b(will|would|does|do) (the |my )?(\w+ )?(council|local authority|la|ss|children'?s services|social services)\b.{0,40}\b(accept|agree|approve|let)\b",
    r"\b(council|ss|children'?s services|social services) (will|would) (ever )?(let|accept|agree|allow)\b",
    r"\b(divorce|financial) settlement\b",
    # "will they let me move back home by Christmas?": what one council will decide, not process.
    r"\b(will|would) (they|ss|sw|social services|the council|the court|the judge|children'?s services) (ever |actually |really )?(let|allow) (\w+ ){1,2}(to )?(move|come|go|live|return|stay)\b.{0,20}\b(home|back|together|in)\b",
    # "will this be counted against me?": how one council will judge this family.
    r"\b(will|would|could|does|do) (this|it|that|they|ss|sw) (be )?(count|counted|held|used|go|hold|use) (\w+ )?against (me|us)\b",
    # "why did our council decide to go to PLO?", "what did the police tell SS at the strategy
    # meeting?": one council's reasons, or what was said in one family's case, which only those
    # involved can say (the social worker, asked in writing, or the file: a subject access request).
    r"\bwhy (did|has|have|would) (our|the|my) (council|local authority|la|ss|sw|social worker|social services|children'?s services)\b.{0,30}\b(decide|decided|choose|chose|go|gone|put|do|done)\b",
    r"\bwhat (exactly |actually )?(did|have|has) (the )?(police|sw|social worker|ss|social services|school|council|chair)\b.{0,30}\b(tell|told|say|said|write|written|share|shared)\b.{0,40}\b(about (me|us|my|him|her)|at (the|last|our))",
    r"\bwhat were (they|ss|the council|the sw) (actually |really )?thinking\b",
    # "do people think the plan will end at the review?": asks for a forecast of this case.
    r"\b(do|does) (people|anyone|you|u) (think|reckon)\b.{0,60}\bwill\b",
)

# Areas next to ours that the guidance deliberately does not cover: saying so beats a near-miss
# answer from a note about something else. Each entry: (what to call it, pattern).
OUT_OF_SCOPE: tuple[tuple[str, str], ...] = (
    ("divorce, money or property", r"\b(divorc\w*|child maintenance|child support payments?|who gets the house|(split|share|get) (of )?(the|our) (house|home|savings|money)|financial settlement)\b"),
    ("benefits", r"\b(universal credit|housing benefit|child benefit|tax credits?|benefits? (claim|entitlement)|claim benefits?|(his|her|my|our|their) benefits)\b"),
    ("immigration", r"\b(visa|deport\w*|immigration|home office|citizenship|leave to remain)\b"),
    ("employment law", r"\b(my employer|sack(ed)? me|fire me|dismiss(ed)? me|lose my job|employment law)\b"),
    ("criminal record checks", r"\b(dbs|disclosure and barring|criminal record check)\b"),
    ("school admissions", r"\b(school (place|admission)s?|admissions? (appeal|priority)|change (his|her|their|my \w+'?s?) school|move (him|her|them|my \w+) to (a )?(different|new|another) school)\b"),
    ("dental and other health appointments", r"\b(dentists?|dental|orthodontist|prescriptions?|hospital appointments?)\b"),
    ("passports and travel documents", r"\bpassports?\b"),
    ("prison visits", r"\b(visit\w*|see) .{0,30}\bin (prison|jail)\b|\b(prison|jail) visits?\b|\bbook a visit\b"),
    ("criminal sentences", r"\b(what|how long|how many years)\b.{0,40}\b(sentence|in prison|in jail|inside|go down)\b|\b(is|will) (he|she) (going to|go to) (prison|jail)\b|\bsentencing guidelines?\b"),
    ("compensation claims", r"\b(sue|suing|claim compensation from) (the |my )?(council|local authority|social services|ss|them)\b|\bcompensation\b"),
    ("recommending a particular solicitor", r"\b(best|good|recommend\w*)\b.{0,25}\bsolicitors?\b.{0,25}\b(in|near|around)\b|\bwhich solicitors?\b.{0,30}\b(best|good|use)\b"),
    # A named council's own phone numbers and staff: the council's website or the social worker
    # has them, and a number we quoted could be out of date.
    ("one council's own contact details", r"\b(direct |phone |telephone )?(phone number|telephone number|contact details|email address)\b.{0,50}\b(council|county|borough|team manager|duty team|social worker)\b.{0,30}\b(at|in|for) [a-z]+"),
    ("statistics and outcomes", r"\b(what percentage|how many families|success rates?|what proportion)\b"),
)

NATIONS = {
    "wales": r"\b(wales|welsh|cardiff|swansea|newport|social services and well-?being)\b",
    "scotland": r"\b(scotland|scottish|glasgow|edinburgh|aberdeen|dundee|children'?s hearings?|children'?s reporter|children'?s panel)\b",
    "northern-ireland": r"\b(northern ireland|northern irish|belfast|hsc trust|health and social care trust|derry|londonderry)\b",
    "ireland": r"\b(republic of ireland|dublin|cork|galway|tusla|(?<!northern )ireland|(?<!northern )irish)\b",
}


def _is_prediction(text: str) -> bool:
    text = normalise(text).lower()
    return any(re.search(p, text) for p in PREDICTION)


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
    """Some part of the message asks us to predict an outcome for this family."""
    return _is_prediction(question)


def out_of_scope(question: str) -> str | None:
    """The name of a neighbouring area the guidance does not cover, if the question is about one."""
    text = normalise(question).lower()
    for name, pattern in OUT_OF_SCOPE:
        if re.search(pattern, text):
            return name
    return None


def other_nation(question: str) -> str | None:
    text = normalise(question).lower()
    for nation, pattern in NATIONS.items():
        if re.search(pattern, text):
            return nation
    return None
