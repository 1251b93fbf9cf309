"""The answerer on hand-made sections (no index): opening sentences whole and in order, yes/no
only for a close match, no quoted sympathy, at most one extra sentence, exact citations, and one
numbering for the whole answer."""

from __future__ import annotations

import re

import pytest

from assistant.answering import (
    KEEP_YES_NO_AT,
    LEANS_BACK,
    CitationBook,
    ExtractiveAnswerer,
    is_yes_no,
    with_marker,
)
from assistant.glossary import normalise_query
from assistant.quotable import opening_sentences
from assistant.retrieval import SectionHit
from assistant.text import sentence_spans, tokens, word_count
from assistant.types import Chunk


def _chunk(
    cid: str,
    doc: str,
    text: str,
    section: str | None = None,
    kind: str = "guidance",
    position: int = 0,
) -> Chunk:
    return Chunk(
        id=cid,
        doc_id=doc,
        text=text,
        title=doc.split("/")[-1].replace("-", " ").capitalize(),
        source_path=f"/x/{doc}.md",
        section=section,
        kind=kind,
        position=position,
    )


def _section(
    *chunks: Chunk,
    question_similarity: float = 0.9,
    similarity: float = 0.8,
    score: float = 1.0,
    text_similarity: float = 0.0,
) -> SectionHit:
    first = chunks[0]
    return SectionHit(
        key=first.section_key(),
        chunks=tuple(chunks),
        score=score,
        similarity=similarity,
        question_similarity=question_similarity,
        best=first,
        text_similarity=text_similarity,
    )


def _texts(chunk: Chunk, spans: list[tuple[int, int]]) -> list[str]:
    return [chunk.text[s:e] for s, e in spans]


def _flat(idf_value: float = 1.0):  # type: ignore[no-untyped-def]
    return lambda token: idf_value


BINDING = _chunk(
    "sp-binding",
    "guidance/safety-plans",
    "No. A safety plan is a voluntary agreement, not a court order. "
    "Nobody can be punished by a court for breaking it. "
    "But if the plan is not kept, children's services may decide the children need more protection. "
    "Ask for any part you do not understand to be explained in writing.",
    "Is a safety plan legally binding?",
)
WHAT_IS = _chunk(
    "sp-what",
    "guidance/safety-plans",
    "In short: A safety plan is a written list of steps a family agrees to, so that a child is safe "
    "while children's services find out more. It names who does what, and when. "
    "It should say how long it lasts and when it will be looked at again.",
    "What is a safety plan?",
)
REVIEW = _chunk(
    "sp-review",
    "guidance/safety-plans",
    "You can ask the conference chair to review the plan at any time. Put the request in writing "
    "and keep a copy.",
    "How do I get a safety plan reviewed?",
)


# --- opening sentences ---------------------------------------------------------------------------
def test_opening_sentences_are_whole_and_in_reading_order() -> None:
    spans = opening_sentences(WHAT_IS, keep_yes_no=False, budget_words=200)
    texts = _texts(WHAT_IS, spans)
    assert texts == [
        "A safety plan is a written list of steps a family agrees to, so that a child is safe "
        "while children's services find out more.",
        "It names who does what, and when.",
        "It should say how long it lasts and when it will be looked at again.",
    ]
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)


def test_opening_sentences_stop_near_the_budget_but_always_give_one() -> None:
    spans = opening_sentences(WHAT_IS, keep_yes_no=False, budget_words=5)
    assert len(spans) == 1  # the first sentence is longer than the budget and still whole
    spans = opening_sentences(WHAT_IS, keep_yes_no=False, budget_words=30)
    assert sum(word_count(t) for t in _texts(WHAT_IS, spans)) <= 30


@pytest.mark.parametrize(
    "text",
    [
        "No, the social worker cannot make you sign it. You can ask for time to read the plan first.",
        "Yes, they can, but only with your agreement. The conference chair decides who attends.",
        "No. the plan is voluntary. You can ask for changes before you sign it.",
        "and the chair will write to you afterwards. The minutes come within 20 working days.",
    ],
)
def test_an_answer_never_opens_on_a_lower_case_fragment(text: str) -> None:
    chunk = _chunk("c", "guidance/x", text, "Heading?")
    for keep in (False, True):
        for s, e in opening_sentences(chunk, keep_yes_no=keep, budget_words=100):
            sentence = chunk.text[s:e]
            assert sentence[0].isupper() or sentence[0].isdigit(), sentence


