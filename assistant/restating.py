"""Restating a question plainly: word order inverted where the parent wrote a statement ("I can
take someone" -> "can I take someone"), lead-ins dropped, capitalised, ending in "?"."""

from __future__ import annotations

import re

from assistant.text import sentences, tokens, word_count

# Adverbs a statement may carry before or after its verb ("there really is", "I actually still have")
_ADVERB = r"(?:really|actually|still|definitely|even|also|ever)"
_STATEMENT = re.compile(
    r"^(?P<subj>i|we|they|he|she|you|it|there|ss|sw|social services|the \w+|my \w+|our \w+)\s+"
    # ("there really is a course for people in my position": dev dl21-01)
    rf"(?:(?P<adv>{_ADVERB})\s+)?"
    r"(?P<aux>can|could|will|would|should|must|may|might|am|is|are|was|were|has to|have to|need to|needs to)\b\s*(?P<rest>.*)$",
    re.I,
)


# An embedded question keeps a statement's word order after its question word ("what a core
# group is", "what my rights are"); asked directly, the verb comes first.
_EMBEDDED = re.compile(
    # (or a term in capitals: "what MAPPA is": dev dl22-09)
    r"^(?P<wh>what|who|where|when|why|which|how long|how often|how much|how many)\s+(?P<subj>(?:(?:a|an|the|my|our|his|her|their|this|that|these|those|they|we|he|she)\b|(?-i:[A-Z]{2,}\b))(?:\s+[\w'-]+){0,4}?)\s+(?P<verb>is|are|was|were)\b\s*(?P<rest>.*)$",
    re.I,
)
# A present-tense statement left when a lead-in is dropped ("does anyone know if legal aid covers
# this?" -> "legal aid covers this"): asked directly, "does legal aid cover this". Only verbs that
# questions here use, so a plural noun is never read as a verb.
_PRESENT = re.compile(
    r"^(?P<subj>he|she|it|ss|sw|social services|legal aid|probation|cafcass|the police|all (?:of )?(?:this|that)|"
    r"(?:the|my|our|his|her|their) [\w'-]+(?: [\w'-]+)?)\s+"
    r"(?P<verb>covers|needs|ends|counts|applies|includes|means|stops|lasts|goes|takes|gets|stays|"
    r"changes|affects|matters|works|depends|continues|carries|expires|runs|starts|finishes|"
    r"closes|transfers|requires|allows|lets|shows|knows|keeps|becomes|has)\b\s*(?P<rest>.*)$",
    re.I,
)
# ("does anyone know if there's a time limit on RUI?" -> "is there a time limit on RUI": dev dl19-07)
_CONTRACTED = (
    (re.compile(r"^(i)'m\b", re.I), r"\1 am"),
    (re.compile(r"^(we|they|you)'re\b", re.I), r"\1 are"),
    (re.compile(r"^(there|it)(?:'s|’s)\b", re.I), r"\1 is"),
    # ("whether I'll ever get to see what's been said", "what they'll be looking for", "how long
    # they've actually got to respond": dev dl22-06, dl22-11, dl22-13)
    (re.compile(r"^(i|we|they|you|he|she|it)(?:'ll|’ll)\b", re.I), r"\1 will"),
    (re.compile(r"^(i|we|they|you)(?:'ve|’ve)\b", re.I), r"\1 have"),
)
# "I actually still have parental responsibility" -> "do I actually still have parental
# responsibility" (dev dl22-03); "they have (actually) got to respond" -> "have they got to".
_HAVE = re.compile(
    rf"^(?P<subj>i|we|they|you)\s+(?P<adv>(?:{_ADVERB}\s+){{0,2}})"
    rf"(?P<verb>have|need|get|qualify|count)\b(?P<adv2>(?:\s+{_ADVERB}){{0,2}})"
    r"(?P<got>\s+got)?\s*(?P<rest>.*)$",
    re.I,
)


