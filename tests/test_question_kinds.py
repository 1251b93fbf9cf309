"""What kind of question a text asks, and the answering and reading rules built on it."""

from __future__ import annotations

import pytest

from assistant.honesty import asks_for_prediction, needs_individual_advice, out_of_scope
from assistant.message import read_message
from assistant.question_kinds import ask_kind, same_ask, wh_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What is a family group conference?", "definition"),
        ("so what's a core group", "definition"),
        ("What does 'significant harm' actually mean?", "definition"),
        ("How long does a section 47 enquiry take?", "duration"),
        ("how often are CIN meetings supposed to be??", "frequency"),
        ("What happens if we don't stick to the safety plan?", "consequence"),
        ("When are review conferences held?", "time"),
        ("Is there a time limit for complaining?", "time"),
        ("Who goes to an initial child protection conference?", "person"),
        ("How do I get a safety plan reviewed?", "procedure"),
        ("What is the difference between CIN and CP?", "difference"),
        ("Is a safety plan legally binding?", None),
    ],
)
def test_wh_kind(text: str, kind: str | None) -> None:
    assert wh_kind(text) == kind


@pytest.mark.parametrize(
    ("question", "heading", "same"),
    [
        # The case read as a parent would: "Yes, in most cases" answered "can I see my file?".
        ("do i have to pay for a copy of my SS records??", "Can I see my social care file?", False),
        ("do i HAVE to sign the written agreement??", "Do I have to sign a safety plan?", True),
        ("Can I refuse to sign the safety plan?", "Do I have to sign a safety plan?", False),
        ("Can I record the meeting on my phone?", "Can I record meetings with my social worker?", True),
        ("Can I refuse a child in need plan?", "Can I say no to a child in need plan?", True),
        ("Is it binding?", None, False),
        # "Yes. A complaint should reach the Ombudsman within 12 months" told a father he was out
        # of time (dev dl15-16): whether a limit exists is not whether the writer is past it.
        ("Am I already out of time for the ombudsman?", "Is there a time limit for complaining to the Ombudsman?", False),
        ("is there a time limit to complain?", "Is there a time limit for making a complaint?", True),
    ],
)
def test_a_sections_yes_no_answers_only_the_same_kind_of_question(question, heading, same) -> None:
    assert same_ask(question, heading) is same


def test_ask_kind_reads_polarity() -> None:
    assert ask_kind("Can I refuse?") == ("permit", True)
    assert ask_kind("Must I go?") == ("oblige", False)


def test_a_pronoun_follow_up_searches_with_the_question_before_it() -> None:
    read = read_message("How do I ask for a stage 3 review panel, and when will it meet?")
    first, second = read.questions
    assert second.ask == "When will it meet?"
    assert "stage 3" in second.search  # the topic "it" points to (the panel), from the question before
    assert "stage 3" not in first.search.replace(first.ask, "")  # the first keeps its own words


def test_a_follow_up_that_names_its_own_topic_borrows_nothing() -> None:
    read = read_message("How do I ask for a stage 3 review panel? How long does a section 47 take?")
    assert "stage 3" not in read.questions[1].search


def test_does_that_mean_reads_the_statement_before_it() -> None:
    read = read_message("ICO granted today. our solicitor says the LA now has PR. does that mean i lose mine??")
    (q,) = read.questions
    assert "LA now has PR" in q.search and "ICO" in q.search


@pytest.mark.parametrize(
    "question",
    [
        "Will my partner go to prison for the images the police found on his laptop?",
        "why did our council decide to go to PLO instead of keeping us on a CP plan??",
        "What exactly did the police tell social services about my husband at last week's strategy meeting?",
        "will the judge give us the kids back at the final hearing next month?? what are our chances honestly",
        "is our CPP going to end at the RCPC next week? SW seems happy with us",
        "Will my husband be charged or get no further action for the images on his phone?",
        "Will Birmingham Children's Trust approve my cousin as a kinship carer?",
        "why did kent SS put us on a CPP and not CIN?",
        "will surrey council pay me a kinship allowance for my grandson",
        "How long will the police investigation take in his case?",
        "how long till the police give OH's phone and laptop back?",
        "will the judge give my mum an SGO or go for adoption? which is more likely for us",
        "Will he actually be charged? Is he going to go to prison?",
        "how long will the police take to go through OH's devices? its been 14 months",
        "I just want to ask straight out, is there any chance I'll get them back?",
        "Has anyone actually got their kids back as a single dad?",
    ],
)
def test_one_familys_outcome_or_one_councils_reasons_are_not_guessed(question: str) -> None:
    assert needs_individual_advice(question)


