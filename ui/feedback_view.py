"""Feedback under an answer: helpful or not, an optional comment, the question only if ticked."""

from __future__ import annotations

import streamlit as st

from assistant.feedback import Feedback, FeedbackStore
from assistant.followups import Turn


def feedback_form(turn: Turn, store: FeedbackStore) -> None:
    """The form, folded away; once sent, a thank-you in its place."""
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
