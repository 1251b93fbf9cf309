"""Pure pieces of retrieval and answering: fusion, diversity, glossary, sentences, citations."""

from __future__ import annotations

import re

from assistant.answering import compose, with_marker
from assistant.glossary import normalise_query
from assistant.retrieval import diversify, reciprocal_rank_fusion
from assistant.text import sentence_spans, tokens
from assistant.types import Chunk, Hit


def _chunk(cid: str, doc: str, text: str, section: str | None = None, kind: str = "guidance") -> Chunk:
    return Chunk(id=cid, doc_id=doc, text=text, title=doc, source_path=f"/x/{doc}.md", section=section, kind=kind)


def _hit(chunk: Chunk, score: float) -> Hit:
    return Hit(chunk=chunk, score=score, dense_similarity=0.7, dense_rank=1, bm25_rank=1)


def test_rrf_rewards_agreement_between_rankings() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]])
    assert [cid for cid, _ in fused] == ["b", "c", "a", "d"]


def test_diversify_moves_a_documents_extra_passages_back() -> None:
    chunks = {c: _chunk(c, doc, "t") for c, doc in [("1", "qa"), ("2", "qa"), ("3", "qa"), ("4", "g")]}
    ranked = [("1", 0.9), ("2", 0.8), ("3", 0.7), ("4", 0.6)]
    assert [c for c, _ in diversify(ranked, chunks, 2)] == ["1", "2", "4", "3"]


def test_glossary_expands_capitalised_shorthand_only() -> None:
    q = normalise_query("SS put DC on a CPP after the s47, oh well")
    terms = dict(q.expanded)
    assert {"SS", "DC", "CPP", "s47"} <= set(terms) and "OH" not in terms
    assert "child protection plan" in q.text and "section 47" in q.text


def test_sentence_spans_are_exact_and_join_a_bare_no() -> None:
    text = "No. A safety plan is not a court order. It is voluntary.\n- Ask in writing.\n- Keep a copy."
    parts = [text[s:e] for s, e in sentence_spans(text)]
    assert parts == ["No. A safety plan is not a court order.", "It is voluntary.", "Ask in writing.", "Keep a copy."]


def test_marker_goes_before_closing_punctuation() -> None:
    assert with_marker("It is voluntary.", 2) == "It is voluntary [2]."
    assert with_marker("No full stop", 1) == "No full stop [1]"


def test_compose_cites_exact_substrings_and_skips_the_parents_post() -> None:
    guidance = _chunk("g1", "guidance/safety-plans", "No. A safety plan is not legally binding and is not a court order. Not keeping to it can have consequences.", "Is a safety plan legally binding?")
    post = _chunk("q1", "qa/x", "My SW says the safety plan is legally binding and I must obey it forever.", "The question", kind="qa")
    result = compose("Is a safety plan legally binding?", [_hit(post, 1.0), _hit(guidance, 0.9)], lambda t: 1.0, 3)
    assert result.citations and all(c.doc_id == "guidance/safety-plans" for c in result.citations)
    for c in result.citations:
        assert c.quote in guidance.text
    assert not result.text.startswith("No.")  # a bare No answers the note's heading, not the user
    assert set(re.findall(r"\[(\d+)\]", result.text)) == {str(c.n) for c in result.citations}


def test_compose_with_no_hits_has_no_citations() -> None:
    result = compose("anything", [], lambda t: 1.0, 3)
    assert result.text == "" and result.citations == ()


def test_tokens_drop_stopwords_and_stem() -> None:
    assert tokens("The plans were reviewed") == ["plan", "review"]
