"""The default answerer: no language model; a section's own opening sentences, quoted whole.

Our notes' `##` headings are the questions people ask and each section opens with its direct
answer, so the answer to a question is the opening of the section that matched it, in order,
never a fragment; plus at most one sentence from another section when it adds words of the
question that the first lacks. Every sentence keeps its exact text and gets `[n]` pointing at
the passage it came from; numbering is shared across the parts of one answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.honesty import asks_for_prediction, needs_individual_advice
from assistant.question_kinds import (
    NARROW_KINDS,
    asks_after_condition,
    kind_fact,
    same_ask,
    wh_kind,
)
from assistant.quotable import (
    LEAD_IN,
    MAX_SENTENCE_WORDS,
    MIN_SENTENCE_WORDS,
    SYMPATHY,
    YES_NO_LEAD,
    is_item,
    new_sentences,
    opening_sentences,
    repeats,
    said_before,
    unsaid,
)
from assistant.retrieval import SUMMARY_SECTION, SectionHit
from assistant.text import normalise, sentence_spans, tokens, word_count
from assistant.types import Chunk, Citation

YES_NO = re.compile(
    r"^\s*(?:(?:and|but|so|also|please|ok|okay)\b[\s,]*)?(is|are|can|could|do|does|did|must|should|will|would|has|have|am|may|might|was|were)\b",
    re.I,
)
# "Is legal aid free, or do they means test you?" offers two answers: a section's own "Yes." would
# say yes to one of them without saying which.
EITHER_OR = re.compile(r"\bor\b(?! not\b)", re.I)
# "Is my mum right that I'll have to pay for my solicitor?" asks whether a claim is true: the
# section's own "Yes." answers its heading ("Is legal aid free in care proceedings?"), whose
# polarity is the claim's opposite, so it would say yes to the wrong thing (dev dl9-05 opened
# "Yes. In care proceedings, parents ... get legal aid automatically").
CLAIM_CHECK = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:is|are|was|were) (?:\w+ ){0,3}?(?:right|correct|wrong|true)\b(?! to (?:ask|know)\b)"
    r"|^\s*(?:(?:and|but|so)\s+)?am i (?:right|wrong|correct)\b",
    re.I,
)
# A section's own yes/no answers its heading; it is shown only when the question matched that
# heading (or one of its `asks`) at least this closely: below it, the user's question may be
# a neighbour with the opposite polarity ("do I have to sign" vs "can I refuse to sign").
KEEP_YES_NO_AT = 0.72
# A sentence that opens by pointing back at what its section said before it ("This means...", "The
# three routes do different jobs", "They must...") says nothing alone: never the one extra
# sentence taken from the middle of another section (dev dl6-15 ended a part on "The three routes
# do different jobs, and you can use more than one").
LEANS_BACK = re.compile(
    r"(?:This|That|These|Those|It|Its|They|Their|Them|Such|Both|Either|Neither|He|She|His|Her)\b"
    r"|The (?:two|three|four|five|same|above|following|other|latter|former|rest|first|second|last)\b"
)
# A second section's sentence joins the answer only if it covers this share of the question's
# weighted words that the main answer lacks (a new key fact, not a rewording).
EXTRA_GAIN = 0.25
# ...and, from a note other than the best section's, only if its section scores at least this
# share of the best. Below it, the words it shared with the question were incidental: on the dev
# sets (2026-11-28) it took out 60 answers' added sentences ("Stage 1 (local resolution) should
# normally be finished within 10 working days" beside how long care proceedings take; a safety
# plan's length beside an EPO's; a registered offender's notification beside police protection)
# and changed no case's pass, key facts or parts answered.
EXTRA_OTHER_NOTE_AT = 0.8
# A runner-up section scoring at least this share of the best one is close enough to be part of
# the answer too; its opening is kept to about SECOND_BUDGET words.
SECOND_SECTION_AT = 0.9
SECOND_BUDGET = 80
# A one- or two-question answer (a part with at least ROOMY_BUDGET words to fill) has room for a
# runner-up that is a fair match: at 0.8 of the best score it added a missing key fact on two
# fresh dev sets (dev_short3 64 -> 66%, dev_short4 66 -> 69% pass) and lost none, for about 20
# more words. A long post's shorter parts keep the 0.9 bar: there the parts together must stay short.
SECOND_JOIN_ROOMY = 0.8
ROOMY_BUDGET = 120
# Words from the note's "In short" such an answer may add: its key facts (timescales, yes/no,
# who to ask) in one or two sentences. On four dev sets it lifted pass rates 8-10 points
# (dev_short3 67 -> 76%, dev_short2 69 -> 79%, dev_short4 75 -> 79%) for ~20 more words.
SUMMARY_BUDGET = 40
# ...and only if its text or heading is itself a fair match for the question (see _on_topic).
SECOND_MIN_TEXT = 0.35
REUSED_FALLBACK = 3  # sections tried after the best when an earlier part already quoted it
SECOND_MIN_QUESTION = 0.6


@dataclass(frozen=True)
class PartDraft:
    """One part's text with its `[n]` markers and the citation numbers it uses."""

    text: str
    numbers: tuple[int, ...]
    repeated: bool = False  # nothing new to say: an earlier part already quoted this section


