"""Plain-text rendering of an answer for the terminal."""

from __future__ import annotations

import textwrap

from assistant.types import Answer, Citation

LABELS = {"safety": "SAFETY FIRST", "declined": "I CAN'T HELP WITH THIS", "not_found": "NOT IN THE GUIDANCE"}


def where(c: Citation) -> str:
    parts = [c.section or ""]
    if c.page is not None:
        parts.append(f"page {c.page}")
    return ", ".join(p for p in parts if p)


def format_answer(answer: Answer) -> str:
    lines: list[str] = []
    if answer.kind in LABELS:
        lines.append(f"** {LABELS[answer.kind]} **")
    lines.append(textwrap.fill(answer.text, 100))
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            meta = " | ".join(x for x in (c.legal_force, f"reviewed {c.reviewed}" if c.reviewed else "") if x)
            lines.append(f" [{c.n}] {c.title}" + (f" - {where(c)}" if where(c) else "") + (f" ({meta})" if meta else ""))
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
