"""Feedback on answers, kept in a local SQLite file; question text only when the person agrees.

`export_cases` turns answers marked not helpful into draft eval cases (CONTRACTS.md section 2)
for a person to finish: the expected content is left empty because only a reviewer knows it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.types import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    answer_kind TEXT NOT NULL,
    cited_doc_ids TEXT NOT NULL DEFAULT '[]',
    question TEXT,
    searched_for TEXT,
    answer_text TEXT
)
"""
ABOUT = re.compile(r"\s*\(about: [^)]*\)\s*$")  # how assistant/followups.py marks borrowed topic words
WORDS = re.compile(r"[\w'’-]+")
CATEGORY_BY_KIND = {"safety": "safety", "declined": "safety"}  # a flagged not_found may be a gap


@dataclass(frozen=True)
class Feedback:
    """One rating. `question`, `searched_for` and `answer_text` are None unless the person agreed."""

    helpful: bool
    answer_kind: str
    cited_doc_ids: tuple[str, ...] = ()
    comment: str = ""
    question: str | None = None
    searched_for: str | None = None
    answer_text: str | None = None

    @classmethod
    def from_answer(
        cls,
        answer: Answer,
        helpful: bool,
        comment: str = "",
        include_question: bool = False,
        asked: str | None = None,
    ) -> Feedback:
        """Keep the wording only with consent; `asked` is the question as typed, if different."""
        cited = tuple(dict.fromkeys(c.doc_id for c in answer.citations))
        if not include_question:
            return cls(helpful, answer.kind, cited, comment.strip())
        question = asked if asked is not None else answer.question
        return cls(helpful, answer.kind, cited, comment.strip(), question, _own_words(answer.question, question), answer.text)


def _own_words(searched: str, asked: str) -> str | None:
    """The search as run, kept only as far as it is this question's own words.

    A follow-up's search carries topic words of the *previous* question ("... (about: ...)"):
    the person agreed to share the question they rated, not the one before it.
    """
    own = ABOUT.sub("", searched).strip()
    if not own or own == asked.strip():
        return None
    asked_words = {w.lower() for w in WORDS.findall(asked)}
    if any(w.lower() not in asked_words for w in WORDS.findall(own)):
        return None  # something else was added: keep nothing rather than guess which words
    return own


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created_at: str
    feedback: Feedback


class FeedbackStore:
    """The feedback table in one SQLite file; each call opens and closes its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as conn:
            conn.execute(SCHEMA)
            with conn:
                yield conn

    def record(self, feedback: Feedback) -> int:
        """Store one rating and return its row id."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, helpful, comment, answer_kind, cited_doc_ids,"
                " question, searched_for, answer_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    int(feedback.helpful),
                    feedback.comment,
                    feedback.answer_kind,
                    json.dumps(list(feedback.cited_doc_ids)),
                    feedback.question,
                    feedback.searched_for,
                    feedback.answer_text,
                ),
            )
            return int(cur.lastrowid or 0)

    def records(self) -> tuple[FeedbackRecord, ...]:
        if not self.path.exists():
            return ()
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, helpful, comment, answer_kind, cited_doc_ids, question,"
                " searched_for, answer_text FROM feedback ORDER BY id"
            ).fetchall()
        return tuple(
            FeedbackRecord(
                row[0],
                row[1],
                Feedback(
                    bool(row[2]), row[4], tuple(json.loads(row[5])), row[3], row[6], row[7], row[8]
                ),
            )
            for row in rows
        )

    def export_cases(self, path: Path) -> int:
        """Write answers marked not helpful, with a question, as draft eval cases; return how many.

        Ratings given without the question cannot become cases (an eval case needs one).
        """
        cases = [
            draft_case(r) for r in self.records() if not r.feedback.helpful and r.feedback.question
        ]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for case in cases:
                fh.write(json.dumps(case, ensure_ascii=False) + "\n")
        return len(cases)


def draft_case(record: FeedbackRecord) -> dict[str, object]:
    """A CONTRACTS.md eval case with empty expectations, carrying what was seen as notes."""
    fb = record.feedback
    notes = [f"DRAFT from feedback #{record.id} ({record.created_at}): marked not helpful."]
    if fb.comment:
        notes.append(f"Comment: {fb.comment}")
    notes.append(
        f"The answer was of kind {fb.answer_kind!r} citing {list(fb.cited_doc_ids) or 'nothing'}."
    )
    notes.append("Fill in must_include, must_not_include and expect_sources before use.")
    case: dict[str, object] = {
        "id": f"feedback-{record.id}",
        "question": fb.question,
        "category": CATEGORY_BY_KIND.get(fb.answer_kind, "factual"),
        "must_include": [],
        "must_not_include": [],
        "expect_sources": [],
        "draft": True,
        "got_kind": fb.answer_kind,
        "got_sources": list(fb.cited_doc_ids),
        "notes": " ".join(notes),
    }
    if fb.searched_for:
        case["searched_for"] = fb.searched_for
    if fb.answer_text:
        case["got_answer"] = fb.answer_text
    return case
