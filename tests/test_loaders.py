"""Loaders read real files made by the tests, and bad files fail with a reason a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from ingest.loaders import load_document, load_forum_thread, load_html, load_markdown, load_pdf
from tests.helpers import HTML, THREAD, write_note, write_pdf


def test_markdown_keeps_front_matter_and_heading_path(tmp_path: Path) -> None:
    path = write_note(tmp_path, "visits", "Visits", "Visits vary.", "How often will the SW visit?", "It varies between councils.")
    doc = load_markdown(path, "ignored")
    assert doc.doc_id == "guidance/visits"
    assert doc.url == "https://example.org/visits"
    assert doc.legal_force == "practice" and doc.reviewed == "2026-11-23"
    assert [u.section for u in doc.units] == ["In short", "How often will the SW visit?"]


def test_pdf_gives_one_unit_per_page_with_one_based_pages_and_non_ascii(tmp_path: Path) -> None:
    pages = ["Café meetings – “page one” text here.", "Second page: naïve façade £5 fee.", "Third page ends."]
    doc = load_pdf(write_pdf(tmp_path / "leaflet.pdf", pages), "uploads/leaflet")
    assert [u.page for u in doc.units] == [1, 2, 3]
    assert "naïve façade £5" in doc.units[1].text
    assert "“page one”" in doc.units[0].text
    assert doc.title == "Test leaflet"


def test_html_drops_scripts_navigation_and_footer_and_keeps_sections(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, "utf-8")
    doc = load_html(path, "uploads/page")
    text = " ".join(u.text for u in doc.units)
    assert "SHOULD-NOT-APPEAR" not in text and "NAVLINK" not in text and "FOOTERTEXT" not in text
    assert doc.url == "https://example.org/contact-centres"
    assert doc.units[-1].section == "Contact centres explained > Who runs the sessions?"


def test_forum_thread_keeps_title_author_and_date_per_post(tmp_path: Path) -> None:
    path = tmp_path / "thread.txt"
    path.write_text(THREAD, "utf-8")
    doc = load_forum_thread(path, "uploads/thread")
    assert doc.title == "Grandad wants to supervise contact"
    assert [(u.author, u.date) for u in doc.units] == [
        ("WorriedMum", "3 March 2026, 9:14pm"),
        ("Adviser_K", "4 March 2026, 10:02am"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("corrupt.pdf", b"%PDF-1.4\n this is not really a pdf \x00\x01", "could not be read"),
        ("empty.md", b"", "empty"),
        ("latin1.md", "caf\xe9 notes".encode("latin-1"), "not UTF-8"),
        ("notes.docx", b"PK\x03\x04", "not supported"),
    ],
)
def test_bad_files_raise_document_error_with_actionable_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        load_document(path, "x")
    assert reason in str(info.value)


def test_password_protected_pdf_is_reported_as_such(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked.pdf", ["secret text"], password="hunter2")
    with pytest.raises(DocumentError, match="password-protected"):
        load_pdf(path, "x")
