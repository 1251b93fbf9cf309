"""Rendering helpers for the Streamlit pages: answers, source cards, notes, contacts, the process.

Every piece of document text goes through `escape_markdown` or a plain-text element, never
through HTML, so a note containing `<script>` or Markdown shows exactly what it says.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import streamlit as st

from assistant.config import Settings
from assistant.disclaimer import DISCLAIMER
from assistant.errors import SignpostError
from assistant.feedback import Feedback, FeedbackStore
from assistant.followups import Turn
from assistant.process_map import PATHS, STEPS, STEPS_BY_KEY, steps_for_docs
from assistant.service import Assistant
from assistant.signposts import SignpostBook, load_signposts
from assistant.types import Answer, Chunk, Citation, SignpostContact

EMERGENCY_KEYS = ("emergency", "nspcc", "childline", "samaritans", "frg")
STARTERS = (
    "Is a safety plan legally binding?",
    "What happens at an initial child protection conference?",
    "How do I complain about children's services?",
    "Can I say no to a child in need plan?",
)
LEGAL_FORCE = {
    "statute": ("Law (statute)", "blue"),
    "statutory guidance": ("Statutory guidance", "violet"),
    "local procedure": ("Local procedure: varies by council", "orange"),
    "practice": ("Practice guidance", "gray"),
    "charity advice": ("Charity advice", "green"),
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^])")
_MARKER = re.compile(r"(\[\d+\])")


# --- text ------------------------------------------------------------------------------------
def escape_markdown(text: str, keep_lines: bool = False) -> str:
    """Text that Streamlit's Markdown shows literally (no HTML, links, emphasis or directives)."""
    if keep_lines:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return "  \n".join(_MD_SPECIAL.sub(r"\\\1", line) for line in lines)
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def answer_markdown(text: str) -> str:
    """The answer with its [n] markers kept visible (in bold) and everything else escaped."""
    parts = _MARKER.split(text)
    return "".join(
        f":blue[{escape_markdown(p)}]" if _MARKER.fullmatch(p) else escape_markdown(p)
        for p in parts
    ).strip()


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with the characters that would break a Markdown link percent-encoded."""
    if not url or urlparse(url).scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def link(label: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{escape_markdown(label)}]({target})" if target else escape_markdown(label)


def phone_link(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"[{escape_markdown(phone)}](tel:{digits})" if digits else escape_markdown(phone)


def where(c: Citation | Chunk) -> str:
    parts = [c.section.replace(" > ", " › ") if c.section else ""]
    if c.page is not None:
        parts.append(f"page {c.page}")
    return ", ".join(p for p in parts if p)


def legal_force_badge(force: str | None) -> str:
    if not force:
        return ""
    label, colour = LEGAL_FORCE.get(force, (force, "gray"))
    return f":{colour}-badge[{escape_markdown(label)}]"


def trim_context(before: str, after: str, limit: int = 120) -> tuple[str, str]:
    """Up to `limit` characters either side of a quote, cut at a word, marked with an ellipsis."""
    before, after = " ".join(before.split()), " ".join(after.split())
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return before, after


# --- resources -------------------------------------------------------------------------------
def current_settings() -> Settings:
    """Settings from SIGNPOST_* variables (the app's one read of the environment)."""
    return Settings.from_env(os.environ)


@st.cache_resource(
    show_spinner="Opening the guidance. The very first start builds the index, which takes a few minutes…",
    hash_funcs={Settings: repr},
)
def load_assistant(settings: Settings) -> Assistant:
    """Build the index if missing, then open the assistant once per process."""
    from assistant.service import open_assistant
    from ingest.bootstrap import build_index_if_needed

    build_index_if_needed(settings, lambda message: None)
    stack = ExitStack()  # held open for the life of the process, like the cache entry
    return stack.enter_context(open_assistant(settings))


def assistant_or_stop(settings: Settings) -> Assistant:
    try:
        return load_assistant(settings)
    except SignpostError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_data(show_spinner=False)
def load_contacts(path: str) -> tuple[SignpostContact, ...]:
    return load_signposts(Path(path))


# --- page furniture --------------------------------------------------------------------------
def page_setup() -> Settings:
    """What every page shows whatever else happens: the fixed notice and the urgent contacts."""
    settings = current_settings()
    disclaimer()
    emergency_sidebar(settings)
    return settings


def disclaimer() -> None:
    """The fixed notice, pinned to the bottom of every page."""
    st.bottom.caption(escape_markdown(DISCLAIMER))


def emergency_sidebar(settings: Settings) -> None:
    """Who to call, always in the sidebar, from the one signposts list."""
    with st.sidebar:
        st.markdown("**Urgent help**")
        try:
            book = SignpostBook(load_contacts(str(settings.corpus_dir / "signposts.yaml")))
        except SignpostError as exc:
            st.error(escape_markdown(str(exc)))
            st.markdown("In an emergency call **999**.")
            return
        for c in book.pick(EMERGENCY_KEYS):
            head = phone_link(c.phone) if c.phone else link(c.name, c.url)
            st.markdown(
                f"**{head}** {escape_markdown(c.name)}  \n:small[{escape_markdown(c.when)}]"
            )


# --- answers ---------------------------------------------------------------------------------
def contacts(items: Iterable[SignpostContact]) -> str:
    lines = []
    for c in items:
        how = " · ".join(
            x for x in (phone_link(c.phone) if c.phone else "", link("website", c.url)) if x
        )
        hours = f" ({escape_markdown(c.hours)})" if c.hours else ""
        lines.append(f"- **{escape_markdown(c.name)}**: {how}{hours}")
    return "\n".join(lines)


def answer_body(answer: Answer, searched_for: str | None = None) -> None:
    """The answer text, styled by kind; safety answers lead with the emergency action."""
    text = answer_markdown(answer.text)
    help_list = contacts(answer.signposts)
    if answer.kind == "safety":
        st.error(
            f"**If anyone is in danger right now, call {phone_link('999')}.**\n\n{text}\n\n{help_list}",
            icon=":material/emergency:",
        )
        return
    if answer.kind == "declined":
        st.warning(
            f"**If a child is in danger right now, call {phone_link('999')}.**\n\n"
            f"{text}\n\n{help_list}",
            icon=":material/block:",
        )
        return
    if answer.kind == "not_found":
        st.info(f"**Not in the guidance I hold.** {text}", icon=":material/search_off:")
    else:
        st.markdown(text)
    if searched_for:
        st.caption(f"Searched for: {escape_markdown(searched_for)}")
    for notice in answer.notices:
        st.caption(escape_markdown(notice))
    if answer.signposts:
        st.markdown("**Who can help**\n\n" + help_list)


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


def feedback_form(turn: Turn, store: FeedbackStore) -> None:
    sent = st.session_state.setdefault("feedback_sent", set())
    if turn.id in sent:
        st.caption("Thank you for your feedback. It is kept on this computer only.")
        return
    with st.expander("Was this answer helpful?", icon=":material/thumbs_up_down:"):
        with st.form(key=f"fb-{turn.id}", border=False):
            rating = st.radio(
                "Rating",
                ["Helpful", "Not helpful"],
                index=None,
                horizontal=True,
                label_visibility="collapsed",
                key=f"fb-{turn.id}-rating",
            )
            comment = st.text_input(
                "Comment (optional)",
                key=f"fb-{turn.id}-comment",
                help="Please leave out names and other personal details.",
            )
            include = st.checkbox(
                "Include my question with this feedback",
                key=f"fb-{turn.id}-include",
                help="Off unless you tick it: without it, only the rating, your comment and which notes "
                "were cited are saved.",
            )
            if st.form_submit_button("Send feedback", key=f"fb-{turn.id}-send"):
                if rating is None:
                    st.warning("Choose Helpful or Not helpful first.")
                else:
                    store.record(
                        Feedback.from_answer(
                            turn.answer,
                            rating == "Helpful",
                            comment or "",
                            include,
                            asked=turn.question,
                        )
                    )
                    sent.add(turn.id)
                    st.rerun()


# --- notes -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    title: str
    kind: str
    jurisdiction: str
    legal_force: str
    reviewed: str
    topics: str
    url: str | None
    source_path: str
    publisher: str
    chunks: int


def document_rows(chunks: Iterable[Chunk]) -> tuple[DocumentRow, ...]:
    """One row per document in the index, sorted by kind then title."""
    by_doc: dict[str, list[Chunk]] = {}
    for ch in chunks:
        by_doc.setdefault(ch.doc_id, []).append(ch)
    rows = []
    for doc_id, parts in by_doc.items():
        first = parts[0]
        rows.append(
            DocumentRow(
                doc_id=doc_id,
                title=first.title,
                kind=first.kind,
                jurisdiction=first.jurisdiction,
                legal_force=first.legal_force or "",
                reviewed=first.reviewed or "",
                topics=", ".join(note_topics(first.source_path)),
                url=first.url,
                source_path=first.source_path,
                publisher=first.publisher,
                chunks=len(parts),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.title.lower())))


