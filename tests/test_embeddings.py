"""The ONNX Runtime embedder: same vectors as sentence-transformers, no torch, atomic export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import REPO_ROOT
from assistant.errors import ModelUnavailableError


def _varied_texts() -> list[str]:
    """Three dozen texts: one word to far past 256 word pieces, typographic quotes, numbers."""
    notes = sorted((REPO_ROOT / "corpus").rglob("*.md"))[:24]
    cuts = [15, 60, 200, 700, 1500, 6000]  # the last ones run well past 256 tokens: truncated
    texts = [p.read_text("utf-8")[: cuts[i % len(cuts)]] for i, p in enumerate(notes)]
    return texts + [
        "SS",
        "s47",
        "Is a safety plan legally binding?",
        "can they take my kids if i dont sign the CIN plan??",
        "Child Protection Conference – what’s the “threshold”?",
        "I'm worried 😟 about the ICPC next week",
        "Stage 2 complaint: 25 working days (up to 65).",
        "word " * 400,
        "\n\n",
        "A" * 50,
        "Über café naïve résumé",
        "PLO letter, legal aid, and the pre-proceedings meeting " * 20,
    ]


@pytest.mark.slow
def test_onnx_vectors_match_sentence_transformers(embedder) -> None:
    from assistant.onnx_export import reference_encode

    texts = _varied_texts()
    assert max(embedder.count_tokens(t) for t in texts) > 256  # truncation is exercised
    ours = embedder.encode(texts)
    ref = reference_encode(texts)
    assert ours.shape == ref.shape == (len(texts), 384)
    assert ours.dtype == np.float32
    assert float(np.abs(ours - ref).max()) < 1e-4
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_length_groups_cut_where_padding_costs_more_than_a_call() -> None:
    from itertools import combinations

    from assistant.embeddings import length_groups

    # A question's short clauses and its long search text: two runs, not one at 44 tokens.
    assert length_groups([6, 7, 9, 14, 44], most=32, call_cost=35) == [(0, 4), (4, 5)]
    # Similar lengths stay one run; `most` caps a run; nothing in, nothing out.
    assert length_groups([10, 11, 12], most=32, call_cost=35) == [(0, 3)]
    assert [end - start for start, end in length_groups([8] * 70, most=32, call_cost=35)] == [6, 32, 32]
    assert length_groups([], most=32, call_cost=35) == []

    def cost(lengths: list[int], runs: list[tuple[int, int]]) -> int:
        return sum(35 + (end - start) * lengths[end - 1] for start, end in runs)

    # Exact: no other way of cutting (checked by brute force) costs less.
    lengths = [3, 4, 9, 20, 21, 22, 60, 61, 120]
    found = length_groups(lengths, most=4, call_cost=35)
    assert [i for run in found for i in range(*run)] == list(range(len(lengths)))
    assert all(end - start <= 4 for start, end in found)
    best = None
    for k in range(len(lengths)):
        for cuts in combinations(range(1, len(lengths)), k):
            bounds = [0, *cuts, len(lengths)]
            runs = list(zip(bounds, bounds[1:], strict=False))
            if all(end - start <= 4 for start, end in runs):
                best = cost(lengths, runs) if best is None else min(best, cost(lengths, runs))
    assert cost(lengths, found) == best


@pytest.mark.slow
def test_batches_and_cache_give_the_same_vectors(embedder) -> None:
    texts = _varied_texts()
    whole = embedder.encode(texts)  # > 16 texts: one sorted, padded batch run
    one_by_one = np.stack([embedder.encode([t])[0] for t in texts])  # cached path, unpadded
    assert float(np.abs(whole - one_by_one).max()) < 1e-5
    again = embedder.encode(texts[:3])
    np.testing.assert_array_equal(again, one_by_one[:3])
    assert embedder.encode([]).shape == (0, 384)
    assert len(embedder.embed_query("hello")) == 384
    assert len(embedder.embed_documents(["a", "b"])) == 2


@pytest.mark.slow
def test_a_call_that_fills_the_cache_never_evicts_its_own_texts(embedder, monkeypatch) -> None:
    # A full cache, one of this call's texts cached and oldest: adding the missing ones used to
    # evict it before it was read back (KeyError in a long post's up-front embedding).
    monkeypatch.setattr(embedder, "cache_size", 3)
    embedder._cache.clear()
    embedder.encode(["old one", "old two", "old three"])
    got = embedder.encode(["old one", "new four", "new five"])
    assert got.shape == (3, 384)
    np.testing.assert_allclose(got[0], embedder._encode(["old one"])[0], atol=1e-5)
    assert len(embedder._cache) == 3


@pytest.mark.slow
def test_token_counts_match_the_transformers_tokenizer(embedder) -> None:
    from transformers import AutoTokenizer

    from assistant.embeddings import model_path

    hf = AutoTokenizer.from_pretrained(model_path())
    for text in _varied_texts():
        assert embedder.count_tokens(text) == len(hf(text)["input_ids"])
    assert embedder.count_tokens("") == 2  # [CLS] and [SEP]


@pytest.mark.slow
def test_splitter_cuts_where_the_transformers_tokenizer_did(embedder) -> None:
    """Same chunk boundaries as LangChain's from_huggingface_tokenizer, so ids do not change."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from transformers import AutoTokenizer

    from assistant.embeddings import model_path
    from ingest.chunking import SEPARATORS, build_splitter

    hf = AutoTokenizer.from_pretrained(model_path())
    old = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
        hf, chunk_size=200, chunk_overlap=30, separators=SEPARATORS, is_separator_regex=True, keep_separator="end"
    )
    new = build_splitter(embedder.tokenizer, 200, 30)
    for path in sorted((REPO_ROOT / "corpus").rglob("*.md"))[::4]:
        text = path.read_text("utf-8")
        assert new.split_text(text) == old.split_text(text), path.name


