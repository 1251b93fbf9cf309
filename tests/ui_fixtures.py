"""Fixtures for the app tests: a small real index of real notes, built once per session.

The whole corpus takes minutes to embed on a small machine; these notes cover every question the
app tests ask, every step of the process picture, and one extra note full of markup.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT, Settings

APP = REPO_ROOT / "ui" / "app.py"
NOTES = (
    "guidance/complaints-procedure.md",
    "guidance/complaints-timescales.md",
    "guidance/safety-plans.md",
    "guidance/child-in-need-plans.md",
    "guidance/declining-child-in-need.md",
    "guidance/referral-and-assessment.md",
    "guidance/strategy-discussions.md",
    "guidance/section-47-enquiries.md",
    "guidance/initial-child-protection-conference.md",
    "guidance/child-protection-plans-core-groups.md",
    "guidance/review-conferences.md",
    "guidance/ending-a-plan-step-down.md",
    "guidance/pre-proceedings-plo.md",
    "guidance/care-proceedings.md",
)
MARKUP_NOTE = """---
id: guidance/markup-test
title: Markup test <script>alert('title')</script>
kind: guidance
jurisdiction: england
legal_force: practice
reviewed: 2026-11-23
topics: [markup]
sources:
  - title: Example
    url: https://example.org/markup
---

In short: This note tests that text such as <script>alert('x')</script> and **stars** shows as written.

## What does a zebra-crossing notice say?

A zebra-crossing notice says <b>stop</b> and [click here](javascript:alert(1)) and :red[red] in plain words.
"""
BUILD = """
import sys
from pathlib import Path
from assistant.config import Settings
from assistant.embeddings import get_embedder
from assistant.store import open_store
from ingest.bootstrap import ensure_index
settings = Settings(home=Path(sys.argv[1]), corpus_dir=Path(sys.argv[2]))
with open_store(settings, get_embedder()) as store:
    summary = ensure_index(settings, store, get_embedder(), print)
assert summary is not None and summary.ok, summary
"""


def plain(markdown: str) -> str:
    """Markdown as it reads on screen: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def offline_env(home: Path, corpus: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SIGNPOST_HOME": str(home),
            "SIGNPOST_CORPUS": str(corpus),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    return env


@pytest.fixture(scope="session")
def ui_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(home, corpus) of a finished index over a few real notes; copy it before writing to it.

    Built in a child process so that no Chroma client in this process holds the files open.
    """
    root = tmp_path_factory.mktemp("ui-index")
    corpus = root / "corpus"
    for rel in NOTES:
        target = corpus / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / "corpus" / rel, target)
    (corpus / "guidance" / "markup-test.md").write_text(MARKUP_NOTE, "utf-8")
    shutil.copyfile(REPO_ROOT / "corpus" / "signposts.yaml", corpus / "signposts.yaml")
    home = root / "home"
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(home), str(corpus)],
        env=offline_env(home, corpus),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return home, corpus


def copy_home(ui_index: tuple[Path, Path], target: Path) -> Path:
    shutil.copytree(ui_index[0], target)
    return target


@pytest.fixture(scope="session")
def shared_ui_home(ui_index: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy that the read-only app tests share (so the app opens it once)."""
    return copy_home(ui_index, tmp_path_factory.mktemp("ui-shared") / "home")


@pytest.fixture
def app_settings(
    shared_ui_home: Path, ui_index: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Point the app at the shared small index through SIGNPOST_* variables."""
    monkeypatch.setenv("SIGNPOST_HOME", str(shared_ui_home))
    monkeypatch.setenv("SIGNPOST_CORPUS", str(ui_index[1]))
    return Settings.from_env(os.environ)


@pytest.fixture
def own_app_settings(
    ui_index: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A private copy of the small index, for tests that write (uploads, feedback)."""
    home = copy_home(ui_index, tmp_path / "home")
    monkeypatch.setenv("SIGNPOST_HOME", str(home))
    monkeypatch.setenv("SIGNPOST_CORPUS", str(ui_index[1]))
    return Settings.from_env(os.environ)