def test_a_list_comes_with_its_introduction() -> None:
    chunk = _chunk(
        "list",
        "guidance/complaints",
        "You can ask for a review in three ways:\n"
        "- Write to the social worker's manager.\n"
        "- Ask at the next core group meeting.\n"
        "- Ask the conference chair directly.\n",
        "How do I ask for a review?",
    )
    texts = _texts(chunk, opening_sentences(chunk, keep_yes_no=False, budget_words=60))
    assert texts == [
        "You can ask for a review in three ways:",
        "Write to the social worker's manager.",
        "Ask at the next core group meeting.",
        "Ask the conference chair directly.",
    ]


def test_a_numbered_list_comes_with_its_introduction_too() -> None:
    # A numbered item's sentence starts with its own "1."; read as no list, the introduction
    # stood alone and the section that answered "do the professionals sit in?" was unquotable.
    chunk = _chunk(
        "stages",
        "guidance/fgc",
        "A family group conference usually has three stages:  \n"
        "1. Information sharing: professionals explain their worries.\n"
        "2. Private family time: the professionals leave.\n"
        "3. Agreeing the plan: the family presents its plan.\n",
        "What happens at a family group conference?",
    )
    texts = _texts(chunk, opening_sentences(chunk, keep_yes_no=False, budget_words=60))
    assert texts[0] == "A family group conference usually has three stages:"
    assert texts[2].startswith("2. Private family time") and len(texts) == 4


def test_a_list_that_does_not_fit_is_left_out_whole() -> None:
    chunk = _chunk(
        "list2",
        "guidance/complaints",
        "Complaints about children's services go through three stages set down in law. "
        "At each stage you can be helped by an advocate, and the council must tell you how:\n"
        "- Stage 1 is a local resolution by the team itself within ten working days.\n"
        "- Stage 2 is an investigation by someone independent of the team within 25 working days.\n"
        "- Stage 3 is a review panel of three people who were not involved before.\n",
        "How do I complain?",
    )
    texts = _texts(chunk, opening_sentences(chunk, keep_yes_no=False, budget_words=12))
    assert texts == ["Complaints about children's services go through three stages set down in law."]


def test_an_introduction_with_no_items_is_not_taken() -> None:
    chunk = _chunk(
        "intro-only",
        "guidance/x",
        "A core group meets within ten working days of the conference. It is made up of:",
        "Who is in the core group?",
    )
    texts = _texts(chunk, opening_sentences(chunk, keep_yes_no=False, budget_words=60))
    assert texts == ["A core group meets within ten working days of the conference."]


def test_the_in_short_label_is_not_quoted() -> None:
    texts = _texts(WHAT_IS, opening_sentences(WHAT_IS, keep_yes_no=False, budget_words=20))
    assert not any(t.startswith("In short") for t in texts)


# --- yes and no ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("Is a safety plan legally binding?", True),
        ("and can I refuse to sign it?", True),
        ("Do we have to let them in?", True),
        ("What is a safety plan?", False),
        ("How long does a stage 2 complaint take?", False),
        # a yes/no question after a leading condition (dev dl12-16), but not a wh-question
        ("If they come back with nothing does that mean he's safe?", True),
        ("if it goes to court will i get legal aid", True),
        ("If he breaks the plan what will they do?", False),
        ("If I complain, how long does it take?", False),
    ],
)
def test_is_yes_no(question: str, yes_no: bool) -> None:
    assert is_yes_no(question) is yes_no


def test_a_close_yes_no_question_gets_the_sections_own_no() -> None:
    draft = ExtractiveAnswerer(_flat()).answer(
        "Is a safety plan legally binding?", [_section(BINDING, question_similarity=KEEP_YES_NO_AT)], 60, CitationBook()
    )
    assert draft.text.startswith("No. A safety plan is a voluntary agreement")


def test_a_loose_match_drops_the_sections_yes_or_no() -> None:
    # "Must I obey the plan?" is a neighbour of the heading, maybe with the opposite polarity.
    draft = ExtractiveAnswerer(_flat()).answer(
        "Must I obey the safety plan for ever?", [_section(BINDING, question_similarity=KEEP_YES_NO_AT - 0.01)], 60, CitationBook()
    )
    assert draft.text.startswith("A safety plan is a voluntary agreement")
    assert not re.match(r"^(Yes|No)\b", draft.text)