class Answerer(Protocol):
    def answer(
        self, question: str, sections: Sequence[SectionHit], budget_words: int, book: CitationBook
    ) -> PartDraft: ...


class CitationBook:
    """Numbers passages once for a whole answer and keeps the span each one is quoted for.

    Mutable on purpose while one answer is composed; `citations()` gives the frozen values.
    """

    def __init__(self) -> None:
        self._order: list[str] = []
        self._chunks: dict[str, Chunk] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def cited(self, chunk: Chunk) -> bool:
        return chunk.id in self._chunks

    def used(self, chunk: Chunk, start: int, end: int) -> bool:
        """This exact sentence is already in the answer (an earlier part quoted it)."""
        return (start, end) in self._spans.get(chunk.id, ())

    def used_text(self) -> str:
        return " ".join(self._chunks[c].text[s:e] for c, spans in self._spans.items() for s, e in spans)

    def cite(self, chunk: Chunk, start: int, end: int) -> int:
        if chunk.id not in self._chunks:
            self._order.append(chunk.id)
            self._chunks[chunk.id] = chunk
        self._spans.setdefault(chunk.id, []).append((start, end))
        return self._order.index(chunk.id) + 1

    def citations(self) -> tuple[Citation, ...]:
        out = []
        for n, cid in enumerate(self._order, start=1):
            chunk = self._chunks[cid]
            start = min(s for s, _ in self._spans[cid])
            end = max(e for _, e in self._spans[cid])
            out.append(
                Citation(
                    n=n,
                    doc_id=chunk.doc_id,
                    chunk_id=chunk.id,
                    title=chunk.title,
                    section=chunk.section,
                    page=chunk.page,
                    url=chunk.url,
                    quote=chunk.text[start:end],
                    publisher=chunk.publisher,
                    reviewed=chunk.reviewed,
                    legal_force=chunk.legal_force,
                    jurisdiction=chunk.jurisdiction,
                    context_before=chunk.text[max(0, start - 160) : start],
                    context_after=chunk.text[end : end + 160],
                )
            )
        return tuple(out)


def with_marker(sentence: str, n: int) -> str:
    """Put `[n]` before the sentence's closing punctuation."""
    m = re.search(r"([.!?:;]+)([\"')\]]*)$", sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(1)}{m.group(2)}"
    return f"{sentence} [{n}]"


def predicts(question: str) -> bool:
    """A yes/no question about one family's or one person's outcome ("Will he be allowed back to
    work after the LADO meeting?") never gets a section's own yes or no: the part says nobody can
    predict it, and a "Usually yes:" from a neighbouring section would read as the prediction (dev
    dl17-13 was told "Usually yes: a summary stays on your confidential personnel file")."""
    return needs_individual_advice(question) or asks_for_prediction(question)


def is_yes_no(question: str) -> bool:
    return bool(YES_NO.match(normalise(question))) or asks_after_condition(question)



