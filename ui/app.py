"""Signpost's Streamlit app: the fixed notice, urgent contacts, and the pages.

Run with `signpost ui` (or `streamlit run ui/app.py`). Each page is a short script in ui/pages/;
the logic lives in assistant/ and the drawing in ui/render.py.
"""

import streamlit as st

from ui import render

st.set_page_config(page_title="Signpost", page_icon=":material/signpost:", layout="centered")
settings = render.current_settings()
pages = [
    st.Page("pages/chat.py", title="Ask", icon=":material/chat:", default=True),
    st.Page("pages/process.py", title="The process", icon=":material/route:", url_path="process"),
    st.Page("pages/sources.py", title="Sources", icon=":material/library_books:", url_path="sources"),
    st.Page("pages/add_documents.py", title="Add documents", icon=":material/upload_file:", url_path="add"),
]
page = st.navigation(pages)
render.emergency_sidebar(settings)
render.disclaimer()
page.run()