def test_a_question_that_is_not_yes_no_never_gets_a_yes_or_no() -> None:
    draft = ExtractiveAnswerer(_flat()).answer(
        "What does the law say about safety plans?", [_section(BINDING, question_similarity=0.99)], 60, CitationBook()
    )
    assert not re.match(r"^(Yes|No)\b", draft.text)


def test_an_either_or_question_gets_no_yes_or_no() -> None:
    draft = ExtractiveAnswerer(_flat()).answer(
        "Is a safety plan legally binding, or is it just advice?", [_section(BINDING, question_similarity=0.99)], 60, CitationBook()
    )
    assert draft.text.startswith("A safety plan is a voluntary agreement")


def test_a_bare_hedge_is_dropped_with_the_yes_or_no() -> None:
    hedge = _chunk(
        "hedge", "guidance/legal-aid",
        "Sometimes. A relative with parental responsibility usually gets the same legal aid as a parent.",
        "Do relatives get legal aid?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "How does legal aid work for relatives?", [_section(hedge, question_similarity=0.99)], 60, CitationBook()
    )
    assert draft.text.startswith("A relative with parental responsibility")


def test_a_yes_before_a_semicolon_is_dropped_with_its_clause_never_left_as_a_fragment() -> None:
    # A section once opened "Yes; the guardian should contact you": quoted beside a question it
    # did not answer ("can my mum be looked at as a carer?"), its yes answered nothing asked.
    semi = _chunk(
        "semi", "guidance/childrens-guardian-cafcass",
        "Yes; the guardian should contact you. The guardian may meet you, phone you or visit.",
        "Will the guardian talk to me?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "How does the guardian work?", [_section(semi, question_similarity=0.99)], 60, CitationBook()
    )
    assert draft.text.startswith("The guardian may meet you")


# --- sympathy ------------------------------------------------------------------------------------
def test_sympathy_in_a_qa_reply_is_never_quoted() -> None:
    reply = _chunk(
        "qa-reply",
        "qa/core-group-worry",
        "I'm so sorry you are going through this, it must be really frightening. "
        "It is completely understandable to feel angry. "
        "A core group meets within ten working days of the initial conference. "
        "You and the professionals agree the detail of the plan there.",
        "When does the core group meet?",
        kind="qa",
    )
    other = _chunk(
        "qa-other",
        "qa/another-thread",
        "You are not alone, many parents feel like you do about the core group meeting dates. "
        "The first core group meeting date is usually set at the conference itself.",
        "Core group dates",
        kind="qa",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "When does the first core group meeting happen?", [_section(reply), _section(other)], 80, CitationBook()
    )
    assert draft.text.startswith("A core group meets within ten working days")
    for words in ("sorry", "frightening", "understandable", "not alone", "feel like"):
        assert words not in draft.text


@pytest.mark.parametrize(
    ("sentence", "kindness"),
    [
        ("Four months of not knowing where you stand is hard, especially with three changes of social worker.", True),
        ("A letter like this is frightening, and many parents feel the same shock.", True),
        ("Meetings about your family can feel overwhelming, so it is good that you are asking.", True),
        ("Samaritans (116 123) are available day and night if grief or stress feels overwhelming, and your GP can help.", False),
        ("It is hard to get legal aid for a private family case.", False),
    ],
)
def test_a_replys_opening_words_of_feeling_are_kindness_not_fact(sentence: str, kindness: bool) -> None:
    # dev dl14-03: a parent asking about assessment timescales was told, as cited fact, of "three
    # changes of social worker" that were another poster's.
    from assistant.quotable import SYMPATHY

    assert (SYMPATHY.search(sentence) is not None) is kindness


def test_a_list_is_quoted_whole_or_not_at_all_when_an_earlier_part_named_some_items() -> None:
    from assistant.quotable import opening_sentences, unsaid

    chunk = _chunk(
        "outcomes", "guidance/assessment",
        "At the end of an assessment the council decides what happens next. Common outcomes are:\n\n"
        "- no further action, with the case closed;\n- help from early help;\n"
        "- a child in need (CIN) plan with a social worker;\n- section 47 enquiries.\n\n"
        "Parents should be told the outcome.",
        "What happens after an assessment?",
    )
    spans = opening_sentences(chunk, False, 80)
    said = ("child in need", "section 47", "council decides")  # what earlier parts already said

    def new(c, s, e):  # type: ignore[no-untyped-def]
        return not any(w in c.text[s:e] for w in said)

    quoted = [chunk.text[s:e] for s, e in unsaid(chunk, spans, new)]
    assert quoted[0] == "Common outcomes are:"
    assert any("child in need" in q for q in quoted) and any("section 47" in q for q in quoted)
    assert [q for q in quoted if "council decides" in q] == []
    # A list whose introduction was said before goes with it: no orphaned items.
    orphans = unsaid(chunk, spans, lambda c, s, e: "Common outcomes" not in c.text[s:e])
    assert all("no further action" not in chunk.text[s:e] for s, e in orphans)


