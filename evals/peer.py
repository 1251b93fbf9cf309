"""The naive peer: the LangChain RAG a user would write first, run on the same cases as ours.

It reads the same corpus files (every `*.md` under the corpus folder, front matter and all),
splits them with RecursiveCharacterTextSplitter(1000, 200), embeds them with the same packaged
MiniLM through HuggingFaceEmbeddings, keeps them in a Chroma collection in a temporary folder,
and answers with its top 4 chunks concatenated: no LLM, no kinds, no citations, no safety layer.
It has no retriever of ours, so the runner scores it on its text alone (key facts, forbidden
claims, parts, words, reading ease, latency).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.embeddings import model_path
from assistant.errors import SignpostError
from assistant.types import Answer

NAME = "naive peer"
CHUNK_SIZE = 1000  # characters: RecursiveCharacterTextSplitter's usual example values
CHUNK_OVERLAP = 200
TOP_K = 4  # the default k of a LangChain vector store retriever


@dataclass(frozen=True)
class PeerBuild:
    """What building the peer's index took."""

    files: int
    chunks: int
    seconds: float


class NaivePeer:
    """Answers with the top chunks of a plain vector search; `retriever` is None by design."""

    retriever = None

    def __init__(self, store: Any, build: PeerBuild, k: int = TOP_K) -> None:
        self._store = store
        self.build = build
        self.k = k

    def ask(self, question: str) -> Answer:
        docs = self._store.similarity_search(question, k=self.k)
        text = "\n\n".join(d.page_content for d in docs)
        return Answer(
            question=question, kind="answer", text=text, citations=(), signposts=(), disclaimer=""
        )


@contextmanager
def open_naive_peer(corpus_dir: Path) -> Iterator[NaivePeer]:
    """Index `corpus_dir` the naive way in a temporary Chroma folder, removed on exit."""
    import chromadb.config
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    # What DirectoryLoader(glob="**/*.md", loader_cls=TextLoader) does, read plainly: that loader
    # lives in langchain-community, which is being sunset.
    docs = [
        Document(page_content=path.read_text("utf-8"), metadata={"source": str(path)})
        for path in sorted(corpus_dir.rglob("*.md"))
    ]
    if not docs:
        raise SignpostError(
            f"The naive peer found no .md files under {corpus_dir}; check --corpus."
        )
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks = splitter.split_documents(docs)
    embeddings = HuggingFaceEmbeddings(
        model_name=model_path(),  # the packaged folder, never a hub name
        model_kwargs={"device": "cpu", "local_files_only": True},
    )
    with tempfile.TemporaryDirectory(prefix="signpost-peer-", ignore_cleanup_errors=True) as tmp:
        store = Chroma(
            collection_name="naive_peer",
            embedding_function=embeddings,
            persist_directory=tmp,
            client_settings=chromadb.config.Settings(
                anonymized_telemetry=False, is_persistent=True, persist_directory=tmp
            ),
        )
        store.add_documents(chunks)
        build = PeerBuild(len(docs), len(chunks), time.perf_counter() - started)
        try:
            yield NaivePeer(store, build)
        finally:
            del store
