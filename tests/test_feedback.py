"""Feedback storage: private by default, and flagged answers exported as draft eval cases."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from assistant.feedback import Feedback, FeedbackStore
from assistant.types import Answer, Citation

QUESTION = "Is a safety plan legally binding for Quokka-5521?"


def _answer(kind: str = "answer", question: str = QUESTION) -> Answer:
    cite = Citation(
        1,
        "guidance/safety-plans",
        "c1",
        "Safety plans",
        None,
        None,
        None,
        "A quote.",
        "Signpost guidance notes",
        "2026-11-23",
        "practice",
        "england",
    )
    citations = (cite, cite) if kind == "answer" else ()
    return Answer(question, kind, "A safety plan is not legally binding [1].", citations, (), "d")  # type: ignore[arg-type]


def test_without_consent_only_the_rating_comment_and_cited_notes_are_kept(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb" / "feedback.sqlite3")
    store.record(Feedback.from_answer(_answer(), helpful=False, comment="  too vague "))
    (rec,) = store.records()
    assert rec.feedback == Feedback(False, "answer", ("guidance/safety-plans",), "too vague")
    assert b"Quokka-5521" not in store.path.read_bytes()
    assert b"not legally binding" not in store.path.read_bytes()


def test_with_consent_the_question_as_typed_is_kept_but_not_the_borrowed_topic(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer = _answer(question="Is it binding? (about: safety plan)")
    store.record(
        Feedback.from_answer(answer, helpful=True, include_question=True, asked="Is it binding?")
    )
    fb = store.records()[0].feedback
    assert fb.question == "Is it binding?"
    # The person consented to share what they typed; the topic borrowed from the previous
    # question ("about: safety plan") is not theirs to share (issue 13, item 14).
    assert fb.searched_for is None
    assert fb.answer_text == answer.text and fb.helpful


def test_the_question_is_not_repeated_as_the_search_when_nothing_was_rewritten(
    tmp_path: Path,
) -> None:
    fb = Feedback.from_answer(_answer(), helpful=False, include_question=True)
    assert fb.question == QUESTION and fb.searched_for is None


def test_records_come_back_in_order_with_ids_and_times(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    ids = [store.record(Feedback(i % 2 == 0, "answer")) for i in range(3)]
    recs = store.records()
    assert [r.id for r in recs] == ids == sorted(ids)
    assert all(re.match(r"\d{4}-\d\d-\d\dT", r.created_at) for r in recs)
    assert [r.feedback.helpful for r in recs] == [True, False, True]


def test_an_empty_store_has_no_records_and_creates_no_file(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "none.sqlite3")
    assert store.records() == ()
    assert not store.path.exists()


def test_export_writes_only_flagged_answers_with_a_question_as_contract_cases(
    tmp_path: Path,
) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(Feedback.from_answer(_answer(), helpful=True, include_question=True))  # helpful
    store.record(Feedback.from_answer(_answer(), helpful=False))  # flagged, no question
    flagged = store.record(
        Feedback.from_answer(_answer(), helpful=False, comment="wrong note", include_question=True)
    )
    store.record(
        Feedback.from_answer(
            _answer("not_found", "Who pays for nursery?"), helpful=False, include_question=True
        )
    )
    store.record(
        Feedback.from_answer(_answer("safety", "he hit me"), helpful=False, include_question=True)
    )
    out = tmp_path / "out" / "cases.jsonl"
    assert store.export_cases(out) == 3
    cases = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    first = cases[0]
    assert first["id"] == f"feedback-{flagged}"
    assert first["question"] == QUESTION
    assert first["category"] == "factual"
    assert (
        first["must_include"] == []
        and first["must_not_include"] == []
        and first["expect_sources"] == []
    )
    assert first["got_sources"] == ["guidance/safety-plans"] and first["draft"] is True
    assert "wrong note" in first["notes"] and "DRAFT" in first["notes"]
    assert [c["category"] for c in cases[1:]] == ["factual", "safety"]
    assert {c["got_kind"] for c in cases} == {"answer", "not_found", "safety"}
    for case in cases:  # every key the eval contract requires, each of the right type
        assert isinstance(case["question"], str) and case["question"]
        assert case["category"] in {
            "factual",
            "procedural",
            "signposting",
            "unanswerable",
            "safety",
        }
        assert isinstance(case["must_include"], list) and isinstance(case["must_not_include"], list)


def test_export_of_an_empty_store_writes_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    assert FeedbackStore(tmp_path / "feedback.sqlite3").export_cases(out) == 0
    assert out.read_text("utf-8") == ""


def test_the_table_has_one_row_per_rating(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for _ in range(4):
        store.record(Feedback(False, "answer"))
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone() == (4,)


def test_feedback_values_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Feedback(True, "answer").helpful = False  # type: ignore[misc]
