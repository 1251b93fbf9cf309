"""Feedback on a follow-up keeps the question the person rated, never the previous question's words."""

from __future__ import annotations

from assistant.feedback import Feedback
from assistant.types import Answer


def _answer(question: str) -> Answer:
    return Answer(question=question, kind="answer", text="An answer [1].", citations=(), signposts=(), disclaimer="")


def test_a_follow_ups_borrowed_topic_words_are_not_stored() -> None:
    fb = Feedback.from_answer(
        _answer("How long does stage 2 take? (about: complaint, children's services)"),
        helpful=False,
        include_question=True,
        asked="and how long does stage 2 take?",
    )
    assert fb.question == "and how long does stage 2 take?"
    stored = f"{fb.question} {fb.searched_for} {fb.answer_text}"
    assert "complaint" not in stored and "children's services" not in stored


def test_a_search_of_only_the_persons_own_words_is_kept() -> None:
    fb = Feedback.from_answer(_answer("how long does stage 2 take?"), helpful=True, include_question=True, asked="And how long does stage 2 take?")
    assert fb.searched_for == "how long does stage 2 take?"
