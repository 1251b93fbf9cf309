"""`signpost corpus check` passes on the shipped corpus and catches each kind of problem."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.config import Settings
from ingest.corpus_check import check_corpus, flesch_reading_ease
from tests.helpers import write_note
from ui.cli import main


def test_shipped_corpus_passes_and_prints_readability(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SIGNPOST_CORPUS", str(Settings().corpus_dir))
    assert main(["corpus", "check"]) == 0
    out = capsys.readouterr().out
    assert "In short floor" in out and " 0 with problems" in out


def test_shipped_corpus_meets_size_targets() -> None:
    corpus = Settings().corpus_dir
    assert len(list((corpus / "guidance").glob("*.md"))) >= 40
    assert len(list((corpus / "qa").glob("*.md"))) >= 30


def test_flesch_orders_plain_above_dense_text() -> None:
    plain = "The plan is not a court order. You can ask for a review. Put it in writing."
    dense = "Notwithstanding contemporaneous interdisciplinary deliberations, administrative reconsideration necessitates documentation."
    assert flesch_reading_ease(plain) > 60 > flesch_reading_ease(dense)


def test_each_problem_is_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copy(Settings().corpus_dir / "signposts.yaml", tmp_path / "signposts.yaml")
    corpus.mkdir()
    shutil.copy(tmp_path / "signposts.yaml", corpus / "signposts.yaml")
    write_note(corpus / "guidance", "good", "Good", "This is fine. It is short.", "Is it fine?", "Yes. Call 0808 801 0366.")
    write_note(corpus / "guidance", "phone", "Phone", "Short and plain.", "Who to call?", "Call 0800 123 4567 today.")
    bad = corpus / "guidance" / "bad.md"
    bad.write_text("---\nid: guidance/good\ntitle: Bad\nkind: essay\njurisdiction: mars\nlegal_force: rumour\nreviewed: 2026-01-01\ntopics: [x]\nsources: []\n---\n\nNo summary and no headings.\n", "utf-8")
    (corpus / "guidance" / "nofm.md").write_text("Just text.\n", "utf-8")
    numeric = corpus / "guidance" / "numeric.md"
    write_note(corpus / "guidance", "numeric", "Numeric", "Short and plain.", "Is it fine?", "Yes it is.")
    numeric.write_text(numeric.read_text("utf-8").replace("    url: ", "    section: 5.3\n    url: ", 1), "utf-8")
    report = check_corpus(corpus)
    problems = {n.path: " | ".join(n.problems) for n in report.notes}
    assert not report.ok
    assert problems["guidance/good.md"] == "duplicate id (also in guidance/bad.md)"
    assert "0800 123 4567 is not in signposts.yaml" in problems["guidance/phone.md"]
    for expected in ("missing sources", "unknown kind", "unknown jurisdiction", "unknown legal_force", "no ## headings", "In short", "should be 'guidance/bad'"):
        assert expected in problems["guidance/bad.md"]
    assert problems["guidance/nofm.md"] == "no front matter"
    # what ingest would refuse is reported too (a section number YAML reads as a number)
    assert "sources[0].section` must be text" in problems["guidance/numeric.md"]
