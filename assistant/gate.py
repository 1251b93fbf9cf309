"""The gate between retrieval and composing: whether the sections found for a question answer it
well enough to quote, or the part says nothing good enough was found (issue 10's honesty)."""

from __future__ import annotations

from assistant.retrieval import SectionHit

# A heading or `asks` phrasing this similar to the question is the same question in other words:
# it answers even when no passage reaches `min_score` ("what does significant harm mean" scores
# 0.63 against a heading, and out-of-scope questions such as a parking-ticket appeal reach 0.46;
# on dev, 0.5 keeps all but one of what 0.47 answers, with a wider margin to out-of-scope).
QUESTION_GATE = 0.5
# ...or one section is a clear winner (see clear_winner): first or second on both the dense and
# the word search, ahead of the next section by at least WINNER_MARGIN of fused score (about the
# gap between two notes' topics; neighbours in one note sit within 0.03), and not far below the
# gate (WINNER_FLOOR). On the dev sets it answers one more question and no unanswerable one.
WINNER_RANK = 2
WINNER_MARGIN = 0.1
WINNER_FLOOR = 0.35


def covered(sections: tuple[SectionHit, ...], min_score: float) -> bool:
    """A passage close enough to the question (the calibrated `min_score`), or a heading/`asks`
    phrasing that is nearly the same question (see QUESTION_GATE), or a clear winner."""
    passage = max((s.text_similarity for s in sections), default=0.0)
    question = max((s.question_similarity for s in sections), default=0.0)
    if passage >= min_score or question >= QUESTION_GATE:
        return True
    return clear_winner(sections)


def clear_winner(sections: tuple[SectionHit, ...]) -> bool:
    """One section that both searches rank near the top and that leads the rest by a clear margin:
    slang ("need to talk to someone who actually gets it") keeps MiniLM's similarity low even
    when the words and the ranking agree on the answer."""
    top = sections[0]
    second = sections[1].score if len(sections) > 1 else 0.0
    return (
        (top.dense_rank or 99) <= WINNER_RANK
        and (top.bm25_rank or 99) <= WINNER_RANK
        and top.score - second >= WINNER_MARGIN
        and max(top.text_similarity, top.question_similarity) >= WINNER_FLOOR
    )
