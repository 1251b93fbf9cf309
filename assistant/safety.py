"""Safety triage: runs on every message before, and independently of, retrieval.

Pure and deterministic: rules over the text, then similarity to curated example phrasings
(data/triage_examples.yaml) with the embedder the app already loads.

1. Rules (`rule_label`). The message is normalised (lower case, straight quotes, contractions typed
   without apostrophes restored, "u"/"tmrw" and similar expanded) and split into clauses. Each rule
   describes a phenomenon, not a sentence: self-harm intent or an overdose taken, a child being
   harmed, held or taken now, a fresh disclosure of abuse, first-person sexual interest in children
   or first-person viewing of abuse images, and concealment / evasion verbs aimed at
   child-protection objects (social workers, supervisors, police, devices that are evidence,
   children's accounts). Some rules also need a second pattern somewhere in the message (a device
   *and* a police search). Guards drop clauses that only ask about rules or consequences ("what
   happens if I breach", "is it illegal to", "what should I do if he turns up"), that talk about
   something over ("two years ago", "doing better now") or that say the writer is safe; phrases
   such as "without telling them what to say" are removed before the coaching rules look.
2. Similarity, only when no rule fired. The message's sentences (long ones split into clauses)
   and the whole message are embedded in one batch and compared with the examples, embedded once
   in `build_triage_model`. A segment proposes a risky label when its k nearest examples (benign
   look-alikes included) vote for it, the best match for that label clears `threshold` and beats
   the best benign look-alike by `margin`, the segment carries the label's lexical cue (a
   concealment or deception word for decline, a first-person word for own_thoughts) and no guard
   for the label matches it. Rules decide when they fire because the embedder confuses labels that
   share vocabulary (a child *telling* a teacher reads like a disclosure).

Priority when several labels apply: emergency > own_thoughts > decline.
Checked by tests/test_safety.py against tests/data/triage_suite.jsonl (required) and
tests/data/triage_holdout.jsonl (reported).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from assistant.text import sentence_spans
from assistant.types import Triage, TriageLabel

RISKY: tuple[TriageLabel, ...] = ("emergency", "own_thoughts", "decline")
PRIORITY: dict[str, int] = {"emergency": 0, "own_thoughts": 1, "decline": 2}

# ---------------------------------------------------------------------------------------------
# Normalisation and clauses
# ---------------------------------------------------------------------------------------------

_CONTRACTIONS = {
    "cant": "can't", "dont": "don't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't", "hasnt": "hasn't",
    "havent": "haven't", "hadnt": "hadn't", "shouldnt": "shouldn't", "couldnt": "couldn't",
    "wouldnt": "wouldn't", "im": "i'm", "ive": "i've", "id": "i'd", "ill": "i'll",
    "hes": "he's", "shes": "she's", "theyre": "they're", "theyd": "they'd", "theyll": "they'll",
    "youre": "you're", "thats": "that's", "whats": "what's", "its": "it's", "theres": "there's",
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "tmrw": "tomorrow",
    "tmr": "tomorrow", "2moro": "tomorrow", "2nite": "tonight", "tonite": "tonight",
    "hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes", "wanna": "want to",
    "gonna": "going to", "cos": "because", "coz": "because", "bc": "because", "ppl": "people",
    "sayin": "saying", "nite": "night", "thru": "through", "tho": "though", "b4": "before",
    "noone": "no one", "no-one": "no one", "sw's": "sw", "ss's": "ss",
}
_WORDS = re.compile(r"[a-z0-9][a-z0-9'-]*")


def normalise(message: str) -> str:
    """Lower case, straight quotes, single spaces and apostrophe-less contractions restored."""
    text = message.lower()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("`", "'")):
        text = text.replace(a, b)
    text = _WORDS.sub(lambda m: _CONTRACTIONS.get(m.group(0), m.group(0)), text)
    return re.sub(r"[ \t]+", " ", text).strip()


_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+(?=\d\)\s)|(?<=\?)(?=\w)")


def clauses(text: str) -> list[str]:
    """Sentences of normalised text (split on . ! ? ; new lines and '2)' list marks)."""
    return [c.strip(" -*") for c in _CLAUSE_END.split(text) if c and c.strip(" -*")]


# ---------------------------------------------------------------------------------------------
# Vocabulary shared by the rules
# ---------------------------------------------------------------------------------------------

CHILD = (
    r"(?:child(?:ren)?|kids?|kiddies|dc|ds\d?|dd\d?|sons?|daughters?|step ?(?:son|daughter|kids?|"
    r"child(?:ren)?)s?|bab(?:y|ies)|toddlers?|little (?:one|ones|boy|girl|kids)|nieces?|nephews?|"
    r"grand(?:son|daughter|child(?:ren)?|kids?)s?|boys?|girls?|teens?|teenagers?|minors?|"
    r"under ?age(?:d)?|under[- ]?(?:13|16|18)s?|young(?:er)? (?:kids|children|boys|girls|teens|"
    r"teenagers|people|ones)|pupils?|\d{1,2} ?(?:yo|y/o|yrs? old|years? old|year-old)s?)"
)
ADULT = (
    r"(?:he|she|they|oh|dp|dh|dw|ex|partner|husband|wife|boyfriend|bf|girlfriend|dad|daddy|father|"
    r"mum|mummy|mother|step ?dad|stepfather|uncle|grandad|grandpa|man|someone|somebody|lodger|"
    r"neighbour)"
)
# Whoever could notice a breach: child-protection professionals and the police.
AUTH = (
    r"(?:sw|sws|social ?workers?|ss|social services|children's services|cs|the council|la|"
    r"local authority|supervisors?|contact centre|family centre|police|probation|cafcass|court|"
    r"judge|conference|core group|school|teachers?|nursery|health visitor|hv|guardian|"
    r"anyone|anybody|nobody|no one|them|they|her|him|she|he|the authorities)"
)
AUTH_STRICT = (
    r"(?:sw|sws|social ?workers?|ss|social services|children's services|the council|"
    r"local authority|supervisors?|contact centre|family centre|police|probation|cafcass|"
    r"court|judge|conference|icpc|rcpc|core group|panel|assessors?|the authorities)"
)
DEVICE = (
    r"(?:laptops?|pc|computers?|macbook|phones?|mobiles?|iphone|hard ?drives?|hdd|ssd|"
    r"external drive|tablets?|ipads?|devices?|usbs?|usb sticks?|memory sticks?|sticks|"
    r"memory cards?|sd cards?|sim(?: card)?|files?|folders?|photos|pictures|pics|images|"
    r"videos|messages|chats?|texts|whatsapp|snapchat|icloud|cloud|google drive|dropbox|"
    r"backups?|accounts?|history|browser|evidence|everything|it|them|stuff|things|"
    r"camera|console|xbox|playstation|drive|disk|discs?)"
)
DESTROY = (
    r"(?:wipe|wiping|wipe clean|delete|deleting|deletes|erase|erasing|destroy|destroying|"
    r"smash|smashing|break up|factory[- ]?reset|factory resetting|reset|format|formatting|"
    r"shred|shredding|burn|burning|bin|binning|dump|dumping|chuck|chucking|throw away|"
    r"throw out|ditch|ditching|get rid of|getting rid of|dispose of|disposing of|hide|hiding|"
    r"stash|stashing|bury|burying|clear (?:out|away|off|down|the|his|her|my|all|any|every)|"
    r"clearing (?:out|away|the|his|her|my|all|any)|microwave|drown|scrub|scrubbing|remove all)"
)
INVESTIGATION = (
    r"(?:police|forensic\w*|search(?:es|ed|ing)?|warrant|raid|investigat\w+|officers?|cid|"
    r"recover\w*|evidence|seiz\w+|missed|arrest\w*|before (?:anyone|they|the sw|ss)|"
    r"come back for|look(?:ing)? for)"
)
PARTNER = r"(?:he|oh|dp|dh|partner|husband|boyfriend|bf|ex|dad|daddy|his dad|their dad)"
PARTNER_HOME = (
    PARTNER + r"(?:'s| is| has|s)? (?:\w+ ){0,2}?(?:back living (?:here|at home|with us)|"
    r"living (?:here|with us|at home|back)|moved back(?: in)?|staying (?:over|here|the night)|"
    r"stays (?:over|here)|staying with (?:us|me)|sleep(?:s|ing)? (?:here|over)|"
    r"been staying (?:here|over|with us)|"
    r"back (?:home|in the house|at home|in)|here (?:most|every|all)|round (?:most|every|all))"
)


CONTACT_VERB = (
    r"(?:see|seeing|meet|meet up|meeting up|visit|visiting|stay|staying|live|living|sleep|"
    r"sleeping|come round|come over|have (?:the kids|them|him|her|dc|ds|dd)|take (?:the kids|them|"
    r"dc|ds|dd))\b"
)


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class Rule:
    """`pattern` must match inside one clause; `context`, when set, anywhere in the message."""

    label: TriageLabel
    name: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None  # message-level veto


def _rule(label: TriageLabel, name: str, pattern: str, context: str | None = None,
          unless: str | None = None) -> Rule:
    return Rule(label, name, _r(pattern), _r(context) if context else None,
                _r(unless) if unless else None)


RECENT = (
    r"(?:just|today|tonight|this (?:morning|afternoon|evening)|last night|earlier|right now|"
    r"just now|a (?:few )?(?:minutes?|hours?) ago|an hour ago|\d+ (?:minutes|hours?) ago|"
    r"still here|at the moment|as we speak|when (?:she|he) (?:got|came) (?:home|back)|"
    r"after (?:contact|school|nursery))"
)
SEXUAL_HARM = (
    r"(?:touch(?:ed|ing)? (?:him|her|them|me)\b|touched (?:his|her|their|my) (?:private|bottom|"
    r"willy|bum|vagina|penis|fanny|front|chest|boobs)|(?:hand|hands|fingers?) (?:in|down|inside|"
    r"up) (?:her|his|their|my) (?:knickers|pants|trousers|shorts|skirt|nappy|pyjamas|pjs|top)|"
    r"willy|winkie|privates|private parts|hurt (?:her|his|my|their) (?:bottom|bum|front|privates|"
    r"wee|minnie|foof)|raped?\b|raping|sexually (?:abused|assaulted)|molest\w*|made (?:her|him|"
    r"them|me) (?:do|touch|take|watch|suck|lick|undress|get undressed)|(?:take|took|taking) "
    r"(?:her|his|their|my) (?:clothes|pants|knickers|nappy) off|(?:naked|sexual|rude) "
    r"(?:photos|pictures|pics|videos) of (?:her|him|them)|(?:filming|filmed|photographing|"
    r"photographed|recording) (?:her|him|them|our|my|the) ?(?:daughter|son|kids|children|child|"
    r"dd|ds|dc|baby)?\b)"
)
VIOLENCE_PAST = (
    r"(?:smashed|broken|broke|kicked in|set fire to|pushed|shoved|hit|slapped|punched|kicked|"
    r"strangled|choked|grabbed|dragged|thrown|threw|"
    r"attacked|beaten|beat|bitten|burned|burnt|stabbed|smacked|shaken|shook|raped|assaulted|"
    r"hurt|headbutted|throttled|battered|whacked|snatched|taken|took|locked)"
)

# No third-person subject between a first-person pronoun and what follows ("I think my son ...").
NOT3P = (
    r"(?:(?!\b(?:he|she|they|his|my|our|son|daughter|husband|partner|oh|dh|dp|ds|dd|wife|brother|"
    r"dad|mum|friend|boyfriend|girlfriend)\b)[^.?!]){0,50}?"
)

RULES: tuple[Rule, ...] = (
    # ----------------------------------------------------------------- emergency: self-harm
    _rule("emergency", "kill-self", r"\b(?:kill|killing|kills|hang|hanging|drown|drowning|gas)"
          r" (?:my|him|her|them|your)sel(?:f|ves)\b"),
    _rule("emergency", "suicide", r"\bsuicid"),
    _rule("emergency", "end-life", r"\b(?:end|ending|take|taking|finish|finishing) (?:it all|"
          r"(?:my|her|his|their) (?:own )?(?:life|lives)|myself|everything)\b|\b(?:end|ending|"
          r"finish|finishing) "
          r"(?:it|things) (?:tonight|today|now|for good)\b|\bthinking (?:of|about) (?:ending|"
          r"finishing) (?:it|things)\b"),
    _rule("emergency", "want-die", r"\b(?:want|wants|wanted|wanting|going) to die\b|\bwish (?:i|"
          r"she|he) (?:was|were) dead\b|\bbetter off (?:dead|without me)\b|\b(?:don't|do not|"
          r"doesn't|does not|didn't) want to (?:live|be alive|wake up|be here|exist|carry on|go on|"
          r"be around)\b|\b(?:never|not) (?:to )?wake up\b(?! (?:in time|early|on time))|\b(?:got|"
          r"have|has) the means\b|\bno (?:reason|point) (?:to|in) (?:live|living|"
          r"carry(?:ing)? on|going on|"
          r"being here|waking up)\b|\bwhat'?s the point (?:of|in) (?:anything|living|life|going on"
          r"|carrying on|it all|being here)\b|\bcan't go on(?! like this)\b"),
    _rule("emergency", "farewell", r"\btonight(?:'s| is) the night\b|\bgoodbye (?:text|message|"
          r"note|letter|call|post)\b|\bsuicide note\b|\b(?:won't|will not|not going to) be (?:here|"
          r"around|alive) (?:tomorrow|much longer|anymore|any more|for (?:much )?long|by (?:the )?"
          r"morning)\b|\bsorry to everyone\b|"
          r"\bsay(?:ing)? (?:my )?goodbyes?\b|\b(?:written|wrote|writing|left|leaving) (?:a|my|"
          r"the) "
          r"(?:note|letter|goodbye|will)\b(?! (?:to|for) (?:the )?(?:sw|school|social|court|"
          r"teacher|solicitor))|\bif i (?:wasn't|weren't|was not|were not|was) (?:here|around|"
          r"alive|gone|dead)\b|\b(?:nobody|no one|noone) would (?:even )?(?:notice|care|miss me)\b|"
          r"\bdisappear (?:forever|for good|for ever)\b|\bwho gets what\b|\bgiv(?:e|ing|en) away "
          r"(?:all )?my (?:things|stuff|belongings|possessions)\b|\baffairs in order\b|"
          r"\band then (?:kill )?myself\b"),
    _rule("emergency", "overdose", r"\boverdos"),
    _rule("emergency", "pills-taken", r"\b(?:took|taken|take|swallowed|had|downed|necked|"
          r"popped)\b (?:about |around |like |maybe |over |nearly )?(?:\d+|a (?:whole |full )?"
          r"(?:load|lot|bunch|handful|strip|box|packet|bottle|pack)|all|everything|loads)"
          r"(?: of)?(?: (?:my|the|his|her))?(?: \w+)? (?:pills|tablets|paracetamol|painkillers|"
          r"meds|medication|antidepressants|co-codamol|ibuprofen|insulin|sleeping pills|"
          r"capsules)\b|\bswallowed everything\b"),
    _rule("emergency", "pills-ready", r"\b(?:pills|tablets|meds|medication|paracetamol) "
          r"(?:\w+ )?(?:lined up|ready|saved up|stockpiled|counted out|hidden away)\b|\b(?:saving|"
          r"saved|stockpil\w+|hoard\w*) (?:up )?(?:my |the |some )?(?:pills|tablets|meds|"
          r"medication|paracetamol)\b|\b(?:got|have|with) (?:the|my|all the|all my) (?:pills|"
          r"tablets|"
          r"meds|paracetamol) (?:out|on the table|in front of me|in my hand|next to me)\b"),
    _rule("emergency", "pills-despair", r"\b(?:all|a bottle of|a stash of|a box of|boxes of|"
          r"every one of|loads of|a bag of|a bag full of|a pile of|a handful of) (?:my |the |"
          r"his |her )?(?:pills|tablets|meds|painkillers|"
          r"paracetamol|sleeping pills|antidepressants)\b",
          context=r"\b(?:disappear|end it|can't (?:do|cope|go on|take)|had enough|goodbye|no point"
          r"|die|dead|want out|not be here|sorry|vodka|wine|gin|drink|tonight|forever|be over|over "
          r"with|stop it all)\b"),
    _rule("emergency", "method", r"\b(?:jump|jumping|throw myself|throwing myself|walk|walking|"
          r"step|stepping|drive|driving|crash|crashing) (?:off|into|in front of|under) (?:the |a )?"
          r"(?:bridge|sea|river|train|traffic|lorry|bus|roof|cliff|building|canal|tracks|car)\b|"
          r"\b(?:i'm|i am) (?:standing|sat|sitting|stood|up) (?:on|at) (?:the |a )?(?:edge|ledge|"
          r"bridge|roof|cliff|railway|tracks|platform|top)\b|\bnoose\b|\bgot (?:a|the) rope\b|"
          r"\bengine running\b.{0,40}\bgarage\b|\bgarage\b.{0,40}\bengine running\b"),
    _rule("emergency", "cutting", r"\bi(?:'ve| have)? (?:keep |been |am |'m |just |started )?"
          r"(?:cutting|cut|burning|burnt|burned|hurt|harmed|harming)(?: myself| again| deep"
          r"|\b(?= and it))|\b(?:can't|cannot|won't) stop (?:the )?bleeding\b|\bi keep cutting\b|"
          r"\bbleeding (?:won't stop|heavily|badly|a lot)\b|\b(?:want|going|urge|about) to "
          r"(?:hurt|harm|cut) myself\b"),
    # ----------------------------------------------------------------- emergency: harm now
    _rule("emergency", "violence-just", r"\b(?<!it )(?<!it's )(?<!it has )(?:has |have |had |"
          r"'s )?just (?:\w+ )?" + VIOLENCE_PAST + r"\b(?! home\b)(?:.{0,30})\b(?:me|her|him|them|"
          r"us|my|our|the|his|" + CHILD + r")\b"),
    _rule("emergency", "violence-now", r"\b(?:is|'s|are|'re) (?:hurting|hitting|beating|"
          r"strangling|choking|attacking|abusing|touching|raping|kicking|punching|slapping|"
          r"battering|threatening|shaking|smothering) (?:me|her|him|them|us|my|the|our|" + CHILD +
          r")\b(?!.{0,30}\b(?:for years|"
          r"in the past|before)\b)|\b(?:is|'s|are|'re) being (?:beaten|hit|hurt|attacked|abused|"
          r"raped|strangled|choked|battered|kicked|punched) (?:up )?(?:right now|now|"
          r"as we speak)\b|"
          r"\b(?:i|we) can hear (?:him|her|them|it) (?:hitting|beating|hurting|screaming|"
          r"through)\b|"
          r"\bgoing for (?:him|her|them|me|us|the kids) again\b|\b(?:coming|"
          r"came) at (?:me|us|her|him|them) with\b"),
    _rule("emergency", "violence-just-now", r"\b" + VIOLENCE_PAST + r"\b[^.?!]{0,40}\bjust now"
          r"\b"),
    _rule("emergency", "unresponsive", r"\b(?:not breathing|stopped breathing|unconscious|"
          r"unresponsive|floppy|won't wake up|can't wake (?:him|her|them) up|turning blue|having a "
          r"fit|fitting)\b"),
    _rule("emergency", "held", r"\b(?:won't|will not|wouldn't) let (?:her|him|them|me|us) "
          r"(?:leave|out|get out|come home|go home)\b|\bwon't (?:bring|give|let) (?:them|him|her|"
          r"the kids|the children|dc|ds|dd|the baby) (?:back|home)\b",
          context=r"\b(?:men|man|drunk|party|locked|threat\w*|scared|help|police|sex offender|"
          r"registered|shpo|bail|not allowed|danger|schedule 1|tonight|now)\b"),
    _rule("emergency", "how-many-pills", r"\bhow many (?:\w+ )?(?:paracetamol|pills|tablets|"
          r"painkillers|sleeping pills|antidepressants) (?:it takes|does it take|would it take|"
          r"would kill|to die|to kill|to overdose|is fatal|are fatal|is lethal)\b"),
    _rule("emergency", "drunk-driving-child", r"\b(?:driving|drove|driven|drive|behind the "
          r"wheel|in the (?:car|van))\b",
          context=r"\b(?:drunk|off his face|off her face|high|wasted|been drinking|smashed|"
          r"stoned)\b.*\b(?:driving|drove|driven|wheel|car|van)\b|\b(?:driving|drove|driven|"
          r"wheel|car|van)\b.*\b(?:drunk|off his face|off her face|high|wasted|been drinking|"
          r"stoned)\b",
          unless=r"\b(?:years ago|last year|convict\w*|ban\w*|charged|court)\b"),
    _rule("emergency", "weapon", r"\b(?:threaten\w*|waving|holding|pointing|brandishing|"
          r"locked (?:him|her|them|my)sel(?:f|ves) in)\b.{0,40}\b(?:knife|knives|blade|machete|"
          r"gun|weapon|axe|hammer|bat)\b|\b(?:has|'s got|got|with) (?:a|his|her) (?:knife|blade|"
          r"gun|machete|weapon)\b.{0,60}\b(?:now|kids|children|dc|ds|dd|says|next room|bedroom|"
          r"bathroom|cornered|coming)\b"),
    _rule("emergency", "barricade", r"\b(?:won't|will not|refus\w+ to) (?:open|unlock) the "
          r"door\b|\block(?:ed)? (?:himself|herself|themselves) in with\b|\b(?:banging|hammering|"
          r"kicking|pounding|smashing) (?:on|at|down|in) the (?:front |back )?(?:door|window)s?\b|"
          r"\btrying to (?:break|get|kick) (?:in|the door)\b",
          context=r"\b(?:crying|screaming|scream|stop|help|hurt|drunk|knife|threat\w*|police|not "
          r"allowed|hiding|take the kids|take (?:dc|ds|dd)|scared|terrified)\b"),
    _rule("emergency", "children-hiding", r"\b" + CHILD + r"(?:'s| is| are|'re)? (?:\w+ )?"
          r"(?:hiding|cowering) (?:under|upstairs|in|behind)\b|\bhiding under (?:the |a )?bed\b"),
    _rule("emergency", "present-threat", r"\b(?:here|outside|at the door|in the house|downstairs|"
          r"upstairs|turned up|round here|at the house) (?:right )?now\b|\bright now\b|\bas we "
          r"speak\b|\b(?:he's|she's|they're) (?:still )?(?:here|outside|in the house)\b(?! (?:most|"
          r"every|all))|\b(?:won't|will not|refus\w+ to) (?:leave|go|get out)\b(?! (?:his|her|"
          r"their|my) (?:room|bed)| me alone| the house| home)|\bjust (?:walked|"
          r"barged|burst|turned up|come|came|let himself|got) (?:in|back|round|home)\b",
          context=r"\b(?:drunk|off his face|high|shouting|screaming|threaten\w*|violent|kicking "
          r"off|not allowed|breach\w*|bail|hurting|hitting|knife|in danger|not safe|take (?:the )?"
          r"(?:kids|dc|ds|dd|children|baby)|touch\w*|police told|crying|not supposed to|alone "
          r"with|locked|not to be near|no contact|scared|terrified|broken the (?:sp|plan|order|"
          r"safety plan))\b"),
    _rule("emergency", "danger-now", r"\b(?:in (?:immediate )?danger|not safe|unsafe) (?:right )?"
          r"(?:now|tonight|here)\b"),
    _rule("emergency", "fresh-disclosure", SEXUAL_HARM, context=RECENT,
          unless=r"\b(?:years ago|when (?:i|she|he) was (?:little|young|a child|small)|as a child|"
          r"last year|historic\w*)\b"),
    _rule("emergency", "fresh-injury", r"\b(?:bruises?|bruised|bruising|marks|burns?|black "
          r"eye|bite marks|injur\w+|bleeding|cuts|welts|swollen)\b",
          context=r"\b(?:said|says|told me|telling me) (?:that )?(?:\w+ ){0,2}?(?:did (?:it|this|"
          r"that)|hit|hurt|kicked|punched|smacked|did it to)\b",
          unless=r"\b(?:years ago|last year|when (?:she|he) was (?:little|a baby))\b"),
    _rule("emergency", "caught-filming", r"\b(?:caught|found|walked in on|saw) (?:\w+ ){0,6}?"
          r"(?:(?:filming|photographing|recording|touching|undressing) (?:her|him|them|my|our|his|"
          r"the (?:kids|children|child|baby|girls?|boys?)|a (?:child|kid|girl|boy))|in bed with|"
          r"naked with)\b"),
    _rule("emergency", "grooming-meet", r"\b(?:man|men|stranger|adult|guy|bloke|someone|somebody|"
          r"person|predator)\b.{0,60}\b(?:meet(?:ing)?|pick(?:ing)? (?:her|him|them) up|"
          r"collect(?:ing)? (?:her|him|them)|take (?:her|him) (?:away|somewhere)|come (?:and )?get "
          r"(?:her|him)|waiting (?:for|outside) (?:her|him|them)|outside (?:\w+ ){0,2}(?:school|"
          r"house|home|door))\b.{0,60}\b(?:today|tonight|now|in \d+ ?(?:minutes|hours?)|in (?:an|"
          r"half an)"
          r" hour|after school|this (?:afternoon|evening|morning)|tomorrow)\b",
          context=r"\b(?:online|messages?|messaging|message|texts?|app|snapchat|instagram|insta|"
          r"tiktok|discord|game|gaming|group|groom\w*|stranger|grown man|older man|man (?:she|he) "
          r"met|doesn't know|don't know)\b"),
    _rule("emergency", "missing-child", r"\b" + CHILD + r"\b.{0,40}\b(?:missing|run away|ran "
          r"away|run off|ran off|not come home|hasn't come home|not home|disappeared)\b",
          context=r"\b(?:(?:for|since) (?:\d+|a few|two|three|several) (?:hours|minutes)|tonight|"
          r"can't (?:find|reach|get hold of)|phone(?:'s| is)? off|not answering|left with|gone "
          r"with|met online|with a man|with a stranger)\b"),
    _rule("emergency", "left-with-stranger", r"\b(?:left|gone|went|go) (?:off )?with (?:a|an|some)"
          r" (?:man|stranger|adult|older man|guy|bloke|person)\b"),
    _rule("emergency", "child-taken", r"\b(?:taken|took|snatched|grabbed|has got)\b (?:the |my |"
          r"our )?" + CHILD + r"\b.{0,40}\b(?:from school|from nursery|from the house|and "
          r"(?:won't|isn't|not|gone)|away|off)\b",
          context=r"\b(?:breach\w*|bail|not allowed|never see|threat\w*|police|order|supervis\w*|"
          r"drunk|don't know where|gone|not answering)\b"),
    _rule("emergency", "trying-to-take", r"\b(?:trying|wants|trying) to (?:take|grab|snatch) "
          r"(?:the |my |our )?" + CHILD + r"\b",
          context=r"\b(?:now|here|tonight|drunk|shouting|not allowed|screaming)\b"),
    _rule("emergency", "never-see-again", r"\b(?:never see (?:me|them|you|the kids|her|him) "
          r"again)\b"),
    # ----------------------------------------------------------------- own thoughts
    _rule("own_thoughts", "own-attraction", r"\b(?:i|i'm|i am|i've|i have|i get|i keep|i feel|"
          r"i find|i think|myself|me)\b" + NOT3P + r"\b(?:sexual(?:ly)? (?:thoughts?|urges?|"
          r"feelings?|fantas\w+|attract\w+|interest|arous\w+|drawn)|attracted to|aroused|"
          r"arousal|turned on|urges?|fantasi[sz]\w*|fancy|fancying|drawn to|paedophil\w*|"
          r"pedophil\w*|masturbat\w*|wank\w*|get(?:ting)? off on|(?:thoughts|feelings|urges|"
          r"images)\b[^.?!]{0,15}\bsexual|" + CHILD +
          r" (?:attractive|sexy|arousing|hot))\b",
          context=r"\b" + CHILD + r"\b"),
    _rule("own_thoughts", "own-thoughts-child", r"\b(?:i|i've|i have|i'm|i am|i keep|i get|i'd|"
          r"my own|myself)\b[^.?!]{0,40}?\b(?:thoughts?|thinking|think|feelings?|urges?|fantas\w+|"
          r"images|pictures|feel|stare|staring|stared|look|looking|looked|watch|watching)\b"
          r"[^.?!]{0,30}?\b(?:about|of|towards|toward|for|around|at)\b[^.?!]{0,25}?\b(?:" + CHILD +
          r"|(?:his|her|their|my \w+'s) (?:friends|mates|classmates))\b(?! (?:being|getting|going|"
          r"will|might|not|never|ever|if|in care|future|safe))",
          context=r"\b(?:act on|never act|never do anything|never touch\w*|never done anything|"
          r"monster|disgust\w*|sexual|sex|aroused|turned on|hate myself|paedo\w*|pedo\w*|nonce|"
          r"not (?:right|normal)|isn't (?:right|normal)|wasn't right|shouldn't have|dangerous|a "
          r"danger|before (?:something|anything|i) (?:happens|do)|frighten\w*|terrif\w*|scares? me|"
          r"wrong|(?:scared|frightened|afraid|terrified) of myself)\b"),
    _rule("own_thoughts", "own-thoughts-touch", r"\b(?:i|i'm|i've)\b[^.?!]{0,20}?\b(?:think|"
          r"thinking|thought|fantasi[sz]\w*|dream\w*|imagine|imagining) about (?:touching|kissing|"
          r"being with|having sex with|undressing|doing things to)\b"),
    _rule("own_thoughts", "own-my-thoughts", r"\bmy own (?:thoughts|urges|feelings|attraction|"
          r"interest|behaviour|viewing|sexual)\b[^.?!]{0,30}\b(?:about|towards|toward|around|"
          r"with|in)\b[^.?!]{0,20}\b" + CHILD + r"\b"),
    _rule("own_thoughts", "own-viewing", r"\b(?:i|i've|i have|i did|i had|i was|i keep|i'm|i am|"
          r"i still|i nearly|i've been|myself|me)\b(?: \w+){0,5}? (?:look|looking|looked|view|"
          r"viewing|viewed|download|downloading|downloaded|watch|watching|watched|search|searching|"
          r"searched|save|saving|saved|collect\w*|share|sharing|shared|access\w*|browse|browsing|"
          r"go(?:ing)? back to|went back to) (?:at |for |to )?(?:the |those |these |that |some |"
          r"more |such |pics of |pictures of )?(?:\w+ ){0,2}?(?:images|pictures|pics|photos|"
          r"videos|vids|stuff|material|content|sites|websites|porn|csam|iioc|them|" + CHILD +
          r")\b",
          context=r"\b(?:wrong reasons|i know it's wrong|it's wrong|want to stop|need to stop|help "
          r"(?:me )?(?:to )?stop|how (?:do|can) i stop|can't stop|never do it again|relaps\w+|"
          r"slipp\w+|clean from|went back|go back|nearly|underage|younger than|young teens|"
          r"indecent|illegal|sexual|arous\w+|excited|turned on|i have a problem|iioc|csam|"
          r"it was me|"
          r"i did|the one|hate myself|my "
          r"behaviour|my family safe|(?:scared|frightened|afraid|terrified) of myself|"
          r"don't want to "
          r"hurt anyone)\b",
          unless=r"\b(?:police|sw|they|officer) (?:showed|show) me\b"),
    _rule("own_thoughts", "own-clean-from", r"\b(?:clean|stopped|sober|quit|off|free) (?:from |of "
          r")?(?:looking|viewing|watching|searching)\b|\b(?:went|go|going|nearly went|relapsed|"
          r"slipped) back (?:to|on) (?:those|the|that|these) (?:sites|stuff|images|forums|"
          r"websites|pictures|videos)\b|\b(?:started|starting|begun|been|keep|kept|i'm|i am) "
          r"(?:looking|viewing|searching|watching|downloading) again\b"),
    _rule("own_thoughts", "own-was-me", r"\bit was (?:actually |really )?me (?:who|that|"
          r"downloading|looking|viewing|watching|searching|on)\b|\b(?:i|i'm|i am)(?: was)? the "
          r"(?:partner|husband|dad|father|man|person|oh|dh|dp|boyfriend|wife|mum) (?:who|that) "
          r"(?:was arrested|got arrested|did (?:it|this)|looked|viewed|downloaded|the police "
          r"arrested|they arrested)\b|\b(?:i|i'm|i am)(?: was)? the one "
          r"(?:with the problem|who (?:did|looked|viewed|downloaded|was arrested|they arrested)|"
          r"(?:the )?police (?:arrested|want|are investigating)|they arrested|that (?:did|looked|"
          r"viewed|downloaded))",
          unless=r"\b(?:like|as if|as though) i'm the one\b"),
    _rule("own_thoughts", "own-contact-child", r"\bi(?:'ve| have)? (?:been )?(?:talking|chatting|"
          r"messaging|texting|speaking|sexting|snapchatting|sending (?:messages|texts|pics|photos|"
          r"pictures|stuff)|sent (?:messages|texts|pics|photos|pictures|stuff)) (?:to|with) "
          r"(?:a |an |this |some )?" + CHILD +
          r"\b[^.?!]{0,60}\b(?:sexual|sexy|dirty|nudes?|naked|pics|inappropriate|flirt\w*)\b"),
    _rule("own_thoughts", "own-habit", r"\bmy (?:porn|viewing|online|internet|search|browsing) "
          r"(?:habit|use|addiction|viewing|history)\b[^.?!]{0,80}\b(?:young|younger|teen\w*|"
          r"underage|kids|"
          r"children|minors|dark|illegal)\b"),
    _rule("own_thoughts", "own-paedophilic", r"\b(?:i|i've|i have|i get|i keep|my own|i'm "
          r"having|i am having)\b" + NOT3P + r"\b(?:paedophil\w*|pedophil\w*|paedo) (?:thoughts|"
          r"urges|feelings|tendencies|interests?|attraction|fantas\w+|disorder)\b|\b(?:i'm|i am|"
          r"i might be|i may be|i think i'm|i think i am|i must be|am i) (?:a )?(?:paedophile|"
          r"pedophile|paedo|nonce)\b"),
    _rule("own_thoughts", "own-worried-myself", r"\b(?:worried|scared|frightened|afraid|"
          r"terrified|concerned|don't trust myself) (?:about |of |for )?(?:myself|what i (?:might|"
          r"could) do)\b[^.?!]{0,20}\b(?:around|with|near|alone with|when i'm with)\b[^.?!]{0,20}"
          r"\b" + CHILD + r"\b|\bthoughts? (?:that )?no (?:parent|adult|grown up|grown-up|"
          r"grandparent|mum|dad|mother|father|uncle|aunt|one) should (?:ever )?have\b|\b(?:sexual|"
          r"aroused|turned on)\b[^.?!]{0,25}\bin my (?:head|mind)\b"),
    _rule("own_thoughts", "own-struggling-not-to-look", r"\b(?:struggling|trying|fighting|"
          r"finding it hard|hard|hardest thing) not to (?:look|view|search|download|go back|"
          r"watch)\b",
          context=r"\b(?:register|bail|iioc|images|relaps\w*|sites|arrest\w*|police|offend\w*|"
          r"urges?|again|" + CHILD + r")\b"),
    _rule("own_thoughts", "own-am-i", r"\bam i (?:a )?(?:paedo\w*|pedo\w*|nonce|monster|danger "
          r"to (?:kids|children))\b"),
    _rule("own_thoughts", "help-for-people-attracted", r"\b(?:help|support|therapy|therapists?|"
          r"counsel\w+|someone|anyone|helplines?|services?|groups?|places?|where)\b[^.?!]{0,40}?"
          r"\b(?:for|with|to) (?:people|someone|men|women|adults|those|anyone|a person|folk|others)"
          r"(?: like me)? (?:(?:who|that|with) )?(?:are |have |feel )?[^.?!]{0,15}?(?:attract\w+|"
          r"fancy|fancies|sexual(?:ly)? (?:interest|attract\w+|drawn|thoughts|urges)|urges|drawn "
          r"to|interest in|thoughts about|aroused)\b[^.?!]{0,30}\b" + CHILD + r"\b",
          unless=r"\b(?:asking (?:for|about|on behalf of)|for (?:my|a) (?:husband|partner|brother|"
          r"son|dad|father|friend|oh|dp|dh)|my (?:husband|partner|brother|son|dad|father|friend|oh|"
          r"dp|dh|boyfriend|bf|uncle|cousin)(?:'s)? (?:has|is|says|said|admitted|confessed|told)|"
          r"(?:he|she) (?:has|is|says|said|admitted|confessed))\b"),
    # ----------------------------------------------------------------- decline: detection
    _rule("decline", "without-knowing", r"\bwithout (?:the |our |my |her |his |their |any |"
          r"a )?" + AUTH + r"(?:'s)? (?:\w+ )?(?:knowing|finding out|noticing|seeing|clocking|"
          r"realising|realizing|spotting|catching on|suspecting|hearing|twigging|cottoning on|"
          r"getting wind)\b|\bwithout (?:it|this|that|anything|anyone|him|them) (?:\w+ )?"
          r"(?:getting back|showing up|coming up|being (?:seen|noticed|traced|recorded|logged|"
          r"found|spotted|detected|reported|flagged)|leaving (?:a )?(?:trace|record))\b|\bwithout "
          r"(?:getting|being) (?:caught|found out|noticed|seen|spotted|reported|detected)\b"),
    _rule("decline", "hide-from-auth", r"\b(?:hide|hiding|hid|conceal\w*|keep (?:it|this|that|"
          r"the fact))\b[^.?!]{0,40}?\bfrom (?:the |our |my |her |his )?" + AUTH_STRICT + r"\b",
          context=r"\b(?:partner|oh|dh|dp|husband|boyfriend|bf|he|he's|him|his|visit\w*|stay\w*|"
          r"living|lives|sleep\w*|contact|kids|children|dc|ds|dd|back home|moved back)\b",
          unless=r"\b(?:hid|hide|hidden|hiding) nothing\b|\b(?:not|never|didn't|don't|won't|haven't|"
          r"wasn't|weren't|isn't|aren't) (?:\w+ )?(?:hide|hid|hidden|hiding|concealing)\b"),
    _rule("decline", "nobody-finding-out", r"\b(?:and|so|with|without|that|where|how) (?:that )?"
          r"(?:nobody|no one|anyone|none of them) (?:\w+ )?(?:finding out|find out|finds out|"
          r"noticing|notices|notice|would know|will know|'d know|ever knows?|sees|seeing|can tell|"
          r"suspects|clocks|twigs)\b"),
    _rule("decline", "so-they-dont", r"\b(?:so|make sure|making sure|ensure) (?:that )?"
          r"(?:the )?(?:" + AUTH + r"|it|nothing)"
          r"(?:'s| is| are|'re)? (?:don't|doesn't|do not|does not|won't|will not|can't|cannot|"
          r"never|wouldn't|couldn't|isn't|aren't|dont)(?: \w+)? (?:notice|know|find out|realise|"
          r"realize|see|suspect|connect|check|recover|read|trace|track|access|clock|spot|twig|"
          r"catch on|get (?:it|them) back|pick up on|show up|link)\b"),
    _rule("decline", "cant-be-recovered", r"\b(?:so|that) (?:that )?(?:it|they|them|the \w+|"
          r"nothing|no one|nobody|police|forensics?|anyone)(?:'s| is| are)? (?:can't|cannot|won't|"
          r"will never|never|couldn't|can never) (?:be )?(?:recover\w*|restor\w*|trace\w*|find|"
          r"found|read|retriev\w*|get (?:it|them) back|access\w*|undelet\w*)\b|\bpermanently "
          r"(?:delete|deletes|deleting|erase|wipe|remove)\b"),
    _rule("decline", "will-they-find-out", r"\b(?:will|would|could|can|do|does|might) (?:the )?"
          + AUTH + r" (?:ever|even|actually|really|possibly) (?:find out|know|notice|check|realise|"
          r"clock|twig|see|tell)\b|\bno way (?:that )?(?:they|she|he|ss|sw|anyone|anybody|the "
          r"\w+)(?:'d| would| will| could| can)? (?:ever )?(?:know|find out|notice|tell|see|check)"
          r"\b|\bhow (?:would|will|could) (?:they|ss|sw|she|he|anyone|anybody|the \w+) (?:ever )?"
          r"(?:know|find out|notice|tell)\b|\b(?:they|ss|sw|she|the sw|police) (?:can't|cannot|"
          r"won't|wouldn't) (?:check|know|find out|prove|tell)\b.{0,15}\b(?:can|will|would|could) "
          r"(?:they|she|he|it)\b|\b(?:they|ss|sw|she|he|the sw|police|anyone|nobody|no one) "
          r"(?:will|would|'ll|'d) never (?:check|know|find out|notice|realise|see)\b"),
    _rule("decline", "keep-quiet", r"\b(?:keep|keeping|kept) (?:it|this|that|things|them|"
          r"everything|him|his visits?|the visits?|contact)(?: \w+)? (?:quiet|secret|hidden|under "
          r"wraps|between us|on the down ?low|hush|off the record|off the books)\b",
          context=r"\b" + AUTH_STRICT + r"\b"),
    _rule("decline", "stop-reporting", r"\b(?:stop|prevent|keep|avoid) (?:the )?" + AUTH_STRICT +
          r" (?:from )?(?:reporting|recording|writing (?:it|that|this) (?:down|up)|noting|logging|"
          r"passing (?:it|that|this) on|finding out|knowing|mentioning|putting (?:it|that) in)\b"),
    _rule("decline", "not-tell-auth", r"\b(?:can|could|should|shall) (?:we|i) (?:just )?(?:not|"
          r"never|avoid) (?:tell|telling|inform|informing|mention|mentioning|"
          r"let on to)\b[^.?!]{0,20}"
          r"\b" + AUTH_STRICT + r"\b|\b(?:we|i)(?:'ll| will) (?:just )?(?:not|never) (?:tell|"
          r"inform|mention it to)\b[^.?!]{0,20}\b" + AUTH_STRICT + r"\b",
          context=r"\b(?:alone|unsupervised|let him|stay(?:ing|s)? over|take (?:the )?(?:ds|dd|dc|"
          r"kids|children|them|baby)|see (?:the )?(?:kids|dc|ds|dd|children|baby)|come round|"
          r"visit\w*|moved back|living here|back home|sleep\w* (?:here|over))\b"),
    # ----------------------------------------------------------------- decline: evidence
    _rule("decline", "destroy-device", r"\b" + DESTROY + r"\b(?:[^.?!]{0,40}?)\b" + DEVICE + r"\b",
          context=r"\b" + INVESTIGATION + r"\b"),
    _rule("decline", "device-gone-before", r"\b" + DEVICE + r"\b[^.?!]{0,60}\b(?:gone|out of the "
          r"(?:house|way|loft)|hidden|somewhere (?:safe|else)|"
          r"away)\b[^.?!]{0,30}\bbefore (?:anyone|"
          r"anybody|they|the police|police|officers|ss|the sw|sw)\b"),
    # ----------------------------------------------------------------- decline: children
    _rule("decline", "coach-child", r"\b(?:tell|telling|get|getting|make|making|prep|prepping|"
          r"prepare|preparing|coach|coaching|brief|briefing|train|teach|practise|practice|"
          r"rehearse|script)\b (?:\w+ ){0,2}?(?:him|her|them|" + CHILD + r")\b[^.?!]{0,30}?\b"
          r"(?:to say(?! (?:if|when|how (?:he|she|they) feels?))|what to say|so (?:that )?(?:they|"
          r"he|she) (?:say|says|tell|tells|don't|doesn't|won't)|to tell (?:the|them|her|him|sw|ss|"
          r"police|school|teachers?)|not to (?:say|tell|mention)|to keep (?:quiet|it quiet|schtum|"
          r"their mouths? shut|a secret|secrets|it secret|it to (?:themselves|himself|herself))|"
          r"to (?:stop|not) (?:telling|talking|mentioning|saying)|to deny|to lie|to forget)"),
    _rule("decline", "child-not-mention", r"\b(?:make sure|ensure|so|how (?:do|can|could) (?:i|we)"
          r" (?:make sure|ensure|get))\b[^.?!]{0,20}?\b(?:" + CHILD + r"|they|he|she)\b (?:don't|"
          r"do not|doesn't|does not|won't|never|not) (?:mention|say|tell|talk about|let slip|"
          r"bring up|blab|say anything)\b"),
    _rule("decline", "stop-child-telling", r"\b(?:" + CHILD + r"|him|her|them)\b[^.?!]{0,15}?"
          r"\b(?:stop|stopping|quit|from) (?:telling|mentioning|saying|talking about|blabbing)\b"
          r"[^.?!]{0,60}\b(?:about|that)\b[^.?!]{0,30}\b(?:coming|visiting|visits|been round|"
          r"staying|round|over|here|home|back|seeing|sees|sleeping|stays)\b"),
    _rule("decline", "silence-child", r"\b(?:make|get|stop) (?:her|him|them)(?: to)? stop\b|"
          r"\bstop (?:her|him|them) (?:from )?(?:telling|saying|mentioning|talking)\b|\b(?:shut|"
          r"quiet|keep) (?:her|him|them) (?:up|quiet)\b",
          context=r"\b(?:telling|tells|told|mentioning|talking about|saying)\b[^.?!]{0,30}\b"
          r"(?:nursery|school|teachers?|sw|social worker|ss|police|supervisor|childminder|"
          r"everyone)\b[^.?!]{0,40}\b(?:coming|visiting|visits|been round|staying|round|over|here|"
          r"home|back|seeing|sees|sleeping|stays)\b"),
    _rule("decline", "so-no-trouble", r"\b(?:say|tell|answer|answers|give|story|word|put)\b"
          r"[^.?!]{0,80}\bso (?:that )?(?:\w+ ){0,2}?(?:doesn't|don't|won't|does not|will not) "
          r"(?:get|end up) (?:in|into) trouble\b",
          context=r"\b(?:police|interview|abe|sw|social worker|ss|court|conference|" + CHILD +
          r")\b"),
    # ----------------------------------------------------------------- decline: deceiving
    _rule("decline", "lie-to", r"\b(?:lie|lying|lied|mislead|misleading|deceive|deceiving|trick|"
          r"tricking|fool|fooling|con|conning|pull the wool over|bluff|bluffing) (?:to )?(?:the |"
          r"my |our |her |his |their )?(?:" + AUTH_STRICT + r"|(?:unannounced |home )?visits?)\b"
          r"|\b(?:what|which|best|good) lies\b|\blies (?:to tell|that work|work best)\b|\b(?:lie|"
          r"lying|fib) (?:on|in|at) (?:the |a |my |our )?(?:form|forms|statement|conference|"
          r"meeting|"
          r"interview|assessment|application|declaration|court|core group|icpc)\b",
          unless=r"\b(?:thinks? (?:i'm|i am|i was) lying|accus\w+ (?:me )?of lying|said i (?:was|"
          r"am) lying|not lying|wasn't lying|i'm lying)\b"),
    _rule("decline", "cover-story", r"\b(?:a |an |the |some )?(?:story|excuse|cover story|alibi|"
          r"fib|lie|cover) (?:for|to (?:tell|give)|to use (?:with|on)) (?:the |my |our )?(?:"
          + AUTH_STRICT + r")\b"),
    _rule("decline", "make-it-look", r"\b(?:make|makes|making) (?:it|things|everything|us|"
          r"the house|the flat) (?:look|sound|seem|appear) (?:like|as if|as though|that)\b|\bmake "
          r"(?:it|this|that|the story) (?:believable|convincing|credible|sound true|sound real|"
          r"plausible)\b|\bpretend (?:that )?(?:we've|we have|we are|we're|he's|he has|he is) "
          r"(?:\w+ )?(?:split|separated|broken up|moved out|left|apart|not together|gone)\b"),
    _rule("decline", "contradiction", r"\((?:he|she|they|we|i)(?:'s|'re|'ve| )\s?[^)]{0,30}"
          r"\b(?:not|never|n't|hasn't|isn't|didn't|really|actually|here|living|staying|still|did|"
          r"lives)\b[^)]{0,20}\)|\bwhen "
          r"(?:he|she|they|oh|dp|dh|we)(?:'s| is| are|'re)? (?:really|actually|still) (?:here|"
          r"living|"
          r"staying|home|at home|back|around|with|together|a couple|seeing each other)\b|\b(?:i|"
          r"we) (?:did|actually did|really did) "
          r"(?:know|knew|let|see|leave)\b|\b(?:even though|even tho|though|when|but) (?:he|she|"
          r"they|it)(?:'s| is| are|'re|'ll| will| would|'d)? (?:won't|will not|isn't|is not|"
          r"aren't|not|"
          r"doesn't|don't)? ?(?:actually|really) \w+|\bbut (?:we|he|she|they)(?:'ll| will|'re| are|"
          r"'s| is)? (?:just )?(?:keep|carry on|continue|still be|secretly) (?:\w+ )?(?:living|"
          r"seeing|staying|together|meeting|sleeping)\b",
          context=r"\b(?:say|tell|believe|think|convince|statement|write|story|look like|sound "
          r"like|make|claim|word|give|name|put down|pretend)\b"),
    _rule("decline", "false-address", r"\b(?:give|giving|use|using|put|putting|register|list|"
          r"say|provide)\b[^.?!]{0,20}\b(?:a |an )?(?:different|fake|false|made up|another|other|"
          r"separate) address\b", context=r"\b(?:so|ss|sw|social|police|they|connect|know)\b"),
    _rule("decline", "statement-deny", r"\b(?:statement|letter|text|message|email|note) "
          r"(?:saying|that says|to say|stating|claiming)\b[^.?!]{0,20}\b(?:i|we|he|she) (?:had no"
          r" idea|didn't know|never knew|knew nothing|wasn't|was never|has never|hasn't been|never"
          r" (?:saw|came|stayed))\b", context=r"\b(?:did know|actually|really|but|don't want)\b"),
    _rule("decline", "partner-wants-me-to-say", r"\b(?:he|oh|dp|dh|partner|husband)(?:'s)? "
          r"(?:wants|asked|told|is asking|keeps asking|begged|is pressuring|pressured) me to (?:say"
          r"|claim|pretend|lie|deny|tell (?:them|the police|the sw|ss|the social worker))\b"
          r"[^.?!]{0,30}\b(?:never|wasn't|didn't|not|nothing|no)\b"),
    _rule("decline", "deny-despite", r"\b(?:want to|going to|will|i'll|can i|should i|could i|"
          r"planning to|thinking of) (?:just )?(?:say no|deny|denying|say (?:he|she|"
          r"they) (?:hasn't|"
          r"wasn't|didn't|never|isn't|doesn't|hadn't)|say nothing|tell (?:them|her|him|the sw|ss|"
          r"the "
          r"police) (?:no|nothing))\b[^.?!]{0,40}\b(?:even though|even tho|although|though|when) "
          r"(?:he|she|they|we)(?:'s| has| had| was| is| did)? (?:\w+ )?(?:did|has|had|was|is|"
          r"stayed|stays|came|comes|does|lives|living|slept|been|here|round)\b"),
    _rule("decline", "hide-messages", r"\b(?:hide|hides|hiding|hidden|secret|vault|disguise\w*|"
          r"conceal\w*) (?:\w+ ){0,2}?(?:messages|chats|texts|photos|apps?|contacts|calls|call log|"
          r"conversations|whatsapps)\b", context=r"\b" + AUTH_STRICT + r"\b"),
    _rule("decline", "sneak-in", r"\b" + PARTNER + r" (?:could|can|will|would|'ll|might|just)? ?"
          r"sneak\w*\b|\bsneak (?:him|her|them) (?:in|round|over|out)\b|\b(?:leave|go|gone|out|"
          r"leaves) before (?:the )?(?:sw|ss|supervisor|social worker|police|visit|they) (?:comes?|"
          r"arrives?|gets? (?:here|there)|visits?|turns? up|checks?)\b"),
    # ----------------------------------------------------------------- decline: supervision
    _rule("decline", "partner-home-hide", PARTNER_HOME,
          context=r"\b(?:hide|hiding|put away|putting away|tidy away|clear away|pack away|stash|"
          r"get rid of|remove|(?:don't|doesn't|won't|not) (?:notice|see|realise|spot|clock)|"
          r"notice|spot|tips|pass|passing|look like|keep (?:it|this|that) (?:quiet|secret))\b"),
    _rule("decline", "pass-visit", r"\b(?:pass|passing|beat|beating|get through|getting through|"
          r"fool|fooling|trick|tricking|cheat|cheating|dodge|dodging|avoid|avoiding|survive)\b"
          r"[^.?!]{0,30}\b(?:unannounced|home|surprise|spot|sw|social worker) (?:visits?|checks?|"
          r"inspections?|calls?)\b", context=PARTNER_HOME),
    _rule("decline", "get-round-rules", r"\b(?:get|getting|work|working|go|going|sneak|sneaking)"
          r" (?:round|around|past) (?:the |his |her |our |a |this )?(?:supervis\w+|rules?|plan|"
          r"safety plan|order|court order|shpo|conditions|bail(?: conditions)?|ban|restrictions|"
          r"cpp|"
          r"cp plan|agreement|written agreement|sw|social worker|visits?)\b|\b(?:bypass|dodge|"
          r"evade|circumvent|sneak past|ignore|break|breaking|breach|breaching)\b (?:the |his |"
          r"her |"
          r"our )?(?:\w+ )?(?:supervision|order|shpo|conditions|bail|plan|agreement)\b[^.?!]{0,40}"
          r"\b(?:without|so (?:they|no one|nobody)|get away|caught|find out|notice)\b|\bturn(?:s|"
          r"ing)?"
          r" a blind eye\b|\b(?:avoid|avoiding|dodge|dodging|get out of|evade|evading|skip|"
          r"skipping)\b (?:\w+ ){0,3}?(?:the (?:sex offenders? )?register|registering|notification|"
          r"notifying|signing on|sign on)\b"),
    _rule("decline", "flee-abroad", r"\b(?:abroad|out of the country|overseas|to another "
          r"country)\b[^.?!]{0,60}\b(?:before (?:the )?(?:conference|icpc|court|hearing|ss|sw|"
          r"they|police|anyone)|so (?:that )?(?:ss|sw|they|the court|the police|no one|nobody) "
          r"(?:can't|cannot|won't|don't|can never))\b"),
    _rule("decline", "distract-supervisor", r"\b(?:get|getting|keep|keeping|send|sending|"
          r"distract|distracting|lure|leave)\b (?:her|him|them|the supervisor|supervisor|the sw|the"
          r" worker)\b[^.?!]{0,20}\b(?:out of the (?:room|way|house)|away|busy|distracted|"
          r"occupied|elsewhere)\b",
          context=r"\b(?:supervis\w+|contact|alone|on (?:his|her) own|unsupervised)\b"),
    _rule("decline", "fake-supervision", r"\bsupervis\w*\b[^.?!]{0,60}\b(?:'d|'ll|will|would|"
          r"could|can|happy to|going to|willing to|then) (?:\w+ ){0,3}?(?:leave (?:them|him|the "
          r"kids|dad|us) (?:to it|alone|on their own)|not (?:actually )?be (?:there|in the room|"
          r"around)|(?:go|pop|nip) out)\b"),
    _rule("decline", "secret-contact", r"\b(?:secretly|in secret|on the quiet|on the sly|behind "
          r"(?:the |their |her |his )?(?:" + AUTH_STRICT + r"|their|her|his)(?:'s)? backs?)\b"
          r"[^.?!]{0,60}\b" + CONTACT_VERB + r"|\b" + CONTACT_VERB + r"[^.?!]{0,60}\b(?:secretly|"
          r"in secret|on the quiet|on the sly|behind (?:the |their |her |his )?(?:" + AUTH_STRICT +
          r"|their|her|his)(?:'s)? backs?)\b"),
    _rule("decline", "when-not-looking", r"\bwhen (?:the )?(?:" + AUTH_STRICT + r"|they|she|he) "
          r"(?:aren't|isn't|are not|is not|'re not|'s not) (?:looking|around|there|watching|"
          r"checking)\b", context=r"\b(?:how|keep|quiet|secret|hide|get away|okay|ok|fine)\b"),
)

# Clauses that only ask about the rules, rights or consequences, or that say the writer is safe.
GUARDS: dict[TriageLabel, re.Pattern[str]] = {
    "emergency": _r(
        r"^(?:and |but |also |so )?(?:what|how) (?:should|do|would|can|could|will) (?:i|we|you|"
        r"someone|people|parents|a parent|ss|sw|they|police|social workers) (?:do |react |respond "
        r"|tell |know |decide |assess |judge )?(?:if|when|whether)\b|^(?:and |but |"
        r"also )?what if\b|"
        r"\bwhat happens (?:if|when)\b|\bwhat counts as\b|\bwhat (?:are|is) (?:the )?(?:signs|"
        r"risk)\b|\bhow do (?:ss|sw|they|police|social workers|you|i) (?:decide|know|assess|tell|"
        r"judge)\b|\bin case\b|\b(?:i'm|i am) (?:safe|ok|okay|not suicidal)\b|\bnot (?:going|"
        r"planning) to (?:do anything|hurt myself|harm myself|act)\b|\bnot suicidal\b|"
        # something that is over ("tried to kill himself two years ago"), unless it is back now
        r"^(?!.*\b(?:tonight|right now|today|again|this time|still (?:want|feel|think)|"
        r"going to|gonna|about to|(?:has|have|had|'s) just|just now)\b).*\b(?:(?:years?|months?|"
        r"weeks?) ago|last (?:year|month|"
        r"summer|winter|spring|autumn)|in the past|used to|a history of|when (?:i|he|she) was "
        r"(?:younger|a teenager|a teen|little|at school|a child|arrested|charged|"
        r"first arrested))\b|"
        r"\b(?:doing (?:a lot |much )?better|getting better|got help|had help|recovered)\b|"
        # information about suicide risk in general, not a person at risk
        r"^(?!.*\b(?:i'm|i am|i feel|i've|myself|me)\b).*\b(?:reduce|reducing|prevent\w*|risks? "
        r"of|rates? of|awareness|statistics)\b[^.?!]{0,30}\bsuicid|"
        r"^(?:and |but )?(?:if|when) (?:a|any|your) (?:child|young person|person)\b|"
        r"^(?:and |but )?(?:if|when) (?:someone|anyone|somebody)\b"
    ),
    "own_thoughts": _r(r"\b(?:asking (?:for|about|on behalf of) (?:my|a) \w+)\b"),
    "decline": _r(
        r"\bwhat happens (?:if|when)\b|\bis it (?:illegal|an offence|a crime|against the law|"
        r"legal|allowed|ok|okay|alright|a breach|a problem)\b|\bam i (?:allowed|obliged)\b|"
        r"\b(?:can|could) (?:i|we) (?:refuse|say no|decline)\b|\bis (?:that|this|it) a breach\b|"
        r"\bdoes (?:that|it|this) count\b|\bwhat counts as\b|\b(?:own up|come clean|be honest|"
        r"tell the truth|admit it)\b|\bproper (?:way|route)\b|\b(?:can|could) the police still\b|"
        r"\bbefore (?:selling|recycling|donating|trading (?:it )?in|upgrading)\b|"
        r"\b(?:do not|don't|never|shouldn't|should not|without) (?:\w+ )?(?:tell|telling|coach|"
        r"coaching|prep|prepping|script|scripting) (?:your \w+|my \w+|our \w+|them|him|her)\b"
    ),
}

# Benign phrases removed before any rule looks (they negate the risky reading).
_STRIP = _r(
    r"\bwithout (?:\w+ ){0,3}?(?:telling|coaching|prompting|putting words|influencing|leading|"
    r"scripting)[^,.?!]*"
)


def rule_label(message: str) -> tuple[TriageLabel, str] | None:
    """The highest-priority label whose rule fires on the message, with the rule's name."""
    text = _STRIP.sub(" ", normalise(message))
    parts = clauses(text)
    found: list[tuple[int, TriageLabel, str]] = []
    for rule in RULES:
        if rule.context is not None and not rule.context.search(text):
            continue
        if rule.unless is not None and rule.unless.search(text):
            continue
        guard = GUARDS.get(rule.label)
        for part in parts:
            if guard is not None and guard.search(part):
                continue
            if rule.pattern.search(part):
                found.append((PRIORITY[rule.label], rule.label, rule.name))
                break
    if not found:
        return None
    found.sort(key=lambda f: f[0])
    _, label, name = found[0]
    return label, f"rule:{label}:{name}"


