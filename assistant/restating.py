"""Restating a question plainly: word order inverted where the parent wrote a statement ("I can
take someone" -> "can I take someone"), lead-ins dropped, capitalised, ending in "?"."""

from __future__ import annotations

import re

_STATEMENT = re.compile(
    r"^(?P<subj>i|we|they|he|she|you|it|ss|sw|social services|the \w+|my \w+|our \w+)\s+"
    r"(?P<aux>can|could|will|would|should|must|may|might|am|is|are|was|were|has to|have to|need to|needs to)\b\s*(?P<rest>.*)$",
    re.I,
)


# An embedded question keeps a statement's word order after its question word ("what a core
# group is", "what my rights are"); asked directly, the verb comes first.
_EMBEDDED = re.compile(
    r"^(?P<wh>what|who|where|when|why|which)\s+(?P<subj>(?:a|an|the|my|our|his|her|their|this|that|these|those|they|we|he|she)\b(?:\s+[\w'-]+){0,4}?)\s+(?P<verb>is|are|was|were)\b\s*(?P<rest>.*)$",
    re.I,
)
_CONTRACTED = ((re.compile(r"^(i)'m\b", re.I), r"\1 am"), (re.compile(r"^(we|they|you)'re\b", re.I), r"\1 are"))


def invert(q: str) -> str:
    """ "I can take someone" -> "can I take someone"; "we have to sign" -> "do we have to sign";
    "what my rights are" -> "what are my rights"; "where the meeting will be" -> "where will the
    meeting be"."""
    m = _EMBEDDED.match(q)
    if m:
        rest = "" if m["rest"].startswith(",") else m["rest"]  # ", the letter mentions one": an aside
        return " ".join(p for p in (m["wh"], m["verb"].lower(), m["subj"], rest) if p)
    wh = re.match(r"(?i)(what|who|where|when|why|which)\s+", q)
    if wh:
        inner = invert(q[wh.end() :])
        return q if inner == q[wh.end() :] else f"{wh.group(1)} {inner}"
    for pattern, plain in _CONTRACTED:
        q = pattern.sub(plain, q)
    m = _STATEMENT.match(q)
    if not m:
        return q
    subj, aux, rest = m.group("subj"), m.group("aux").lower(), m.group("rest")
    if aux in ("has to", "needs to"):
        return f"does {subj} {aux.replace('has', 'have').replace('needs', 'need')} {rest}".strip()
    if aux in ("have to", "need to"):
        return f"do {subj} {aux} {rest}".strip()
    return f"{aux} {subj} {rest}".strip()


def restate(question: str) -> str:
    q = question.strip().rstrip(".,;:!? ").strip().lstrip(".,;:!?-*> ").strip()
    q = re.sub(r"^(?:and|but|so|also|then|plus|or|ok|okay|basically|anyway)\b[\s,:]*", "", q, flags=re.I)
    q = re.sub(r"\s*\?+", "?", q)
    if not q:
        return question.strip()
    q = q[0].upper() + q[1:]
    q = re.sub(r"\bi\b", "I", q)
    return q if q.endswith("?") else q + "?"
