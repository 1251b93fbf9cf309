"""An answer on screen: the fixed preface, each part under its restated question, the numbered
source cards (one list for the whole answer), who can help, and where it fits in the process.

Styles by kind: safety in red and declined in amber, each leading with 999; a part the guidance
cannot answer in blue, even inside an otherwise answered reply; answered parts as plain text.
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from assistant.feedback import FeedbackStore
from assistant.followups import Turn
from assistant.process_map import STEPS_BY_KEY, steps_for_docs
from assistant.types import Answer, AnswerPart, Citation
from ui.answer_layout import answer_parts, part_heading, shown_notices
from ui.feedback_view import feedback_form
from ui.markup import (
    answer_markdown,
    contacts,
    escape_markdown,
    legal_force_badge,
    link,
    phone_link,
    trim_context,
    where,
)
from ui.process_view import CHART_CONFIG, process_figure
from ui.sources_view import request_reading

# The line an urgent reply opens with, before anything else is read.
URGENT_LEAD = {
    "safety": f"**If anyone is in danger right now, call {phone_link('999')}.**",
    "declined": f"**If a child is in danger right now, call {phone_link('999')}.**",
}
NOT_FOUND_LEAD = "**Not in the guidance I hold.**"


def turn_view(turn: Turn, store: FeedbackStore) -> None:
    """One exchange: the question, the answer, its sources, the process picture and feedback."""
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn.question))
    with st.chat_message("assistant"):
        answer_view(turn, store)


def answer_view(turn: Turn, store: FeedbackStore) -> None:
    answer = turn.answer
    answer_body(answer, turn.standalone if turn.rewritten else None)
    if answer.citations:
        st.markdown(f"**Sources ({len(answer.citations)})**")
        for c in answer.citations:
            source_card(c, key=f"t{turn.id}-c{c.n}")
    steps = steps_for_docs(c.doc_id for c in answer.citations)
    if steps:
        with st.expander(
            "Where this fits in the child protection process", icon=":material/route:"
        ):
            names = ", ".join(STEPS_BY_KEY[s].label for s in steps)
            st.caption(f"This answer draws on notes about: {escape_markdown(names)}.")
            st.plotly_chart(
                process_figure(set(steps), compact=True), key=f"t{turn.id}-map", config=CHART_CONFIG
            )
    feedback_form(turn, store)


def answer_body(answer: Answer, searched_for: str | None = None) -> None:
    """The preface, then each part (under its restated question when there are several)."""
    parts = answer_parts(answer)
    help_list = contacts(answer.signposts)
    lead = URGENT_LEAD.get(answer.kind)
    if lead:
        only = parts[0] if len(parts) == 1 and parts[0].kind == answer.kind else None
        words = answer.preface or (only.text if only else "")
        urgent_box(
            answer.kind, "\n\n".join(x for x in (lead, answer_markdown(words), help_list) if x)
        )
        if only is not None and not answer.preface:
            return  # the whole reply was the urgent help
    elif answer.preface:
        st.markdown(escape_markdown(answer.preface))
    several = len(parts) > 1
    for number, part in enumerate(parts, start=1):
        part_view(part, number if several else None)
    if searched_for:
        st.caption(f"Searched for: {escape_markdown(searched_for)}")
    for notice in shown_notices(answer):
        st.caption(f":material/info: {escape_markdown(notice)}")
    if answer.signposts and not lead:
        st.markdown("**Who can help**\n\n" + help_list)


def urgent_box(kind: str, body: str) -> None:
    if kind == "safety":
        st.error(body, icon=":material/emergency:")
    else:
        st.warning(body, icon=":material/block:")


def part_view(part: AnswerPart, number: int | None) -> None:
    """One part in the style of its kind, under "n. the question restated" when numbered."""
    if number is not None:
        st.markdown(f"**{escape_markdown(part_heading(number, part))}**")
    text = answer_markdown(part.text)
    if part.kind == "answer":
        st.markdown(text)
    elif part.kind == "not_found":
        st.info(f"{NOT_FOUND_LEAD} {text}", icon=":material/search_off:")
    else:
        urgent_box(part.kind, text)


def source_card(c: Citation, key: str) -> None:
    """A numbered card: title, place, legal force, review date, the quote in context, the link."""
    with st.container(border=True):
        st.markdown(f"**\\[{c.n}\\] {escape_markdown(c.title)}**")
        meta = [
            escape_markdown(x)
            for x in (where(c), f"reviewed {c.reviewed}" if c.reviewed else "")
            if x
        ]
        badge = legal_force_badge(c.legal_force)
        st.markdown(" · ".join([badge, *meta] if badge else meta) or ":small[(no details)]")
        before, after = trim_context(c.context_before, c.context_after)
        quote_md = f":orange-background[{escape_markdown(c.quote)}]"
        st.markdown(
            " ".join(x for x in (escape_markdown(before), quote_md, escape_markdown(after)) if x)
        )
        cols = st.columns([3, 2], vertical_alignment="center")
        if c.url:
            cols[0].markdown(link(f"Source: {urlparse(c.url).netloc or c.url}", c.url))
        cols[1].button(
            "Read the whole note",
            key=f"{key}-read",
            icon=":material/article:",
            on_click=request_reading,
            args=(c.doc_id,),
        )
