"""Signpost as LangChain parts: the section retriever and the answering Runnable."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from assistant.chains import (
    SignpostChain,
    SignpostEmbeddings,
    SignpostRetriever,
    as_runnable,
    join_passages,
    question_of,
)
from assistant.errors import EmptyQuestionError
from assistant.retrieval import SectionHit
from assistant.types import Chunk

QUESTION = "Is a safety plan legally binding?"
CONTRACT_KEYS = {"kind", "answer", "citations", "parts", "disclaimer"}


def _chunk(cid: str, text: str, position: int = 0) -> Chunk:
    return Chunk(
        id=cid,
        doc_id="guidance/safety-plans",
        text=text,
        title="Safety plans",
        source_path="/x/safety-plans.md",
        section="Is a safety plan legally binding?",
        url="https://example.org/safety-plans",
        legal_force="guidance",
        reviewed="2026-11-01",
        position=position,
    )


class _FakeRetriever:
    """Records the query it was given and returns one fixed section."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, int]] = []

    def sections(self, query: str, k: int) -> tuple[SectionHit, ...]:
        self.queries.append((query, k))
        a = _chunk("c1", "No. A safety plan is not a court order and is not legally binding.")
        b = _chunk("c2", "Not keeping to it can have consequences for the plan.", 1)
        hit = SectionHit(
            key=(a.doc_id, a.section, None),
            chunks=(a, b),
            score=0.8,
            similarity=0.7,
            question_similarity=0.9,
            best=a,
        )
        return (hit,)


def test_join_passages_removes_the_splitters_overlap_once() -> None:
    a = _chunk("a", "One two three. The overlap runs across here and on.")
    b = _chunk("b", "The overlap runs across here and on. Then new words.", 1)
    assert join_passages([a, b]) == (
        "One two three. The overlap runs across here and on.\n\nThen new words."
    )


def test_join_passages_keeps_a_short_coincidental_repeat() -> None:
    a = _chunk("a", "It ends with the")
    b = _chunk("b", "the start of the next passage.", 1)
    assert join_passages([a, b]) == "It ends with the\n\nthe start of the next passage."


def test_question_of_takes_a_string_or_a_question_mapping() -> None:
    assert question_of("hello?") == "hello?"
    assert question_of({"question": "hello?"}) == "hello?"
    with pytest.raises(EmptyQuestionError, match="question"):
        question_of({"text": "hello?"})
    with pytest.raises(EmptyQuestionError):
        question_of(42)  # type: ignore[arg-type]


def test_retriever_expands_shorthand_and_returns_one_document_per_section() -> None:
    fake = _FakeRetriever()
    docs = SignpostRetriever(retriever=fake, k=3).invoke("is the SS safety plan binding?")
    assert fake.queries[0][1] == 3 and "social services" in fake.queries[0][0]
    assert len(docs) == 1 and isinstance(docs[0], Document)
    meta = docs[0].metadata
    assert meta["doc_id"] == "guidance/safety-plans"
    assert meta["section"] == "Is a safety plan legally binding?"
    assert meta["chunk_ids"] == ["c1", "c2"]
    assert {"title", "url", "page", "legal_force", "reviewed", "score", "similarity"} <= set(meta)
    assert (
        docs[0].page_content.startswith("No. A safety plan")
        and "consequences" in docs[0].page_content
    )


@pytest.mark.slow
def test_retriever_finds_the_safety_plans_note_first(corpus_assistant) -> None:
    docs = as_runnable(corpus_assistant).as_retriever().invoke(QUESTION)
    assert docs and all(isinstance(d, Document) for d in docs)
    assert docs[0].metadata["doc_id"] == "guidance/safety-plans"
    assert docs[0].metadata["similarity"] >= corpus_assistant.settings.min_score
    for d in docs:
        assert d.page_content and d.metadata["chunk_ids"]


@pytest.mark.slow
def test_retriever_composes_in_an_lcel_chain(corpus_assistant) -> None:
    retriever = SignpostRetriever(retriever=corpus_assistant.retriever, k=3)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["doc_id"] for d in docs])
    ids = chain.invoke(QUESTION)
    assert ids[0] == "guidance/safety-plans" and len(ids) <= 3


@pytest.mark.slow
def test_chain_invoke_returns_the_contract_dict(corpus_assistant) -> None:
    chain = as_runnable(corpus_assistant)
    out = chain.invoke(QUESTION)
    assert CONTRACT_KEYS <= set(out)
    assert out["kind"] == "answer" and out["citations"] and out["parts"]
    assert chain.invoke({"question": QUESTION})["answer"] == out["answer"]


@pytest.mark.slow
def test_chain_batch_answers_in_order(corpus_assistant) -> None:
    questions = [QUESTION, "How do I complain about children's services?"]
    out = SignpostChain(corpus_assistant).batch(questions)
    assert [o["question"] for o in out] == questions


@pytest.mark.slow
def test_chain_batch_can_return_a_bad_inputs_error_in_place(corpus_assistant) -> None:
    out = SignpostChain(corpus_assistant).batch([{"nope": 1}, QUESTION], return_exceptions=True)
    assert isinstance(out[0], EmptyQuestionError) and out[1]["question"] == QUESTION


@pytest.mark.slow
def test_chain_stream_yields_parts_and_ends_with_the_full_answer(corpus_assistant) -> None:
    message = "what is a safety plan and how do I get it reviewed?"
    pieces = list(as_runnable(corpus_assistant).stream(message))
    full = pieces[-1]
    assert CONTRACT_KEYS <= set(full)
    parts = [p["part"] for p in pieces[:-1] if "part" in p]
    assert parts == full["parts"] and len(pieces) >= 2


def test_langchain_embeddings_wrapper_gives_the_embedders_vectors(embedder) -> None:
    """LangChain users get Signpost's embedder as a real `Embeddings`, with identical vectors."""
    import numpy as np
    from langchain_core.embeddings import Embeddings

    wrapped = SignpostEmbeddings(embedder)
    assert isinstance(wrapped, Embeddings)
    texts = ["Is a safety plan legally binding?", "What is a core group meeting?"]
    assert np.allclose(wrapped.embed_documents(texts), embedder.embed_documents(texts))
    assert wrapped.embed_query(texts[0]) == embedder.embed_query(texts[0])


def test_a_cold_ask_does_not_import_langchain(corpus_home) -> None:
    """The CLI's answer path stays off LangChain's import cost (about a sixth of the cold budget)."""
    import subprocess
    import sys

    code = (
        "import sys; from ui.cli import main\n"
        "sys.argv = ['signpost', 'ask', '--home', sys.argv[1], '--json', 'Is a safety plan legally binding?']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LANGCHAIN' if any(m.startswith('langchain') for m in sys.modules) else 'CLEAN')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(corpus_home)], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().endswith("CLEAN"), out.stdout[-500:]