@pytest.mark.parametrize(
    "question",
    [
        "What will happen at the strategy meeting?",
        "What did the SW mean by capacity to protect?",
        "How do I get my partner's supervised contact reviewed?",
        "My child is in care under a care order. Does the council have to let me see them?",
        "Does Kent council have to give me the minutes?",
        "How long will the ICPC take?",
        "will the core group meet every month do you think?",
        "which is more likely to be used, a CIN plan or a CP plan?",
        "How long does a police investigation usually take?",
        "is there any chance of getting legal aid for the PLO meeting?",
        "has anyone got the number for the Family Rights Group?",
    ],
)
def test_process_questions_are_not_predictions(question: str) -> None:
    assert not needs_individual_advice(question)


def test_a_named_councils_phone_number_is_out_of_scope_but_a_helpline_is_not() -> None:
    assert out_of_scope("What is the direct phone number for the child protection team manager at Kent County Council?")
    assert out_of_scope("What is the phone number for Stop It Now?") is None


def test_this_meeting_reads_the_meeting_the_post_named() -> None:
    read = read_message(
        "Got a letter today that says LETTER BEFORE PROCEEDINGS. They want me at a meeting at the council"
        " offices. Kids are already on a CPP. What actually happens at this meeting?"
    )
    (q,) = read.questions
    assert "letter before proceedings" in q.search.lower()
    # and a follow-up about "there and then" leans on that meeting, not on the CPP named before it
    _, follow = read_message(
        "Got a letter today that says LETTER BEFORE PROCEEDINGS. They want me at a meeting at the council"
        " offices. Kids are already on a CPP. What actually happens at this meeting? Do they take the kids"
        " there and then?"
    ).questions
    assert "letter before proceedings" in follow.search.lower()


def test_benefits_named_as_why_a_solicitor_is_unaffordable_is_a_legal_aid_question() -> None:
    assert out_of_scope("I'm on universal credit and I cant pay a solicitor, can I get one free?") is None
    assert out_of_scope("can I claim universal credit while we're on a CP plan?") == "benefits"


def test_insurance_is_out_of_scope_and_whether_a_named_council_has_decided_is_its_own_to_say() -> None:
    from assistant.honesty import asks_for_prediction

    assert out_of_scope("My partner was arrested last month. Do I need to tell my car insurance company?") == "insurance"
    assert asks_for_prediction("has birmingham children's trust decided yet whether to close our case?")
    assert not asks_for_prediction("who has decided that the plan should continue?")
    assert not asks_for_prediction("how does the conference decide whether a plan is needed?")


def test_tax_and_mortgage_deals_are_out_of_scope_but_dbs_checks_are_answered() -> None:
    # dev d7-094 (Marriage Allowance) was answered about a partner living elsewhere; DBS checks
    # have had their own note since the ninth session, so they are no longer turned away.
    assert out_of_scope("Can I still claim Marriage Allowance on my tax if my husband has moved out?") == "tax"
    assert out_of_scope("anyone know the best mortgage deal for a single mum on UC?") is not None
    assert out_of_scope("will DH's RUI show on an enhanced DBS even though hes not been charged?") is None
    assert out_of_scope("he paid the mortgage, can SS make him leave the house?") is None


def test_that_after_a_long_statement_searches_with_the_statement() -> None:
    _, q = read_message(
        "Can a parent just apply to end an SGO? She's now demanding to see him every weekend"
        " unsupervised at her flat. Do I have to agree to that?"
    ).questions
    assert "unsupervised" in q.search and "sgo" not in q.search.lower()