def note_topics(source_path: str) -> tuple[str, ...]:
    """`topics` from a markdown note's front matter, where there is one."""
    from ingest.loaders import parse_front_matter

    path = Path(source_path)
    if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
        return ()
    try:
        meta, _ = parse_front_matter(path, path.read_text("utf-8", errors="replace"))
    except SignpostError:
        return ()
    topics = meta.get("topics") or []
    return tuple(str(t) for t in topics) if isinstance(topics, list) else ()


def note_blocks(row: DocumentRow) -> list[tuple[str | None, str]]:
    """The whole document as (heading, text) blocks, read from its file on disk."""
    from ingest.loaders import load_document, parse_front_matter

    path = Path(row.source_path)
    if not path.is_file():
        return []
    if path.suffix.lower() in (".md", ".markdown", ".txt"):
        text = path.read_text("utf-8", errors="replace")
        if path.suffix.lower() != ".txt":
            try:
                text = parse_front_matter(path, text)[1]
            except SignpostError:
                pass
        blocks: list[tuple[str | None, str]] = []
        for block in re.split(r"\n\s*\n", text):
            m = re.match(r"^#{1,6}\s+(.*)$", block.strip())
            if m and "\n" not in block.strip():
                blocks.append((m.group(1), ""))
            elif block.strip():
                blocks.append((None, block.strip("\n")))
        return blocks
    try:
        doc = load_document(path, row.doc_id)
    except SignpostError as exc:
        return [(None, f"This document could not be read again: {exc}")]
    return [(where_unit(u.section, u.page), u.text) for u in doc.units]


