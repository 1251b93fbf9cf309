"""The names pages used to import from one module, kept for pages not yet moved to the modules
that hold them: ui/page.py (settings, assistant, notice, sidebar), ui/markup.py (escaping, links),
ui/answer_view.py, ui/sources_view.py, ui/process_view.py, ui/feedback_view.py, ui/uploads.py,
ui/conversation.py, and assistant/catalogue.py (the document rows). New code imports from those.
"""

from __future__ import annotations

from assistant.catalogue import DocumentRow, document_rows, matches, where_unit
from ui.answer_view import answer_body, answer_view, source_card, turn_view
from ui.conversation import STARTERS, new_conversation
from ui.feedback_view import feedback_form
from ui.markup import (
    LEGAL_FORCE,
    answer_markdown,
    contacts,
    escape_markdown,
    legal_force_badge,
    link,
    phone_link,
    safe_url,
    trim_context,
    where,
)
from ui.note_files import read_note as note_blocks
from ui.note_files import topics_of as note_topics
from ui.page import (
    EMERGENCY_KEYS,
    assistant_or_stop,
    current_settings,
    disclaimer,
    emergency_sidebar,
    load_assistant,
    load_contacts,
    page_setup,
)
from ui.process_view import CHART_CONFIG, SHORT_LABELS, process_figure, selected_step
from ui.sources_view import (
    index_documents,
    note_dialog,
    note_view,
    open_reading_dialog,
    request_reading,
)
from ui.uploads import safe_filename

__all__ = [
    "CHART_CONFIG",
    "EMERGENCY_KEYS",
    "LEGAL_FORCE",
    "SHORT_LABELS",
    "STARTERS",
    "DocumentRow",
    "answer_body",
    "answer_markdown",
    "answer_view",
    "assistant_or_stop",
    "contacts",
    "current_settings",
    "disclaimer",
    "document_rows",
    "emergency_sidebar",
    "escape_markdown",
    "feedback_form",
    "index_documents",
    "legal_force_badge",
    "link",
    "load_assistant",
    "load_contacts",
    "matches",
    "new_conversation",
    "note_blocks",
    "note_dialog",
    "note_topics",
    "note_view",
    "open_reading_dialog",
    "page_setup",
    "phone_link",
    "process_figure",
    "request_reading",
    "safe_filename",
    "safe_url",
    "selected_step",
    "source_card",
    "trim_context",
    "turn_view",
    "where",
    "where_unit",
]
