"""The not_found threshold separates clearly in-scope from clearly out-of-scope questions."""

from __future__ import annotations

import pytest

from assistant.glossary import normalise_query

pytestmark = pytest.mark.slow

IN_SCOPE = [
    "Is a safety plan legally binding?",
    "Can I decline a child in need plan?",
    "How long does a stage 1 complaint take?",
    "What happens at an initial child protection conference?",
    "Can I bring a supporter to a child protection conference?",
    "How do I get a copy of my social services file?",
    "What is a capacity to protect assessment?",
    "What is a letter before proceedings?",
    "Can I record a meeting with my social worker?",
    "What is the Inform course?",
    "Can social services make my partner move out?",
    "What is section 20?",
]
OUT_OF_SCOPE = [
    "What is the best recipe for sourdough bread?",
    "How do I renew my car insurance?",
    "Who won the football last night?",
    "How do I fix a leaking tap?",
    "What is the capital of Australia?",
    "How do I apply for a mortgage?",
    "How do I divorce my husband and split our house?",
    "Can I get universal credit as a single parent?",
    "How do I appeal a parking ticket?",
]
MARGIN = 0.05


def _best(assistant, question: str) -> float:  # type: ignore[no-untyped-def]
    hits = assistant.retriever.retrieve(normalise_query(question).text, 5)
    return max(h.dense_similarity for h in hits)


def test_in_scope_questions_clear_the_threshold_and_are_answered(corpus_assistant) -> None:
    floor = corpus_assistant.settings.min_score + MARGIN
    scores = {q: _best(corpus_assistant, q) for q in IN_SCOPE}
    assert {q: s for q, s in scores.items() if s < floor} == {}
    assert all(corpus_assistant.ask(q).kind == "answer" for q in IN_SCOPE)


def test_out_of_scope_questions_fall_below_it_and_are_not_found(corpus_assistant) -> None:
    ceiling = corpus_assistant.settings.min_score - MARGIN
    scores = {q: _best(corpus_assistant, q) for q in OUT_OF_SCOPE}
    assert {q: s for q, s in scores.items() if s > ceiling} == {}
    assert all(corpus_assistant.ask(q).kind == "not_found" for q in OUT_OF_SCOPE)


def test_a_prediction_is_not_found_even_when_the_topic_is_close(corpus_assistant) -> None:
    answer = corpus_assistant.ask("Will social services take my kids away if he moves back in?")
    assert answer.kind == "not_found"
    assert "predict" in answer.text and "Family Rights Group" in answer.text