def test_compensation_through_the_ombudsman_is_in_scope_and_its_outcome_is_not_predicted() -> None:
    question = "If I take my complaint to the ombudsman, will they find in my favour and make the council pay me compensation?"
    assert out_of_scope(question) is None
    assert asks_for_prediction(question)
    assert out_of_scope("can I sue social services for compensation?") == "compensation claims"


@pytest.mark.parametrize(
    ("question", "childline"),
    [
        ("Is there a helpline my son (11) can call himself if he's upset about his dad's arrest?", True),
        ("My 15 year old wants to complain about her social worker herself. Who can help her?", True),
        ("Can my son come to the conference with me?", False),
    ],
)
def test_a_childs_own_helpline_is_signposted_when_the_child_would_call(question, childline) -> None:
    from pathlib import Path

    from assistant.signposts import SignpostBook, load_rules, load_signposts

    corpus = Path(__file__).parent.parent / "corpus"
    book = SignpostBook(load_signposts(corpus / "signposts.yaml"), load_rules(corpus / "signpost_rules.yaml"))
    assert ("childline" in {c.key for c in book.for_question(question)}) is childline


def test_a_vague_question_in_a_one_question_message_reads_the_statement_before_it() -> None:
    read = read_message("agreed to s20 for my daughter to stay with foster carers but i want her home now. can they stop me?")
    (q,) = read.questions
    assert "want her home" in q.search


def test_it_before_a_generic_meeting_reads_the_statement_before_it() -> None:
    read = read_message(
        "the SW report for conference has stuff in it thats just wrong (says OH still lives here, he"
        " doesnt). can i get it changed before the meeting"
    )
    (q,) = read.questions
    assert "SW report" in q.search


def test_a_pronoun_in_a_one_question_message_reads_the_statement_before_it() -> None:
    read = read_message(
        "kids placed with grandad as a 'connected person' temporarily. how long can that go on"
        " before he has to be approved as a foster carer"
    )
    (q,) = read.questions
    assert "connected person" in q.search
    # In a message of two questions the statement beside one is as often background.
    two = read_message(
        "kids placed with grandad as a 'connected person' temporarily. how long can that go on"
        " before he has to be approved as a foster carer? and do we get legal aid for court?"
    )
    # ("connected person" is a process term since dev dl21-14, so it may join as the topic; the
    # statement itself does not)
    assert "placed with grandad" not in two.questions[0].search


def test_a_one_question_message_borrows_a_process_named_after_the_question_or_beside_it() -> None:
    (q,) = read_message(
        "new bf moving in soon. how do i check if hes got convictions against kids? heard of sarahs law"
    ).questions
    assert "sarah" in q.search.lower()
    (q,) = read_message(
        "My son's friend has been living with us for a month because his mum moved abroad. Do we need to tell anyone?"
    ).questions
    assert "living with us" in q.search
    # A question that names its own route keeps to it.
    (q,) = read_message("DH is on bail. How do I complain about the way the SW spoke to me at the visit?").questions
    assert "bail" not in q.search


def test_not_sure_if_after_a_comma_is_a_question() -> None:
    read = read_message(
        "what actually happens if you break a safety plan? partner came round for an hour while kids"
        " were in bed, not sure if i need to tell the SW"
    )
    assert [q.ask for q in read.questions][1] == "Do I need to tell the SW?"


def test_whats_next_reads_what_came_before() -> None:
    (q,) = read_message("stage 2 investigation is done and i'm still not happy with it. whats next, ombudsman?").questions
    assert "stage 2" in q.search


