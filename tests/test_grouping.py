"""A long post's bursts of quick follow-ups share a part, so its later questions are reached."""

from __future__ import annotations

from assistant.message import read_message

BURSTS = (
    "We have been on a child protection plan since the summer and the first core group was a blur. "
    "How often are core groups? Is the first one soon? Do I have to go to all of them? "
    "My partner moved out when the police came and he is staying with his brother now. "
    "How does a child protection plan end? Who decides? "
    "The social worker keeps writing things that are wrong. "
    "Can I get a copy of my social services records? "
    "I also want to complain about how the last visit went. "
    "How do I complain about a social worker?"
)


def test_follow_ups_share_a_part_when_the_post_asks_more_than_four_things() -> None:
    read = read_message(BURSTS)
    asks = [q.ask for q in read.questions]
    assert len(asks) == 4 and read.left_out == 0
    assert "Is the first one soon?" in asks[0] and "How often are core groups?" in asks[0]
    assert "plan end" in asks[1] and "Who decides?" in asks[1]
    assert "records" in asks[2]
    assert "complain" in asks[3]


def test_four_questions_or_fewer_stay_one_part_each() -> None:
    read = read_message(
        "We are on a CIN plan. How often are CIN meetings? Is the first one soon? "
        "The social worker is new. Can I bring my mum to the meeting?"
    )
    assert [q.ask for q in read.questions] == [
        "How often are CIN meetings?",
        "Is the first one soon?",
        "Can I bring my mum to the meeting?",
    ]


def test_quick_follow_ups_then_same_process_questions_join_so_later_questions_get_a_part() -> None:
    read = read_message(
        "We had the ICPC last week. What happens at a review conference? Who comes? "
        "Our social worker has changed three times. Who chairs it? "
        "What is a core group? Can I record it? What is PLO? Is legal aid free?"
    )
    asks = [q.ask for q in read.questions]
    assert "Who comes?" in asks[0]  # straight after, no new process term
    # After a statement, but about the same process ("it" is the review conference): joins too,
    # once no quick follow-up is left to merge, so that the post's last question is answered.
    assert "Who chairs the review conference?" in asks[0]
    assert asks[1] == "What is a core group? Can I record the core group?"  # a pointer, resolved
    assert asks[2] == "What is PLO?" and asks[3] == "Is legal aid free?" and read.left_out == 0


def test_a_question_about_another_process_after_a_statement_stays_its_own_part() -> None:
    read = read_message(
        "We had the ICPC last week. What happens at a review conference? Who comes? "
        "Our social worker has changed three times. Who chairs the core group? "
        "Can I record it? What is PLO? Is legal aid free?"
    )
    asks = [q.ask for q in read.questions]
    assert asks[1].startswith("Who chairs the core group")
