"""What every page shares: the settings, the assistant opened once, the notice and urgent contacts."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import streamlit as st

from assistant.config import Settings
from assistant.disclaimer import DISCLAIMER
from assistant.errors import SignpostError
from assistant.service import Assistant
from assistant.signposts import SignpostBook, load_signposts
from assistant.types import SignpostContact
from ui.markup import escape_markdown, link, phone_link

# The sidebar's urgent contacts, in the order a person in trouble needs them.
EMERGENCY_KEYS = ("emergency", "nspcc", "childline", "samaritans", "frg")


def current_settings() -> Settings:
    """Settings from SIGNPOST_* variables (the app's one read of the environment)."""
    return Settings.from_env(os.environ)


@st.cache_resource(
    show_spinner="Opening the guidance. The very first start builds the index, which takes a few minutes…",
    hash_funcs={Settings: repr},
)
def load_assistant(settings: Settings) -> Assistant:
    """Build the index if missing, then open the assistant once per process."""
    from assistant.safety import warm_triage_in_background
    from assistant.service import open_assistant
    from ingest.bootstrap import build_index_if_needed

    notes: list[str] = []
    build_index_if_needed(settings, notes.append)
    for note in notes:  # e.g. "the index is incomplete: run signpost ingest ..." (never swallowed)
        st.info(note)
    stack = ExitStack()  # held open for the life of the process, like the cache entry
    assistant = stack.enter_context(open_assistant(settings))
    warm_triage_in_background(settings.models_dir)  # the app lives on: its first message won't wait
    return assistant


def assistant_or_stop(settings: Settings) -> Assistant:
    """The assistant, or the reason it cannot open shown on the page and the page stopped."""
    try:
        return load_assistant(settings)
    except SignpostError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        st.stop()
        raise  # unreachable: st.stop() raises


@st.cache_data(show_spinner=False)
def load_contacts(path: str) -> tuple[SignpostContact, ...]:
    return load_signposts(Path(path))


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