# --- the extra sentence --------------------------------------------------------------------------
def test_one_extra_sentence_when_another_section_adds_question_words() -> None:
    other_a = _chunk(
        "other-a", "guidance/conferences",
        "The conference chair can be asked to review a safety plan between meetings. "
        "The chair is independent of the social work team.",
        "Who chairs a conference?",
    )
    other_b = _chunk(
        "other-b", "guidance/complaints",
        "A request to the conference chair for a review should be made in writing with reasons.",
        "Can I ask the chair?",
    )
    question = "How do I get a safety plan reviewed by the conference chair?"
    # Runners-up below the runner-up bar (0.9 of the best): only the one-extra-sentence rule applies.
    draft = ExtractiveAnswerer(_flat()).answer(
        question,
        [_section(WHAT_IS), _section(other_a, score=0.85), _section(other_b, score=0.85)],
        60,
        CitationBook(),
    )
    plain = re.sub(r" \[\d+\]", "", draft.text)
    extras = [
        sentence
        for chunk in (other_a, other_b)
        for sentence in (chunk.text[s:e] for s, e in sentence_spans(chunk.text))
        if sentence in plain
    ]
    assert len(extras) == 1
    assert draft.text.startswith("A safety plan is a written list of steps")
    assert len(draft.numbers) == 2


def test_the_extra_sentence_never_points_back_at_what_its_section_said_before_it() -> None:
    # dev dl6-15 ended a part on "The three routes do different jobs, and you can use more than one".
    other = _chunk(
        "other", "guidance/conferences",
        "Parents can complain in three ways. The three routes do different jobs and the chair can review a safety plan.",
        "How do I complain?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "How do I get a safety plan reviewed by the conference chair?",
        [_section(WHAT_IS), _section(other, score=0.85)],
        60,
        CitationBook(),
    )
    assert "three routes" not in draft.text
    assert LEANS_BACK.match("These timescales come from Working Together") and not LEANS_BACK.match("There is no means test")


def test_another_notes_extra_sentence_comes_only_from_a_section_close_to_the_best() -> None:
    """Far below the best (under EXTRA_OTHER_NOTE_AT of its score), another note's section shares
    the question's words by chance (dev: "Stage 1 (local resolution) should normally be finished
    within 10 working days" beside how long care proceedings take); a section of the best one's
    own note may still add its sentence."""
    other = _chunk(
        "other-a", "guidance/conferences",
        "The conference chair can be asked to review a safety plan between meetings.",
        "Who chairs a conference?",
    )
    same = _chunk(
        "same-a", "guidance/safety-plans",
        "The conference chair can be asked to review a safety plan between meetings.",
        "Can the chair look at a safety plan again?",
    )
    question = "How do I get a safety plan reviewed by the conference chair?"
    far = ExtractiveAnswerer(_flat()).answer(
        question, [_section(WHAT_IS), _section(other, score=0.5)], 60, CitationBook()
    )
    assert "conference chair" not in far.text and len(far.numbers) == 1
    own = ExtractiveAnswerer(_flat()).answer(
        question, [_section(WHAT_IS), _section(same, score=0.5)], 60, CitationBook()
    )
    assert "conference chair can be asked" in own.text and len(own.numbers) == 2


def test_a_close_runner_up_section_adds_its_opening_after_the_best_one() -> None:
    runner_up = _chunk(
        "runner", "guidance/conferences",
        "The conference chair can be asked to review a safety plan between meetings. "
        "The chair is independent of the social work team.",
        "Who chairs a conference?",
    )
    far = _chunk(
        "far", "guidance/complaints",
        "A request to the conference chair for a review should be made in writing with reasons.",
        "Can I ask the chair?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "How do I get a safety plan reviewed by the conference chair?",
        [_section(WHAT_IS), _section(runner_up, score=0.95), _section(far, score=0.2)],
        60,
        CitationBook(),
    )
    assert draft.text.startswith("A safety plan is a written list of steps")
    assert "The conference chair can be asked to review a safety plan between meetings [2]." in draft.text
    assert draft.numbers[:2] == (1, 2)