@pytest.mark.parametrize(
    ("query", "heading", "conflict"),
    [
        ("how often is the SW meant to visit on a child in need plan?",
         "How often will the social worker visit under a child protection plan?", True),
        ("how often is the SW meant to visit on a child in need plan?",
         "How often will the social worker visit under a CIN plan?", False),
        ("When is the first review child protection conference held?",
         "When is the initial child protection conference held?", True),
        ("When is the first review child protection conference held?", "When are review conferences held?", False),
        # A heading that names no sibling, or a query that names none, is never a conflict.
        ("How often does the social worker visit?", "How often will the social worker visit under a CIN plan?", False),
        ("What happens at stage 2?", "How do I complain?", False),
    ],
)
def test_a_heading_naming_another_sibling_process_conflicts(query: str, heading: str, conflict: bool) -> None:
    from assistant.contrasts import load_contrasts

    assert load_contrasts().conflicts(query, heading) is conflict


def test_the_honesty_patterns_are_data_and_all_compile() -> None:
    from assistant.honesty import load_honesty

    rules = load_honesty()
    assert len(rules.predictions) >= 10 and len(rules.out_of_scope) >= 10
    assert {name for name, _ in rules.nations} == {"wales", "scotland", "northern-ireland", "ireland"}


@pytest.mark.parametrize(
    ("message", "support"),
    [
        # a partner telling of her husband's arrest (not the person on the plan, though she says
        # she is treated "as if I'm the one who did something")
        (
            "my husband was arrested for indecent images three weeks ago. I feel treated as if I'm the"
            " one who did something. Is there any support anywhere for the wives/partners in this"
            " situation?",
            "family members",
        ),
        (
            # told the other way round (dev dl5-10)
            "Ten days ago the police came to the house at 7am and arrested him. It's for online"
            " offences. Is there anyone I can talk to confidentially?",
            "family members",
        ),
        ("I was arrested last month and I'm on bail. First, where do I get help?", "person arrested"),
        (
            # the man on the plan, after probation (dev dl6-04 got the lines for partners)
            "I was convicted in 2019 and probation has finished now. Is there anywhere I can go for"
            " ongoing support to keep working on myself?",
            "person arrested",
        ),
        ("we got an SGO for our granddaughter last year. is there anyone who's supposed to support me?", "special guardian"),
        ("the kids are with us as connected carers. Is there someone I can actually talk to who isnt SS?", "kinship"),
        (
            # the member of staff an allegation is about (dev dl16-16 was told about the police)
            "I'm a teaching assistant and the head has referred an allegation about me to the LADO. I've"
            " been suspended. Is there anyone who is supposed to be supporting me?",
            "allegation is made against me",
        ),
        (
            # a homeless 16-year-old writing for herself (dev dl17-18 was given the support for
            # families of someone arrested)
            "im 16 and my mum kicked me out last week, im sofa surfing. The council said to go to social"
            " services. Can I get someone to help me talk to them, an advocate or something?",
            "young person",
        ),
    ],
)
def test_a_plain_ask_for_support_searches_for_the_support_that_fits_the_writer(message: str, support: str) -> None:
    from assistant.config import REPO_ROOT
    from assistant.message import load_rules as load_reading_rules
    from assistant.search_text import lean_on_support
    from assistant.signposts import SignpostBook, load_rules, load_signposts

    corpus = REPO_ROOT / "corpus"
    book = SignpostBook(load_signposts(corpus / "signposts.yaml"), load_rules(corpus / "signpost_rules.yaml"))
    read = read_message(message)
    leaned = lean_on_support(read, book.support_topic(read.cleaned), load_reading_rules())
    assert support in leaned.questions[-1].search
    # a question that names its own process, or asks for help with something else, keeps its search
    for own in ("What support can a special guardian get?", "Is there any help with travel costs to contact?"):
        kept = read_message(f"{message} {own}")
        assert lean_on_support(kept, book.support_topic(kept.cleaned), load_reading_rules()).questions[-1].search == kept.questions[-1].search


