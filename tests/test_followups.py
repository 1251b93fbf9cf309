"""Follow-up rewriting: pure, deterministic, and safe around safety answers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.followups import (
    Turn,
    ask_in_conversation,
    context_questions,
    is_followup,
    part_topic,
    referenced_part,
    rewrite_followup,
    topic_terms,
)
from assistant.types import Answer, AnswerPart, Triage

COMPLAINT = "How do I make a complaint about children's services?"
CIN = "What is a child in need plan?"


@pytest.mark.parametrize(
    ("question", "previous", "standalone"),
    [
        (
            "and how long does stage 2 take?",
            COMPLAINT,
            "How long does stage 2 take? (about: complaint, children's services)",
        ),
        ("what if I say no?", CIN, "What if I say no? (about: child in need plan)"),
        (
            "Is it legally binding?",
            "What is a safety plan?",
            "Is it legally binding? (about: safety plan)",
        ),
        (
            "How about a CIN plan",
            "Who goes to a core group?",
            "How about a CIN plan? (about: core group)",
        ),
        (
            "And, then stage 3?",
            "How long does stage 2 take? (about: complaint, children's services)",
            "Stage 3? (about: complaint, children's services)",
        ),
        (
            "what about the ICPC?",
            "Who attends a section 47 meeting?",
            "What about the ICPC? (about: section 47 meeting)",
        ),
    ],
)
def test_a_follow_up_gets_the_topic_of_the_previous_question(
    question: str, previous: str, standalone: str
) -> None:
    rewrite = rewrite_followup(question, [previous])
    assert rewrite.standalone == standalone
    assert rewrite.rewritten and rewrite.original == question


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("Is a safety plan legally binding?", [CIN]),  # standalone: no pronoun, no opener
        ("what if I say no?", []),  # nothing to lean on
        ("thanks", [CIN]),
        ("Thank you so much!", [CIN]),
        ("What if I say no to a child in need plan?", [CIN]),  # already names the topic
        ("How long does a stage 2 complaint about children's services take?", [COMPLAINT]),
        (
            "and what happens at the initial child protection conference, who will be there, and can I "
            "bring a friend or my mum?",
            [COMPLAINT],
        ),  # long: stands on its own
    ],
)
def test_a_standalone_question_is_left_as_it_is(question: str, history: list[str]) -> None:
    rewrite = rewrite_followup(question, history)
    assert rewrite.standalone == question.strip()
    assert not rewrite.rewritten


def test_the_most_recent_question_is_the_one_used() -> None:
    rewrite = rewrite_followup(
        "and how long does it last?", [COMPLAINT, "What is an emergency protection order?"]
    )
    assert rewrite.added_terms == ("emergency protection order",)


def test_rewriting_is_deterministic() -> None:
    outs = {rewrite_followup("what if I say no?", [CIN]).standalone for _ in range(20)}
    assert len(outs) == 1


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("and then?", True),
        ("What about my ex?", True),
        ("Can they do that?", True),
        ("stage 3?", True),
        ("ok", False),
        ("", False),
        ("Can the council take my children into care without going to court first?", False),
    ],
)
def test_follow_ups_are_recognised_by_their_shape(question: str, expected: bool) -> None:
    assert is_followup(question) is expected


def test_the_message_reader_takes_a_pointer_s_topic_from_the_added_words() -> None:
    """A question that points back searches with the topic; one naming its own is left alone."""
    from assistant.message import read_message

    for previous, question, topic in [
        (COMPLAINT, "and how long does that take?", "complaint"),
        ("What is a safety plan?", "what if I break it?", "safety plan"),
        (COMPLAINT, "and how long does stage 2 take?", None),
    ]:
        standalone = rewrite_followup(question, [previous]).standalone
        (read,) = read_message(standalone).questions
        assert read.topic == topic, (standalone, read.search)


def test_topic_terms_keep_phrases_and_drop_question_words() -> None:
    assert topic_terms("What happens at a pre-proceedings (PLO) meeting?") == (
        "pre-proceedings PLO meeting",
    )
    assert topic_terms(CIN) == ("child in need plan",)
    assert topic_terms("What if I say no? (about: child in need plan)") == ("child in need plan",)
    assert topic_terms("What if I say no (about: child in need plan)?") == ("child in need plan",)


# --- in a conversation ------------------------------------------------------------------------
@dataclass
class FakeAssistant:
    """Records what it was asked; flags danger by a keyword (the real triage is tested elsewhere)."""

    asked: list[str] = field(default_factory=list)

    def triage(self, message: str) -> Triage:
        return Triage("emergency" if "hurting" in message else "none")

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        kind = "safety" if "hurting" in question else "answer"
        return Answer(question, kind, "text", (), (), "disclaimer")  # type: ignore[arg-type]


def test_a_conversation_rewrites_follow_ups_before_asking() -> None:
    bot = FakeAssistant()
    first = ask_in_conversation(bot, COMPLAINT, [])
    second = ask_in_conversation(bot, "and how long does stage 2 take?", [first])
    assert (first.id, second.id) == (1, 2)
    assert bot.asked[1].startswith("How long does stage 2 take? (about: complaint")
    assert second.rewritten and second.question == "and how long does stage 2 take?"


def test_a_danger_message_is_asked_exactly_as_typed() -> None:
    bot = FakeAssistant()
    first = ask_in_conversation(bot, COMPLAINT, [])
    turn = ask_in_conversation(bot, "he is hurting her now", [first])
    assert bot.asked[-1] == "he is hurting her now" and not turn.rewritten


def test_safety_turns_lend_no_topic_to_the_next_question() -> None:
    bot = FakeAssistant()
    danger = ask_in_conversation(bot, "my partner is hurting my child", [])
    assert context_questions([danger]) == ()
    after = ask_in_conversation(bot, "what if I say no?", [danger])
    assert not after.rewritten


def test_turns_are_frozen() -> None:
    turn = Turn(1, "q", "q", Answer("q", "answer", "t", (), (), "d"))
    with pytest.raises(AttributeError):
        turn.question = "changed"  # type: ignore[misc]


# --- after an answer in several parts ----------------------------------------------------------
PARTS = (
    AnswerPart("What is a safety plan?", "answer", "A safety plan is... [1]", (1,), "In short"),
    AnswerPart("Who goes to a core group?", "answer", "The core group is... [2]", (2,), "Who"),
    AnswerPart(
        "How do I make a complaint about children's services?",
        "answer",
        "Write to the complaints manager [3].",
        (3,),
        "How do I complain?",
    ),
)
LONG_POST = "I am on a safety plan and ... My questions: " + " ".join(p.ask for p in PARTS)


def _multi(parts: tuple[AnswerPart, ...] = PARTS, kind: str = "answer") -> Turn:
    answer = Answer(LONG_POST, kind, "text", (), (), "d", parts=parts)  # type: ignore[arg-type]
    return Turn(1, LONG_POST, LONG_POST, answer)


def test_a_follow_up_after_several_parts_takes_the_topic_of_the_last_part() -> None:
    bot = FakeAssistant()
    turn = ask_in_conversation(bot, "and how long does that take?", [_multi()])
    assert turn.standalone == "How long does that take? (about: complaint, children's services)"
    assert bot.asked == [turn.standalone]


def test_a_follow_up_naming_an_earlier_part_takes_that_part() -> None:
    assert referenced_part(PARTS, "and is the plan binding?") is PARTS[0]
    assert referenced_part(PARTS, "what about the core group?") is PARTS[1]
    assert referenced_part(PARTS, "and then?") is PARTS[2]
    rewrite = rewrite_followup(
        "and is the plan binding?", context_questions([_multi()], "and is the plan binding?")
    )
    assert rewrite.standalone == "Is the plan binding? (about: safety plan)"


def test_parts_that_carry_no_topic_are_skipped_and_a_bare_ask_uses_its_section() -> None:
    danger = AnswerPart("Is he hurting her?", "safety", "Call 999.")
    assert context_questions([_multi((*PARTS[:1], danger))], "and then?") == (
        "What is a safety plan?",
    )
    bare = AnswerPart("Why?", "answer", "Because [1].", (1,), "Review conferences > Who decides")
    assert part_topic(bare) == "Review conferences, Who decides"
    assert part_topic(PARTS[0]) == "What is a safety plan?"
    assert context_questions([_multi(kind="safety")], "and then?") == ()


def test_a_one_part_answer_still_leans_on_the_question_as_searched() -> None:
    one = Answer(COMPLAINT, "answer", "t", (), (), "d", parts=(PARTS[2],))
    chained = "How long does stage 2 take? (about: complaint, children's services)"
    turn = Turn(2, "and how long does stage 2 take?", chained, one)
    assert context_questions([turn], "and stage 3?") == (chained,)
