"""Every triage rule in assistant/data/triage_rules.yaml fires on the examples it exists for and
leaves its near-misses alone; every rule earns its place with at least one example."""

from __future__ import annotations

import pytest

from assistant.triage.rules import load_rules, prepare, rule_hits

RULES = load_rules().rules


def _fired(text: str) -> set[str]:
    return {h.rule.name for h in rule_hits(prepare(text))}


@pytest.mark.parametrize(
    ("name", "example"),
    [(r.name, e) for r in RULES for e in r.examples],
)
def test_rule_fires_on_its_examples(name: str, example: str) -> None:
    assert name in _fired(example)


@pytest.mark.parametrize(
    ("name", "near_miss"),
    [(r.name, e) for r in RULES for e in r.near_misses],
)
def test_rule_leaves_its_near_misses_alone(name: str, near_miss: str) -> None:
    assert name not in _fired(near_miss)


def test_every_rule_has_an_example_and_a_unique_name() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert [r.name for r in RULES if not r.examples] == []


def test_no_data_file_repeats_a_key() -> None:
    """YAML keeps the last of two equal keys without a word: a second `near_misses:` once hid a
    rule's examples. Every data file the assistant reads is checked for repeated keys."""
    from pathlib import Path

    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(k) for k, _ in node.value]
        repeated = {k for k in keys if keys.count(k) > 1}
        assert not repeated, f"repeated keys {repeated} at line {node.start_mark.line + 1}"
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    root = Path(__file__).resolve().parent.parent
    files = [*sorted((root / "assistant" / "data").glob("*.yaml")), *sorted((root / "corpus").glob("*.yaml"))]
    assert len(files) >= 8
    for path in files:
        yaml.load(path.read_text("utf-8"), Loader=Strict)  # noqa: S506 - a SafeLoader subclass
