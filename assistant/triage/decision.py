"""The verdict for a message: rules per clause (in context) and the model over the whole message,
then one label.

Any emergency makes the message an emergency; else first-person sexual thoughts make it
own_thoughts; else an evasive ask makes it decline; else none. Rules decide where they fire; the
model adds a label when its probability for the message reaches that label's threshold. The
caller still answers the other questions in the message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

import numpy as np

from assistant.errors import ConfigError
from assistant.text import word_count
from assistant.triage.model import (
    CLASSES,
    TriageModel,
    TunedReader,
    load_signals,
    unit_inputs,
)
from assistant.triage.normalise import model_clauses, normalise
from assistant.triage.rules import PRIORITY, ModelGuard, RuleBook, load_rules, prepare, rule_hits
from assistant.types import Triage, TriageLabel

RISKY: tuple[TriageLabel, ...] = ("emergency", "own_thoughts", "decline")
# Words of harming oneself: an emergency the regression reads in such a message stays one, even if
# the fine-tuned reader also reads own thoughts ("looking at the knives thinking about using one on
# myself... I don't trust myself": dev t18-022).
_SELF_HARM = re.compile(
    r"\b(?:myself|suicid\w*|kill me|end it|end my life|overdose|pills|tablets|knife|knives|rope|bridge|not wake up)\b"
)
# An emergency only the regression reads gives way to an evasive ask a rule reads only below this
# score, and never with words of self-harm or farewell: the twenty-fifth and twenty-fourth writers'
# evasion asks scored 0.59-0.86 as emergencies (t24-027, t24-144, t23-156), while a mother's
# goodbye at contact "without them knowing" scored 0.97 (t13-055) and must stay an emergency.
EVASION_OVER_EMERGENCY = 0.9
_FAREWELL = re.compile(r"\b(?:goodbye|good bye|won'?t be (?:here|around)|not be here|end it all|last time)\b")
# A 3,000-word post has ~200 clauses. Beyond this many, the model reads the clauses that carry
# the most risk signals (child, sexual, harm, concealment, now, first person), so the one
# embedding batch stays near 48 x ~30 tokens, which is what fits 500 ms on two CPU cores; the
# rules still read every clause. The longest training post has fewer clauses than this.
MAX_CLAUSES = 48


# Long posts (background, then questions) pool many clauses full of frightening words. Measured
# out of fold by writer for the multiple-instance model (2026-11-27, 333 training posts of 150+
# words): no benign long post reached the emergency threshold (highest 0.44), and 16 of the 33
# long emergencies the rules miss scored 0.9 or more, 10 of them 0.95 or more. A long dev post
# about a past breach (d-long-007) scored 0.89, so an emergency the model alone finds in a long
# post below LONG_POST_SURE is kept but marked not certain: the answer opens with a one-line 999
# check and still answers everything, rather than treating the writer as in crisis. Own thoughts
# on a long post need more: at 0.98 no benign long post is flagged out of fold (one was at 0.96,
# 12 of the 29 the rules miss are caught), and the person on a plan writing about his own past
# arrest and asking about contact (d-long-020, 0.96) is answered, as the issue asks.
LONG_POST_WORDS = 150
LONG_POST_SURE = 0.95
LONG_POST_THRESHOLDS = {"own_thoughts": 0.98}

def triage_segments(message: str) -> list[str]:
    """The texts the model embeds for `message`, in the one batch `triage` asks for."""
    text = load_rules().strip.sub(" ", normalise(message))
    parts = model_clauses(text)
    if len(parts) <= MAX_CLAUSES:
        return parts
    signals = load_signals()
    keep = {"child", "sexual", "harm", "conceal", "now", "first_person"}
    idx = [i for i, (name, _) in enumerate(signals.features) if name in keep]

    def weight(p: str) -> float:
        v = signals.vector(p)
        return float(v[idx].sum())

    ranked = sorted(range(len(parts)), key=lambda i: -weight(parts[i]))[:MAX_CLAUSES]
    return [parts[i] for i in sorted(ranked)]


def model_scores(
    model: TriageModel, message: str, parts: list[str] | None = None
) -> tuple[dict[str, float], dict[str, str]]:
    """Per risky label, the model's probability for the message, and the clause that, read alone,
    looks most like that label (for the reasons). `parts`: the message's triage_segments, when
    the caller has them already."""
    signals = load_signals()
    if tuple(n for n, _ in signals.features) != model.feature_names:
        raise ConfigError(
            "The triage model was trained with other word signals than triage_features.yaml "
            "holds; retrain it with `python -m assistant.triage.training`."
        )
    parts = triage_segments(message) if parts is None else parts
    if not parts:
        return {}, {}
    vectors = np.asarray(model.embed(parts), dtype=np.float32)
    probs, unit_logits = model.read(unit_inputs(parts, vectors, signals))
    # Units are the clauses, then the adjacent pairs (pair i joins clauses i and i + 1).
    units = [*parts, *(f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False))]
    scores: dict[str, float] = {}
    where: dict[str, str] = {}
    for label in RISKY:
        col = CLASSES.index(label)
        scores[label] = float(probs[col])
        where[label] = units[int(np.argmax(unit_logits[:, col]))]
    return scores, where


def triage(message: str, model: TriageModel | None = None) -> Triage:
    """Label a message emergency / own_thoughts / decline / none (rules only without a model)."""
    if not message.strip():
        return Triage(label="none")
    hits = rule_hits(prepare(message))
    found: dict[str, list[str]] = {}
    for hit in hits:
        found.setdefault(hit.rule.label, []).append(hit.reason)
    scores: dict[str, float] = {}
    if model is not None:
        parts = triage_segments(message)
        scores, where = model_scores(model, message, parts)
        long_post = word_count(message) >= LONG_POST_WORDS
        book = load_rules()
        guards, assists = book.model_guards, book.model_assists
        text = normalise(message)
        for label in RISKY:
            threshold = model.thresholds[label]
            if long_post:
                threshold = max(threshold, LONG_POST_THRESHOLDS.get(label, 0.0))
            if any(g.blocks(text, where.get(label, "")) for g in guards.get(label, ())):
                continue  # e.g. a partner's offence told in the third person (issue 11)
            score = scores.get(label, 0.0)
            if score >= threshold:
                found.setdefault(label, []).append(f"model:{label}:{score:.2f}:{where[label][:60]}")
            elif any(a.supports(text, score) for a in assists.get(label, ())):
                # e.g. "can i give his mates address so it doesnt look like hes still here" (0.83)
                found.setdefault(label, []).append(f"model+words:{label}:{score:.2f}:{where[label][:60]}")
        tuned = model.tuned
        # The labels the fine-tuned reader may decide here: those whose `requires` words the
        # message holds (see model.TunedReader).
        eligible = [] if tuned is None else [
            (name, threshold, above) for name, threshold, above, requires in tuned.labels()
            if requires is None or requires.search(text)
        ]
        asked = [] if found else [(n, t) for n, t, above in eligible if scores.get(n, 0.0) >= above]
        if tuned is not None and asked:
            # Read only when nothing else was found, since any other label outranks or repeats
            # its own, and the regression sees some sign of the label (`ask_above`). The same
            # guards apply.
            _read_tuned(tuned, parts, text, where, guards, asked, scores, found)
        elif tuned is not None and _model_alone(found, "emergency") and len(found) == 1 and not _SELF_HARM.search(text):
            # An emergency only the regression reads ("i ended up alone with him on sat and the
            # thoughts came straight back": dev t21-150, 0.78) may be the writer's own thoughts,
            # which the Stop It Now text answers (it says to call 999 if a child is in danger now).
            own = [(n, t) for n, t, _ in eligible if n == "own_thoughts"]
            _read_tuned(tuned, parts, text, where, guards, own, scores, found)
        if (
            _model_alone(found, "emergency")
            and scores.get("emergency", 0.0) < EVASION_OVER_EMERGENCY
            and any(r.startswith("rule:") for r in found.get("decline", ()))
            and not _says_danger_now(text, book)
            and not _SELF_HARM.search(text)
            and not _FAREWELL.search(text)
        ):
            # Only the regression reads an emergency, a rule reads an evasive ask, and no word says
            # danger now: the message asks how to get round a plan ("any tips on making the house
            # look like it's just me and the kids... he's meant to be out under the safety plan":
            # dev t24-027, 0.8 as an emergency), which the declined text answers; it still says to
            # call 999 if a child is in danger.
            del found["emergency"]
        if _model_alone(found, "emergency") and _safe_now(text, book):
            # Only the model reads an emergency, and the writer says in so many words that
            # everyone is safe now, with no word of danger now ("ex tried to strangle me in 2019.
            # I'm safe now, new area": dev t20-173; "I'm safe now, clean and happy": t20-046): a
            # past event told as background, which issue 11 says is not an emergency. On every
            # non-blind message this drops 3 emergencies, all labelled none (t6-019, t6-063, t6-130).
            del found["emergency"]
    score_items = tuple((k, round(v, 4)) for k, v in scores.items())
    if not found:
        return Triage(label="none", scores=score_items)
    label = cast(TriageLabel, min(found, key=lambda lab: PRIORITY[lab]))
    reasons = tuple(r for lab in sorted(found, key=lambda x: PRIORITY[x]) for r in found[lab])
    model_only = label == "emergency" and model is not None and all(
        r.startswith(("model:", "model+words:")) for r in found["emergency"]
    )
    # An emergency read from a middling model score with words of "now" and of danger ("my 9yo
    # didn't come home from school. It's 7pm... Nobody's seen her") is as certain as the words:
    # the emergency guidance comes first, unless the message says everyone is safe now.
    assisted = model_only and all(r.startswith("model+words:") for r in found["emergency"])
    if model_only and any(r.startswith(("rule:", "tuned:")) for r in found.get("own_thoughts", ())):
        # The writer's own thoughts, said in words a rule knows ("I don't trust what goes on in my
        # head when she's asleep in the next room"), with an emergency only the model reads: the
        # Stop It Now text comes first, and it says to call 999 if a child is in danger now
        # (dev t13-119, labelled own thoughts by its blind writer).
        label = "own_thoughts"
        model_only = assisted = False
    certain = not (
        model_only
        and (
            (
                not assisted
                and word_count(message) >= LONG_POST_WORDS
                and scores.get("emergency", 0.0) < LONG_POST_SURE
            )
            or load_rules().safe_now.search(normalise(message)) is not None
        )
    )
    return Triage(label=label, reasons=reasons, scores=score_items, certain=certain)


def _model_alone(found: dict[str, list[str]], label: str) -> bool:
    """Whether `label` was found by the regression's score alone (no rule, no assisting words)."""
    reasons = found.get(label, ())
    return bool(reasons) and all(r.startswith("model:") for r in reasons)


