"""The same path against a real Chroma server on loopback, and a clear error when it is down."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.chroma_client import EF_SEARCH
from assistant.config import Settings
from assistant.errors import StoreUnavailableError
from assistant.store import open_store
from ingest.pipeline import ingest_paths
from tests.helpers import write_note

pytestmark = [pytest.mark.server, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_ask_against_a_chroma_server(chroma_server: str, tmp_path: Path, embedder) -> None:
    from assistant.service import open_assistant

    docs = tmp_path / "docs"
    write_note(docs, "records", "Seeing your file", "You can ask for your records.", "How long does a subject access request take?", "The council must reply within one month of a subject access request.")
    settings = Settings(home=tmp_path / "home", chroma_url=chroma_server)
    with open_store(settings, embedder) as store:
        first = ingest_paths([docs], store, embedder)
        again = ingest_paths([docs], store, embedder)
        hnsw = store.collection.configuration["hnsw"]
    assert hnsw["space"] == "cosine" and hnsw["ef_search"] == EF_SEARCH  # the server kept our search width
    assert first.added > 0 and again.added == 0 and again.unchanged == first.added
    assert not (tmp_path / "home" / "index").exists()  # nothing went to the local index
    with open_assistant(settings) as assistant:
        answer = assistant.ask("How long does a subject access request take?")
    assert answer.kind == "answer" and "one month" in answer.text


def test_down_server_gives_an_actionable_message(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StoreUnavailableError) as info:
        with open_store(settings):
            pass
    message = str(info.value)
    assert "Could not reach the Chroma server" in message and "SIGNPOST_CHROMA_URL" in message
