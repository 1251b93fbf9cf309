"""The child protection process in England as data: steps, the paths between them, and the notes.

Pure data plus one lookup, so the picture (drawn by the UI) and the tests read the same thing.
Positions are on a grid: `column` 0 is the main line down to court, column 1 the step-down side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

PathKind = Literal["main", "step_down"]


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    summary: str
    doc_ids: tuple[str, ...]  # the note that explains the step comes first
    column: int
    row: float


@dataclass(frozen=True)
class Path:
    source: str
    target: str
    kind: PathKind = "main"
    label: str = ""


STEPS: tuple[Step, ...] = (
    Step(
        "referral",
        "Referral",
        "Someone (a school, the police, a doctor, a relative or you) tells children's services "
        "they are worried about a child.",
        ("guidance/referral-and-assessment",),
        0,
        0,
    ),
    Step(
        "assessment",
        "Assessment",
        "Children's services should decide within one working day what happens next. A child "
        "and family assessment should end within 45 working days.",
        ("guidance/referral-and-assessment", "qa/b-assessment-taking-too-long"),
        0,
        1,
    ),
    Step(
        "strategy",
        "Strategy discussion",
        "If a child may be suffering, or likely to suffer, significant harm, children's "
        "services, the police and health professionals talk about what to do.",
        ("guidance/strategy-discussions",),
        0,
        2,
    ),
    Step(
        "child_in_need",
        "Child in Need plan",
        "Voluntary support under section 17 for a child who needs help. It can follow an "
        "assessment, or be a step down from child protection.",
        (
            "guidance/child-in-need-plans",
            "guidance/child-in-need-reviews-visits",
            "guidance/declining-child-in-need",
        ),
        1,
        2,
    ),
    Step(
        "section_47",
        "Section 47 enquiry",
        "Children's services find out whether the child is suffering, or likely to suffer, "
        "significant harm, and what should be done.",
        ("guidance/section-47-enquiries", "guidance/social-worker-speaking-to-children"),
        0,
        3,
    ),
    Step(
        "initial_conference",
        "Initial conference",
        "An initial child protection conference, within 15 working days of the strategy "
        "discussion, decides whether the child needs a child protection plan.",
        (
            "guidance/initial-child-protection-conference",
            "guidance/conference-participation",
            "guidance/child-protection-categories",
        ),
        0,
        4,
    ),
    Step(
        "plan",
        "Child protection plan",
        "A plan says what everyone will do to keep the child safe; a core group of family "
        "and professionals meets to put it into action.",
        ("guidance/child-protection-plans-core-groups",),
        0,
        5,
    ),
    Step(
        "review",
        "Review conferences",
        "The first review conference is within three months of the initial conference, then "
        "at least every six months, to decide whether the plan is still needed.",
        ("guidance/review-conferences",),
        0,
        6,
    ),
    Step(
        "step_down",
        "Plan ends / step down",
        "When the child is no longer at risk of significant harm the plan ends, often with a "
        "Child in Need plan for a while afterwards.",
        ("guidance/ending-a-plan-step-down",),
        1,
        6,
    ),
    Step(
        "pre_proceedings",
        "Pre-proceedings (PLO)",
        "If the council is thinking about going to court it sends a letter before proceedings "
        "and holds a meeting; free legal aid is available to parents.",
        ("guidance/pre-proceedings-plo",),
        0,
        7,
    ),
    Step(
        "proceedings",
        "Care proceedings",
        "A court decides whether to make a care or supervision order. Only a court can make "
        "these orders.",
        ("guidance/care-proceedings", "guidance/interim-care-orders"),
        0,
        8,
    ),
)

PATHS: tuple[Path, ...] = (
    Path("referral", "assessment"),
    Path("assessment", "strategy", label="risk of significant harm"),
    Path("assessment", "child_in_need", "step_down", "needs support"),
    Path("strategy", "section_47"),
    Path("section_47", "child_in_need", "step_down", "concerns not confirmed"),
    Path("section_47", "initial_conference"),
    Path("initial_conference", "child_in_need", "step_down", "no plan needed"),
    Path("initial_conference", "plan"),
    Path("plan", "review"),
    Path("review", "step_down", "step_down", "plan ends"),
    Path("step_down", "child_in_need", "step_down"),
    Path("review", "pre_proceedings", label="concerns remain"),
    Path("pre_proceedings", "proceedings"),
    Path("pre_proceedings", "plan", "step_down", "diverted from court"),
)

STEPS_BY_KEY = {s.key: s for s in STEPS}


def steps_for_docs(doc_ids: Iterable[str]) -> tuple[str, ...]:
    """Keys of the steps explained by any of these notes, in process order."""
    cited = set(doc_ids)
    return tuple(s.key for s in STEPS if cited & set(s.doc_ids))


def docs_for_step(key: str) -> tuple[str, ...]:
    return STEPS_BY_KEY[key].doc_ids