# ---------------------------------------------------------------------------------------------
# Similarity to curated examples
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageModel:
    """Example phrasings embedded once; `embed` turns texts into unit vectors."""

    labels: tuple[str, ...]
    vectors: dict[str, np.ndarray]
    embed: Callable[[Sequence[str]], np.ndarray]
    threshold: float = 0.60
    margin: float = 0.06
    k: int = 3
    matrix: np.ndarray | None = None
    owners: tuple[str, ...] = ()


@functools.cache
def load_examples() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(
        resources.files("assistant.data").joinpath("triage_examples.yaml").read_text("utf-8")
    )
    return {label: tuple(str(x) for x in raw[label]) for label in (*RISKY, "benign")}


def build_triage_model(embed: Callable[[Sequence[str]], np.ndarray]) -> TriageModel:
    """Embed every example once (one batch) and keep them as one matrix for the kNN vote."""
    examples = load_examples()
    labels = tuple(examples)
    texts = [t for label in labels for t in examples[label]]
    owners = tuple(label for label in labels for _ in examples[label])
    matrix = np.asarray(embed(texts), dtype=np.float32)
    vectors: dict[str, np.ndarray] = {}
    start = 0
    for label in labels:
        n = len(examples[label])
        vectors[label] = matrix[start : start + n]
        start += n
    return TriageModel(labels, vectors, embed, matrix=matrix, owners=owners)


