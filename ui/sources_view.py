"""The document catalogue on screen: the list of indexed documents and a note read whole."""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from assistant.catalogue import DocumentRow, document_rows
from assistant.service import Assistant
from ui.markup import escape_markdown, legal_force_badge, link
from ui.note_files import read_note, topics_of


def index_documents(assistant: Assistant) -> tuple[DocumentRow, ...]:
    """Every document in the index (recomputed only when an ingest changes the store)."""
    generation = assistant.store.state().generation if assistant.store is not None else 0
    return _document_rows(repr(assistant.settings), generation, assistant)


@st.cache_data(show_spinner="Listing the documents…", max_entries=8)
def _document_rows(
    settings_key: str, generation: int, _assistant: Assistant
) -> tuple[DocumentRow, ...]:
    return document_rows(_assistant.retriever.lexicon().chunks.values(), topics_of)  # type: ignore[attr-defined]


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
    blocks = read_note(row)
    if not blocks:
        st.warning("The file for this document is no longer where it was indexed from.")
    for block in blocks:
        if block.heading:
            st.markdown(f"**{escape_markdown(block.heading)}**")
        if block.text:
            st.markdown(escape_markdown(block.text, keep_lines=True))


@st.dialog("Read the note", width="large")
def note_dialog(row: DocumentRow) -> None:
    note_view(row)


def request_reading(doc_id: str) -> None:
    """A button's callback: open this document's note on the next run."""
    st.session_state["reading"] = doc_id


def open_reading_dialog(assistant: Assistant) -> None:
    """Show the note a 'Read the whole note' button asked for, once."""
    doc_id = st.session_state.pop("reading", None)
    if not doc_id:
        return
    row = next((r for r in index_documents(assistant) if r.doc_id == doc_id), None)
    if row is not None:
        note_dialog(row)