def test_a_runner_ups_list_never_joins_without_its_introduction() -> None:
    # The runner-up's introduction repeats the answer, so it is skipped: its items, which read
    # "parents, including...; the child..." on their own, go with it.
    best = _chunk(
        "who", "guidance/icpc",
        "People invited to an initial conference usually include the parents and the social worker. "
        "Parents can bring a friend.",
        "Who goes to the conference?",
    )
    runner_up = _chunk(
        "list", "guidance/icpc-qa",
        "People invited to an initial conference usually include:\n"
        "- parents, including separated parents with parental responsibility;\n"
        "- the child, where old enough.\n"
        "The police often send an officer to the conference.",
        "Who will be at the conference?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "Who goes to the initial conference?",
        [_section(best), _section(runner_up, score=0.95)],
        60,
        CitationBook(),
    )
    assert "parents, including separated" not in draft.text
    assert "The police often send an officer to the conference [2]." in draft.text


def test_a_close_runner_up_that_matches_the_question_poorly_adds_no_opening() -> None:
    runner_up = _chunk(
        "runner", "guidance/sarahs-law",
        "The police carry out initial checks within 24 hours to see whether a child is in danger.",
        "What happens after I apply?",
    )
    weak = _section(runner_up, score=0.95, similarity=0.3, question_similarity=0.52, text_similarity=0.25)
    draft = ExtractiveAnswerer(_flat()).answer(
        "Do they check up on me?", [_section(WHAT_IS), weak], 60, CitationBook()
    )
    assert "initial checks" not in draft.text
    on_topic = _section(runner_up, score=0.95, similarity=0.3, question_similarity=0.52, text_similarity=0.5)
    draft = ExtractiveAnswerer(_flat()).answer(
        "Do they check up on me?", [_section(WHAT_IS), on_topic], 60, CitationBook()
    )
    assert "initial checks" in draft.text


def test_when_an_earlier_part_quoted_the_best_section_a_next_one_that_fits_answers() -> None:
    book = CitationBook()
    answerer = ExtractiveAnswerer(_flat())
    answerer.answer("What is a safety plan?", [_section(WHAT_IS)], 60, book)
    powers = _chunk(
        "powers", "guidance/emergency-protection",
        "If a child is not safe at home, the council can ask a court for an emergency protection order.",
        "What can the council do if a child is not safe?",
    )
    fits = _section(powers, score=0.85, similarity=0.5, question_similarity=0.7, text_similarity=0.5)
    # Another note's section far below the best shares words by chance (dev dl12-10 answered "if I
    # take him home can they stop me?" with licence conditions): the answer above stands.
    far = _section(powers, score=0.5, similarity=0.5, question_similarity=0.7, text_similarity=0.5)
    draft = answerer.answer("What can they do if it's not safe to go home?", [_section(WHAT_IS), far], 60, book)
    assert draft.text == "" and draft.repeated
    draft = answerer.answer("What can they do if it's not safe to go home?", [_section(WHAT_IS), fits], 60, book)
    assert "emergency protection order" in draft.text and not draft.repeated
    # Nothing that fits: the part says the answer above covers it.
    draft = answerer.answer("What is a safety plan, again?", [_section(WHAT_IS)], 60, book)
    assert draft.text == "" and draft.repeated


def test_a_runner_up_well_below_the_best_adds_no_opening() -> None:
    runner_up = _chunk(
        "runner", "guidance/conferences",
        "The chair is independent of the social work team and runs the meeting.",
        "Who chairs a conference?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "What is a safety plan?", [_section(WHAT_IS), _section(runner_up, score=0.5)], 60, CitationBook()
    )
    assert "independent" not in draft.text


def test_a_fair_runner_up_joins_a_one_question_answer_but_not_a_long_posts_short_part() -> None:
    runner_up = _chunk(
        "runner", "guidance/conferences",
        "The conference chair can be asked to review a safety plan between meetings.",
        "Who can review a safety plan?",
    )

    def draft(budget: int) -> str:
        sections = [_section(WHAT_IS), _section(runner_up, score=0.85, text_similarity=0.5)]
        return ExtractiveAnswerer(_flat()).answer("What is a safety plan?", sections, budget, CitationBook()).text

    assert "conference chair can be asked" in draft(160)  # a one-question answer has room
    assert "conference chair can be asked" not in draft(60)  # one of several parts: only a close one