def invert(q: str) -> str:
    """ "I can take someone" -> "can I take someone"; "we have to sign" -> "do we have to sign";
    "what my rights are" -> "what are my rights"; "where the meeting will be" -> "where will the
    meeting be"."""
    m = _EMBEDDED.match(q)
    if m:
        rest = "" if m["rest"].startswith(",") else m["rest"]  # ", the letter mentions one": an aside
        return " ".join(p for p in (m["wh"], m["verb"].lower(), m["subj"], rest) if p)
    wh = re.match(r"(?i)(what|who|where|when|why|which|how long|how often|how much|how many)\s+", q)
    if wh:
        inner = invert(q[wh.end() :])
        return q if inner == q[wh.end() :] else f"{wh.group(1)} {inner}"
    for pattern, plain in _CONTRACTED:
        q = pattern.sub(plain, q)
    h = _HAVE.match(q)
    if h:
        subj = "I" if h["subj"].lower() == "i" else h["subj"].lower()
        adv = " ".join(f"{h['adv']} {h['adv2']}".split())
        if h["got"] and h["verb"].lower() == "have":
            return " ".join(x for x in ("have", subj, adv, "got", h["rest"]) if x)
        if not h["got"]:
            return " ".join(x for x in ("do", subj, adv, h["verb"].lower(), h["rest"]) if x)
    m = _STATEMENT.match(q)
    if not m:
        p = _PRESENT.match(q)
        if p is None or " " in p["verb"]:
            return q
        return " ".join(x for x in ("does", p["subj"], _base(p["verb"].lower()), p["rest"]) if x)
    subj, aux, rest = m.group("subj"), m.group("aux").lower(), m.group("rest")
    if subj.lower() in ("there", "it", "we", "they", "he", "she", "you"):
        subj = subj.lower()  # "There's a time limit?" -> "is there a time limit", not "is There"
    adv = f"{m.group('adv')} " if m.group("adv") else ""
    if aux in ("has to", "needs to"):
        return f"does {subj} {adv}{aux.replace('has', 'have').replace('needs', 'need')} {rest}".strip()
    if aux in ("have to", "need to"):
        return f"do {subj} {adv}{aux} {rest}".strip()
    return f"{aux} {subj} {adv}{rest}".strip()


def _base(verb: str) -> str:
    """The plain form of a present-tense verb: covers -> cover, applies -> apply, has -> have."""
    if verb == "has":
        return "have"
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "oes")):
        return verb[:-2]
    return verb[:-1]


# "and sorry this is long, is there anything for people in my position?": the apology is not part
# of what is asked (dev dl19-01 restated it "Sorry this is long, is there anything...").
_APOLOGY = re.compile(
    r"^(?:sorry|apologies)(?: (?:this is|it'?s|that this is|for|about)(?: (?:the|this|my))?)? (?:so |very |a bit |really )?"
    r"(?:long|essay|rant|waffle|length|ramble|rambling|epic)(?: (?:post|message|one))?\b[\s,.:;-]*",
    re.I,
)


# "Last one, who actually makes the decision?": where the question comes in the post is not asked.
_PLACE = re.compile(r"^(?:(?:the )?(?:last|final|other|next) (?:one|thing|question)|finally|lastly)\s*[,:;-]\s*", re.I)


def restate(question: str) -> str:
    q = question.strip().rstrip(".,;:!? ").strip().lstrip(".,;:!?-*> ").strip()
    q = re.sub(r"^(?:and|but|so|also|then|plus|or|ok|okay|basically|anyway)\b[\s,:]*", "", q, flags=re.I)
    q = _APOLOGY.sub("", q) or q
    q = _PLACE.sub("", q) or q
    q = re.sub(r"\s*\?+", "?", q)
    if not q:
        return question.strip()
    q = q[0].upper() + q[1:]
    q = re.sub(r"\bi\b", "I", q)
    return q if q.endswith("?") else q + "?"