def where_unit(section: str | None, page: int | None) -> str | None:
    parts = [section or "", f"Page {page}" if page is not None else ""]
    return " · ".join(p for p in parts if p) or None


def note_view(row: DocumentRow) -> None:
    """A document's details and its whole text, shown as text."""
    st.markdown(f"### {escape_markdown(row.title)}")
    badge = legal_force_badge(row.legal_force or None)
    meta = [
        escape_markdown(x)
        for x in (
            row.kind,
            row.jurisdiction.title(),
            f"reviewed {row.reviewed}" if row.reviewed else "",
        )
        if x
    ]
    st.markdown(" · ".join([badge, *meta] if badge else meta))
    if row.topics:
        st.caption(f"Topics: {escape_markdown(row.topics)}")
    if row.url:
        st.markdown(link(f"Original source: {urlparse(row.url).netloc or row.url}", row.url))
    blocks = note_blocks(row)
    if not blocks:
        st.warning("The file for this document is no longer where it was indexed from.")
    for heading, text in blocks:
        if heading:
            st.markdown(f"**{escape_markdown(heading)}**")
        if text:
            st.markdown(escape_markdown(text, keep_lines=True))


@st.dialog("Read the note", width="large")
def note_dialog(row: DocumentRow) -> None:
    note_view(row)


def request_reading(doc_id: str) -> None:
    st.session_state["reading"] = doc_id


def open_reading_dialog(assistant: Assistant) -> None:
    """Show the note a 'Read the whole note' button asked for, once."""
    doc_id = st.session_state.pop("reading", None)
    if not doc_id:
        return
    row = next((r for r in index_documents(assistant) if r.doc_id == doc_id), None)
    if row is not None:
        note_dialog(row)