def test_a_one_question_answer_adds_what_the_notes_in_short_says_that_it_lacks() -> None:
    from dataclasses import replace

    section = _chunk(
        "sar-what", "guidance/sar",
        "A subject access request (SAR) is how you ask for copies of your own information. "
        "A SAR covers case notes, assessments and emails.",
        "Can I see my file?",
    )
    summary = _chunk(
        "sar-short", "guidance/sar",
        "In short: You can ask for copies of your own information with a subject access request. "
        "The council should reply within one month.",
        "In short",
    )
    hit = replace(_section(section), summary=summary)

    def draft(budget: int) -> str:
        return ExtractiveAnswerer(_flat()).answer("How do I get a copy of my file?", [hit], budget, CitationBook()).text

    roomy = draft(160)
    assert "The council should reply within one month [2]." in roomy  # a key fact the section lacks
    assert "You can ask for copies" not in roomy  # repeats the section's opening
    assert "one month" not in draft(60)  # one of several parts in a long post: no room


def test_the_extra_sentence_is_never_a_list_item_on_its_own() -> None:
    listed = _chunk(
        "listed", "guidance/conferences",
        "A useful request to the chair:\n"
        "- Ask the conference chair to review the safety plan between meetings.\n",
        "What should a request say?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "How do I get a safety plan reviewed by the conference chair?",
        [_section(WHAT_IS), _section(listed, score=0.2, text_similarity=0.5)],
        60,
        CitationBook(),
    )
    assert "Ask the conference chair" not in draft.text


def test_a_sentence_that_brings_a_new_number_is_not_a_repeat() -> None:
    from assistant.lexical import tokens
    from assistant.quotable import repeats

    covered = set(tokens("You can ask for a stage 3 review panel within 20 working days of the stage 2 letter."))
    assert not repeats(set(tokens("A stage 3 review panel must meet within 30 working days.")), covered)
    assert repeats(set(tokens("A stage 3 review panel can be asked for within 20 working days.")), covered)


def test_no_extra_sentence_when_another_section_only_repeats_the_answer() -> None:
    repeat = _chunk(
        "repeat", "guidance/other",
        "A safety plan is a written list of steps that a family agrees to keep a child safe.",
        "Safety plans again",
    )
    off_topic = _chunk(
        "off", "guidance/contact-centres",
        "Contact centres are run by charities and some are open at weekends only.",
        "Where is my nearest contact centre?",
    )
    draft = ExtractiveAnswerer(_flat()).answer(
        "What is a safety plan?", [_section(WHAT_IS), _section(repeat), _section(off_topic)], 60, CitationBook()
    )
    assert draft.numbers == (1,)
    assert "Contact centres" not in draft.text and "agrees to keep" not in draft.text


# --- citations -----------------------------------------------------------------------------------
def test_every_citation_is_an_exact_substring_and_every_marker_resolves() -> None:
    book = CitationBook()
    draft = ExtractiveAnswerer(_flat()).answer(
        "How do I get a safety plan reviewed by the conference chair?",
        [_section(WHAT_IS), _section(REVIEW)],
        60,
        book,
    )
    citations = book.citations()
    chunks = {c.id: c for c in (WHAT_IS, REVIEW)}
    for c in citations:
        assert c.quote and c.quote in chunks[c.chunk_id].text
        text = chunks[c.chunk_id].text
        start = text.index(c.quote)
        assert text[:start].endswith(c.context_before)
        assert text[start + len(c.quote) :].startswith(c.context_after)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", draft.text)} == {c.n for c in citations}
    assert set(draft.numbers) == {c.n for c in citations}


def test_numbering_is_shared_across_the_parts_of_one_answer() -> None:
    book = CitationBook()
    answerer = ExtractiveAnswerer(_flat())
    first = answerer.answer("What is a safety plan?", [_section(WHAT_IS)], 40, book)
    second = answerer.answer("Is a safety plan legally binding?", [_section(BINDING)], 40, book)
    third = answerer.answer("What exactly is a safety plan?", [_section(WHAT_IS)], 40, book)
    assert first.numbers == (1,) and second.numbers == (2,)
    assert "[2]" in second.text and "[1]" not in second.text
    # Asked again in other words: nothing is repeated; the part says so (the service's wording).
    assert third.text == "" and third.repeated
    citations = book.citations()
    assert [(c.n, c.chunk_id) for c in citations] == [(1, "sp-what"), (2, "sp-binding")]


