"""The assistant: triage, then retrieval, then a grounded answer, behind one `ask` call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from assistant.answering import compose
from assistant.config import Settings
from assistant.disclaimer import DISCLAIMER
from assistant.embeddings import MiniLMEmbeddings, get_embedder
from assistant.glossary import normalise_query
from assistant.honesty import (
    asks_for_prediction,
    needs_individual_advice,
    other_nation,
    out_of_scope,
)
from assistant.retrieval import HybridRetriever
from assistant.safety import TriageModel, build_triage_model, triage, triage_segments
from assistant.signposts import SignpostBook, load_signposts
from assistant.store import Store, open_store
from assistant.types import Answer, Hit, Triage

NATION_NAMES = {
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "ireland": "the Republic of Ireland",
}

EMERGENCY_TEXT = (
    "If a child is in immediate danger, or someone has been hurt or is about to be, call 999 now "
    "and ask for the police (or an ambulance). If you are thinking of harming yourself, call 999 "
    "or go to A&E, or call Samaritans on {samaritans} at any time. When everyone is safe, the NSPCC "
    "helpline ({nspcc}) can advise adults worried about a child, and Childline ({childline}) "
    "is there for children and young people."
)
OWN_THOUGHTS_TEXT = (
    "Thank you for asking: reaching out is the right step. The Stop It Now helpline "
    "({stop_it_now}) is a confidential service for people worried about their own sexual "
    "thoughts or behaviour towards children. You do not have to give your name. Confidential "
    "there has limits: if you say something that identifies a child at risk, or a crime, the "
    "helpline may pass that on to the police or children's services. If a child is in danger "
    "now, call 999."
)
DECLINED_TEXT = (
    "I can't help with that. Going around a safety plan, a child protection plan, a court order "
    "or a police investigation puts children at risk, and if it comes to light it is likely to "
    "make children's services more worried and can be used as evidence against you, including "
    "in court. If you think the plan or its conditions are wrong or out of date, there are "
    "proper routes: ask the social worker and their manager in writing for a review, raise it at "
    "the next review meeting or conference, use the complaints procedure, and get free advice "
    "from the Family Rights Group advice line ({frg}) or a family solicitor."
)
NOT_FOUND_TEXT = (
    "I couldn't find anything in the guidance I hold that answers this well enough, so I won't "
    "guess. For advice about your situation, contact the Family Rights Group advice line "
    "({frg}) or a family solicitor (legal aid may be available)."
)
OUTSIDE_TEXT = (
    "A solicitor, Citizens Advice or the organisation responsible for that area can help; for "
    "anything about children's services, the Family Rights Group advice line ({frg}) gives free advice."
)
INDIVIDUAL_TEXT = (
    "Nobody can predict the outcome for a particular family from general guidance, and I won't "
    "guess. A solicitor who knows your case, or the Family Rights Group advice line "
    "({frg}), can talk it through with you."
)


class Assistant:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: MiniLMEmbeddings,
        signposts: SignpostBook,
        triage_model: TriageModel | None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.retriever = HybridRetriever(store, embedder)
        self.signposts = signposts
        self.triage_model = triage_model

    def triage(self, message: str) -> Triage:
        return triage(message, self.triage_model)

    def ask(self, question: str) -> Answer:
        """Answer one standalone question (follow-ups are rewritten before they get here)."""
        t0 = time.perf_counter()
        query = normalise_query(question)
        # One model call for everything this question needs (triage segments and search text);
        # triage still decides first, and retrieval never runs for a safety or declined answer.
        self.embedder.encode([*triage_segments(question), query.text][-16:])
        verdict = self.triage(question)
        if verdict.label != "none":
            return self._safety_answer(question, verdict, t0)
        t1 = time.perf_counter()
        nation = other_nation(question)
        if nation:
            # Look wider, then keep only notes written for the other nations (never England's rules).
            wide = self.retriever.retrieve(f"{query.text} {NATION_NAMES[nation]}", 25)
            hits = tuple(h for h in wide if h.chunk.jurisdiction != "england")[: self.settings.top_k]
        else:
            hits = self.retriever.retrieve(query.text, self.settings.top_k)
        t2 = time.perf_counter()
        answer = self._grounded(question, query.text, hits, nation)
        t3 = time.perf_counter()
        timings = (
            ("triage", (t1 - t0) * 1000),
            ("retrieve", (t2 - t1) * 1000),
            ("answer", (t3 - t2) * 1000),
            ("total", (t3 - t0) * 1000),
        )
        return replace(answer, timings_ms=timings, searched_for=question, expanded_terms=query.expanded)

    def _grounded(self, question: str, query: str, hits: tuple[Hit, ...], nation: str | None) -> Answer:
        best = max((h.dense_similarity for h in hits), default=0.0)
        not_found = self.signposts.for_kind("not_found")
        if nation:
            return self._other_nation(question, query, hits, nation)
        topic = out_of_scope(question)
        if topic:
            text = f"Questions about {topic} are outside what this guidance covers, so I won't guess. {OUTSIDE_TEXT}"
            return self._answer(question, "not_found", text, (), not_found, ())
        individual = needs_individual_advice(question)
        if not hits or best < self.settings.min_score:
            text = INDIVIDUAL_TEXT if individual else NOT_FOUND_TEXT
            return self._answer(question, "not_found", text, (), not_found, ())
        limit = 2 if individual else self.settings.max_answer_sentences
        composed = compose(query, hits, self.retriever.idf, limit)
        if not composed.citations:
            return self._answer(question, "not_found", NOT_FOUND_TEXT, (), not_found, ())
        if individual:
            text = f"{INDIVIDUAL_TEXT} What the guidance does say about the process: {composed.text}"
            return self._answer(question, "not_found", text, composed.citations, not_found, ())
        text = composed.text
        notices: tuple[str, ...] = ()
        if asks_for_prediction(question):
            notice = "Nobody can predict the outcome for a particular family from general guidance; a solicitor or the Family Rights Group can talk your situation through."
            text, notices = f"{notice} {text}", (notice,)
        return self._answer(question, "answer", text, composed.citations, self.signposts.for_question(question), notices)

    def _other_nation(self, question: str, query: str, hits: tuple[Hit, ...], nation: str) -> Answer:
        """England's rules are never presented as another nation's: say so, and point to who to ask."""
        name = NATION_NAMES[nation]
        notice = (
            f"This guidance covers England only. The law, procedures and bodies in {name} are "
            f"different, so this guidance can't tell you how things work there."
        )
        place = name.removeprefix("the ").lower()
        pointers = tuple(
            h
            for h in hits
            if h.chunk.jurisdiction != "england" and place in f"{h.chunk.section} {h.chunk.text}".lower()
        )
        composed = compose(query, pointers, self.retriever.idf, 2) if pointers else None
        if composed and composed.citations:
            text = f"{notice} What the guidance does say about where to ask: {composed.text}"
            citations = composed.citations
        else:
            text = f"{notice} {NOT_FOUND_TEXT}"
            citations = ()
        return self._answer(question, "not_found", text, citations, self.signposts.for_kind("not_found"), (notice,))

    def _safety_answer(self, question: str, verdict: Triage, t0: float) -> Answer:
        if verdict.label == "emergency":
            kind, text, contacts = "safety", EMERGENCY_TEXT, self.signposts.for_kind("emergency")
        elif verdict.label == "own_thoughts":
            kind, text, contacts = "safety", OWN_THOUGHTS_TEXT, self.signposts.for_kind("own_thoughts")
        else:
            kind, text, contacts = "declined", DECLINED_TEXT, self.signposts.for_kind("declined")
        answer = self._answer(question, kind, text, (), contacts, (f"triage: {verdict.label}",))
        ms = (time.perf_counter() - t0) * 1000
        return replace(answer, timings_ms=(("triage", ms), ("total", ms)), searched_for=None)

    def _answer(self, question, kind, text, citations, contacts, notices) -> Answer:  # type: ignore[no-untyped-def]
        return Answer(
            question=question,
            kind=kind,
            text=self.signposts.fill(text),
            citations=tuple(citations),
            signposts=tuple(contacts),
            disclaimer=DISCLAIMER,
            notices=tuple(notices),
        )


@contextmanager
def open_assistant(settings: Settings, require_index: bool = True) -> Iterator[Assistant]:
    """Open the store and load the models once; raises IndexMissingError if nothing is indexed."""
    embedder = get_embedder()
    with open_store(settings, embedder) as store:
        if require_index:
            store.require_ready()
        book = SignpostBook(load_signposts(settings.corpus_dir / "signposts.yaml"))
        model = build_triage_model(lambda texts: embedder.encode(list(texts)))
        yield Assistant(settings, store, embedder, book, model)
