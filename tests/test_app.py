"""The Streamlit app driven by AppTest over a small real index (real embedder, real Chroma)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import Settings
from assistant.disclaimer import DISCLAIMER
from assistant.feedback import FeedbackStore
from assistant.process_map import STEPS, steps_for_docs
from tests.helpers import write_pdf
from tests.ui_fixtures import APP, app_settings, own_app_settings, plain, shared_ui_home, ui_index  # noqa: F401

pytestmark = pytest.mark.slow
MULTI = (
    "What is the best recipe for banana bread? Is a safety plan legally binding? "
    "And how do I make a complaint about children's services?"
)
MANY = (
    "What is a safety plan? Who goes to a core group? What is a PLO meeting? "
    "How do I complain? What is a section 47 enquiry? Can I say no to a CIN plan?"
)
PAGES = ("pages/chat.py", "pages/process.py", "pages/sources.py", "pages/add_documents.py")


def start() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    """Everything written as Markdown, captions and alerts included, as it reads on screen."""
    found = [m.value for m in at.markdown] + [c.value for c in at.caption]
    found += [a.value for a in (*at.error, *at.warning, *at.info, *at.success)]
    return [plain(t) for t in found]


def test_disclaimer_and_emergency_numbers_are_on_every_page(app_settings: Settings) -> None:
    at = start()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert DISCLAIMER in texts(at), page
        sidebar = " ".join(plain(m.value) for m in at.sidebar.markdown)
        for number in ("999", "0808 800 5000", "0800 1111", "116 123", "0808 801 0366"):
            assert number in sidebar, (page, number)


def test_first_visit_offers_starter_questions_that_ask_themselves(app_settings: Settings) -> None:
    at = start()
    starter = at.button(key="starter-Is a safety plan legally binding?")
    starter.click().run()
    turns = at.session_state["turns"]
    assert [t.question for t in turns] == ["Is a safety plan legally binding?"]
    assert turns[0].answer.kind == "answer"
    assert not any(b.key and b.key.startswith("starter-") for b in at.button)
    new = next(b for b in at.button if b.label == "New conversation")
    new.click().run()
    assert at.session_state["turns"] == []


def test_a_question_gets_an_answer_with_numbered_source_cards(app_settings: Settings) -> None:
    at = ask(start(), "Is a safety plan legally binding?")
    answer = at.session_state["turns"][-1].answer
    assert answer.kind == "answer" and answer.citations
    shown = texts(at)
    assert any("[1]" in t and "legally binding" in t for t in shown), "answer text with [n] markers"
    for c in answer.citations:
        assert any(t.startswith(f"**[{c.n}] {c.title}") for t in shown), c.title
        assert any(f":orange-background[{' '.join(c.quote.split())}]" in t for t in shown), c.quote
        if c.url:
            assert any(c.url.split("//", 1)[1][:20] in t for t in shown)
    assert any("reviewed " in t for t in shown)
    assert not any(m.allow_html for m in at.markdown)


def test_a_follow_up_is_rewritten_and_shown_under_the_answer(app_settings: Settings) -> None:
    at = ask(start(), "How do I make a complaint about children's services?")
    ask(at, "and how long does stage 2 take?")
    turn = at.session_state["turns"][-1]
    assert turn.rewritten and "complaint" in turn.standalone
    assert any(t.startswith("Searched for: How long does stage 2 take? (about:") for t in texts(at))
    assert turn.answer.kind == "answer"
    assert "guidance/complaints-timescales" in {c.doc_id for c in turn.answer.citations}
    assert "25 working days" in turn.answer.text


def test_a_danger_message_gets_the_emergency_answer_with_999_first(app_settings: Settings) -> None:
    at = ask(start(), "How do I make a complaint about children's services?")
    ask(at, "my partner is hurting my child right now")
    turn = at.session_state["turns"][-1]
    assert turn.answer.kind == "safety" and not turn.rewritten
    alert = plain(at.error[-1].value)
    assert alert.startswith("**If anyone is in danger right now, call [999](tel:999).**")
    assert alert.index("- **Emergency services (999)**") < alert.index("- **NSPCC helpline**")
    assert not turn.answer.citations


def test_an_answer_citing_a_process_note_highlights_its_step(app_settings: Settings) -> None:
    at = ask(start(), "What is a section 47 enquiry?")
    answer = at.session_state["turns"][-1].answer
    lit = steps_for_docs(c.doc_id for c in answer.citations)
    assert "section_47" in lit
    assert any(e.label == "Where this fits in the child protection process" for e in at.expander)
    at.switch_page("pages/process.py").run()
    assert not at.exception
    assert at.selectbox(key="step").value == next(s.key for s in STEPS if s.key in lit)
    # The answer may also cite notes about neighbouring steps; the s47 step offers its own note.
    at.selectbox(key="step").set_value("section_47").run()
    assert not at.exception
    assert any("Section 47 enquiry" == b.label or "enquir" in b.label.lower() for b in at.button)


def test_the_sources_page_lists_filters_and_opens_documents_as_text(app_settings: Settings) -> None:
    at = start()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 15
    assert {"Title", "Kind", "Jurisdiction", "Legal force", "Reviewed", "Topics"} <= set(
        table.columns
    )
    at.text_input[0].set_value("complaint").run()
    titles = list(at.dataframe[0].value["Title"])
    assert titles and all("omplain" in t for t in titles)
    at.text_input[0].set_value("").run()
    at.selectbox(key="open-note").set_value("guidance/markup-test").run()
    shown = texts(at)
    assert any("<script>alert('x')</script>" in t for t in shown)
    assert any("[click here](javascript:alert(1))" in t for t in shown)
    body = next(m.value for m in at.markdown if "zebra-crossing notice says" in plain(m.value))
    assert "\\<b\\>stop\\</b\\>" in body and "\\[click here\\]" in body
    assert not any(m.allow_html for m in at.markdown)
    assert at.query_params["doc"] in ("guidance/markup-test", ["guidance/markup-test"])


def test_a_link_to_the_sources_page_can_open_a_note_directly(app_settings: Settings) -> None:
    at = start()
    at.query_params["doc"] = "guidance/safety-plans"
    at.switch_page("pages/sources.py").run()
    assert at.selectbox(key="open-note").value == "guidance/safety-plans"
    assert any(t.startswith("### Safety plans and written agreements") for t in texts(at))


def test_uploading_a_good_and_a_corrupt_pdf_reports_one_failure_and_answers_at_once(
    own_app_settings: Settings, tmp_path
) -> None:
    good = write_pdf(
        tmp_path / "good.pdf",
        [
            "Riverside family hub opening times.\nThe Riverside family hub is open on Saturdays from 9am to 1pm\n"
            "for parents whose child is on a child in need plan."
        ],
        title="Riverside family hub leaflet",
    )
    at = start()
    at.switch_page("pages/add_documents.py").run()
    at.file_uploader[0].set_value(
        [
            ("Riverside hub.pdf", good.read_bytes(), "application/pdf"),
            ("broken.pdf", b"%PDF-1.7\nthis is not really a PDF at all", "application/pdf"),
        ]
    ).run()
    next(b for b in at.button if b.label == "Add to Signpost").click().run()
    assert not at.exception, [e.value for e in at.exception]
    summary = plain(at.warning[0].value)
    assert summary.startswith("2 files read; chunks: 1 added") and "1 failed" in summary
    failures = [plain(e.value) for e in at.error]
    assert (
        len(failures) == 1 and failures[0].startswith("**broken.pdf**: ") and len(failures[0]) > 30
    )
    assert (own_app_settings.uploads_dir / "Riverside-hub.pdf").is_file()
    assert (own_app_settings.uploads_dir / "broken.pdf").is_file()
    assert not list(own_app_settings.corpus_dir.rglob("*.pdf"))

    at.switch_page("pages/chat.py").run()
    ask(at, "When is the Riverside family hub open?")
    answer = at.session_state["turns"][-1].answer
    assert answer.kind == "answer"
    assert any(c.doc_id == "uploads/Riverside-hub" and c.page == 1 for c in answer.citations)


def test_feedback_is_stored_without_the_question_unless_the_box_is_ticked(
    own_app_settings: Settings,
) -> None:
    secret = "Is a safety plan legally binding for Quagga-9183?"
    at = ask(start(), secret)
    at.radio(key="fb-1-rating").set_value("Not helpful")
    at.text_input(key="fb-1-comment").set_value("Too general")
    at.button(key="fb-1-send").click().run()
    assert not at.exception
    assert any("Thank you for your feedback" in t for t in texts(at))
    records = FeedbackStore(own_app_settings.feedback_db).records()
    assert len(records) == 1
    fb = records[0].feedback
    assert (fb.helpful, fb.comment, fb.answer_kind) == (False, "Too general", "answer")
    assert fb.question is None and fb.searched_for is None and fb.answer_text is None
    assert fb.cited_doc_ids
    assert b"Quagga-9183" not in own_app_settings.feedback_db.read_bytes()

    ask(at, "what if I break it?")
    at.radio(key="fb-2-rating").set_value("Not helpful")
    at.checkbox(key="fb-2-include").check()
    at.button(key="fb-2-send").click().run()
    second = FeedbackStore(own_app_settings.feedback_db).records()[-1].feedback
    assert second.question == "what if I break it?"
    # The follow-up was searched with the earlier question's topic; feedback keeps none of it.
    assert at.session_state["turns"][-1].rewritten
    assert "safety plan" not in (second.searched_for or "") and second.cited_doc_ids
    out = own_app_settings.home / "cases.jsonl"
    assert FeedbackStore(own_app_settings.feedback_db).export_cases(out) == 1


def test_refusals_and_gaps_look_different_and_lead_with_999(app_settings: Settings) -> None:
    at = ask(start(), "Can my partner visit the kids without the social worker knowing?")
    assert at.session_state["turns"][-1].answer.kind == "declined"
    assert plain(at.warning[-1].value).startswith("**If a child is in danger right now, call [999]")
    ask(at, "What is the best recipe for banana bread?")
    assert at.session_state["turns"][-1].answer.kind == "not_found"
    assert plain(at.info[-1].value).startswith("**Not in the guidance I hold.**")


def test_a_message_with_several_questions_shows_each_part_under_its_question(
    app_settings: Settings,
) -> None:
    at = ask(start(), MULTI)
    answer = at.session_state["turns"][-1].answer
    assert [p.kind for p in answer.parts] == ["not_found", "answer", "answer"]
    shown = texts(at)
    headings = [t for t in shown if t.startswith("**") and t[2:3].isdigit()]
    assert headings == [f"**{i}. {p.ask}**" for i, p in enumerate(answer.parts, start=1)]
    # The part the guidance cannot answer keeps its own style inside an answered reply.
    assert any(
        t.startswith("**Not in the guidance I hold.**") for t in (plain(i.value) for i in at.info)
    )
    assert any("legally binding" in t and "[1]" in t for t in shown)
    # One list of sources for the whole answer: each number once, every marker resolves.
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    cards = [t for t in shown if re.match(r"\*\*\[\d+\] ", t)]
    assert len(cards) == len(numbers)
    cited = {n for p in answer.parts for n in p.citations}
    assert cited == set(numbers) and any(f"Sources ({len(numbers)})" in t for t in shown)
    assert DISCLAIMER in shown and not any(m.allow_html for m in at.markdown)

    ask(at, "and how long does stage 2 take?")  # leans on the last part: the complaint
    turn = at.session_state["turns"][-1]
    assert turn.rewritten and "complaint" in turn.standalone and "banana" not in turn.standalone
    assert "25 working days" in turn.answer.text


def test_more_questions_than_it_answers_says_so(app_settings: Settings) -> None:
    at = ask(start(), MANY)
    answer = at.session_state["turns"][-1].answer
    assert len(answer.parts) == 4
    assert any(t.startswith(":material/info: You asked more questions") for t in texts(at))


@pytest.mark.parametrize("message", ["<p></p>", "<br> <br>"])
def test_a_message_with_no_words_asks_for_a_question_without_a_traceback(
    app_settings: Settings, message: str
) -> None:
    at = ask(start(), message)
    assert at.session_state["turns"] == []
    shown = [plain(i.value) for i in at.info]
    assert any(t.startswith("Please type a question") for t in shown), shown
    assert not at.exception and DISCLAIMER in texts(at)


# --- pure helpers behind the pages -------------------------------------------------------------
def test_document_text_is_escaped_so_markdown_shows_it_literally() -> None:
    from ui.markup import answer_markdown, escape_markdown

    raw = "<script>alert(1)</script> **x** [a](javascript:alert(1)) :red[y] $z$ 1. item"
    escaped = escape_markdown(raw)
    assert plain(escaped) == raw
    assert "<" not in escaped.replace("\\<", "") and "[" not in escaped.replace("\\[", "")
    assert answer_markdown("Not binding [1]. Also [2]") == (
        "Not binding :blue[\\[1\\]]\\. Also :blue[\\[2\\]]"
    )


def test_links_and_file_names_from_documents_are_made_safe() -> None:
    from ui.markup import safe_url
    from ui.uploads import safe_filename

    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a (b)") == "https://example.org/a%20%28b%29"
    assert safe_filename("../../etc/My Notes (v2).PDF") == "My-Notes-v2.pdf"
    assert safe_filename("C:\\Users\\me\\thread.txt") == "thread.txt"


def test_the_process_map_covers_every_step_and_its_notes() -> None:
    from assistant.process_map import PATHS, STEPS_BY_KEY

    wanted = {
        "referral-and-assessment", "child-in-need-plans", "strategy-discussions",
        "section-47-enquiries", "initial-child-protection-conference",
        "child-protection-plans-core-groups", "review-conferences", "ending-a-plan-step-down",
        "pre-proceedings-plo", "care-proceedings",
    }  # fmt: skip
    assert {d.split("/", 1)[1] for s in STEPS for d in s.doc_ids[:1]} == wanted
    assert all(p.source in STEPS_BY_KEY and p.target in STEPS_BY_KEY for p in PATHS)
    assert {p.target for p in PATHS if p.kind == "step_down"} >= {"child_in_need", "step_down"}
    assert steps_for_docs(["guidance/care-proceedings", "guidance/referral-and-assessment"]) == (
        "referral",
        "assessment",
        "proceedings",
    )
    assert steps_for_docs(["guidance/safety-plans"]) == ()
