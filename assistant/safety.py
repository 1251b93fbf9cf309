"""Safety triage, re-exported from `assistant.triage` (normalise, rules, model, decision)."""

from assistant.triage import (
    RISKY,
    TriageModel,
    build_triage_model,
    rule_label,
    triage,
    triage_segments,
)

__all__ = ["RISKY", "TriageModel", "build_triage_model", "rule_label", "triage", "triage_segments"]
