"""Reading Signpost's own YAML data files (wording, rules, glossary): fast, and safe.

PyYAML's pure-Python loader took about a second of every cold start on the rules and features
files; libyaml's CSafeLoader (shipped in PyYAML's wheels) reads the same safe subset ~10x faster.
Files people add go through ingest's own limited loader instead, never this one.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, our own files
