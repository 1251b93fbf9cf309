"""Sources: every document in the index, with a filter, and any note to read whole."""

import streamlit as st

from assistant.catalogue import matches
from ui import page, sources_view

st.set_page_config(layout="wide")
settings = page.page_setup()
assistant = page.assistant_or_stop(settings)
rows = sources_view.index_documents(assistant)

st.title("Sources")
st.markdown(
    f"The {len(rows)} documents Signpost answers from. Guidance notes were written for Signpost "
    "from the sources they name; Q&A threads answer real questions parents ask."
)
words = st.text_input("Filter", placeholder="Words in the title or topics, e.g. conference")
kinds = sorted({r.kind for r in rows})
chosen = st.multiselect("Kind", kinds, default=kinds)
shown = [r for r in rows if r.kind in chosen and matches(r, words)]
st.dataframe(
    [
        {
            "Title": r.title,
            "Kind": r.kind,
            "Jurisdiction": r.jurisdiction,
            "Legal force": r.legal_force,
            "Reviewed": r.reviewed,
            "Topics": r.topics,
        }
        for r in shown
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "Title": st.column_config.TextColumn(width="large"),
        "Topics": st.column_config.TextColumn(width="large"),
    },
    height=min(400, 38 + 35 * max(len(shown), 1)),
)
st.caption(f"{len(shown)} of {len(rows)} documents shown.")

ids = [r.doc_id for r in shown]
wanted = st.query_params.get("doc")
if wanted in ids and "open-note" not in st.session_state:
    st.session_state["open-note"] = wanted
by_id = {r.doc_id: r for r in rows}
doc_id = st.selectbox(
    "Open a document to read it whole",
    ids,
    index=None,
    key="open-note",
    format_func=lambda d: by_id[d].title,
    placeholder="Choose a document",
)
if doc_id:
    st.query_params["doc"] = doc_id
    with st.container(border=True):
        sources_view.note_view(by_id[doc_id])
