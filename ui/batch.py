"""Reading `ask --batch` files: every line gets an outcome, a bad line never stops the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import SignpostError

MAX_BATCH_BYTES = 50 * 1024 * 1024  # ~100,000 questions; larger files are almost surely a mistake


@dataclass(frozen=True)
class BatchLine:
    """One non-blank line: a question to answer, or why it cannot be answered."""

    line_no: int
    id: Any = None
    question: str | None = None
    error: str | None = None
    warning: str | None = None

    def error_object(self) -> dict[str, Any]:
        return {"id": self.id, "line": self.line_no, "error": self.error}


def read_batch(path: Path) -> list[BatchLine]:
    """Parse a JSONL file of {"id", "question"} objects; a UTF-8 BOM on line 1 is fine."""
    if not path.exists():
        raise SignpostError(f"The batch file {path} does not exist. Check the path.")
    if not path.is_file():
        raise SignpostError(f"{path} is not a regular file. Give a JSONL file with one {{\"id\", \"question\"}} per line.")
    if path.stat().st_size > MAX_BATCH_BYTES:
        raise SignpostError(f"The batch file {path} is over {MAX_BATCH_BYTES // 2**20} MB. Split it into smaller files.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SignpostError(f"The batch file {path} could not be read ({exc.strerror or exc}).") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out: list[BatchLine] = []
    seen: dict[str, int] = {}
    for line_no, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        line = _parse(line_no, raw)
        if line.id is not None:
            key = json.dumps(line.id, sort_keys=True, default=str)
            if key in seen:
                line = BatchLine(
                    line.line_no, line.id, line.question, line.error,
                    f"the id {line.id!r} is also used on line {seen[key]}; ids should be unique.",
                )
            else:
                seen[key] = line_no
        out.append(line)
    return out


def _parse(line_no: int, raw: bytes) -> BatchLine:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BatchLine(line_no, error=f"line {line_no} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8.")
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        return BatchLine(line_no, error=f"line {line_no} is not valid JSON ({exc.msg} at column {exc.colno}).")
    if not isinstance(item, dict):
        return BatchLine(line_no, error=f"line {line_no} must be a JSON object like {{\"id\": \"q1\", \"question\": \"...\"}}.")
    ident = item.get("id")
    question = item.get("question")
    if "question" not in item:
        return BatchLine(line_no, ident, error=f"line {line_no} has no \"question\".")
    if not isinstance(question, str):
        got = "null" if question is None else type(question).__name__
        return BatchLine(line_no, ident, error=f"line {line_no}: \"question\" must be text (got {got}).")
    return BatchLine(line_no, ident, question)