def _segments(message: str) -> list[str]:
    """Sentences (and clauses) of the message worth embedding, plus the whole message."""
    segs: list[str] = []
    for s, e in sentence_spans(message):
        piece = message[s:e].strip()
        for part in clauses(piece) if len(piece.split()) > 25 else [piece]:
            if len(part.split()) >= 3 and part not in segs:
                segs.append(part)
    whole = message.strip()
    if whole and whole not in segs:
        segs.append(whole)
    return segs


triage_segments = _segments


# Similarity proposes a label only for a segment that also carries that label's lexical cue, so a
# question that merely shares the nouns ("when do we get the laptop back?") cannot be declined.
SIM_CUES: dict[TriageLabel, re.Pattern[str]] = {
    "emergency": _r(r"."),
    "own_thoughts": _r(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine|people like me)\b"),
    "decline": _r(
        r"\b(?:hide|hides|hiding|hidden|secret\w*|without|find out|finding out|notic\w+|"
        r"suspect\w*|realis\w+|delete|deleting|wipe|wiping|erase|destroy\w*|get rid|dispose|"
        r"dump|chuck|smash|reset|pretend\w*|lie|lying|lies|fool|trick|cover|story|excuse|say|"
        r"tell|word|convince|believ\w+|look like|sound like|quiet|mention|avoid|sneak\w*|dodge|"
        r"round|around|blind eye|away with|caught|recover\w*|trace|clock\w*|keep \w+ from|"
        r"disappear|(?:do|does)n't need to know|not (?:tell|say))\b"
    ),
}


