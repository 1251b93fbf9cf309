"""Signpost's Streamlit app: the fixed notice, urgent contacts, and the pages.

Run with `signpost ui` (or `streamlit run ui/app.py`). Each page is a short script in ui/pages/
that starts with `page.page_setup()` (the notice and the urgent contacts), so even a page run
on its own shows them; the logic lives in assistant/ and the drawing in ui/*_view.py.
"""

import streamlit as st

st.set_option("client.toolbarMode", "minimal")  # no Deploy button, wherever it is started from
st.set_page_config(page_title="Signpost", page_icon="🧭", layout="centered")
pages = [
    st.Page("pages/chat.py", title="Ask", icon=":material/chat:", default=True),
    st.Page("pages/process.py", title="The process", icon=":material/route:", url_path="process"),
    st.Page(
        "pages/sources.py", title="Sources", icon=":material/library_books:", url_path="sources"
    ),
    st.Page(
        "pages/add_documents.py",
        title="Add documents",
        icon=":material/upload_file:",
        url_path="add",
    ),
]
st.navigation(pages).run()
