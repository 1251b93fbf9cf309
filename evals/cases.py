"""Eval cases: load a JSONL file in the CONTRACTS.md format and check every line before a run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import SignpostError

CATEGORIES = ("factual", "procedural", "signposting", "unanswerable", "safety")
KINDS = ("answer", "not_found", "safety", "declined")
DEFAULT_KINDS: dict[str, tuple[str, ...]] = {
    "unanswerable": ("not_found",),
    "safety": ("safety", "declined"),
    "factual": ("answer",),
    "procedural": ("answer",),
    "signposting": ("answer",),
}
KNOWN_KEYS = frozenset(
    {
        "id",
        "question",
        "category",
        "must_include",
        "must_not_include",
        "expect_kind",
        "expect_sources",
        "split",
        "style",
    }
)


class CaseFileError(SignpostError):
    """An eval case file cannot be used; the message names the file and line."""

    exit_code = 2


@dataclass(frozen=True)
class EvalCase:
    """One question with what its answer must (and must not) contain."""

    id: str
    question: str
    category: str
    must_include: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()
    expect_kinds: tuple[str, ...] = ("answer",)
    expect_sources: tuple[str, ...] = ()
    split: str | None = None
    style: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def answerable(self) -> bool:
        """Cases that should be answered from the corpus (retrieval is scored on these)."""
        return "answer" in self.expect_kinds


def parse_case(obj: Any, where: str = "case") -> EvalCase:
    """Validate one decoded JSON object; `where` (e.g. "cases.jsonl line 4") starts each error."""
    if not isinstance(obj, dict):
        raise CaseFileError(f"{where}: expected a JSON object, got {type(obj).__name__}.")
    for key in ("id", "question", "category"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise CaseFileError(f"{where}: {key!r} is missing or not a non-empty string.")
    category = obj["category"]
    if category not in CATEGORIES:
        raise CaseFileError(
            f"{where}: unknown category {category!r}; use one of {', '.join(CATEGORIES)}."
        )
    must_include = _patterns(obj.get("must_include"), "must_include", where)
    must_not_include = _patterns(obj.get("must_not_include"), "must_not_include", where)
    expect_sources = _strings(obj.get("expect_sources"), "expect_sources", where)
    raw_kind = obj.get("expect_kind")
    if raw_kind is None:
        kinds = DEFAULT_KINDS[category]
    else:
        kinds = _strings(raw_kind, "expect_kind", where)
        bad = [k for k in kinds if k not in KINDS]
        if bad or not kinds:
            raise CaseFileError(
                f"{where}: expect_kind {raw_kind!r} is not one of {', '.join(KINDS)}."
            )
    split = obj.get("split")
    style = obj.get("style")
    for key, value in (("split", split), ("style", style)):
        if value is not None and not isinstance(value, str):
            raise CaseFileError(f"{where}: {key!r} must be a string when given.")
    extra = tuple((k, v) for k, v in obj.items() if k not in KNOWN_KEYS)
    return EvalCase(
        id=obj["id"],
        question=obj["question"],
        category=category,
        must_include=must_include,
        must_not_include=must_not_include,
        expect_kinds=kinds,
        expect_sources=expect_sources,
        split=split,
        style=style,
        extra=extra,
    )


def parse_lines(lines: Iterable[str], name: str = "cases") -> tuple[EvalCase, ...]:
    """Parse JSONL text line by line; blank lines are skipped, ids must be unique."""
    cases: list[EvalCase] = []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name} line {line_no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CaseFileError(
                f"{where} is not valid JSON ({exc.msg} at column {exc.colno})."
            ) from exc
        case = parse_case(obj, where)
        if case.id in seen:
            raise CaseFileError(
                f"{where}: id {case.id!r} is already used on line {seen[case.id]}; "
                "ids must be unique."
            )
        seen[case.id] = line_no
        cases.append(case)
    if not cases:
        raise CaseFileError(f"{name} holds no eval cases.")
    return tuple(cases)


def load_cases(path: Path | str) -> tuple[EvalCase, ...]:
    """Read and validate a JSONL eval file; errors name the line at fault."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise CaseFileError(f"The eval cases file {path} does not exist; check --cases.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"Could not read the eval cases file {path} ({exc}).") from exc
    return parse_lines(text.splitlines(), str(path))


def select_split(cases: Sequence[EvalCase], split: str) -> tuple[EvalCase, ...]:
    """The cases of one split ("dev", "heldout"), or all of them for "all"."""
    if split == "all":
        return tuple(cases)
    chosen = tuple(c for c in cases if c.split == split)
    if not chosen:
        raise CaseFileError(f'No eval case has "split": {split!r}; use --split all.')
    return chosen


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CaseFileError(f"{where}: {key!r} must be a string or a list of strings.")
    return tuple(value)


def _patterns(value: Any, key: str, where: str) -> tuple[str, ...]:
    patterns = _strings(value, key, where)
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise CaseFileError(
                f"{where}: {key}[{i}] {pattern!r} is not a valid regular expression ({exc})."
            ) from exc
    return patterns
