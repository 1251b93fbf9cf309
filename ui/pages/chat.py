"""Ask: a chat with history, follow-ups, cited answers in parts, and feedback."""

import streamlit as st

from assistant.feedback import FeedbackStore
from ui import answer_view, conversation, page, sources_view
from ui.markup import escape_markdown

settings = page.page_setup()
assistant = page.assistant_or_stop(settings)
store = FeedbackStore(settings.feedback_db)
turns = st.session_state.setdefault("turns", [])
sources_view.open_reading_dialog(assistant)

st.title("Ask about children's social care")
typed = st.chat_input("Ask a question, e.g. what happens at a review conference?")
pending = st.session_state.pop("pending", None)
question = typed or pending
if not turns and not question:
    st.markdown(
        "Ask in your own words. Answers come only from the guidance notes held on this "
        "computer, and every answer shows the passages it rests on so you can check them."
    )
    st.caption("Try one of these:")
    for q in conversation.STARTERS:
        st.button(q, key=f"starter-{q}", on_click=st.session_state.__setitem__, args=("pending", q))
else:
    st.button(
        "New conversation", icon=":material/restart_alt:", on_click=conversation.new_conversation
    )

for turn in turns:
    answer_view.turn_view(turn, store)

if question:
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        with st.spinner("Looking through the guidance…"):
            turn = conversation.ask_turn(assistant, question, turns)
        if turn is not None:
            turns.append(turn)
            answer_view.answer_view(turn, store)
