"""A generated corpus of hostile and broken inputs: each gets its own message, the rest is indexed,
the index stays consistent, and a second run writes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.store import open_store
from ingest.pipeline import ingest_paths
from ingest.validation import IngestLimits
from tests.helpers import HTML, write_note, write_pdf
from tests.robustness_helpers import assert_consistent, snapshot

pytestmark = pytest.mark.slow

LIMITS = IngestLimits(max_file_bytes=300_000, max_chunks_per_file=40, max_chunk_chars=4000)
BODY = "\n\nIn short: a note.\n\n## A heading?\n\nSome body text for the note.\n"


def fm(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---" + BODY


def good(*extra: str) -> str:
    return fm("title: A title", "kind: guidance", *extra)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("title: *i")
    return fm(*lines)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    os.symlink(path.name, path)


def _dangling(path: Path) -> None:
    os.symlink(path.parent / "nowhere.md", path)


# (file name, how to make it, words its failure message must contain)
TEXT_CASES: list[tuple[str, str | bytes, str]] = [
    ("empty.md", b"", "the file is empty"),
    ("whitespace.md", "   \n\t\n  ", "only white space"),
    ("unicode-space.md", "\u00a0\u2003\n\u3000", "only white space"),
    ("control-only.md", "\x1b[31m\x07\x1b[0m", "only white space"),
    ("latin1.md", b"caf\xe9 au lait", "not UTF-8"),
    ("unterminated.md", "---\ntitle: Never closed\nSome text", "never closed"),
    ("bad-yaml.md", fm("title: [unclosed"), "not valid YAML"),
    ("yaml-list.md", fm("- one", "- two"), "must be a YAML mapping"),
    ("alias-bomb.md", billion_laughs(), "aliases"),
    ("python-tag.md", fm("title: !!python/object/apply:os.system ['echo hi']"), "not valid YAML"),
    ("huge-front-matter.md", fm("title: x", "topics: [" + ", ".join(["t"] * 40000) + "]"), "the limit is 65,536"),
    ("deep-nesting.md", fm("title: " + "[" * 5000 + "]" * 5000), "front matter"),
    ("number-key.md", fm("1: one", "title: ok"), "is not a word"),
    ("title-mapping.md", good().replace("title: A title", "title: {a: 1}"), "`title` must be text"),
    ("title-too-long.md", good().replace("title: A title", "title: " + "long " * 100), "`title` is"),
    ("title-empty.md", good().replace("title: A title", "title: '   '"), "`title` is empty"),
    ("legal-force-mapping.md", good("legal_force: {binding: true}"), "`legal_force` must be one of"),
    ("legal-force-unknown.md", good("legal_force: binding"), "`legal_force` must be one of"),
    ("kind-unknown.md", good().replace("kind: guidance", "kind: leaflet"), "`kind` must be one of"),
    ("jurisdiction-unknown.md", good("jurisdiction: france"), "`jurisdiction` must be one of"),
    ("reviewed-word.md", good("reviewed: yesterday"), "`reviewed` must be a date"),
    ("reviewed-number.md", good("reviewed: 5"), "`reviewed` must be a date"),
    ("sources-number.md", good("sources: 5"), "`sources` must be a list"),
    ("sources-item-text.md", good("sources: [just a string]"), "`sources[0]` must be an entry"),
    ("sources-url-js.md", good("sources:", "  - title: x", "    url: javascript:alert(1)"), "`sources[0].url` must be an http"),
    ("sources-title-list.md", good("sources:", "  - title: [a, b]", "    url: https://example.org"), "`sources[0].title` must be text"),
    ("topics-mapping.md", good("topics: {a: b}"), "`topics` must be a list"),
    ("topics-item-mapping.md", good("topics: [{a: b}]"), "`topics[0]` must be text"),
    ("id-traversal.md", good("id: ../../etc/passwd"), "`id` must look like"),
    ("id-mapping.md", good("id: {a: b}"), "`id` must be text"),
    ("asks-list.md", good("asks: [one, two]"), "`asks` must map"),
    ("asks-text.md", good("asks: {'A heading?': just one}"), "must be a list of phrasings"),
    ("asks-number.md", good("asks: {'A heading?': [5]}"), "must be non-empty text"),
    ("facts-mapping.md", good("facts_checked: {a: b}"), "`facts_checked` must be a list"),
    ("front-matter-only.md", "---\ntitle: Only fields\n---\n\n", "front matter but no text"),
    ("too-big.txt", "word " * 70_000, "the limit is 0.3 MB"),
    ("long-line.txt", "x" * 100_000, "without spaces or line breaks"),
    ("too-many-passages.txt", "\n\n".join(f"Paragraph {i}. " + "Some words about the process here. " * 25 for i in range(60)), "more than 40 passages"),
    ("no-main.html", "<html><body><nav>Only navigation</nav><script>x()</script></body></html>", "no readable text"),
    ("empty-posts.txt", "Title: t\nPost by A » 1 May 2026\n\nPost by B » 2 May 2026\n", "post headers but no post text"),
    ("broken.pdf", b"%PDF-1.7 truncated garbage", "could not be read"),
]
SPECIAL_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("pipe.md", _fifo, "not a regular file"),
    ("loop.md", _loop, "leads back to itself"),
    ("dangling.md", _dangling, "does not exist"),
    ("encrypted.pdf", lambda p: write_pdf(p, ["Secret page."], password="pw") and None, "password-protected"),
    ("blank.pdf", lambda p: write_pdf(p, [""]) and None, "no text that can be extracted"),
    ("zz-dup-id.md", lambda p: write_note(p.parent, "zz-dup-id", "Copy", "Another note.", "Same id?", "This note reuses the id of good-one.").write_text(
        (p.parent / "zz-dup-id.md").read_text("utf-8").replace("guidance/zz-dup-id", "guidance/good-one"), "utf-8"), "already uses"),
    ("same-content.md", lambda p: p.write_bytes((p.parent / "good-one.md").read_bytes()), "same content as"),
]
ODD_NAMES: list[tuple[bytes, str]] = [
    (b"bad-\xff-name.md", "not valid UTF-8"),
    (b"new\nline.md", "control characters"),
]


def _make_corpus(docs: Path) -> None:
    write_note(docs, "good-one", "Good one", "The first good note.", "Is this fine?", "Yes, this note is fine and should be indexed.")
    write_note(docs, "good-two", "Good two", "The second good note.", "Is this fine too?", "Yes, the second note is fine as well.")
    # YAML's own escapes put ESC and BEL into the title, as a pasted coloured title would.
    (docs / "ansi-title.md").write_text(fm('title: "\\e[31mRed\\e[0m title\\a"'), "utf-8")
    (docs / "js-canonical.html").write_text(HTML.replace("https://example.org/contact-centres", "javascript:alert(1)"), "utf-8")
    (docs / "empty-front-matter.md").write_text("---\n---\n# Plain note\n\nA plain note with empty front matter.\n", "utf-8")
    (docs / "README.md").write_text("# About this folder\n", "utf-8")
    (docs / "sub").mkdir()
    os.symlink(docs / "sub", docs / "linked-folder")
    for name, content, _ in TEXT_CASES:
        path = docs / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for name, make, _ in SPECIAL_CASES:
        make(docs / name)
    for raw, _ in ODD_NAMES:
        with open(os.path.join(os.fsencode(docs), raw), "wb") as fh:
            fh.write(b"---\ntitle: odd\n---\n\nText under an odd name.\n")


def test_every_bad_input_gets_its_own_message_the_rest_is_indexed_and_a_rerun_writes_nothing(tmp_path: Path, embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _make_corpus(docs)
    missing = tmp_path / "not-there"
    args = [docs, missing, docs / "pipe.md", docs / "loop.md"]
    with open_store(Settings(home=tmp_path / "home"), embedder) as store:
        first = ingest_paths(args, store, embedder, limits=LIMITS, wait_s=5)
        failures = first.failures
        expected = [(n, e) for n, _, e in TEXT_CASES] + [(n, e) for n, _, e in SPECIAL_CASES]
        kinds = len(expected) + len(ODD_NAMES) + 3  # + missing path, FIFO and loop given as arguments
        assert kinds >= 40
        for name, words in expected:
            mine = [r for p, r in failures if Path(p).name == name]
            assert mine and all(words in r for r in mine), (name, mine)
        for raw, words in ODD_NAMES:
            shown = raw.decode("utf-8", "backslashreplace")
            assert any(p.endswith(shown) and words in r for p, r in failures), (shown, failures)
        assert [r for p, r in failures if Path(p).name == "not-there"] == ["no such file or folder. Check the path."]
        assert not any("Traceback" in r for _, r in failures)
        assert any("README.md" in n and "skipped" in n for n in first.notes)
        assert any("linked-folder" in n for n in first.notes)

        chunks = store.all_chunks()
        docs_indexed = {c.doc_id for c in chunks}
        assert {"guidance/good-one", "guidance/good-two", "ansi-title", "js-canonical", "empty-front-matter"} <= docs_indexed
        assert not any(c.doc_id.endswith(("zz-dup-id", "same-content")) for c in chunks)
        titles = {c.title for c in chunks}
        assert "Red title" in titles and not any("\x1b" in t or "\x07" in t for t in titles)
        assert all(c.url is None or c.url.startswith("http") for c in chunks)
        assert_consistent(store)

        before = snapshot(store)
        again = ingest_paths(args, store, embedder, limits=LIMITS, wait_s=5)
        assert not again.wrote and (again.added, again.updated, again.deleted) == (0, 0, 0)
        assert sorted(again.failures) == sorted(failures)
        assert snapshot(store) == before


def test_a_bad_metadata_value_never_wedges_the_folder(tmp_path: Path, embedder) -> None:
    """legal_force as a mapping used to reach Chroma, fail mid-write and fail every later run."""
    docs = tmp_path / "docs"
    write_note(docs, "fine", "Fine", "Fine note.", "Is it fine?", "It is fine.")
    bad = write_note(docs, "wedge", "Wedge", "Bad value.", "Does it wedge?", "It must not.")
    bad.write_text(bad.read_text("utf-8").replace("legal_force: practice", "legal_force: {a: 1}"), "utf-8")
    with open_store(Settings(home=tmp_path / "home"), embedder) as store:
        first = ingest_paths([docs], store, embedder)
        assert [Path(p).name for p, _ in first.failures] == ["wedge.md"]
        assert "`legal_force`" in first.failures[0][1]
        assert_consistent(store)
        bad.write_text(bad.read_text("utf-8").replace("legal_force: {a: 1}", "legal_force: practice"), "utf-8")
        fixed = ingest_paths([docs], store, embedder)
        assert fixed.ok and fixed.added > 0
        assert {"guidance/fine", "guidance/wedge"} <= {c.doc_id for c in store.all_chunks()}
        assert_consistent(store)
