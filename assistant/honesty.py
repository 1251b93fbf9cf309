"""Honesty checks on the question itself: predictions we must not make, and other UK nations."""

from __future__ import annotations

import re

PREDICTION = (
    r"\bwill (i|we|they|he|she|ss|social services|the council|the court|the judge)\b.{0,40}\b(keep|lose|get (them|the (kids|children)|my (kids|children|dc)) back|take (them|the (kids|children)|my (kids|children|dc|son|daughter|baby))|remove|go to (prison|jail)|be (jailed|sentenced|removed|taken)|adopt)",
    r"\bhow long will (he|she|they|my \w+|oh|dh|dp)\b.{0,30}\b(get|go down|serve|be sentenced|go to prison|be in prison)",
    r"\bwhat sentence\b|\bhow many years will\b|\b(chances|odds|likely|likelihood)\b.{0,40}\b(keep|lose|removed|taken|prison|jail|custod|sentence)",
    r"\b(am i|are we) going to lose\b|\bwill i ever get\b",
    r"\bwill (the|my) (council|local authority|la|ss)\b.{0,40}\b(accept|agree|approve)\b",
    r"\b(divorce|financial) settlement\b",
)

NATIONS = {
    "wales": r"\b(wales|welsh|cardiff|swansea|newport|social services and well-?being)\b",
    "scotland": r"\b(scotland|scottish|glasgow|edinburgh|aberdeen|dundee|children'?s hearings?|children'?s reporter|children'?s panel)\b",
    "northern-ireland": r"\b(northern ireland|belfast|hsc trust|health and social care trust|derry|londonderry)\b",
}


def needs_individual_advice(question: str) -> bool:
    """A prediction or a decision about this family's case: general guidance cannot answer it."""
    text = question.lower().replace("’", "'")
    return any(re.search(p, text) for p in PREDICTION)


def other_nation(question: str) -> str | None:
    text = question.lower().replace("’", "'")
    for nation, pattern in NATIONS.items():
        if re.search(pattern, text):
            return nation
    return None
