"""What of an answer a person reads, in order, for every face: the preface, the parts, the notices.

Pure (no Streamlit), so the chat and the terminal lay an answer out the same way.
"""

from __future__ import annotations

from assistant.types import Answer, AnswerPart

TRIAGE_NOTICE = "triage: "  # the assistant's record of its triage verdict, not for people


def answer_parts(answer: Answer) -> tuple[AnswerPart, ...]:
    """The answer's parts; an answer made without parts reads as one part (its whole text)."""
    if answer.parts:
        return answer.parts
    return (AnswerPart(answer.question, answer.kind, answer.text),)


def shown_notices(answer: Answer) -> tuple[str, ...]:
    """Notices a person reads (more questions than answered, family support), in order."""
    if not answer.parts:
        return ()  # an answer without parts already carries its notices in its text
    return tuple(n for n in answer.notices if not n.startswith(TRIAGE_NOTICE))


def part_heading(number: int, part: AnswerPart) -> str:
    """The question restated, numbered as the parts are: "2. How long does stage 2 take?"."""
    return f"{number}. {part.ask}"