def _asks_alike(question: str, section: SectionHit) -> bool:
    """Whether a section besides the best may add to the answer: not when its heading asks for a
    narrow kind of fact the question does not ask for ("When does the core group meet?" shares
    words with "can I film the core group meeting?" but answers when, not whether; "When is the
    ICPC held?" beside "Who will be at the ICPC?")."""
    kind = wh_kind(section.key[1] or "")
    return kind not in NARROW_KINDS or kind == wh_kind(question)


def _fact_sentence(
    section: SectionHit, fact: re.Pattern[str], book: CitationBook
) -> tuple[Chunk, int, int] | None:
    """The section's first whole sentence, not yet quoted, that holds the narrow fact asked for
    ("A child can be kept in police protection for at most 72 hours" for "how long can police
    protection last?", asked of a section opening on what police protection is)."""
    for chunk in section.chunks:
        for s, e in sentence_spans(chunk.text):
            sentence = chunk.text[s:e].rstrip()
            if book.used(chunk, s, e) or not sentence[:1].isupper() or sentence.endswith(("?", ":")):
                continue
            if is_item(chunk.text, (s, e)) or SYMPATHY.search(sentence):
                continue
            if MIN_SENTENCE_WORDS <= word_count(sentence) <= MAX_SENTENCE_WORDS and fact.search(sentence):
                return chunk, s, e
    return None


def _on_topic(section: SectionHit) -> bool:
    """A runner-up joins only if it is about the question in its own right, not merely close to a
    weak best match (a Sarah's Law "initial checks" section beside "will they check up on me?")."""
    return section.text_similarity >= SECOND_MIN_TEXT or section.question_similarity >= SECOND_MIN_QUESTION


def _weights(question: str, idf: Callable[[str], float]) -> dict[str, float]:
    return {t: max(idf(t), 0.1) for t in set(tokens(question))}


