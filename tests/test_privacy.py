"""Nothing tries to leave the machine: ingest, ask and the Streamlit page run with a socket guard.

The guard fails any DNS lookup or connect to a non-loopback address, and records the attempt so
the test can show what tried to go out.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from tests.helpers import write_note
from tests.ui_fixtures import app_settings, shared_ui_home, ui_index  # noqa: F401

pytestmark = pytest.mark.slow


def _is_loopback(host: object) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch):  # type: ignore[no-untyped-def]
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
            attempts.append(f"connect {address}")
            raise OSError(f"blocked by test: connect to {address}")
        return real_connect(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_loopback(host):
            attempts.append(f"dns {host}")
            raise socket.gaierror(f"blocked by test: lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


def test_guard_really_blocks_outbound(no_network) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert no_network


def test_ingest_and_ask_make_no_outbound_connection(no_network, tmp_path: Path, monkeypatch, capsys) -> None:
    from ui.cli import main

    docs = tmp_path / "docs"
    write_note(docs, "sar", "Seeing your file", "You can ask for your file.", "How long does a subject access request take?", "The council must reply within one month.")
    monkeypatch.setenv("SIGNPOST_HOME", str(tmp_path / "home"))
    assert main(["ingest", "--quiet", str(docs)]) == 0
    assert main(["ask", "--json", "How long does a subject access request take?"]) == 0
    assert '"kind": "answer"' in capsys.readouterr().out
    assert no_network == []


def test_question_text_is_not_written_to_disk(tmp_path: Path, monkeypatch, capsys) -> None:
    from ui.cli import main

    docs = tmp_path / "docs"
    write_note(docs, "sar", "Seeing your file", "You can ask for your file.", "How long does a subject access request take?", "The council must reply within one month.")
    home = tmp_path / "home"
    monkeypatch.setenv("SIGNPOST_HOME", str(home))
    assert main(["ingest", "--quiet", str(docs)]) == 0
    secret = "Zebracorn-4471 how long does a subject access request take"
    assert main(["ask", secret]) == 0
    capsys.readouterr()
    for path in home.rglob("*"):
        if path.is_file():
            assert b"Zebracorn-4471" not in path.read_bytes(), path


def test_streamlit_page_asks_and_answers_with_no_outbound_connection(no_network, app_settings) -> None:  # noqa: F811
    from streamlit.testing.v1 import AppTest

    from tests.ui_fixtures import APP, plain

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    at.chat_input[0].set_value("How long does stage 1 of a complaint take?").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("[1]" in plain(m.value) for m in at.markdown)
    assert no_network == []
