"""The `signpost` command: parse arguments, build settings, call one library function each."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.config import Settings
from assistant.errors import SignpostError
from ui.batch import read_batch
from ui.eval_command import add_eval_arguments
from ui.textview import format_answer


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        os.environ,
        home=getattr(args, "home", None),
        chroma_url=getattr(args, "chroma_url", None),
        corpus_dir=getattr(args, "corpus", None),
        top_k=getattr(args, "k", None),
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _tqdm_progress() -> Callable[[int, int], None]:
    from tqdm import tqdm

    bar: dict[str, tqdm] = {}

    def update(done: int, total: int) -> None:
        if total == 0:
            return
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc="Embedding chunks", unit="chunk", file=sys.stderr)
        b = bar["bar"]
        b.update(done - b.n)
        if done >= total:
            b.close()

    return update


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.embeddings import get_embedder
    from assistant.store import open_store
    from ingest.pipeline import ingest_paths
    from ingest.validation import IngestLimits

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    embedder = get_embedder(settings.models_dir)
    with open_store(settings, embedder) as store:
        summary = ingest_paths(
            paths,
            store,
            embedder,
            chunk_tokens=settings.chunk_tokens,
            overlap=settings.chunk_overlap,
            progress=None if args.quiet else _tqdm_progress(),
            limits=IngestLimits.from_settings(settings),
            wait_s=settings.ingest_wait_s,
        )
    for note in summary.notes:
        _stderr(f"note: {note}")
    for path, reason in summary.failures:
        _stderr(f"FAILED {path}: {reason}")
    print(summary.line())
    return 0 if summary.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.contract import answer_to_json
    from assistant.embeddings import warm_in_background
    from assistant.service import open_assistant
    from ingest.bootstrap import build_index_if_needed

    settings = _settings(args)
    batch = read_batch(Path(args.batch)) if args.batch else None  # a bad path fails before models load
    warm_in_background(settings.models_dir)  # the model loads while Chroma is imported and opened
    build_index_if_needed(settings, _stderr)
    with open_assistant(settings) as assistant:
        if batch is not None:
            return _answer_batch(assistant, batch, answer_to_json)
        if not args.question:
            raise SignpostError("Give a question, e.g. signpost ask \"Is a safety plan legally binding?\"")
        answer = assistant.ask(" ".join(args.question))
        if args.json:
            print(json.dumps(answer_to_json(answer), ensure_ascii=False, indent=2))
        else:
            print(format_answer(answer))
    return 0


def _answer_batch(assistant, lines, answer_to_json) -> int:  # type: ignore[no-untyped-def]
    """One JSON object per line, in order; a bad line or a failed answer gets an error object."""
    failed = 0
    for line in lines:
        out: dict = line.error_object()
        if line.error is None:
            try:
                out = {"id": line.id, **answer_to_json(assistant.ask(line.question))}
            except SignpostError as exc:  # e.g. the Chroma server went away: say so, go on
                out = {**line.error_object(), "error": str(exc)}
            except Exception as exc:  # noqa: BLE001 - a bug on one line must not lose the rest
                out = {**line.error_object(), "error": f"internal error ({exc.__class__.__name__}: {exc})"}
        if line.warning:
            out["warning"] = line.warning
        failed += "error" in out
        print(json.dumps(out, ensure_ascii=False), flush=True)
    if failed:
        _stderr(f"signpost: {failed} of {len(lines)} batch lines failed (see their \"error\").")
    return 1 if failed else 0


def cmd_ui(args: argparse.Namespace) -> int:
    from ingest.bootstrap import build_index_if_needed

    settings = _settings(args)
    build_index_if_needed(settings, _stderr, _tqdm_progress())
    app = Path(__file__).with_name("app.py")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", args.address,
        "--server.port", str(args.port),
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "type",  # whatever the working folder: no stack traces
    ]
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    if args.home:
        env["SIGNPOST_HOME"] = str(args.home)
    if args.chroma_url:
        env["SIGNPOST_CHROMA_URL"] = args.chroma_url
    _stderr(f"Signpost is starting on http://{args.address}:{args.port}")
    return subprocess.call(cmd, env=env)


def cmd_eval(args: argparse.Namespace) -> int:
    from ui.eval_command import run_eval_command

    return run_eval_command(args, _settings(args))


def cmd_corpus_check(args: argparse.Namespace) -> int:
    from ingest.corpus_check import check_corpus

    settings = _settings(args)
    report = check_corpus(settings.corpus_dir)
    print(report.render())
    return 0 if report.ok else 1


def cmd_triage_eval(args: argparse.Namespace) -> int:
    from evals.triage import evaluate_triage

    settings = _settings(args)
    report = evaluate_triage(Path(args.cases) if args.cases else None, settings.models_dir)
    text = report.markdown()
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from assistant.feedback import FeedbackStore

    settings = _settings(args)
    n = FeedbackStore(settings.feedback_db).export_cases(Path(args.out))
    print(f"Wrote {n} draft eval cases to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", type=Path, help="data folder (SIGNPOST_HOME; default ~/.local/share/signpost)")
    common.add_argument("--chroma-url", help="Chroma server URL (SIGNPOST_CHROMA_URL); default: local index")
    common.add_argument("--corpus", type=Path, help="corpus folder (SIGNPOST_CORPUS)")
    parser = argparse.ArgumentParser(prog="signpost", description="Cited answers about children's social care in England.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="add or update documents in the index")
    p.add_argument("paths", nargs="*", help="files or folders (default: the corpus)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", parents=[common], help="ask a question")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true", help="print the CONTRACTS.md JSON")
    p.add_argument("--batch", help="JSONL file of {id, question}; prints one JSON object per line")
    p.add_argument("--k", type=int, help="passages to retrieve")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("ui", parents=[common], help="start the Streamlit app on 127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1")
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("eval", parents=[common], help="run an eval set and print metrics")
    add_eval_arguments(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("triage-eval", parents=[common], help="measure the safety triage on a labelled JSONL")
    p.add_argument("--cases", help="JSONL of {id, text, label, lookalike} (default: tests/data/triage_test.jsonl)")
    p.add_argument("--markdown", help="also write the report as markdown to this file")
    p.set_defaults(func=cmd_triage_eval)

    p = sub.add_parser("corpus", parents=[common], help="corpus tools")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    c = csub.add_parser("check", parents=[common], help="validate notes and print readability")
    c.set_defaults(func=cmd_corpus_check)

    p = sub.add_parser("feedback", parents=[common], help="feedback tools")
    fsub = p.add_subparsers(dest="feedback_command", required=True)
    f = fsub.add_parser("export", parents=[common], help="write flagged answers as draft eval cases")
    f.add_argument("--out", default="feedback-cases.jsonl")
    f.set_defaults(func=cmd_feedback_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SignpostError as exc:
        _stderr(f"signpost: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr("signpost: interrupted; the next `signpost ingest` finishes any ingest that was running.")
        return 130
    except OSError as exc:  # a path the person gave cannot be used: say which and why, no traceback
        _stderr(f"signpost: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, said plainly
        # No traceback reaches a person (non-negotiable 7); the error's type and words are enough
        # for a bug report, and `python -m ui.cli` under a debugger still shows the whole stack.
        _stderr(
            f"signpost: something went wrong inside Signpost ({exc.__class__.__name__}: {exc}). "
            "Nothing you typed was saved. Please report this, with the command you ran."
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
