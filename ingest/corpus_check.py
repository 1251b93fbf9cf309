"""`signpost corpus check`: front matter, sources, ids, headings, phone numbers, readability.

Readability is Flesch reading ease (assistant.readability: pyphen syllables, works offline), the
same measure the evals apply to answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import CorpusError, DocumentError
from assistant.readability import flesch_reading_ease
from assistant.signposts import load_signposts
from ingest.loaders import parse_front_matter, read_text
from ingest.validation import validate_front_matter

KINDS = {"guidance", "qa"}
JURISDICTIONS = {"england", "wales", "scotland", "northern-ireland", "uk"}
LEGAL_FORCES = {"statute", "statutory guidance", "local procedure", "practice", "charity advice"}
REQUIRED = ("id", "title", "kind", "jurisdiction", "legal_force", "sources", "reviewed", "topics")
SUMMARY_FLOOR = 50.0
# UK phone numbers as written in notes: 0808 801 0366, 0300 061 0614, 116 123, 999, 111.
PHONE = re.compile(r"(?<![\d.£-])(?:0\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}|116 ?\d{3}|999|111)(?![\d%-])")


@dataclass
class NoteReport:
    path: str
    note_id: str | None
    problems: list[str] = field(default_factory=list)
    summary_ease: float | None = None


@dataclass
class CorpusReport:
    notes: list[NoteReport]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems and all(not n.problems for n in self.notes)

    def render(self) -> str:
        lines = [f"{'note':55} {'In short ease':>13}  problems"]
        for n in self.notes:
            ease = f"{n.summary_ease:13.1f}" if n.summary_ease is not None else f"{'-':>13}"
            lines.append(f"{(n.note_id or n.path)[:55]:55} {ease}  {'; '.join(n.problems) or 'ok'}")
        lines += [f"CORPUS: {p}" for p in self.problems]
        bad = sum(1 for n in self.notes if n.problems) + len(self.problems)
        lines.append(f"{len(self.notes)} notes checked; {bad} with problems; In short floor {SUMMARY_FLOOR}")
        return "\n".join(lines)


def check_note(path: Path, corpus_dir: Path, phones: set[str]) -> NoteReport:
    report = NoteReport(str(path.relative_to(corpus_dir)), None)
    try:
        meta, body = parse_front_matter(path, read_text(path))
    except DocumentError as exc:
        report.problems.append(exc.reason)
        return report
    if not meta:
        report.problems.append("no front matter")
        return report
    report.note_id = str(meta.get("id"))
    try:
        # What ingest would refuse (a source's `section: 5.3` read by YAML as a number), so a note
        # that passes the check also ingests.
        validate_front_matter(path, meta)
    except DocumentError as exc:
        report.problems.append(exc.reason)
    for key in REQUIRED:
        if not meta.get(key):
            report.problems.append(f"missing {key}")
    expected_id = path.relative_to(corpus_dir).with_suffix("").as_posix()
    if meta.get("id") and meta["id"] != expected_id:
        report.problems.append(f"id {meta['id']!r} should be {expected_id!r} (its path)")
    if meta.get("kind") and meta["kind"] not in KINDS:
        report.problems.append(f"unknown kind {meta['kind']!r}")
    if meta.get("jurisdiction") and meta["jurisdiction"] not in JURISDICTIONS:
        report.problems.append(f"unknown jurisdiction {meta['jurisdiction']!r}")
    if meta.get("legal_force") and meta["legal_force"] not in LEGAL_FORCES:
        report.problems.append(f"unknown legal_force {meta['legal_force']!r}")
    sources = meta.get("sources") or []
    if not isinstance(sources, list) or any(not isinstance(s, dict) or not s.get("url") or not s.get("title") for s in sources):
        report.problems.append("each source needs a title and a url")
    if not re.search(r"^##\s+\S", body, re.MULTILINE):
        report.problems.append("no ## headings")
    summary = re.search(r"^In short:(.*?)(?:\n\s*\n|\n#)", body.strip() + "\n\n", re.DOTALL | re.MULTILINE)
    if not summary:
        report.problems.append('does not start with an "In short:" paragraph')
    else:
        report.summary_ease = round(flesch_reading_ease(summary.group(1)), 1)
        if report.summary_ease < SUMMARY_FLOOR:
            report.problems.append(f"In short reading ease {report.summary_ease} is below {SUMMARY_FLOOR}")
    for number in PHONE.findall(body):
        if number not in phones:
            report.problems.append(f"phone number {number} is not in signposts.yaml")
    return report


def check_corpus(corpus_dir: Path) -> CorpusReport:
    problems: list[str] = []
    try:
        phones = {c.phone for c in load_signposts(corpus_dir / "signposts.yaml") if c.phone}
    except CorpusError as exc:
        phones, problems = set(), [str(exc)]
    notes = [check_note(p, corpus_dir, phones) for p in sorted(corpus_dir.rglob("*.md"))]
    seen: dict[str, str] = {}
    for n in notes:
        if n.note_id and n.note_id in seen:
            n.problems.append(f"duplicate id (also in {seen[n.note_id]})")
        elif n.note_id:
            seen[n.note_id] = n.path
    if not notes:
        problems.append(f"no notes found in {corpus_dir}")
    return CorpusReport(notes, problems)
