"""Signpost as LangChain parts: its section retrieval as a `BaseRetriever`, its answers as a `Runnable`.

So a LangChain user can compose Signpost in a chain of their own, e.g.
`build_chain(settings)` -> `chain.as_retriever() | format_docs | their_llm`, or `chain.batch(...)`.
Nothing here changes how Signpost answers: the retriever calls the assistant's own retriever with
the same glossary normalisation, and the chain calls `Assistant.ask` and returns the CONTRACTS.md
dict that `ask --json` prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import get_config_list
from pydantic import ConfigDict, SkipValidation

from assistant.config import Settings
from assistant.contract import answer_to_json
from assistant.embeddings import Embedder
from assistant.errors import EmptyQuestionError
from assistant.glossary import normalise_query
from assistant.retrieval import Retriever, SectionHit
from assistant.service import Assistant, open_assistant
from assistant.types import Chunk

ChainInput = str | dict[str, Any]
# Consecutive passages of a section share up to SIGNPOST_CHUNK_OVERLAP tokens; an overlap shorter
# than this many characters is more likely a coincidence (a repeated "the") than the splitter's.
MIN_OVERLAP_CHARS = 20


def join_passages(chunks: Sequence[Chunk]) -> str:
    """A section's passages as one text, in reading order, with the splitter's overlaps removed once."""
    out: list[str] = []
    for chunk in chunks:
        text = chunk.text.strip()
        if out:
            prev = out[-1]
            for size in range(min(len(prev), len(text)), MIN_OVERLAP_CHARS - 1, -1):
                if prev.endswith(text[:size]):
                    text = text[size:].lstrip()
                    break
        if text:
            out.append(text)
    return "\n\n".join(out)


def section_document(hit: SectionHit) -> Document:
    """One LangChain Document for a retrieved section, with where it came from and how it scored."""
    first = hit.chunks[0] if hit.chunks else hit.best
    return Document(
        page_content=join_passages(hit.chunks or (hit.best,)),
        metadata={
            "doc_id": hit.doc_id,
            "title": first.title,
            "section": hit.key[1],
            "page": hit.key[2],
            "url": first.url,
            "kind": first.kind,
            "legal_force": first.legal_force,
            "reviewed": first.reviewed,
            "score": hit.score,
            "similarity": hit.similarity,
            "chunk_ids": [c.id for c in hit.chunks],
        },
    )


class SignpostRetriever(BaseRetriever):
    """Signpost's section retrieval (dense + BM25 over headings, phrasings and passages).

    One Document per section, best first: `page_content` is the section's text, `metadata` holds
    doc_id, title, section, url, page, kind, legal_force, reviewed, score, similarity and chunk_ids.
    Shorthand (SS, CIN, s47...) is expanded from the glossary first, as the assistant does.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    # SkipValidation: Retriever is a typing Protocol, which pydantic cannot check by isinstance.
    retriever: SkipValidation[Retriever]
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.sections(normalise_query(query).text, self.k)
        return [section_document(hit) for hit in hits]


class SignpostEmbeddings(Embeddings):
    """Signpost's embedder (packaged MiniLM on ONNX Runtime) as a LangChain `Embeddings`.

    The embedder itself does not subclass `Embeddings` (importing LangChain would cost a cold
    `signpost ask` ~0.26 s), so LangChain users get it through this wrapper: same vectors.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)


def question_of(message: ChainInput) -> str:
    """The question in a chain input: a string, or a mapping with a "question" string."""
    if isinstance(message, dict):
        message = message.get("question")  # type: ignore[assignment]
    if not isinstance(message, str):
        raise EmptyQuestionError(
            'Signpost\'s chain takes a question as a string or as {"question": "..."}; '
            f"it was given {type(message).__name__}."
        )
    return message


class SignpostChain(Runnable[ChainInput, dict[str, Any]]):
    """The whole answering path (read, triage, scope, retrieve, gate, compose) as a Runnable.

    `invoke` returns the CONTRACTS.md dict of `ask --json`. `batch` answers in order in this
    thread, reusing the loaded models (the store and the embedder are not shared across threads).
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def as_retriever(self, k: int | None = None) -> SignpostRetriever:
        """The assistant's retrieval on its own, k sections (default: the settings' top_k)."""
        return SignpostRetriever(
            retriever=self.assistant.retriever, k=k or self.assistant.settings.top_k
        )

    def _answer(self, message: ChainInput) -> dict[str, Any]:
        return answer_to_json(self.assistant.ask(question_of(message)))

    def invoke(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        return self._call_with_config(self._answer, input, config, run_type="chain")

    def batch(
        self,
        inputs: list[ChainInput],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any | None,
    ) -> list[dict[str, Any]]:
        """Answer each input in order; with return_exceptions, a failed one gives its exception."""
        configs = get_config_list(config, len(inputs))
        out: list[Any] = []
        for message, cfg in zip(inputs, configs, strict=True):
            try:
                out.append(self.invoke(message, cfg))
            except Exception as error:
                if not return_exceptions:
                    raise
                out.append(error)
        return out

    def stream(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any | None
    ) -> Iterator[dict[str, Any]]:
        """Yield the answer piece by piece: {"preface": ...} if there is one, then {"part": ...}
        for each question's part in order, then the full CONTRACTS.md dict last.

        The answer is composed whole first and then handed out in pieces: citation numbers are
        shared across parts and the top-level kind depends on every part, so a part is final only
        once all are. The pieces let a face show each part as it arrives, not save time.
        """
        full = self.invoke(input, config, **kwargs)
        if full.get("preface"):
            yield {"preface": full["preface"]}
        for part in full.get("parts", ()):
            yield {"part": part}
        yield full


def as_runnable(assistant: Assistant) -> SignpostChain:
    """A Runnable over an assistant the caller has opened (and will close)."""
    return SignpostChain(assistant)


@contextmanager
def build_chain(settings: Settings) -> Iterator[SignpostChain]:
    """Open the store, load the models once and yield the chain; the store closes on exit.

    Raises IndexMissingError if nothing is indexed yet (run `signpost ingest`).
    """
    with open_assistant(settings) as assistant:
        yield SignpostChain(assistant)