@pytest.mark.slow
def test_queries_do_not_import_torch(embedder) -> None:
    embedder.encode(["make sure the export exists"])
    code = (
        "import sys; from pathlib import Path; from assistant.embeddings import MiniLMEmbeddings; "
        f"e = MiniLMEmbeddings(Path({str(embedder.cache_dir)!r})); "
        "v = e.encode(['Is a safety plan legally binding?']); assert v.shape == (1, 384); "
        "bad = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]; "
        "assert not bad, bad"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and "Loading" not in run.stderr and "%|" not in run.stderr


def test_export_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import onnx_export

    calls = []

    def fake_export(out: Path, tuned: Path | None = None) -> None:
        calls.append(out)
        out.write_bytes(b"onnx")

    monkeypatch.setattr(onnx_export, "export_onnx", fake_export)
    folder = onnx_export.ensure_exported(tmp_path)
    assert (folder / onnx_export.MODEL_FILE).read_bytes() == b"onnx"
    assert onnx_export.ensure_exported(tmp_path) == folder  # reused, not exported again
    assert len(calls) == 1
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no temporary folder left


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import onnx_export

    def broken(out: Path, tuned: Path | None = None) -> None:
        out.write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(onnx_export, "export_onnx", broken)
    with pytest.raises(ModelUnavailableError, match="disk full"):
        onnx_export.ensure_exported(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_get_embedder_is_one_per_folder_and_lazy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import embeddings
    from assistant.embeddings import get_embedder

    monkeypatch.setattr(embeddings, "_EMBEDDERS", {})  # leave the session's embedder alone

    a = get_embedder(tmp_path / "m")
    assert get_embedder(tmp_path / "m") is a
    assert get_embedder() is not None
    assert not (tmp_path / "m").exists()  # nothing loads or exports until first use


@pytest.mark.slow
def test_the_triage_encoder_with_fine_tuned_layers_matches_torch(embedder) -> None:
    """The decline reader's encoder (assistant/data/triage_decline.npz over the packaged model's
    top layers, exported to ONNX once) gives the vectors torch gives with the same weights, cut at
    the same 64 tokens; and it is another model than the packaged one."""
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    from assistant.embeddings import get_tuned_encoder, model_path
    from assistant.triage.model import load_model_data

    spec = load_model_data()["decline_encoder"]
    path = REPO_ROOT / "assistant" / "data" / spec["file"]
    tuned = get_tuned_encoder(embedder.cache_dir, path, int(spec["max_tokens"]))
    texts = [
        "can i just say he was never here when she asks?",
        "How do I complain about my social worker?",
        "word " * 100,  # longer than 64 tokens: cut the same way
    ]
    got = tuned.encode(texts)
    bert = AutoModel.from_pretrained(model_path()).eval()
    state = bert.state_dict()
    with np.load(path) as weights:
        changed = [k for k in weights.files if k in state]
        for k in changed:
            state[k] = torch.from_numpy(weights[k].astype(np.float32))
    assert len(changed) == 48  # layers 3-5, sixteen tensors each
    bert.load_state_dict(state)
    tok = AutoTokenizer.from_pretrained(model_path())
    batch = tok(texts, padding=True, truncation=True, max_length=int(spec["max_tokens"]), return_tensors="pt")
    with torch.no_grad():
        hidden = bert(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    want = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    assert np.abs(got - want).max() < 1e-4
    assert np.abs(got - embedder.encode(texts)).max() > 0.05  # not the packaged model's vectors
