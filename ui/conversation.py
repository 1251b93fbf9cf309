"""The chat's state: starter questions, a new conversation, and asking with errors shown as words."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from assistant.errors import EmptyQuestionError, SignpostError
from assistant.followups import Asks, Turn, ask_in_conversation
from ui.markup import escape_markdown

STARTERS = (
    "Is a safety plan legally binding?",
    "What happens at an initial child protection conference?",
    "How do I complain about children's services?",
    "Can I say no to a child in need plan?",
)
SESSION_KEYS = ("turns", "feedback_sent", "pending", "reading")


def new_conversation() -> None:
    """Forget the chat (and its feedback state) for this browser session."""
    for key in SESSION_KEYS:
        st.session_state.pop(key, None)


def ask_turn(assistant: Asks, question: str, turns: Sequence[Turn]) -> Turn | None:
    """The next turn, or None with the reason shown (e.g. nothing to answer: type a question)."""
    try:
        return ask_in_conversation(assistant, question, turns)
    except EmptyQuestionError as exc:
        st.info(escape_markdown(str(exc)), icon=":material/edit:")
    except SignpostError as exc:  # the index went away or is busy: say so, keep the chat
        st.error(escape_markdown(str(exc)), icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - a bug is said plainly, never as a stack trace
        st.error(
            f"Something went wrong inside Signpost ({escape_markdown(exc.__class__.__name__)}). "
            "Nothing you typed was saved. Please try again, or report it.",
            icon=":material/error:",
        )
    return None
