"""Eval cases: load JSONL files in the CONTRACTS.md format, check every line, choose a split.

The project's own set is two files: evals/cases.jsonl (splits `dev`, tuned against, and
`heldout`) and evals/blind.jsonl (split `blind`, written by someone who never saw the answers,
never tuned against; it may be absent). Any other file in the format runs with `--cases FILE`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import SignpostError

EVALS_DIR = Path(__file__).resolve().parent
CASES_FILE = EVALS_DIR / "cases.jsonl"
BLIND_FILE = EVALS_DIR / "blind.jsonl"
BLIND = "blind"
SPLIT_CHOICES = ("all", "dev", "heldout", BLIND)

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
        "parts",
    }
)


class CaseFileError(SignpostError):
    """An eval case file cannot be used; the message names the file and line."""

    exit_code = 2


@dataclass(frozen=True)
class EvalPart:
    """One of the questions in a long message, with the key facts its answer needs."""

    ask: str
    must_include: tuple[str, ...]


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
    parts: tuple[EvalPart, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def answerable(self) -> bool:
        """Cases that should be answered from the corpus (retrieval is scored on these)."""
        return "answer" in self.expect_kinds


def parse_case(obj: Any, where: str = "case", default_split: str | None = None) -> EvalCase:
    """Validate one decoded JSON object; `where` (e.g. "cases.jsonl line 4") starts each error.

    `default_split` is the split of a case that names none (the blind file's cases are `blind`).
    """
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
        kinds = _kinds(raw_kind, where)
        bad = [k for k in kinds if k not in KINDS]
        if bad or not kinds:
            raise CaseFileError(
                f"{where}: expect_kind {raw_kind!r} is not one of {', '.join(KINDS)}."
            )
    split = obj.get("split", default_split)
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
        parts=_parts(obj.get("parts"), where),
        extra=extra,
    )


def parse_lines(
    lines: Iterable[str], name: str = "cases", default_split: str | None = None
) -> tuple[EvalCase, ...]:
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
        case = parse_case(obj, where, default_split)
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


def load_cases(path: Path | str, default_split: str | None = None) -> tuple[EvalCase, ...]:
    """Read and validate a JSONL eval file; errors name the line at fault."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise CaseFileError(f"The eval cases file {path} does not exist; check --cases.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"Could not read the eval cases file {path} ({exc}).") from exc
    return parse_lines(text.splitlines(), str(path), default_split)


def load_eval_set(
    split: str = "all",
    cases_file: Path | str | None = None,
    blind_file: Path | str = BLIND_FILE,
) -> tuple[EvalCase, ...]:
    """The cases of one split ("all" for every one) from `cases_file`, or by default from
    evals/cases.jsonl plus the blind file (split `blind`) when that exists."""
    if cases_file is not None:
        return select_split(load_cases(cases_file), split)
    blind_path = Path(blind_file)
    if split == BLIND and not blind_path.is_file():
        raise CaseFileError(
            f"The blind set {blind_path} does not exist yet; run --split dev, heldout or all."
        )
    cases: list[EvalCase] = []
    if split != BLIND:
        cases += load_cases(CASES_FILE)
    if split in ("all", BLIND) and blind_path.is_file():
        cases += load_cases(blind_path, default_split=BLIND)
    seen = {c.id for c in cases if c.split != BLIND}
    clash = sorted(c.id for c in cases if c.split == BLIND and c.id in seen)
    if clash:
        raise CaseFileError(
            f"{blind_path} reuses ids of {CASES_FILE.name}: {', '.join(clash[:5])}; "
            "ids must be unique across the eval set."
        )
    return select_split(cases, split)


def select_split(cases: Sequence[EvalCase], split: str) -> tuple[EvalCase, ...]:
    """The cases of one split ("dev", "heldout"), or all of them for "all"."""
    if split == "all":
        return tuple(cases)
    chosen = tuple(c for c in cases if c.split == split)
    if not chosen:
        raise CaseFileError(f'No eval case has "split": {split!r}; use --split all.')
    return chosen


def _kinds(value: Any, where: str) -> tuple[str, ...]:
    """expect_kind as a string with `|` alternatives ("answer|declined") or a list of them."""
    kinds = _strings(value, "expect_kind", where)
    return tuple(dict.fromkeys(k.strip() for alt in kinds for k in alt.split("|")))


def _parts(value: Any, where: str) -> tuple[EvalPart, ...]:
    """`parts`: a list of {"ask": str, "must_include": [regex, ...]}, each with a fact to find."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CaseFileError(f"{where}: 'parts' must be a list of {{ask, must_include}} objects.")
    parts: list[EvalPart] = []
    for i, raw in enumerate(value):
        at = f"{where}: parts[{i}]"
        if not isinstance(raw, dict):
            raise CaseFileError(f"{at} must be an object with 'ask' and 'must_include'.")
        ask = raw.get("ask")
        if not isinstance(ask, str) or not ask.strip():
            raise CaseFileError(f"{at}: 'ask' is missing or not a non-empty string.")
        patterns = _patterns(raw.get("must_include"), "must_include", at)
        if not patterns:
            raise CaseFileError(f"{at}: give at least one must_include pattern for this part.")
        parts.append(EvalPart(ask=ask, must_include=patterns))
    return tuple(parts)


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