@pytest.mark.parametrize(
    ("question", "key", "shown"),
    [
        ("Where can a woman experiencing domestic abuse get free 24-hour support in England?", "domestic_abuse_helpline", True),
        ("Can I get legal aid for a child arrangements case?", "domestic_abuse_helpline", False),
        ("my 14 year old ran away last night after a row and came back, will SS get involved?", "missing_people", True),
        ("What happens at a return interview after a child goes missing?", "missing_people", True),
        ("Can my son come to the conference with me?", "missing_people", False),
    ],
)
def test_domestic_abuse_and_missing_children_lines_are_signposted_where_asked(question, key, shown) -> None:
    from pathlib import Path

    from assistant.signposts import SignpostBook, load_rules, load_signposts

    corpus = Path(__file__).parent.parent / "corpus"
    book = SignpostBook(load_signposts(corpus / "signposts.yaml"), load_rules(corpus / "signpost_rules.yaml"))
    assert (key in {c.key for c in book.for_question(question)}) is shown


def test_this_familys_next_review_this_judges_order_and_this_mans_sentence_are_not_predicted() -> None:
    # dev d11-091, d11-097, d4-044; the questions about how things work stay answered
    assert asks_for_prediction("Will my children be taken off their child protection plan at the review conference next month?")
    assert asks_for_prediction("Will the judge grant us a special guardianship order for our grandson at the final hearing?")
    assert asks_for_prediction("will DH get sent to prison for the IIOC? first offence, cat C, pleaded guilty")
    assert not asks_for_prediction("Can the judge grant an SGO without the parents agreeing?")
    assert not asks_for_prediction("Can you go to prison for breaking an SHPO?")


def test_legal_aid_is_searched_at_the_stage_the_post_is_at() -> None:
    # dev dl19-09: "Do I keep getting legal aid the whole way through?" in a post about an interim
    # care order was answered about legal aid for placement orders.
    read = read_message(
        "My boys were taken into foster care in September on an interim care order. I've got a "
        "solicitor and there's been one hearing.\n\nAlso do I keep getting legal aid the whole way "
        "through or does it run out? I'm working now."
    )
    assert read.questions[-1].search.endswith("(care proceedings)"), read.questions[-1].search


def test_a_question_list_after_i_suppose_keeps_its_first_question() -> None:
    # dev dl19-03 lost "when roughly should this conference happen".
    read = read_message(
        "so i suppose my questions are, when roughly should this conference happen, can i take my mum, "
        "and will they put them on a plan."
    )
    assert read.questions[0].ask.startswith("When roughly should this conference happen?"), read.questions


def test_a_sentence_that_only_introduces_the_questions_asks_nothing() -> None:
    # dev dl21-06 asked "A few things?" and dl21-13 "My questions are these?"
    from assistant.message import read_message

    read = read_message(
        "We got a letter about a pre-proceedings meeting.\n\nSo I'd really like to understand a few "
        "things.\n\nWhat actually happens at a pre-proceedings meeting?\n\nMy questions are these.\n\n"
        "Do I actually have parental responsibility?"
    )
    assert [q.ask for q in read.questions] == [
        "What actually happens at a pre-proceedings meeting?",
        "Do I actually have parental responsibility?",
    ]


def test_there_is_and_how_long_statements_are_restated_as_questions() -> None:
    from assistant.restating import invert, restate

    assert invert("There's a time limit on RUI") == "is there a time limit on RUI"
    assert invert("how long he is on the sex offenders register for") == "how long is he on the sex offenders register for"
    assert invert("how long the plan will last") == "how long will the plan last"
    assert restate("sorry this is long, is there anything for people in my position") == (
        "Is there anything for people in my position?"
    )


def test_contracted_and_have_statements_are_restated_as_questions() -> None:
    # dev dl22-03, dl22-06, dl22-11 and dl22-13 were restated as statements with a "?"
    from assistant.restating import invert

    assert invert("I actually still have parental responsibility") == "do I actually still have parental responsibility"
    assert invert("I'll ever get to see exactly what's been said") == "will I ever get to see exactly what's been said"
    assert invert("what they'll be looking for") == "what will they be looking for"
    assert invert("how long they've actually got to respond to me") == "how long have they actually got to respond to me"
    assert invert("I count as a close relative") == "do I count as a close relative"
