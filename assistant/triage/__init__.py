"""Safety triage, run on every message before and independently of retrieval.

normalise (text and clauses) -> rules (precise, as data) -> model (logistic regression on
sentence embeddings) -> decision (per clause in context, then one label for the message).
"""

from assistant.triage.decision import RISKY, triage, triage_segments
from assistant.triage.model import TriageModel, build_triage_model
from assistant.triage.rules import rule_label

__all__ = ["RISKY", "TriageModel", "build_triage_model", "rule_label", "triage", "triage_segments"]
