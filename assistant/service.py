"""The assistant: read the message, triage it, then answer each question from its best section.

The stages are explicit and in this order: read message -> triage (before and independent of
retrieval) -> scope (other nations, out-of-scope topics, predictions) -> retrieve per question
-> gate (not_found below the calibrated similarity) -> compose. Retriever and answerer come in
through their Protocols; the wording is data (corpus/policy.yaml).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from assistant.answering import Answerer, CitationBook, ExtractiveAnswerer, PartDraft
from assistant.assembly import ComposedPart, assemble
from assistant.config import REPO_ROOT, Settings
from assistant.embeddings import MiniLMEmbeddings, get_embedder
from assistant.errors import EmptyQuestionError
from assistant.gate import covered
from assistant.glossary import expand_inline
from assistant.honesty import (
    asks_for_prediction,
    lives_in_other_nation,
    needs_individual_advice,
    other_nation,
    out_of_scope,
    points_to_a_place,
    scope_note,
)
from assistant.lexical import open_lexical
from assistant.message import Question, ReadMessage, asks_what_to_do_now, load_rules, read_message
from assistant.passage_snapshot import PassageSnapshot
from assistant.policy import Policy, load_policy
from assistant.retrieval import HybridRetriever, Retriever, SectionHit
from assistant.safety import open_triage_model, triage, triage_segments
from assistant.search_text import lean_on_support
from assistant.signposts import SignpostBook, load_signposts
from assistant.signposts import load_rules as load_signpost_rules
from assistant.store import Store, open_store
from assistant.text import tokens
from assistant.types import Answer, AnswerKind, AnswerPart, Triage

NATION_NAMES = {
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "ireland": "the Republic of Ireland",
}
# Word budgets for the best section's opening (issue 10 asks for about 120 words for a one-
# question message and about 250 for a long one). Sections usually open with fewer words than
# the budget, so 160 gives a median of ~117 words for one-question messages; on the dev set,
# 95 -> 160 (and 220 -> 240 in all) raised key facts 83.4% -> 85.2% and long-post questions
# answered 77.9% -> 81.7%. Long posts come out at ~430 words for four questions (a restated
# question and ~100 words each): over the 250, a choice for completeness, said in the
# closing note; the naive peer gives ~510 words whatever was asked. Since the answerer adds a
# note's "In short" key facts and a fair runner-up (answering.ROOMY_BUDGET), 120 gives the same
# dev pass rates as 160 with fewer words; 90 lost 6-13 points on every dev set. 240 -> 280 in all
# (2026-11-29, tried, not kept): 13 more of ~1,050 dev long-post questions answered (dl2-dl15,
# echoed questions not scored) for a median long answer of 457 words instead of 423, near the
# naive peer's length on long posts and further still from the 250.
SINGLE_BUDGET = 120
TOTAL_BUDGET = 240
MIN_PART_BUDGET = 45
SECTIONS_PER_QUESTION = 4
PREDICTION_OWN_WORDS = 2  # content words a prediction needs to be searched on its own ("will he be charged?")
_POINTS_BACK = re.compile(r"\b(?:it|that|this|these|those)\b", re.I)
# A question with this many content words of its own may take the section its own words match
# (see _sections_for_borrowed), when that heading match is at least BARE_ASK_MATCH (a near-same
# question) and beats the match with the borrowed topic by more than BARE_ASK_MARGIN. Set once, not tuned:
# fewer words ("how long can it go on?") need the topic they borrowed; dl6-03's own-words match
# was 0.82 against 0.76 with the topic; measured with that session's other changes, no dev
# case was lost (unrestricted, it lost d3-016 and d6-045: see _sections_for_borrowed).
BARE_ASK_WORDS = 4
BARE_ASK_MATCH = 0.7
BARE_ASK_MARGIN = 0.02
# Follow-ups per part that may add a sentence. 2 (was 1): "What is an SHPO? How long does it last?
# What happens if he breaks it?" lost the breach (dev dl23-07); on every dev set 2 answers 4 more
# long-post questions and passes 7 more posts with nothing lost, for ~8 more words per long post.
# More made long-post parts ramble.
FOLLOW_UPS = 2
FOLLOW_UP_BUDGET = 30  # words for a follow-up's answer: its section's opening sentence or two
# Sections searched for a question about another UK nation; only those from notes that cover
# that nation (jurisdiction not England, naming it) are quoted. Two notes cover the other nations,
# with four sections each, so eight reaches them behind England's near-matches.
NATION_SECTIONS = 8

TriageFn = Callable[[str], Triage]


class Assistant:
    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        answerer: Answerer,
        signposts: SignpostBook,
        policy: Policy,
        triage_fn: TriageFn,
        store: Store | None = None,
        embedder: MiniLMEmbeddings | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.answerer = answerer
        self.signposts = signposts
        self.policy = policy
        self.triage_fn = triage_fn
        self.store = store
        self.embedder = embedder

    def triage(self, message: str) -> Triage:
        return self.triage_fn(message)

    def _text(self, name: str, **values: str) -> str:
        return self.signposts.fill(self.policy.text(name, **values))

    def ask(self, message: str) -> Answer:
        """Answer a message: every question in it, in order, each from its best section."""
        t0 = time.perf_counter()
        read = read_message(message)
        if not read.questions:
            raise EmptyQuestionError(self.policy.text("empty"))
        read = lean_on_support(read, self.signposts.support_topic(read.cleaned), load_rules())
        self._embed_up_front(read)
        verdict = self.triage(read.cleaned)  # decided before, and without, any retrieval
        t1 = time.perf_counter()
        book = CitationBook()
        parts = self._once([self._part(q, read, verdict, book) for q in read.questions])
        t2 = time.perf_counter()
        answer = assemble(message, read, verdict, parts, book, self.signposts, self._text)
        t3 = time.perf_counter()
        timings = (
            ("triage", (t1 - t0) * 1000),
            ("retrieve", (t2 - t1) * 1000),
            ("answer", (t3 - t2) * 1000),
            ("total", (t3 - t0) * 1000),
        )
        expanded = tuple(
            dict.fromkeys(t for q in read.questions for t in expand_inline(q.search).expanded)
        )
        searched = " | ".join(q.search for q in read.questions)
        return replace(answer, timings_ms=timings, searched_for=searched, expanded_terms=expanded)

    def _embed_up_front(self, read: ReadMessage) -> None:
        """One model call for what a short message needs (the triage's clauses and each question's
        search text) instead of one per stage: each call has a fixed cost of a few milliseconds.
        The vectors wait in the embedder's cache; triage still reads only the message."""
        if self.embedder is None:
            return
        texts = [*triage_segments(read.cleaned), *(expand_inline(q.search).text for q in read.questions)]
        if len(texts) <= self.embedder.cached_call:  # longer posts embed stage by stage
            self.embedder.encode(texts)

    # --- one question -----------------------------------------------------------------------
    def _part(self, q: Question, read: ReadMessage, verdict: Triage, book: CitationBook) -> ComposedPart:
        if verdict.label == "emergency" and not verdict.certain:
            # Only the model, and not sure (a long post, or "she's home now and safe"): the answer
            # opens with the 999 check and answers each question, unless this one is itself a
            # certain emergency.
            mine = self.triage(q.text)
            if mine.label == "emergency" and mine.certain:
                return self._safety_part(q, "emergency")
        elif verdict.label != "none":
            own = self.triage(q.text).label
            if own == "none" and verdict.label == "decline" and q.context:
                # "How many times could we do that?" is evasive only with the sentence before it
                # ("if it's her we don't answer, pretend we're out"): read the two together.
                own = self.triage(f"{q.context} {q.text}").label
            if own == verdict.label or own in ("emergency", "decline"):
                return self._safety_part(q, own)
            if verdict.label == "emergency" and asks_what_to_do_now(q.text):
                # "What do I do? Do I ring the police or wait?" while he is at the door: the
                # answer is the emergency guidance, never a passage about signing a plan.
                return ComposedPart(
                    AnswerPart(q.ask, "safety", self._text("emergency_now")),
                    self.signposts.for_kind("emergency"),
                )
        # A writer who lives in another nation ("I live in Glasgow. How does a Children's Hearing
        # work and can I appeal the Reporter's decision?") asks every question about it; a nation
        # named in passing counts only for a question that says so or points "there".
        nation = (
            other_nation(q.text)
            or lives_in_other_nation(read.cleaned)
            or (other_nation(read.cleaned) if len(read.questions) == 1 or points_to_a_place(q.text) else None)
        )
        if nation:
            return self._other_nation(q, nation, book)
        topic = out_of_scope(q.text)
        if topic:
            text = " ".join(t for t in (scope_note(topic), self._text("outside", topic=topic)) if t)
            return ComposedPart(
                AnswerPart(q.ask, "not_found", text),
                self.signposts.for_kind("not_found"),
            )
        return self._grounded(q, read, book)

    def _once(self, parts: list[ComposedPart]) -> list[ComposedPart]:
        """A fixed safety text said once: a later part with the same words points back to it."""
        seen: set[str] = set()
        out = []
        for p in parts:
            if p.part.kind in ("safety", "declined") and p.part.text in seen:
                p = ComposedPart(replace(p.part, text=self._text("same_as_above")), ())
            seen.add(p.part.text)
            out.append(p)
        return out

    def _safety_part(self, q: Question, label: str) -> ComposedPart:
        name = {"emergency": "emergency", "own_thoughts": "own_thoughts", "decline": "declined"}[
            label
        ]
        kind: AnswerKind = "declined" if label == "decline" else "safety"
        return ComposedPart(AnswerPart(q.ask, kind, self._text(name)), self.signposts.for_kind(name))

    def _grounded(self, q: Question, read: ReadMessage, book: CitationBook) -> ComposedPart:
        individual = needs_individual_advice(q.text)
        # A prediction that says enough in its own words ("will he actually be charged? is he
        # going to go to prison?") gets the process around its own words, not around a meeting
        # the post named before it (dev dl4-01 was told about exclusion from a conference).
        prediction = asks_for_prediction(q.text)
        own_words = (
            (individual or prediction)
            and len(tokens(q.ask)) >= PREDICTION_OWN_WORDS
            and _POINTS_BACK.search(q.ask) is None  # "will that go against me?" means the statement
        )
        sections = (
            self._england_sections(q.ask) if own_words else self._sections_for_borrowed(q, read)
        )
        not_found = self.signposts.for_kind("not_found")
        if not sections or not self._covered(sections):
            text = self._text("individual" if individual else "not_found")
            return ComposedPart(AnswerPart(q.ask, "not_found", text), not_found)
        if individual:
            # Say plainly that nobody can predict this; add what the guidance says of the process.
            draft = self.answerer.answer(q.ask, sections, MIN_PART_BUDGET, book)
            text = self._text("individual")
            if draft.text:
                text = f"{text} {self._text('individual_process')} {draft.text}"
            return ComposedPart(
                AnswerPart(q.ask, "not_found", text, draft.numbers, _section_name(sections[0])),
                not_found,
            )
        follow_ups = self._follow_up_sections(q)
        # A follow-up the same section answers ("What actually is the core group? Who goes?")
        # is answered by reading on in it: the part gets that follow-up's words too.
        same = sum(1 for _, found in follow_ups if found and found[0].key == sections[0].key)
        draft = self.answerer.answer(q.ask, sections, self._budget(read) + same * FOLLOW_UP_BUDGET, book)
        if not draft.text and draft.repeated:
            return ComposedPart(AnswerPart(q.ask, "answer", self._text("answered_above")), ())
        if not draft.text:
            return ComposedPart(AnswerPart(q.ask, "not_found", self._text("not_found")), not_found)
        text, numbers = draft.text, draft.numbers
        for extra in self._follow_ups(follow_ups, sections[0], book):
            text, numbers = f"{text} {extra.text}", (*numbers, *extra.numbers)
        if prediction:
            text = f"{self._text('prediction_notice')} {text}"
        # The search text carries the topic a question borrowed from the post ("do we get free legal
        # advice?" in a PLO post), so the PLO contacts come with it.
        contacts = self.signposts.for_question(q.search, read.cleaned)
        return ComposedPart(AnswerPart(q.ask, "answer", text, numbers, _section_name(sections[0])), contacts)

    def _sections_for_borrowed(self, q: Question, read: ReadMessage) -> tuple[SectionHit, ...]:
        """The sections for a question's search text, which may carry a topic borrowed from the
        post ("(ICPC)"). In a long post that can pull a question towards that process's basics:
        a question that says enough in its own words and matches a heading more nearly without
        it takes that heading ("Is there an actual process for challenging what the conference
        decided?" got "What is an ICPC?": dev dl6-03). Not a question whose pointer was replaced
        ("how can I challenge it?"), nor the one question of a short message, whose statement
        says what it asks about (dev d3-016, d6-045 lost their answers to bare-ask headings)."""
        sections = self._england_sections(q.search)
        if (
            len(read.questions) < 2 or q.topic is not None
            or q.search == q.ask or len(tokens(q.ask)) < BARE_ASK_WORDS
        ):
            return sections
        bare = self._england_sections(q.ask)
        if (
            bare and sections
            and bare[0].question_similarity >= BARE_ASK_MATCH
            and bare[0].question_similarity > sections[0].question_similarity + BARE_ASK_MARGIN
        ):
            return bare
        return sections

    def _england_sections(self, search: str) -> tuple[SectionHit, ...]:
        """The best sections for a search text. A question that names no other nation is about
        England: a section whose heading is about another nation ("How do complaints work in
        Wales?") never answers it (dev d5-051: "been through all three stages... where can I go
        next?" was told about the Welsh Ombudsman)."""
        return tuple(
            s for s in self.retriever.sections(expand_inline(search).text, SECTIONS_PER_QUESTION)
            if other_nation(s.key[1] or "") is None
        )

    def _follow_up_sections(self, q: Question) -> list[tuple[str, tuple[SectionHit, ...]]]:
        """The follow-ups merged into this part that guidance can answer, with their sections."""
        return [
            (ask, self._england_sections(search))
            for ask, search in q.follow_ups[:FOLLOW_UPS]
            if not (needs_individual_advice(ask) or asks_for_prediction(ask) or out_of_scope(ask))
        ]

    def _follow_ups(
        self, follow_ups: list[tuple[str, tuple[SectionHit, ...]]], main: SectionHit, book: CitationBook
    ) -> list[PartDraft]:
        """A quick follow-up merged into this part ("How long do they have to answer?" after "how
        do I make a formal complaint?") that another section answers gets that section's opening
        sentence too; answered from the first question's section alone it was lost (dev dl5-09)."""
        drafts = []
        for ask, found in follow_ups:
            if not found or found[0].key == main.key or not self._covered(found):
                continue
            draft = self.answerer.answer(ask, found[:1], FOLLOW_UP_BUDGET, book)
            if draft.text:
                drafts.append(draft)
        return drafts

    def _covered(self, sections: tuple[SectionHit, ...]) -> bool:
        return covered(sections, self.settings.min_score)

    def _budget(self, read: ReadMessage) -> int:
        n = len(read.questions)
        return SINGLE_BUDGET if n == 1 else max(MIN_PART_BUDGET, TOTAL_BUDGET // n)

    def _other_nation(self, q: Question, nation: str, book: CitationBook) -> ComposedPart:
        """England's rules are never presented as another nation's: say so, then what our notes
        on the other nations say about that one (its law, its meetings, who to ask there), and
        only that; without such a note, who to ask."""
        name = NATION_NAMES[nation]
        notice = self._text("other_nation", nation=name)
        found = self.retriever.sections(f"{expand_inline(q.search).text} ({name})", NATION_SECTIONS)
        about = tuple(
            s for s in found
            if s.chunks[0].jurisdiction != "england"
            and any(name.lower() in c.text.lower() or name.lower() in (c.section or "").lower()
                    for c in s.chunks)
        )
        draft = self.answerer.answer(q.ask, about[:2], MIN_PART_BUDGET, book) if about else None
        if draft is None or not draft.text:
            return ComposedPart(
                AnswerPart(q.ask, "not_found", f"{notice} {self._text('not_found')}"),
                self.signposts.for_kind("not_found"),
            )
        # Still `not_found` (issue 10: another nation's rules are a part general guidance cannot
        # answer), like a prediction that is given the process around it.
        text = f"{notice} {self._text('other_nation_pointer', nation=name)} {draft.text}"
        return ComposedPart(
            AnswerPart(q.ask, "not_found", text, draft.numbers, _section_name(about[0])),
            self.signposts.for_kind("not_found"),
        )


def _section_name(section: SectionHit) -> str | None:
    return section.key[1]


def build_assistant(settings: Settings, store: Store, embedder: MiniLMEmbeddings) -> Assistant:
    """The default assistant over an open store: hybrid retrieval, extractive answers."""
    retriever = HybridRetriever(
        store,
        embedder,
        open_lexical(settings.lexical_dir, settings.collection),
        snapshot=PassageSnapshot(settings.lexical_dir / f"{settings.collection}.passages.json"),
    )
    book = SignpostBook(
        load_signposts(settings.corpus_dir / "signposts.yaml"),
        load_signpost_rules(_corpus_file(settings, "signpost_rules.yaml")),
    )
    policy = load_policy(_corpus_file(settings, "policy.yaml"))
    model = open_triage_model(embedder)
    load_rules()
    return Assistant(
        settings,
        retriever,
        ExtractiveAnswerer(retriever.idf),
        book,
        policy,
        lambda message: triage(message, model),
        store=store,
        embedder=embedder,
    )


def _corpus_file(settings: Settings, name: str) -> Path:
    """A policy file from the configured corpus, or the shipped one if that corpus has none."""
    path = settings.corpus_dir / name
    return path if path.exists() else REPO_ROOT / "corpus" / name


@contextmanager
def open_assistant(settings: Settings, require_index: bool = True) -> Iterator[Assistant]:
    """Open the store and load the models once; raises IndexMissingError if nothing is indexed."""
    embedder = get_embedder(settings.models_dir)
    with open_store(settings, embedder) as store:
        if require_index:
            store.require_ready()
        yield build_assistant(settings, store, embedder)