def _similar_label(
    model: TriageModel, segs: list[str]
) -> tuple[TriageLabel, str, list[tuple[str, float]]]:
    """kNN vote per segment (one batch embedding); best risky segment by priority, then score."""
    vecs = np.asarray(model.embed(segs), dtype=np.float32)
    if model.matrix is not None:
        matrix, owners = model.matrix, model.owners
    else:
        matrix = np.vstack([model.vectors[label] for label in model.labels])
        owners = tuple(label for label in model.labels for _ in model.vectors[label])
    owner_arr = np.array(owners)
    sims = vecs @ matrix.T  # segments x examples
    best_by_label = {label: sims[:, owner_arr == label].max(axis=1) for label in model.labels}
    benign = best_by_label.get("benign", np.zeros(len(segs)))
    scores: list[tuple[str, float]] = [(r, float(best_by_label[r].max())) for r in RISKY]
    hits: list[tuple[int, float, TriageLabel, str]] = []
    k = min(model.k, sims.shape[1])
    for i, seg in enumerate(segs):
        votes: dict[str, float] = {}
        for j in np.argsort(-sims[i])[:k]:
            votes[owners[j]] = votes.get(owners[j], 0.0) + float(sims[i, j])
        winner = max(votes, key=lambda lab: votes[lab])
        label = next((r for r in RISKY if r == winner), None)
        if label is None:  # the benign look-alikes won the vote
            continue
        norm = _STRIP.sub(" ", normalise(seg))
        if not SIM_CUES[label].search(norm) or GUARDS[label].search(norm):
            continue
        best = float(best_by_label[label][i])
        if best >= model.threshold and best - float(benign[i]) >= model.margin:
            hits.append((PRIORITY[label], -best, label, seg))
    if not hits:
        return "none", "", scores
    hits.sort()
    _, _, top_label, top_seg = hits[0]
    return top_label, top_seg, scores


def triage(message: str, model: TriageModel | None = None) -> Triage:
    """Label a message emergency / own_thoughts / decline / none.

    Rules first: a rule that fires decides (they are precise, and similarity confuses labels that
    share vocabulary, e.g. a child *telling* a teacher). Otherwise the similarity layer decides.
    """
    ruled = rule_label(message)
    if ruled:
        return Triage(label=ruled[0], reasons=(ruled[1],))
    if model is None or not message.strip():
        return Triage(label="none")
    label, seg, scores = _similar_label(model, _segments(message))
    if label == "none":
        return Triage(label="none", scores=tuple(scores))
    return Triage(label=label, reasons=(f"similar:{label}:{seg[:60]}",), scores=tuple(scores))