class ExtractiveAnswerer:
    """The answerer behind the `Answerer` protocol: quotes, never paraphrases."""

    def __init__(self, idf: Callable[[str], float]) -> None:
        self.idf = idf

    def answer(
        self, question: str, sections: Sequence[SectionHit], budget_words: int, book: CitationBook
    ) -> PartDraft:
        if not sections:
            return PartDraft("", ())
        # The best section whose opening is not already in the answer: a later part never repeats
        # an earlier part's sentences (a long post often asks one thing twice in other words).
        main, pieces, numbers, used_text = sections[0], [], [], book.used_text()
        earlier = set(tokens(used_text))  # what the answer's earlier parts already said

        def quote(chunk: Chunk, s: int, e: int) -> None:
            nonlocal used_text
            n = book.cite(chunk, s, e)
            pieces.append(with_marker(chunk.text[s:e], n))
            numbers.append(n)
            used_text += " " + chunk.text[s:e]

        # The runner-up stands in only when it is close; otherwise the part says the answer above
        # covers it (a neighbouring section would answer a question nobody asked).
        close = [
            s for s in sections[1:2]
            if s.score >= SECOND_SECTION_AT * sections[0].score and _on_topic(s) and _asks_alike(question, s)
        ]
        # When an earlier part already quoted the best section, the next sections that match the
        # question in their own right may still say something new ("what can they do if it's not
        # safe?" after the section 20 basics); only if none does is the answer "see above". From
        # another note, only a section close to the best: dev dl12-10 answered "if I take him home
        # can they stop me?" with licence conditions once its section 20 answer had been given.
        if any(book.cited(c) for c in sections[0].chunks):
            close += [
                s for s in sections[1:REUSED_FALLBACK + 1]
                if s not in close and _on_topic(s)
                and (s.key[0] == sections[0].key[0] or s.score >= EXTRA_OTHER_NOTE_AT * sections[0].score)
            ]
        for candidate in [sections[0], *close]:
            keep = (
                is_yes_no(question)
                and not predicts(question)
                and not EITHER_OR.search(question)
                and not CLAIM_CHECK.search(question)
                and candidate.question_similarity >= KEEP_YES_NO_AT
                and same_ask(question, candidate.key[1])
            )
            for chunk in candidate.chunks:
                spans = unsaid(
                    chunk, opening_sentences(chunk, keep, budget_words),
                    lambda c, s, e: not book.used(c, s, e) and not said_before(c.text[s:e], earlier),
                )
                if not spans:
                    continue
                for s, e in spans:
                    quote(chunk, s, e)
                break
            if pieces:
                main = candidate
                sections = [candidate, *(x for x in sections if x is not candidate)]
                break
        if not pieces:
            return PartDraft("", (), repeated=any(book.cited(c) for c in sections[0].chunks))
        fact = kind_fact(question, main.key[1])
        if fact is not None and not fact.search(" ".join(pieces)):
            found = _fact_sentence(main, fact, book)
            if found is not None:
                quote(*found)
        rest = list(sections[1:])
        join_at = SECOND_JOIN_ROOMY if budget_words >= ROOMY_BUDGET else SECOND_SECTION_AT
        if rest and rest[0].score >= join_at * main.score and _on_topic(rest[0]):
            # A close runner-up section often holds the other half of what was asked ("who
            # decides" beside "how long"); its opening joins, briefly, in its own words.
            second = rest.pop(0)
            covered = set(tokens(used_text))
            for chunk in second.chunks[:1]:
                for s, e in new_sentences(chunk, opening_sentences(chunk, False, SECOND_BUDGET), covered):
                    quote(chunk, s, e)
        if budget_words >= ROOMY_BUDGET and main.summary is not None and main.key[1] != SUMMARY_SECTION:
            # A roomy answer adds what its note's "In short" says that the answer does not
            # yet (the note's key facts: "The council should reply within one month" beside a
            # SAR section that opens on what a SAR is).
            covered = set(tokens(used_text))
            summary = main.summary
            for s, e in new_sentences(summary, opening_sentences(summary, False, SUMMARY_BUDGET), covered):
                quote(summary, s, e)
        extra = self._extra_sentence(question, rest, used_text, main)
        if extra is not None:
            quote(*extra)
        return PartDraft(" ".join(pieces), tuple(dict.fromkeys(numbers)))

    def _extra_sentence(
        self, question: str, others: Sequence[SectionHit], used_text: str, main: SectionHit
    ) -> tuple[Chunk, int, int] | None:
        """One sentence from another section that adds question words the main answer lacks."""
        weights = _weights(question, self.idf)
        total = sum(weights.values()) or 1.0
        covered = set(tokens(used_text))
        best: tuple[float, Chunk, int, int] | None = None
        for rank, section in enumerate(others[:3]):
            if not _on_topic(section):
                continue
            if not _asks_alike(question, section):
                continue
            if section.key[0] != main.key[0] and section.score < EXTRA_OTHER_NOTE_AT * main.score:
                continue  # another note's sentence, from a section not close to the best
            for chunk in section.chunks[:2]:
                for s, e in sentence_spans(chunk.text):
                    lead = LEAD_IN.match(chunk.text[s:e]) or YES_NO_LEAD.match(chunk.text[s:e])
                    if lead:
                        s += lead.end()
                    sentence = chunk.text[s:e]
                    n = word_count(sentence)
                    if n < 6 or n > 45 or sentence.rstrip().endswith(("?", ":")):
                        continue
                    if not sentence[:1].isupper() or SYMPATHY.search(sentence):
                        continue
                    if s > 0 and LEANS_BACK.match(sentence):
                        continue  # "The three routes do different jobs": needs the sentences before it
                    if is_item(chunk.text, (s, e)):
                        continue  # a list item never stands without its introduction
                    toks = set(tokens(sentence))
                    gain = (
                        sum(w for t, w in weights.items() if t in toks and t not in covered) / total
                    )
                    if repeats(toks, covered):
                        continue  # mostly repeats the main answer
                    score = gain - 0.03 * rank
                    if gain >= EXTRA_GAIN and (best is None or score > best[0]):
                        best = (score, chunk, s, e)
        return None if best is None else (best[1], best[2], best[3])
