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


def test_a_burst_of_short_questions_joins_as_one_part_so_the_last_question_is_reached() -> None:
    # Shaped like dev dl18-09: four short questions about how the decision is made, asked straight
    # after each other, read as two parts of two, and the question after them was left out.
    read = read_message(
        "The initial conference is next Thursday and I am dreading it. My sister is coming with me "
        "and the social worker has been polite so far, but I have never been in a meeting like it. "
        "Nursery referred us after a bruise on his arm that I think came from soft play, and the "
        "police spoke to my partner, who went in voluntarily. Our answers about which day we went "
        "did not match and the social worker says that is part of why there is a conference. I have "
        "never had anything to do with social services and I am struggling to sleep.\n\n"
        "Can I bring a solicitor as well as my sister?\n\n"
        "Will I get to read the reports before the meeting?\n\n"
        "How do they decide if he goes on a plan? Is it a vote? Does the chair decide or the social "
        "worker? Do I get a say?\n\n"
        "And if they do put him on a plan and I think it's wrong, can I challenge it somehow?"
    )
    asks = [q.ask for q in read.questions]
    assert len(asks) == 4 and read.left_out == 0, asks
    assert "Is it a vote?" in asks[2] and "Do I get a say?" in asks[2]
    assert "challenge" in asks[3]


def test_joined_questions_do_not_cross_a_statement_into_another_topic() -> None:
    # Shaped like dev dl11-08: "They keep mentioning his IRO. Who is that?" joined the section 20
    # questions before it, and the section 20 answer was lost.
    read = read_message(
        "My son is 15 and has been in foster care under section 20 for nine weeks after we clashed "
        "for months. Things are calmer now and I want him home.\n\n"
        "Can I just bring him home? I signed the s20 form voluntarily, so can I undo it? They keep "
        "mentioning his IRO. Who is that? What is their role? Is it the same as his social worker? "
        "When do they hold a review?\n\n"
        "Nobody has mentioned a review meeting to me, is that normal or have they missed something? "
        "Is there anyone who can help him get his views across?\n\n"
        "What are our actual rights?"
    )
    first = read.questions[0]
    assert "bring him home" in first.ask and "Who is that" not in first.ask, first.ask


def test_a_question_opened_with_and_last_is_a_part_of_its_own() -> None:
    read = read_message(
        "I volunteer on an advice line and a dad has rung us about his old social care file and a "
        "complaint.\n\n"
        "How long do they have to give him the file? Is there a charge?\n\n"
        "If there are mistakes in it, can he have them corrected?\n\n"
        "How does the complaints process work? How long does each stage take?\n\n"
        "If he isn't happy at the end, can he go to the Ombudsman? Is there a time limit? And last, "
        "can he complain about a conference decision from years ago?"
    )
    assert not any("conference decision" in q.ask and "Ombudsman" in q.ask for q in read.questions)