# A bare tag question ("Is that true?", "Is it?", "Is that right?") asks whether the sentence just
# before it is true: "my partner's mum said 'he lost his rights when he was convicted'. Is that
# true?" (dev dl11-05 was answered "Is that true?" from why children's services get involved).
_TAG = re.compile(
    r"^(?:and |but |so )?(?:is|are|was|were|does|do|can|could|would|will|has|have) (?:that|it|this|they|he|she)"
    r"(?: (?:actually |really )?(?:true|right|correct|so|the case|accurate|legit|a thing))?\s*\?*$"
    # "That doesn't sound right to me?" after "my brother reckons it's basically a court order"
    # (dev dl12-05 was answered "That doesn't sound right to me?" from what a safety plan is)
    r"|^(?:and |but |so |surely )?(?:that|this|it) (?:doesn'?t|does not|can'?t|cannot|don'?t|isn'?t|is not) "
    r"(?:sound|seem|be|look) (?:right|true|correct)(?: to me)?\s*\?*$",
    re.I,
)
# The reporting clause before a claim: "my friend said (that)", "the SW told me", "I've heard".
_REPORTED = re.compile(
    r"^.{0,80}?\b(?:said|says|told (?:me|us|her|him)|tells (?:me|us|her|him)|reckons|thinks|claims|heard|read|"
    # ("Someone at Alfie's school also mentioned that I could ask for my own assessment as his
    # carer. Is that true?" was restated with its reporting words: dev dl26-17)
    r"mentioned|suggested|"
    r"keeps? saying|kept saying|(?:was|were|been|being|is|are|am) told(?: by (?:\w+ ){1,3}?(?=that\b))?)\b"
    r"(?: to (?:me|us|her|him))?,?\s*(?:that(?=\s))?\s*",
    re.I,
)
# "A friend said we have rights, another said we've got none at all. Which is it?" (dev dl11-11)
WHICH_LEAD = "Which is right: "
_WHICH = re.compile(r"^(?:and |but |so )?which (?:is it|one is (?:it|right|true)|is right|is true)\s*\?*$", re.I)


def claim_asked(question: str, before: str) -> str | None:
    """ "Is it true that <the sentence before>?" for a bare tag question ("Which is right: <the
    sentence before>?" for "which is it?"), else None."""
    which = _WHICH.match(question.strip()) is not None
    if not which and not _TAG.match(question.strip()):
        return None
    said = [s for s in sentences(before.strip(), loose=True) if s.strip()]
    if not said or said[-1].rstrip().endswith("?"):
        return None
    if which:
        return f"{WHICH_LEAD}{said[-1].strip().rstrip('.!')}?"
    claim = _REPORTED.sub("", said[-1].strip(), count=1).strip(" '\"‘’“”.")
    if len(claim.split()) < 3:
        return None
    return f"Is it true that {claim}?"


VAGUE_ASK_WORDS = 2  # content words at most in a question that says nothing alone ("is it weeks, months?")
CARRIED_WORDS = 30  # the sentence before such a question is shown with it up to this many words


def with_its_sentence(ask: str, before: str, names_process: bool) -> str:
    """ "I have literally no idea what the timescale is, is it weeks, months?": a question of one or
    two content words that names no process is restated with the statement it follows, so the
    parent sees which question is being answered and the answer is chosen for it (dev dl11-01)."""
    if len(tokens(ask)) > VAGUE_ASK_WORDS or names_process:
        return ask
    said = sentences(before.strip(), loose=True)
    last = said[-1].strip().rstrip(",;:- ") if said else ""
    if not last or last.endswith("?") or word_count(last) > CARRIED_WORDS or len(tokens(last)) < 2:
        return ask
    last = last[0].upper() + last[1:]  # "we are looking at moving..." starts the restated question
    return f"{last} {ask}" if last.endswith((".", "!")) else f"{last}. {ask}"


def is_which_claim(ask: str) -> bool:
    """Whether `ask` weighs two claims ("Which is right: ...?"), made by `claim_asked`."""
    return ask.startswith(WHICH_LEAD)
