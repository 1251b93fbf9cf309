"""The process: the child protection process in England as a picture, each step with its notes."""

import streamlit as st

from assistant.process_map import STEPS, STEPS_BY_KEY, steps_for_docs
from ui import page, process_view, sources_view
from ui.markup import escape_markdown

settings = page.page_setup()
assistant = page.assistant_or_stop(settings)
sources_view.open_reading_dialog(assistant)
rows = {r.doc_id: r for r in sources_view.index_documents(assistant)}

st.title("The child protection process")
st.markdown(
    "How a worry about a child can move through children's services in England. Most families "
    "leave the process early: green arrows show where things can step down. Tap a step to see "
    "what happens there and the notes that explain it."
)
turns = st.session_state.get("turns", [])
lit = set(steps_for_docs(c.doc_id for c in turns[-1].answer.citations)) if turns else set()
if lit:
    st.caption("Orange steps are the ones your last answer talked about.")

event = st.plotly_chart(
    process_view.process_figure(lit),
    key="process-map",
    on_select="rerun",
    selection_mode="points",
    config=process_view.CHART_CONFIG,
)
st.caption(
    "Grey arrows: the main path. Green arrows: stepping down to less formal help, or away from court."
)
clicked = process_view.selected_step(event)
if clicked and clicked != st.session_state.get("step_clicked"):
    st.session_state["step_clicked"] = clicked
    st.session_state["step"] = clicked
keys = [s.key for s in STEPS]
if "step" not in st.session_state:
    st.session_state["step"] = next((k for k in keys if k in lit), keys[0])
choice = st.selectbox(
    "Step", keys, key="step", format_func=lambda k: f"{keys.index(k) + 1}. {STEPS_BY_KEY[k].label}"
)
step = STEPS_BY_KEY[choice]
with st.container(border=True):
    st.markdown(f"**{escape_markdown(step.label)}**")
    st.markdown(escape_markdown(step.summary))
    st.caption("Notes that explain this step:")
    for doc_id in step.doc_ids:
        row = rows.get(doc_id)
        if row is None:
            st.caption(f"{escape_markdown(doc_id)} (not in this index)")
            continue
        st.button(
            row.title,
            key=f"read-{step.key}-{doc_id}",
            icon=":material/article:",
            on_click=sources_view.request_reading,
            args=(doc_id,),
        )
