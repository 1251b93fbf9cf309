"""The terminal's answer: preface, each part under its restated question, sources once, help."""

from __future__ import annotations

from assistant.disclaimer import DISCLAIMER
from assistant.types import Answer, AnswerPart, Citation, SignpostContact
from ui.textview import format_answer


def _cite(n: int, title: str) -> Citation:
    return Citation(
        n, f"guidance/{n}", f"c{n}", title, "In short", None, "https://example.org", f"quote {n}",
        "Signpost guidance notes", "2026-11-23", "practice", "england",
    )  # fmt: skip


FRG = SignpostContact(
    "frg", "Family Rights Group", "advice", "any", "0808 801 0366", None, None, None
)
PARTS = (
    AnswerPart("Is a safety plan legally binding?", "answer", "No, it is voluntary [1].", (1,)),
    AnswerPart(
        "How do I complain?", "answer", "Write to the council [2]. Stage 1 first [1].", (2, 1)
    ),
    AnswerPart("Will I keep my kids?", "not_found", "Nobody can predict that."),
)


def _answer(
    parts: tuple[AnswerPart, ...], preface: str = "", notices: tuple[str, ...] = ()
) -> Answer:
    return Answer(
        "q", "answer", "whole text", (_cite(1, "Safety plans"), _cite(2, "Complaints")), (FRG,),
        DISCLAIMER, notices=notices, parts=parts, preface=preface,
    )  # fmt: skip


def test_several_parts_each_come_under_their_question_with_sources_numbered_once() -> None:
    out = format_answer(
        _answer(PARTS, "I'm sorry you're going through this.", ("You asked more.",))
    )
    lines = out.splitlines()
    assert lines[0] == "I'm sorry you're going through this."
    for i, part in enumerate(PARTS, start=1):
        at = lines.index(f"{i}. {part.ask}")
        assert lines[at + 1] == part.text and lines[at - 1] == ""
    assert out.index("Nobody can predict") < out.index("You asked more.") < out.index("Sources:")
    assert out.count(" [1] Safety plans") == 1 and out.count(" [2] Complaints") == 1
    assert out.index("Sources:") < out.index("Help:") < out.index(DISCLAIMER)
    assert "Family Rights Group: 0808 801 0366" in out


def test_a_one_part_answer_reads_as_before_without_a_heading() -> None:
    out = format_answer(_answer(PARTS[:1]))
    assert out.splitlines()[0] == "No, it is voluntary [1]."
    assert "1. Is a safety plan" not in out


def test_the_triage_record_is_not_shown_and_urgent_answers_are_labelled() -> None:
    part = AnswerPart("Is he hurting her?", "safety", "Call 999 now.")
    answer = Answer(
        "q", "safety", "Call 999 now.", (), (FRG,), DISCLAIMER, notices=("triage: emergency",),
        parts=(part,),
    )  # fmt: skip
    out = format_answer(answer)
    assert out.splitlines()[:2] == ["** SAFETY FIRST **", "Call 999 now."]
    assert "triage:" not in out


def test_an_answer_without_parts_shows_its_text() -> None:
    answer = Answer("q", "answer", "Plain text [1].", (_cite(1, "Safety plans"),), (), DISCLAIMER)
    assert format_answer(answer).splitlines()[0] == "Plain text [1]."
