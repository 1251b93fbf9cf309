"""`signpost eval`: open the assistant (and the peer), run the eval set, print and write reports.

The glue between the command line and `evals`: the evals package itself opens nothing and
builds no index, so it imports only `assistant`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings
from evals.cases import BLIND_FILE, CASES_FILE, SPLIT_CHOICES, EvalCase, load_eval_set

if TYPE_CHECKING:  # the runner, report and peer load langchain and numpy: only when run
    from evals.results import EvalResult

PEERS = ("naive",)


def add_eval_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--cases",
        help="an eval file in the CONTRACTS.md format "
        "(default: evals/cases.jsonl, plus evals/blind.jsonl when present)",
    )
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", dest="json_out", help="write the full results as JSON")
    p.add_argument("--markdown", dest="markdown_out", help="write a readable report")
    p.add_argument("--split", choices=SPLIT_CHOICES, default="all")
    p.add_argument("--peer", choices=PEERS, help="also run the naive LangChain RAG on the cases")
    p.add_argument("--check", action="store_true", help="exit 1 if any threshold fails")
    p.add_argument(
        "--show-blind-cases",
        action="store_true",
        help="also list the blind split's worst cases (off by default: reading them is tuning)",
    )
    p.add_argument("--thresholds", help="thresholds file (default evals/thresholds.yaml)")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(name: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            _stderr(f"{name}: evaluated {done}/{total}")

    return report


def _shown(path: Path) -> str:
    """The path relative to the working directory when it is below it (shorter in reports)."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _label(args: argparse.Namespace) -> str:
    if args.cases:
        files = [_shown(Path(args.cases))]
    else:
        files = [_shown(CASES_FILE)] if args.split != "blind" else []
        if args.split in ("all", "blind") and BLIND_FILE.is_file():
            files.append(_shown(BLIND_FILE))
    return f"{' + '.join(files)} (split: {args.split})"


def run_peer(
    args: argparse.Namespace, settings: Settings, cases: Sequence[EvalCase], k: int
) -> EvalResult:
    """Build the naive peer over the same corpus files and run the same cases through it."""
    from evals.peer import NAME, open_naive_peer
    from evals.runner import run_eval

    _stderr(f"Building the {NAME}'s index of {settings.corpus_dir} (takes a minute or two)...")
    with open_naive_peer(settings.corpus_dir) as peer:
        b = peer.build
        _stderr(f"{NAME}: {b.files} files, {b.chunks} chunks, built in {b.seconds:.0f} s")
        return run_eval(cases, peer, k, progress=_progress(NAME), label=_label(args), name=NAME)


def run_eval_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run the cases, print the tables, write JSON/markdown; 1 if --check finds a failure."""
    from assistant.service import open_assistant
    from evals.report import render_markdown, render_text, result_to_json
    from evals.runner import run_eval
    from evals.thresholds import DEFAULT_THRESHOLDS, check_thresholds, load_thresholds
    from ingest.bootstrap import build_index_if_needed

    cases = load_eval_set(args.split, args.cases)
    thresholds = load_thresholds(args.thresholds or DEFAULT_THRESHOLDS)
    k = int(args.k or settings.top_k)
    if settings.top_k != k:
        settings = dataclasses.replace(settings, top_k=k)
    build_index_if_needed(settings, _stderr)
    with open_assistant(settings) as assistant:
        result = run_eval(cases, assistant, k, progress=_progress("signpost"), label=_label(args))
    peer = run_peer(args, settings, cases, k) if args.peer else None
    checks = check_thresholds(result, thresholds)
    print(render_text(result, checks, peer, show_blind_cases=args.show_blind_cases))
    if args.json_out:
        data = result_to_json(result, checks, peer)
        Path(args.json_out).write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        _stderr(f"wrote {args.json_out}")
    if args.markdown_out:
        Path(args.markdown_out).write_text(
            render_markdown(result, checks, thresholds, peer=peer), "utf-8"
        )
        _stderr(f"wrote {args.markdown_out}")
    failed = [c for c in checks if c.failed]
    if args.check and failed:
        _stderr(f"{len(failed)} threshold(s) failed; see the table above.")
        return 1
    return 0
