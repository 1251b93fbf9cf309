"""Signpost's own fixed wording (corpus/policy.yaml): safety texts, refusals, honesty notices."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.datafiles import load_yaml
from assistant.errors import CorpusError

REQUIRED = (
    "emergency",
    "emergency_now",
    "same_as_above",
    "declined_see_above",
    "own_thoughts",
    "declined",
    "not_found",
    "outside",
    "individual",
    "prediction_notice",
    "other_nation",
    "other_nation_pointer",
    "individual_process",
    "more_questions",
    "empty",
    "family_member_support",
)


@dataclass(frozen=True)
class Policy:
    """The fixed texts by name; `{key}` placeholders are filled from the signposts list."""

    texts: tuple[tuple[str, str], ...]

    def text(self, name: str, **values: str) -> str:
        raw = dict(self.texts)[name]
        for key, value in values.items():
            raw = raw.replace("{" + key + "}", value)
        return raw


def load_policy(path: Path) -> Policy:
    try:
        raw = load_yaml(path.read_text("utf-8")) or {}
    except FileNotFoundError as exc:
        raise CorpusError(
            f"The wording file {path} is missing; restore corpus/policy.yaml."
        ) from exc
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path} is not valid YAML ({exc}).") from exc
    texts = raw.get("texts") if isinstance(raw, dict) else None
    missing = [
        k for k in REQUIRED if not isinstance(texts, dict) or not isinstance(texts.get(k), str)
    ]
    if missing:
        raise CorpusError(
            f"{path} lacks the text(s) {', '.join(missing)}; restore corpus/policy.yaml."
        )
    assert isinstance(texts, dict)
    return Policy(tuple((str(k), " ".join(str(v).split())) for k, v in texts.items()))
