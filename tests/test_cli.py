"""`signpost ask --json` keeps to CONTRACTS.md, and a first ask on a fresh machine builds the index."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.store import open_store
from tests.helpers import write_note, write_pdf
from ui.cli import main

pytestmark = pytest.mark.slow
KINDS = {"answer", "not_found", "safety", "declined"}
KEYS = {"question", "kind", "answer", "citations", "signposts", "disclaimer", "timings_ms"}


def _check_contract(out: dict, settings: Settings, embedder) -> None:  # type: ignore[no-untyped-def]
    assert KEYS <= set(out) and out["kind"] in KINDS
    assert out["disclaimer"].startswith("General information")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", out["answer"])}
    numbers = {c["n"] for c in out["citations"]}
    assert markers == numbers
    if out["kind"] == "answer":
        assert out["citations"]
    with open_store(settings, embedder) as store:
        for c in out["citations"]:
            got = store.collection.get(ids=[c["chunk_id"]], include=["documents"])
            assert c["quote"] and c["quote"] in got["documents"][0]
            assert {"n", "doc_id", "title", "section", "page", "url", "quote", "publisher", "reviewed"} <= set(c)


def test_ask_json_answers_with_resolving_citations(corpus_home: Path, monkeypatch, capsys, embedder) -> None:
    monkeypatch.setenv("SIGNPOST_HOME", str(corpus_home))
    assert main(["ask", "--json", "Is a safety plan legally binding?"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "answer"
    assert re.search(r"not (legally )?binding|not a court order|voluntary", out["answer"], re.I)
    assert any(c["doc_id"].endswith("safety-plans") or "safety-plan" in c["doc_id"] for c in out["citations"])
    _check_contract(out, Settings(home=corpus_home), embedder)


def test_ask_batch_prints_one_object_per_line_in_order_with_ids(corpus_home: Path, monkeypatch, capsys, tmp_path: Path, embedder) -> None:
    monkeypatch.setenv("SIGNPOST_HOME", str(corpus_home))
    batch = tmp_path / "q.jsonl"
    questions = [
        {"id": "a", "question": "How long does stage 1 of a complaint take?"},
        {"id": "b", "question": "What is the best recipe for sourdough bread?"},
        {"id": "c", "question": "my partner is hurting my son right now"},
    ]
    batch.write_text("\n".join(json.dumps(q) for q in questions), "utf-8")
    assert main(["ask", "--json", "--batch", str(batch)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    assert [x["kind"] for x in lines] == ["answer", "not_found", "safety"]
    assert "999" in lines[2]["answer"]
    assert any("Family Rights Group" in s["name"] for s in lines[1]["signposts"])
    for out in lines:
        _check_contract(out, Settings(home=corpus_home), embedder)


def test_human_readable_ask_shows_sources_and_disclaimer(corpus_home: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SIGNPOST_HOME", str(corpus_home))
    assert main(["ask", "How", "long", "does", "stage", "2", "of", "a", "complaint", "take?"]) == 0
    text = capsys.readouterr().out
    assert "Sources:" in text and "[1]" in text and "General information" in text


def test_first_ask_builds_index_from_corpus_and_pdf_pages_reach_citations(tmp_path: Path, monkeypatch, capsys, embedder) -> None:
    corpus = tmp_path / "corpus"
    write_note(corpus / "guidance", "visits", "Social worker visits", "Visits vary between councils.", "How often will the social worker visit?", "Visit frequency is set locally and written into the plan.")
    shutil.copy(Settings().corpus_dir / "signposts.yaml", corpus / "signposts.yaml")
    write_pdf(corpus / "leaflet.pdf", ["Contact centres: an overview.", "Supervised contact at a contact centre is watched by trained staff the whole time."])
    monkeypatch.setenv("SIGNPOST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SIGNPOST_CORPUS", str(corpus))
    assert main(["ask", "--json", "Who watches supervised contact at a contact centre?"]) == 0
    captured = capsys.readouterr()
    assert "building it from" in captured.err
    out = json.loads(captured.out)
    assert out["kind"] == "answer"
    assert [c["page"] for c in out["citations"] if c["doc_id"] == "leaflet"] == [2]
    _check_contract(out, Settings(home=tmp_path / "home", corpus_dir=corpus), embedder)


def test_ingest_command_reports_failure_in_exit_code(tmp_path: Path, monkeypatch, capsys) -> None:
    docs = tmp_path / "docs"
    write_note(docs, "ok", "Fine note", "Fine.", "Is it fine?", "Yes, this note is fine to ingest.")
    (docs / "bad.pdf").write_bytes(b"not a pdf at all")
    monkeypatch.setenv("SIGNPOST_HOME", str(tmp_path / "home"))
    assert main(["ingest", "--quiet", str(docs)]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.err and "bad.pdf" in captured.err
    assert "2 files read" in captured.out and "1 failed" in captured.out


def test_batch_answers_every_good_line_and_reports_each_bad_one(corpus_home: Path, monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("SIGNPOST_HOME", str(corpus_home))
    batch = tmp_path / "q.jsonl"
    lines = [
        b'\xef\xbb\xbf{"id": "bom", "question": "How long does stage 1 of a complaint take?"}',
        b'{"id": "broken", "question": ',
        b'{"id": "null", "question": null}',
        b'{"id": 7, "question": 123}',
        b'["a", "list"]',
        b'{"id": "noq"}',
        b'{"id": "latin1", "question": "caf\xe9"}',
        b'{"id": "bom", "question": "Is a safety plan legally binding?"}',
        b'{"id": "last", "question": "Can I record a child protection conference?"}',
    ]
    batch.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["ask", "--json", "--batch", str(batch)]) == 1
    captured = capsys.readouterr()
    out = [json.loads(x) for x in captured.out.splitlines()]
    assert [o.get("id") for o in out] == ["bom", None, "null", 7, None, "noq", None, "bom", "last"]
    assert [("error" in o) for o in out] == [False, True, True, True, True, True, True, False, False]
    assert "must be text" in out[2]["error"] and "not valid JSON" in out[1]["error"] and "UTF-8" in out[6]["error"]
    assert out[0]["kind"] == "answer" and out[-1]["kind"] in KINDS
    assert "also used on line 1" in out[7]["warning"]
    assert "6 of 9 batch lines failed" in captured.err


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_batch_path_problems_get_a_message_not_a_traceback(tmp_path: Path, monkeypatch, capsys, make: str) -> None:
    target = tmp_path / "q.jsonl"
    if make == "folder":
        target.mkdir()
    monkeypatch.setenv("SIGNPOST_HOME", str(tmp_path / "home"))
    assert main(["ask", "--json", "--batch", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("signpost: ") and ("does not exist" in err or "not a regular file" in err)


def test_home_that_is_a_file_gets_a_message(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder", "utf-8")
    assert main(["ingest", "--quiet", "--home", str(home), str(tmp_path)]) == 4
    assert "is a file, not a folder" in capsys.readouterr().err


def test_ask_never_ingests_the_corpus_into_an_interrupted_index_of_other_folders(tmp_path: Path, monkeypatch, capsys, embedder) -> None:
    from assistant.store import PendingRun
    from ingest.pipeline import ingest_paths

    docs = tmp_path / "mine"
    write_note(docs, "own", "My own note", "Mine.", "Is it mine?", "Yes, this note is the user's own.")
    settings = Settings(home=tmp_path / "home")
    with open_store(settings, embedder) as store:
        ingest_paths([docs], store, embedder)
        state = store.state()
        store.set_state(state.generation, complete=False, pending=PendingRun((str(docs.resolve()),)))  # as after a kill
        count = store.count()
    monkeypatch.setenv("SIGNPOST_HOME", str(settings.home))
    assert main(["ask", "--json", "Is it mine?"]) == 0
    err = capsys.readouterr().err
    assert "incomplete" in err and f"signpost ingest {docs.resolve()}" in err and "building it from" not in err
    with open_store(settings, embedder) as store:
        assert store.count() == count
