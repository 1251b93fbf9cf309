"""Real fixture documents made by the tests (PDFs with reportlab, HTML, forum threads, notes)."""

from __future__ import annotations

from pathlib import Path

NOTE = """---
id: guidance/{slug}
title: {title}
kind: guidance
jurisdiction: england
legal_force: practice
reviewed: 2026-11-23
topics: [test]
sources:
  - title: Example source
    url: https://example.org/{slug}
---

In short: {summary}

## {heading}

{body}
"""


def write_note(folder: Path, slug: str, title: str, summary: str, heading: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(NOTE.format(slug=slug, title=title, summary=summary, heading=heading, body=body), "utf-8")
    return path


def write_pdf(path: Path, pages: list[str], title: str = "Test leaflet", password: str | None = None) -> Path:
    """A real multi-page PDF with selectable text (reportlab, DejaVu-free built-in font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=password)
    c.setTitle(title)
    for text in pages:
        y = 800
        for line in text.split("\n"):
            c.drawString(50, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path


HTML = """<!doctype html><html><head><title>Contact centres explained</title>
<link rel="canonical" href="https://example.org/contact-centres">
<script>window.track = "SHOULD-NOT-APPEAR";</script><style>.x{color:red}</style></head>
<body><nav><a href="/">Home NAVLINK</a></nav>
<main><h1>Contact centres explained</h1>
<p>A child contact centre is a safe, neutral place where children can spend time with a parent.</p>
<h2>Who runs the sessions?</h2><p>Trained staff or volunteers watch the whole session and write a short note afterwards.</p>
</main><footer>FOOTERTEXT</footer></body></html>
"""

THREAD = """Title: Grandad wants to supervise contact
Post by WorriedMum » 3 March 2026, 9:14pm
Our SW said grandad could be the contact supervisor if he does the approval chat first. Is that normal?
Post by Adviser_K » 4 March 2026, 10:02am
Yes, family members are often asked to supervise. The supervisor usually meets the social worker, learns the rules of the plan, and agrees to report any breach.
"""
