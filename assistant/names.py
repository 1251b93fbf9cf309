"""Who the people a post names are, so a question's search reads "my daughter" where the parent
wrote "Isla".

The embedder matches a question against the questions our notes answer, and a first name it has
never seen pulls that match down: "If I want to try to get contact with Isla, how do I actually
go about it?" matched "How do I apply to see my child if the other parent won't agree?" at 0.52,
and at 0.98 with "my daughter" in Isla's place (dev dl7-09, left unanswered). Only names the post
itself ties to a role are replaced ("my daughter Gemma (34)", "DH (Ash)", "my niece Lily (2)",
"Ellie who is 14"), and only in the search text: the restated question keeps the parent's words.
"""

from __future__ import annotations

import re

# Who someone is to the writer, as parents write it; shorthand stays as written (the service
# spells it out before searching: "DD" -> "daughter").
_ROLE = (
    r"daughter|son|dd|ds|child|kid|boy|girl|baby|grandson|granddaughter|grandchild|niece|nephew|"
    r"step-?son|step-?daughter|sister|brother|mum|mam|mom|mother|dad|father|mil|fil|partner|dp|dh|oh|"
    r"husband|wife|ex|ex-partner|ex-husband|ex-wife|boyfriend|girlfriend|bf|nan|nana|gran|grandma|"
    r"grandad|grandmother|grandfather|aunt|auntie|uncle|foster carer"
)
_NAME = r"([A-Z][a-z]{2,})"
# "my daughter Gemma", "our DD Sophie", "his mum Carol", "Gemma's boyfriend Carl", "my younger
# brother Darren", "DH Neil", "a son Kai", "a daughter, Isla,".
_OWNED = re.compile(
    r"\b((?i:my|our|his|her|their|a|an)|[A-Z][a-z]+'s)\s+(?i:(?:little|eldest|oldest|youngest|middle|older|"
    r"younger|baby|new|late|\d{1,2}[- ]?(?:yo|y/o|year[- ]old))\s+)*((?i:" + _ROLE + r"))\s*,?\s+" + _NAME + r"\b"
    r"|\b(DH|DP|OH|DD|DS|MIL|FIL)\s+\(?" + _NAME + r"\b"
)
# "Lily (2)", "Isla, who's now 12", "Ellie who is 14", "Chloe is 15", "Mia (7)": a child.
_AGED = re.compile(
    _NAME + r"\s*(?:\(\s*(\d{1,2})\s*\)|,?\s+(?:who\s+is|who's|whos|is|aged)\s+(?:now\s+)?(\d{1,2})\b|,\s*(\d{1,2})\s*,)"
)
ADULT_AGE = 18  # a named person this old or older is not "my child"
# Capitalised words the patterns can meet that are not people ("my sister Anjali" is a name;
# "our son Stage" would not be).
_NOT_NAMES = frozenset({"The", "And", "But", "She", "Her", "His", "They", "Who", "When", "What", "Then"})


def people(text: str) -> dict[str, str]:
    """First name -> who they are to the writer ("my daughter"), for the names `text` ties to a
    role or gives a child's age. A name tied to two different roles is left out."""
    found: dict[str, set[str]] = {}
    for m in _OWNED.finditer(text):
        if m.group(4):
            owner, role, name = "my", m.group(4), m.group(5)
        else:
            owner, role, name = m.group(1), m.group(2), m.group(3)
            # "a daughter, Isla" is the writer's; "Ash's mum Carol" is searched as "their mum".
            owner = "their" if owner.endswith("'s") else {"a": "my", "an": "my"}.get(owner.lower(), owner.lower())
        # A role written in title case is a name's or a title's first word ("a Child Protection
        # Planning Meeting"), not a relation; parents write "my daughter" or "DD".
        if name not in _NOT_NAMES and role in (role.lower(), role.upper()):
            found.setdefault(name, set()).add(f"{owner} {role}")
    for m in _AGED.finditer(text):
        name, age = m.group(1), next(int(a) for a in m.groups()[1:] if a)
        if name not in _NOT_NAMES and name not in found and age < ADULT_AGE:
            found[name] = {"my child"}
    return {name: roles.pop() for name, roles in found.items() if len(roles) == 1}


def as_roles(search: str, known: dict[str, str]) -> str:
    """`search` with each known name replaced by who they are ("Isla's" -> "my daughter's")."""
    for name, role in known.items():
        search = re.sub(rf"\b{name}\b", role, search)
    return search
