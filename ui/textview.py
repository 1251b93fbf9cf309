"""Plain-text rendering of an answer for the terminal.

The preface first, then each part under its restated question ("1. <ask>") when there are
several, then notices, the sources numbered once for the whole answer, who can help, and the
fixed notice.
"""

from __future__ import annotations

import textwrap

from assistant.types import Answer, Citation
from ui.answer_layout import answer_parts, part_heading, shown_notices

LABELS = {
    "safety": "SAFETY FIRST",
    "declined": "I CAN'T HELP WITH THIS",
    "not_found": "NOT IN THE GUIDANCE",
}
WIDTH = 100


def where(c: Citation) -> str:
    parts = [c.section or ""]
    if c.page is not None:
        parts.append(f"page {c.page}")
    return ", ".join(p for p in parts if p)


def _fill(text: str) -> str:
    """Each paragraph wrapped on its own, blank lines between them kept."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(textwrap.fill(p, WIDTH) for p in paragraphs)


def answer_lines(answer: Answer) -> list[str]:
    """The words of the answer: preface, parts (headed when several), notices."""
    blocks: list[str] = []
    if answer.preface:
        blocks.append(_fill(answer.preface))
    parts = answer_parts(answer)
    for number, part in enumerate(parts, start=1):
        body = _fill(part.text)
        blocks.append(f"{part_heading(number, part)}\n{body}" if len(parts) > 1 else body)
    blocks += [_fill(n) for n in shown_notices(answer)]
    return "\n\n".join(b for b in blocks if b).split("\n")


def format_answer(answer: Answer) -> str:
    lines: list[str] = []
    if answer.kind in LABELS:
        lines.append(f"** {LABELS[answer.kind]} **")
    lines += answer_lines(answer)
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            meta = " | ".join(
                x for x in (c.legal_force, f"reviewed {c.reviewed}" if c.reviewed else "") if x
            )
            lines.append(
                f" [{c.n}] {c.title}"
                + (f" - {where(c)}" if where(c) else "")
                + (f" ({meta})" if meta else "")
            )
            lines.append(textwrap.indent(textwrap.fill(f'"{c.quote}"', 94), "     "))
            if c.url:
                lines.append(f"     {c.url}")
    if answer.expanded_terms:
        lines += ["", "Terms: " + "; ".join(f"{t} = {m}" for t, m in answer.expanded_terms)]
    if answer.signposts:
        lines += ["", "Help:"]
        for s in answer.signposts:
            contact = ", ".join(x for x in (s.phone, s.url) if x)
            lines.append(f" - {s.name}: {contact}" + (f" ({s.hours})" if s.hours else ""))
    lines += ["", "-" * 60, answer.disclaimer]
    return "\n".join(lines)