def _safe_now(text: str, book: RuleBook) -> bool:
    """Whether normalised `text` says everyone is safe now and has no words of danger now."""
    return book.safe_now.search(text) is not None and not _says_danger_now(text, book)


def _says_danger_now(text: str, book: RuleBook) -> bool:
    """Whether normalised `text` holds the words of danger now that let a middling emergency score
    stand (the emergency `model_assists`)."""
    return any(a.message.search(text) for a in book.model_assists.get("emergency", ()))


def _read_tuned(
    tuned: TunedReader, parts: Sequence[str], text: str, where: dict[str, str],
    guards: dict[str, tuple[ModelGuard, ...]], asked: Sequence[tuple[str, float]],
    scores: dict[str, float], found: dict[str, list[str]],
) -> None:
    """Read `parts` with the fine-tuned reader once and add each asked label it reaches (its
    threshold, no guard blocking) to `found`; its scores go into `scores`."""
    read = tuned.read_all(parts)
    for name, threshold in asked:
        score, unit = read[name]
        scores[f"{name}_tuned"] = score
        # A guard reads the clause either reader took the label from ("i think my DH has been
        # looking at stuff online he shouldnt be (kids)... who can i talk to": the regression's
        # clause names the husband, the fine-tuned reader's the question).
        clauses_read = (unit, where.get(name, ""))
        if score >= threshold and not any(g.blocks(text, c) for g in guards.get(name, ()) for c in clauses_read):
            found.setdefault(name, []).append(f"tuned:{name}:{score:.2f}:{unit[:60]}")
