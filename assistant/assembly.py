"""The whole answer from its parts: the urgent text first where triage said so, then each part under
its restated question, the notices, and the contacts shown beside it (at most four)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.answering import CitationBook
from assistant.disclaimer import DISCLAIMER
from assistant.message import ReadMessage, load_rules
from assistant.signposts import SignpostBook
from assistant.types import Answer, AnswerKind, AnswerPart, SignpostContact, Triage

CONTACTS_SHOWN = 4  # beside one answer: more than four phone numbers is a list nobody reads

_URGENT = {"emergency": "emergency", "own_thoughts": "own_thoughts", "decline": "declined"}


@dataclass(frozen=True)
class ComposedPart:
    """One question's part of the answer, with the contacts it brings."""

    part: AnswerPart
    contacts: tuple[SignpostContact, ...] = ()


def assemble(
    message: str,
    read: ReadMessage,
    verdict: Triage,
    parts: list[ComposedPart],
    book: CitationBook,
    signposts: SignpostBook,
    text: Callable[..., str],
) -> Answer:
    """The Answer for `message`; `text(name)` gives a fixed policy text, signposts filled in."""
    label = verdict.label
    kinds = [p.part.kind for p in parts]
    preface: list[str] = []
    notices: list[str] = []
    contacts: list[SignpostContact] = []
    if label == "emergency" and not verdict.certain:
        # Only the model, on a long post, and not sure: a one-line 999 check first, then a
        # normal answer (a crisis text for a parent telling her story would lose her).
        notices.append("triage: emergency (not certain)")
        contacts.extend(signposts.for_kind("emergency")[:1])
        preface.append(text("emergency_check"))
        label = "none"
    elif label != "none":
        name = _URGENT[label]
        notices.append(f"triage: {label}")
        contacts.extend(signposts.for_kind(name))
        if not (len(parts) == 1 and parts[0].part.kind in ("safety", "declined")):
            urgent = text(name)
            preface.append(urgent)
            # A part that would repeat the urgent text word for word points back to it.
            pointer = text("declined_see_above" if name == "declined" else "see_above")
            parts = [replace(p, part=replace(p.part, text=pointer)) if p.part.text == urgent else p for p in parts]
    elif read.distressed and not preface:
        preface.append(load_rules().sympathy)
    kind: AnswerKind
    if label in ("emergency", "own_thoughts"):
        kind = "safety"
    elif label == "decline":
        kind = "declined"
    else:
        kind = "answer" if "answer" in kinds else "not_found"
    for p in parts:
        contacts.extend(p.contacts)
    if label == "none" and signposts.about_family_member(read.cleaned):
        notices.append(text("family_member_support"))
        contacts[:0] = [c for c in signposts.pick(("lucy_faithfull", "stop_it_now"))]
    if read.left_out:
        notices.append(text("more_questions", shown=str(len(parts))))
    answer_parts = tuple(p.part for p in parts)
    if len(answer_parts) == 1:
        body = answer_parts[0].text
    else:
        body = "\n\n".join(f"{p.heading(i)}\n{p.text}" for i, p in enumerate(answer_parts, start=1))
    shown = [n for n in notices if not n.startswith("triage: ")]
    whole = "\n\n".join([*preface, body, *shown]).strip()
    answer = Answer(
        question=message,
        kind=kind,
        text=signposts.fill(whole),
        citations=tuple(book.citations()),
        signposts=tuple(dict.fromkeys(contacts))[:CONTACTS_SHOWN],
        disclaimer=DISCLAIMER,
        notices=tuple(notices),
    )
    return replace(answer, parts=answer_parts, preface=" ".join(preface))