def test_one_passage_quoted_twice_is_cited_once_over_the_span_of_both() -> None:
    book = CitationBook()
    text = WHAT_IS.text
    a = text.index("It names")
    b = text.index("It should")
    assert book.cite(WHAT_IS, a, a + 10) == 1
    assert book.cite(WHAT_IS, b, b + 9) == 1
    (citation,) = book.citations()
    assert citation.quote == text[a : b + 9]


def test_citation_carries_the_passages_source() -> None:
    book = CitationBook()
    book.cite(BINDING, 4, 20)
    (c,) = book.citations()
    assert (c.doc_id, c.section, c.title) == (BINDING.doc_id, BINDING.section, BINDING.title)


def test_no_sections_no_answer() -> None:
    book = CitationBook()
    draft = ExtractiveAnswerer(_flat()).answer("anything", [], 60, book)
    assert draft.text == "" and draft.numbers == () and book.citations() == ()


def test_a_section_with_nothing_quotable_gives_no_answer() -> None:
    only_questions = _chunk("q-only", "qa/x", "Can they do that? What happens next?", "A worried post", kind="qa")
    draft = ExtractiveAnswerer(_flat()).answer("Can they do that?", [_section(only_questions)], 60, CitationBook())
    assert draft.text == "" and draft.numbers == ()


def test_the_next_passage_of_the_section_answers_when_the_first_has_nothing_quotable() -> None:
    lead = _chunk("lead", "guidance/x", "What happens next?", "What happens after a conference?", position=0)
    body = _chunk(
        "body", "guidance/x",
        "The core group meets within ten working days and agrees the detail of the plan.",
        "What happens after a conference?", position=1,
    )
    draft = ExtractiveAnswerer(_flat()).answer("What happens after a conference?", [_section(lead, body)], 60, CitationBook())
    assert draft.text.startswith("The core group meets") and draft.numbers == (1,)


# --- markers -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "n", "marked"),
    [
        ("It is voluntary.", 2, "It is voluntary [2]."),
        ("Is it voluntary?", 1, "Is it voluntary [1]?"),
        ("You will hear:", 3, "You will hear [3]:"),
        ('The letter says "before proceedings."', 1, 'The letter says "before proceedings [1]."'),
        ("Keep a copy (and the date).", 4, "Keep a copy (and the date) [4]."),
        ("No full stop", 1, "No full stop [1]"),
    ],
)
def test_with_marker_puts_the_number_before_the_closing_punctuation(sentence: str, n: int, marked: str) -> None:
    assert with_marker(sentence, n) == marked


# --- pure helpers used by retrieval and answering -------------------------------------------------
def test_glossary_expands_capitalised_shorthand_only() -> None:
    q = normalise_query("SS put DC on a CPP after the s47, oh well")
    terms = dict(q.expanded)
    assert {"SS", "DC", "CPP", "s47"} <= set(terms) and "OH" not in terms
    assert "child protection plan" in q.text


def test_sentence_spans_are_exact_and_join_a_bare_no() -> None:
    text = "No. A safety plan is not a court order. It is voluntary.\n- Ask in writing.\n- Keep a copy."
    parts = [text[s:e] for s, e in sentence_spans(text)]
    assert parts == ["No. A safety plan is not a court order.", "It is voluntary.", "Ask in writing.", "Keep a copy."]


def test_tokens_drop_stopwords_and_stem() -> None:
    assert tokens("The plans were reviewed") == ["plan", "review"]
    assert tokens("We don’t know") == tokens("We don't know")


def test_a_clear_winner_on_both_searches_passes_the_gate_a_close_race_does_not() -> None:
    from assistant.gate import clear_winner as _clear_winner

    def hit(chunk: Chunk, score: float, dense: int, bm25: int) -> SectionHit:
        return SectionHit(
            key=chunk.section_key(), chunks=(chunk,), score=score, similarity=0.4,
            question_similarity=0.4, best=chunk, dense_rank=dense, text_similarity=0.38, bm25_rank=bm25,
        )

    assert _clear_winner((hit(WHAT_IS, 0.48, 2, 1), hit(REVIEW, 0.35, 18, 4)))
    assert not _clear_winner((hit(WHAT_IS, 0.48, 2, 1), hit(REVIEW, 0.45, 1, 2)))  # a close race
    assert not _clear_winner((hit(WHAT_IS, 0.48, 7, 1), hit(REVIEW, 0.30, 1, 9)))  # searches disagree



