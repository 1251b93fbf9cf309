"""Add documents: upload PDFs, web pages, notes or forum threads and make them answerable."""

import streamlit as st

from assistant.errors import SignpostError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import ingest_paths
from ingest.validation import IngestLimits
from ui.markup import escape_markdown
from ui.page import assistant_or_stop, page_setup
from ui.uploads import safe_filename

settings = page_setup()
assistant = assistant_or_stop(settings)

st.title("Add documents")
st.markdown(
    "Add your own material: a PDF (for example a council's procedures), a saved web page, a "
    "markdown note, or a forum thread saved as .txt. It stays on this computer, in the folder "
    f"{escape_markdown(str(settings.uploads_dir))}, and can be asked about at once."
)
files = st.file_uploader(
    "Choose files", type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES], accept_multiple_files=True
)
if st.button("Add to Signpost", type="primary", disabled=not files, icon=":material/upload:"):
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files or []:
        target = settings.uploads_dir / safe_filename(f.name)
        target.write_bytes(f.getvalue())
        saved.append(target)
    bar = st.progress(0.0, text="Reading the files…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Embedding passages: {done} of {total}")

    with st.spinner("Adding to the index…"):
        try:
            result = ingest_paths(
                saved,
                assistant.store,
                assistant.embedder,
                settings.chunk_tokens,
                settings.chunk_overlap,
                progress=progress,
                doc_id_prefix="uploads/",
                limits=IngestLimits.from_settings(settings),
                wait_s=settings.ingest_wait_s,
            )
        except SignpostError as exc:  # another ingest running, or the store went away
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            st.stop()
    bar.progress(1.0, text="Done")
    st.session_state["last-ingest"] = result

summary = st.session_state.get("last-ingest")
if summary is not None:
    (st.warning if summary.failures else st.success)(escape_markdown(summary.line()))
    for note in summary.notes:
        st.info(escape_markdown(note.rsplit("/", 1)[-1]), icon=":material/info:")
    for path, reason in summary.failures:
        name = escape_markdown(path.rsplit("/", 1)[-1])
        st.error(f"**{name}**: {escape_markdown(reason)}", icon=":material/error:")
    if summary.added or summary.updated:
        st.page_link("pages/chat.py", label="Ask about it now", icon=":material/chat:")