# --- the process picture ---------------------------------------------------------------------
CHART_CONFIG: dict[str, Any] = {"displayModeBar": False, "scrollZoom": False, "responsive": True}
SHORT_LABELS = {
    "initial_conference": "Initial<br>conference",
    "plan": "Child protection<br>plan",
    "review": "Review<br>conferences",
    "step_down": "Plan ends /<br>step down",
    "pre_proceedings": "Pre-proceedings<br>(PLO)",
    "strategy": "Strategy<br>discussion",
    "section_47": "Section 47<br>enquiry",
    "child_in_need": "Child in<br>Need plan",
}


def process_figure(
    highlight: set[str] | frozenset[str] = frozenset(), compact: bool = False
) -> Any:
    """The child protection process as a plotly diagram; highlighted steps are drawn in orange."""
    import plotly.graph_objects as go

    def xy(key: str) -> tuple[float, float]:
        s = STEPS_BY_KEY[key]
        return (0.0 if s.column == 0 else 0.75, -s.row)

    fig = go.Figure()
    for p in PATHS:
        (x0, y0), (x1, y1) = xy(p.source), xy(p.target)
        down = p.kind == "step_down"
        if x0 == x1 and y1 > y0:  # back up the main line: draw beside it, not on top of it
            x0, x1 = x0 + 0.12, x1 + 0.12
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.1,
            arrowwidth=1.6,
            arrowcolor="#2e7d32" if down else "#6b7280",
            standoff=11,
            startstandoff=11,
            text="",
        )
    lit = [s.key in highlight for s in STEPS]
    fig.add_trace(
        go.Scatter(
            x=[xy(s.key)[0] for s in STEPS],
            y=[xy(s.key)[1] for s in STEPS],
            mode="markers+text",
            text=[
                (
                    f"<b>{SHORT_LABELS.get(s.key, s.label)}</b>"
                    if on
                    else SHORT_LABELS.get(s.key, s.label)
                )
                for s, on in zip(STEPS, lit, strict=True)
            ],
            textposition=["middle left" if s.column == 0 else "middle right" for s in STEPS],
            textfont={"size": 12, "color": ["#b45309" if on else "#1f2937" for on in lit]},
            marker={
                "size": [20 if on else 14 for on in lit],
                "color": [
                    "#f59e0b" if on else ("#86efac" if s.column else "#93c5fd")
                    for s, on in zip(STEPS, lit, strict=True)
                ],
                "line": {"width": 2, "color": ["#b45309" if on else "#374151" for on in lit]},
            },
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}, "textfont": {"color": "#1f2937"}},
            customdata=[s.key for s in STEPS],
            hovertext=[s.summary for s in STEPS],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-1.3, 1.75], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-8.5, 0.5], fixedrange=True)
    fig.update_layout(
        height=460 if compact else 560,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        dragmode=False,
        clickmode="event+select",
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"namelength": -1},
    )
    return fig


def selected_step(event: Any) -> str | None:
    """The step key a click on the process picture selected, if any."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points:
        key = point.get("customdata")
        if isinstance(key, list):
            key = key[0] if key else None
        if key in STEPS_BY_KEY:
            return str(key)
        index = point.get("point_index")
        if isinstance(index, int) and 0 <= index < len(STEPS):
            return STEPS[index].key
    return None


def safe_filename(name: str) -> str:
    """A plain file name for an upload: no folders, no odd characters, suffix kept."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "document"
    return f"{stem[:80]}{suffix.lower()}"


def index_documents(assistant: Assistant) -> tuple[DocumentRow, ...]:
    """Every document in the index (recomputed only when an ingest changes the store)."""
    return _document_rows(repr(assistant.settings), assistant.store.state().generation, assistant)


@st.cache_data(show_spinner="Listing the documents…", max_entries=8)
def _document_rows(
    settings_key: str, generation: int, _assistant: Assistant
) -> tuple[DocumentRow, ...]:
    return document_rows(_assistant.retriever.lexicon().chunks.values())


def new_conversation() -> None:
    """Forget the chat (and its feedback state) for this browser session."""
    for key in ("turns", "feedback_sent", "pending", "reading"):
        st.session_state.pop(key, None)


def matches(row: DocumentRow, words: str) -> bool:
    """Whether every word of a filter appears in the document's title, topics, kind or id."""
    haystack = f"{row.title} {row.topics} {row.kind} {row.doc_id} {row.legal_force}".lower()
    return all(w in haystack for w in words.lower().split())