POLICE_PROTECTION = _chunk(
    "pp", "guidance/emergency-protection",
    "Police protection is a police power under section 46, not a court order. "
    "An officer can remove a child to a safe place if the child would otherwise be likely to suffer "
    "significant harm. A child can be kept in police protection for at most 72 hours. "
    "The council must then make enquiries.",
    "What is police protection?",
)


def test_a_how_long_question_gets_the_sections_sentence_that_says_how_long() -> None:
    draft = ExtractiveAnswerer(_flat()).answer(
        "How long can police protection last?", [_section(POLICE_PROTECTION)], 25, CitationBook()
    )
    plain = re.sub(r" \[\d+\]", "", draft.text)
    assert plain.startswith("Police protection is a police power")
    assert "at most 72 hours" in plain
    assert "The council must then make enquiries" not in plain


def test_a_what_is_question_gets_no_extra_sentence_for_a_length_of_time() -> None:
    draft = ExtractiveAnswerer(_flat()).answer(
        "What is police protection?", [_section(POLICE_PROTECTION)], 25, CitationBook()
    )
    assert "72 hours" not in draft.text


def test_a_later_part_skips_an_opening_sentence_an_earlier_part_already_said() -> None:
    book = CitationBook()
    guidance = _chunk(
        "s20-g", "guidance/section-20",
        "Any person with parental responsibility can remove the child from section 20 accommodation "
        "at any time, and the law does not require notice.",
        "Can I take my child home from section 20?",
    )
    reply = _chunk(
        "s20-q", "qa/section-20-reply",
        "Any person with parental responsibility may remove a child from section 20 accommodation "
        "at any time, and the law does not require notice. If the council thinks a child would be "
        "at risk at home, it must apply to court.",
        "Can I take my child home from section 20?",
    )
    answerer = ExtractiveAnswerer(_flat())
    answerer.answer("Can I just take them back?", [_section(guidance)], 40, book)
    later = answerer.answer("What can they do to stop me taking them home?", [_section(reply)], 40, book)
    assert later.text.startswith("If the council thinks a child would be at risk at home"), later.text


def test_a_question_whether_a_claim_is_right_never_gets_the_sections_own_yes_or_no() -> None:
    """'Is my mum right that I'll have to pay?' answered by a section headed 'Is legal aid free?'
    must not open 'Yes.': the yes would answer the heading, the opposite claim (dev dl9-05)."""
    from assistant.answering import CLAIM_CHECK, is_yes_no

    asked = "Is my mum right that I'll have to pay for my solicitor now I'm working?"
    assert is_yes_no(asked) and CLAIM_CHECK.search(asked)
    assert CLAIM_CHECK.search("Am I right in thinking a CIN plan is voluntary?")
    assert not CLAIM_CHECK.search("Is a safety plan legally binding?")
    assert not CLAIM_CHECK.search("Is the right to ask the same as Clare's Law?")


def test_a_runner_ups_own_not_automatically_is_never_quoted_as_this_answers_verdict() -> None:
    # "Not automatically, because the address must be approved first" answers its own heading
    # (a partner on licence coming home), not a parent asking whether she can take her son home
    # from section 20 (dev dl12-10): without its own yes/no the sentence starts mid-way, so it goes.
    chunk = _chunk(
        "c-licence", "guidance/probation-and-licence",
        "Not automatically, because the address must be approved first. One standard licence "
        "condition is to live at an address the probation officer has approved.",
        "Can my partner come home when released?",
    )
    texts = _texts(chunk, opening_sentences(chunk, keep_yes_no=False, budget_words=60))
    assert texts == ["One standard licence condition is to live at an address the probation officer has approved."]


def test_a_lists_introduction_is_never_quoted_without_one_of_its_items() -> None:
    # dev dl12-08 ended a part on "These points help [3]:" when every item repeated the answer.
    from assistant.quotable import new_sentences

    chunk = _chunk(
        "c-sar", "guidance/subject-access-requests",
        "A request needs no form. These points help:\n- Email gives you a dated record.\n"
        "- Keep a copy of what you sent.",
        "How do I make a subject access request?",
    )
    spans = sentence_spans(chunk.text)
    said = set(tokens("Email gives you a dated record. Keep a copy of what you sent."))
    assert _texts(chunk, new_sentences(chunk, spans, set(said))) == ["A request needs no form."]
    kept = _texts(chunk, new_sentences(chunk, spans, set()))
    assert [t.strip("- \n") for t in kept] == [
        "A request needs no form.", "These points help:", "Email gives you a dated record.",
        "Keep a copy of what you sent.",
    ]
