"""The one-way dependency rule and 'nothing else reads os.environ' hold across the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "assistant": set(),
    "ingest": {"assistant"},
    "evals": {"assistant"},  # ui/eval_command.py builds the index and opens the targets
    "ui": {"assistant", "ingest", "evals"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_packages_only_import_what_they_may() -> None:
    bad = []
    for package, allowed in ALLOWED.items():
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path) & set(ALLOWED):
                if name != package and name not in allowed:
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def test_evals_import_neither_ui_nor_ingest_even_lazily() -> None:
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "evals").rglob("*.py")
        for name in _imports(path) & {"ui", "ingest"}
    ]
    assert found == []


def test_only_the_faces_and_settings_read_the_environment() -> None:
    readers = []
    for package in ALLOWED:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text("utf-8")
            if "os.environ" in text or "os.getenv" in text:
                readers.append(path.relative_to(ROOT).as_posix())
    # embeddings.py only *sets* the hub-offline flags before loading the local model.
    assert {r for r in readers if not r.startswith("ui/")} <= {"assistant/embeddings.py"}
