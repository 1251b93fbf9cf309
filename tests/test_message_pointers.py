"""What a pointer ("it", "she") in a long post's question stands for: the thing the question
before it asked about, a deadline rather than a document's legal standing, and the specific
guardian the post named. Messages written for these tests, shaped like dev posts that went wrong.
"""

from __future__ import annotations

from assistant.message import read_message

PR_POST = (
    "I'm his dad but we never married and I'm not on the birth certificate. He's in foster care now "
    "on an interim care order and I get supervised contact once a week at a contact centre.\n\n"
    "1. Do I have parental responsibility? Does the birth certificate matter?\n\n"
    "2. If I haven't got it, how do I get it?\n\n"
    "3. Can my contact be moved out of the contact centre?"
)


def test_it_after_a_question_about_pr_is_the_pr_not_the_contact_named_before() -> None:
    # dev dl16-11: "If I haven't got it" was restated "If I haven't got the contact".
    read = read_message(PR_POST)
    second = read.questions[1]
    assert "parental responsibility" in second.ask.lower(), second.ask
    assert "contact" not in second.search.lower()


def test_legally_have_to_asks_a_deadline_not_whether_a_document_is_binding() -> None:
    # dev dl16-13: "how long do they legally have to give it to me?" in a post about a SAR was
    # restated "give the CP plan to me", the plan the background named.
    read = read_message(
        "We were on a CP plan in 2022, it ended. I've sent a SAR because I want my full file, and the "
        "council says it could take three months because of the volume of records.\n\n"
        "- how long do they legally have to give it to me?\n- can they charge me for it?"
    )
    first = read.questions[0]
    assert "cp plan" not in first.ask.lower(), first.ask
    assert "cp plan" not in first.search.lower()


def test_a_guardian_from_cafcass_is_the_childrens_guardian() -> None:
    # dev dl16-08: "Does she work for the council?" about "our son's guardian" was searched as a
    # plain "guardian" and answered with what special guardians can ask the council for.
    read = read_message(
        "There's an interim care order. Who is the children's guardian? A lady from Cafcass said she "
        "was our son's guardian and wants to visit. Does she work for the council? Is she on their side?"
    )
    last = read.questions[-1]
    assert "children's guardian" in last.search.lower(), last.search


def test_whether_a_father_has_pr_or_how_he_gets_it_is_not_asked_under_the_posts_status() -> None:
    # dev dl16-11: "Do I have PR? ... Does the birth certificate matter?" and "how do I get it?" from
    # a father whose son is under an interim care order were searched under the care order and told
    # how PR is shared with the council, and that foster carers do not have PR.
    read = read_message(PR_POST)
    for q in read.questions[:2]:
        assert "care order" not in q.search.lower(), q.search
    # A question about who holds PR now still leans on the status (dev dl12-10's case).
    (q,) = read_message("Our son is on an interim care order. Who has parental responsibility now?").questions
    assert "care order" in q.search.lower()


def test_outcomes_at_the_end_lean_on_the_process_the_post_is_about() -> None:
    # dev dl16-16: "What are the possible outcomes at the end?" after questions about the LADO was
    # searched alone and told how a section 47 enquiry ends.
    read = read_message(
        "I'm a TA and the head has referred an allegation about me to the LADO. What actually is the "
        "LADO and what do they do? Nobody explained anything to me and I've been off work for two weeks "
        "now waiting to hear, with not a word from anyone at school apart from one call from HR. My "
        "husband is worried sick and I have a mortgage and two kids of my own to think about.\n\n"
        "What are the possible outcomes at the end?"
    )
    assert read.questions[-1].search.lower().endswith("(lado)"), read.questions[-1].search


def test_whether_he_will_be_allowed_back_to_work_is_a_prediction_answered_honestly() -> None:
    # dev dl17-13 was told "Usually yes: a summary stays on your confidential personnel file".
    from assistant.answering import predicts
    from assistant.honesty import needs_individual_advice

    question = "Will he be allowed back to work after the LADO meeting?"
    assert needs_individual_advice(question) and predicts(question)
    assert not predicts("Does an allegation at work stay on my personnel file?")



def test_what_ends_is_the_plan_not_the_review_conference_named_last() -> None:
    # dev dl18-15: "If it ends does the SW just disappear?" was searched with the review
    # conference the question before named; the plan was named in full only at the start.
    read = read_message(
        "The boys have been on a child protection plan since March because of my drinking. I've been "
        "sober eight months and the core group say things are much better.\n\n"
        "How often are review conferences supposed to happen?\n\n"
        "What do they need to see to end the plan?\n\n"
        "If it ends does the SW just disappear overnight or is there something after?"
    )
    last = read.questions[-1]
    assert "child protection plan" in last.search.lower(), last.search
    assert "review conference" not in last.search.lower()
