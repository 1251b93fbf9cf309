"""Other processes and a dying server: a reader open across an outside ingest, two ingests at
once, a busy index, a server that never replies, and a server stopped and restarted mid-session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IndexBusyError, StoreUnavailableError
from assistant.store import open_store
from benchmarks.crash_trials import REPO, start_server, stop_server
from ingest.pipeline import ingest_paths
from tests.robustness_helpers import assert_consistent, tiny_corpus

pytestmark = pytest.mark.slow


def _cli(*args: str, home: Path, **extra_env: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SIGNPOST_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO), **extra_env}
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_reader_open_across_an_outside_ingest_sees_the_new_text_without_errors(tmp_path: Path, embedder) -> None:
    from assistant.service import open_assistant

    docs, home = tmp_path / "docs", tmp_path / "home"
    tiny_corpus(docs, 1)
    settings = Settings(home=home)
    with open_store(settings, embedder) as store:
        ingest_paths([docs], store, embedder)
    with open_assistant(settings) as assistant:
        before = assistant.ask("How long does beta take?")
        assert "ten working days" in before.text
        tiny_corpus(docs, 2)  # beta edited, delta deleted, epsilon added: by another process
        proc = _cli("ingest", "--quiet", str(docs), home=home)
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        for question in ("Who supervises contact?", "Can I get legal aid?", "When is the review?"):
            assistant.ask(question)  # no "Error finding id", no stale deleted note
        after = assistant.ask("How long does beta take?")
        assert "twenty working days" in after.text
        assert not any(c.doc_id == "guidance/delta" for c in assistant.store.all_chunks())


def test_two_ingests_on_a_fresh_home_at_once_both_finish_and_the_index_is_whole(tmp_path: Path, embedder) -> None:
    docs, home = tmp_path / "docs", tmp_path / "home"
    tiny_corpus(docs, 1)
    # Both must finish: the second waits for the first however slow this machine is today (the
    # default 15 s wait, and the "another ingest is running" message, are tested elsewhere).
    procs = [_cli("ingest", "--quiet", str(docs), home=home, SIGNPOST_INGEST_WAIT_S="300") for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert not any("delete" in err.lower() for _, err in results)
    with open_store(Settings(home=home), embedder) as store:
        assert_consistent(store)
        assert store.state().generation == 1  # the second found nothing to do
        assert {c.doc_id for c in store.all_chunks()} == {f"guidance/{s}" for s in ("alpha", "beta", "gamma", "delta")}


def test_a_second_writer_waits_then_says_another_ingest_is_running(tmp_path: Path, embedder) -> None:
    docs = tmp_path / "docs"
    tiny_corpus(docs, 1)
    with open_store(Settings(home=tmp_path / "home"), embedder) as store:
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.writer_lock():
                held.set()
                release.wait(30)

        t = threading.Thread(target=hold)
        t.start()
        held.wait(10)
        started = time.monotonic()
        with pytest.raises(IndexBusyError) as info:
            ingest_paths([docs], store, embedder, wait_s=0.5)
        release.set()
        t.join()
        assert time.monotonic() - started < 5
        assert "Another ingest is writing" in str(info.value) and "delete" not in str(info.value).lower()
        assert ingest_paths([docs], store, embedder).ok  # and once it is free, it runs


def test_a_server_that_accepts_but_never_replies_times_out_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the kernel; nothing ever answers
        port = silent.getsockname()[1]
        settings = Settings(home=tmp_path, chroma_url=f"http://127.0.0.1:{port}", store_timeout_s=1.0)
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError) as info:
            with open_store(settings):
                pass
        assert time.monotonic() - started < 10
        assert "no answer within 1 s" in str(info.value)


@pytest.mark.server
def test_a_server_stopped_mid_session_gives_a_message_and_the_session_recovers_when_it_returns(tmp_path: Path, embedder) -> None:
    from assistant.service import open_assistant

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "server-data"
    docs = tmp_path / "docs"
    tiny_corpus(docs, 1)
    settings = Settings(home=tmp_path / "home", chroma_url=f"http://127.0.0.1:{port}", store_timeout_s=3.0)
    proc = start_server(data, port)
    try:
        with open_store(settings, embedder) as store:
            ingest_paths([docs], store, embedder)
        with open_assistant(settings) as assistant:
            assert "ten working days" in assistant.ask("How long does beta take?").text
            stop_server(proc)
            started = time.monotonic()
            with pytest.raises(StoreUnavailableError) as info:
                assistant.ask("Who supervises contact?")
            assert time.monotonic() - started < 15
            assert "Chroma server" in str(info.value) and "running" in str(info.value)
            proc = start_server(data, port)
            assert "ten working days" in assistant.ask("How long does beta take?").text
    finally:
        stop_server(proc)
