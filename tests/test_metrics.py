"""Unit tests for the pure eval metrics, on hand-made answers (no index, no models)."""

from __future__ import annotations

import pytest

from assistant.types import Answer, AnswerKind, Citation, SignpostContact
from evals import metrics

CHUNK = (
    "A safety plan is not legally binding. It is a voluntary agreement between the family and "
    "children's services. If it is broken, children's services may become more worried."
)
OTHER_CHUNK = "An initial child protection conference should be held within 15 working days."
FRG = SignpostContact(
    key="frg",
    name="Family Rights Group advice line",
    helps_with="advice",
    when="weekdays",
    phone="0808 801 0366",
    url="https://frg.org.uk/advice",
    hours="9.30am-3pm",
    checked=None,
)


def cite(
    n: int,
    quote: str,
    chunk_id: str = "c1",
    doc_id: str = "guidance/safety-plans",
    url: str | None = "https://www.gov.uk/safety",
) -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        chunk_id=chunk_id,
        title="T",
        section=None,
        page=None,
        url=url,
        quote=quote,
        publisher="Signpost guidance notes",
        reviewed=None,
        legal_force=None,
        jurisdiction="england",
    )


def answer(
    text: str,
    citations: tuple[Citation, ...] = (),
    kind: AnswerKind = "answer",
    signposts: tuple[SignpostContact, ...] = (),
    disclaimer: str = "Not legal advice.",
) -> Answer:
    return Answer(
        question="q",
        kind=kind,
        text=text,
        citations=citations,
        signposts=signposts,
        disclaimer=disclaimer,
    )


CHUNKS = {"c1": CHUNK, "c2": OTHER_CHUNK}


# --- pattern metrics -------------------------------------------------------------------------
def test_scored_text_includes_signpost_name_phone_and_url_but_not_disclaimer() -> None:
    a = answer("Short answer [1].", signposts=(FRG,), disclaimer="General information only.")
    text = metrics.scored_text(a)
    assert "Family Rights Group advice line" in text
    assert "0808 801 0366" in text
    assert "frg.org.uk" in text
    assert "General information" not in text
    assert "weekdays" not in text


def test_questions_restated_above_parts_are_the_users_words_not_the_answers() -> None:
    from dataclasses import replace

    from assistant.types import AnswerPart

    asks = ("Do I have to accept the CIN plan?", "How do I get a subject access request?")
    said = ("Child in need support is voluntary [1].", "Write to the council [1].")
    text = "\n\n".join(f"{i}. {q}\n{t}" for i, (q, t) in enumerate(zip(asks, said, strict=True), start=1))
    parts = tuple(AnswerPart(ask=q, kind="answer", text=t, citations=(1,)) for q, t in zip(asks, said, strict=True))
    scored = metrics.scored_text(replace(answer(text), parts=parts))
    assert metrics.violations([r"have to accept the CIN"], scored) == ()
    assert metrics.missing_patterns([r"subject access", "voluntary", "Write to the council"], scored) == ("subject access",)
    # A one-part answer is shown without its question: nothing is taken out of it.
    one = replace(answer("You have to accept the CIN plan [1]."), parts=parts[:1])
    assert metrics.violations([r"have to accept the CIN"], metrics.scored_text(one)) == (r"have to accept the CIN",)


def test_must_include_matches_case_insensitively_and_in_signposts() -> None:
    text = metrics.scored_text(answer("It is NOT LEGALLY BINDING [1].", signposts=(FRG,)))
    assert metrics.missing_patterns(["not legally binding|voluntary", "0808 801 0366"], text) == ()


def test_pattern_only_in_disclaimer_does_not_count() -> None:
    a = answer("A plan is a plan [1].", disclaimer="This is not legal advice; call a solicitor.")
    assert metrics.missing_patterns(["solicitor"], metrics.scored_text(a)) == ("solicitor",)


def test_key_fact_coverage_is_the_share_of_patterns_matched() -> None:
    text = "voluntary agreement, the court may get involved"
    assert metrics.key_fact_coverage(
        ["voluntary", "court", "15 working days"], text
    ) == pytest.approx(2 / 3)


def test_key_fact_coverage_of_an_empty_answer_is_zero() -> None:
    assert metrics.key_fact_coverage(["voluntary"], metrics.scored_text(answer(""))) == 0.0


def test_key_fact_coverage_is_none_without_patterns() -> None:
    assert metrics.key_fact_coverage([], "anything") is None


def test_violations_lists_only_matching_must_not_include_patterns() -> None:
    text = "Safety plans are legally binding."
    assert metrics.violations(["safety plans? (is|are) legally binding", "court order"], text) == (
        "safety plans? (is|are) legally binding",
    )
    assert metrics.violations([], text) == ()


def test_full_pass_needs_every_fact_no_violation_and_the_right_kind() -> None:
    good = answer("It is voluntary and not a court order [1].", (cite(1, "voluntary"),))
    assert metrics.full_pass(["voluntary", "court"], ["legally binding"], ("answer",), good)
    assert not metrics.full_pass(["voluntary", "15 working days"], [], ("answer",), good)
    assert not metrics.full_pass(["voluntary"], ["court order"], ("answer",), good)
    assert not metrics.full_pass(["voluntary"], [], ("not_found",), good)


def test_kind_correct_accepts_any_listed_kind() -> None:
    assert metrics.kind_correct(("safety", "declined"), "declined")
    assert not metrics.kind_correct(("safety", "declined"), "answer")


# --- retrieval metrics -----------------------------------------------------------------------
RETRIEVED = [
    ("qa/a-thread", None),
    ("guidance/two-systems", "https://example.org/two"),
    ("guidance/safety-plans", "https://www.gov.uk/safety"),
    ("guidance/other", None),
]


def test_hit_at_k_depends_on_k() -> None:
    assert metrics.hit_at_k(["guidance/safety-plans"], RETRIEVED, 5)
    assert metrics.hit_at_k(["guidance/safety-plans"], RETRIEVED, 3)
    assert not metrics.hit_at_k(["guidance/safety-plans"], RETRIEVED, 2)


def test_expected_source_matches_as_a_substring_of_doc_id_or_url() -> None:
    assert metrics.source_matches("safety-plans", ("guidance/safety-plans", None))
    assert metrics.source_matches("gov.uk/safety", ("guidance/x", "https://www.gov.uk/safety"))
    assert not metrics.source_matches("guidance/safety-plans", ("guidance/safety", None))


def test_recall_at_k_is_the_share_of_expected_sources_found() -> None:
    expected = ["guidance/safety-plans", "guidance/not-there"]
    assert metrics.recall_at_k(expected, RETRIEVED, 5) == 0.5
    assert metrics.recall_at_k(expected, RETRIEVED, 1) == 0.0
    assert metrics.recall_at_k([], RETRIEVED, 5) == 1.0


def test_recall_is_not_inflated_by_repeated_passages_of_one_document() -> None:
    repeated = [("guidance/safety-plans", None)] * 3
    assert (
        metrics.recall_at_k(["guidance/safety-plans", "guidance/two-systems"], repeated, 5) == 0.5
    )


def test_reciprocal_rank_uses_the_first_match() -> None:
    assert metrics.reciprocal_rank(["two-systems", "safety-plans"], RETRIEVED, 5) == 0.5
    assert metrics.reciprocal_rank(["guidance/safety-plans"], RETRIEVED, 5) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(["nowhere"], RETRIEVED, 5) == 0.0


def test_nothing_retrieved_scores_zero() -> None:
    assert not metrics.hit_at_k(["guidance/safety-plans"], [], 5)
    assert metrics.recall_at_k(["guidance/safety-plans"], [], 5) == 0.0
    assert metrics.reciprocal_rank(["guidance/safety-plans"], [], 5) == 0.0


def test_missing_sources_names_the_expected_sources_not_found() -> None:
    assert metrics.missing_sources(["safety-plans", "review"], RETRIEVED) == ("review",)


def test_any_source_found_looks_at_every_reference() -> None:
    assert metrics.any_source_found(["review", "safety-plans"], RETRIEVED)
    assert not metrics.any_source_found(["review"], RETRIEVED)
    assert not metrics.any_source_found(["safety-plans"], [])


# --- citation validity -----------------------------------------------------------------------
def test_citation_markers_reads_single_and_grouped_markers() -> None:
    assert metrics.citation_markers("One [1]. Two [2, 3]. Again [1].") == (1, 2, 3, 1)


def test_a_year_in_brackets_is_not_a_citation_marker() -> None:
    assert metrics.citation_markers("Williams v Hackney [2018] UKSC 37 [1].") == (1,)


def test_valid_citations_have_no_problems() -> None:
    a = answer(
        "A safety plan is not legally binding [1]. Conferences come within 15 working days [2].",
        (cite(1, "A safety plan is not legally binding."), cite(2, OTHER_CHUNK, chunk_id="c2")),
    )
    assert metrics.citation_problems(a, CHUNKS) == ()


def test_out_of_range_marker_is_a_problem() -> None:
    a = answer("Not binding [1]. Also [3].", (cite(1, "A safety plan is not legally binding."),))
    assert metrics.citation_problems(a, CHUNKS) == ("[3] in the answer has no citation",)


def test_quote_that_is_not_an_exact_substring_is_a_problem() -> None:
    reworded = answer("Not binding [1].", (cite(1, "A safety plan is not binding."),))
    recased = answer("Not binding [1].", (cite(1, "a safety plan is not legally binding."),))
    for a in (reworded, recased):
        (problem,) = metrics.citation_problems(a, CHUNKS)
        assert "not an exact substring" in problem


def test_citation_of_a_chunk_missing_from_the_index_is_a_problem() -> None:
    a = answer("Not binding [1].", (cite(1, "not legally binding", chunk_id="gone"),))
    (problem,) = metrics.citation_problems(a, {"gone": None})
    assert "not in the index" in problem


def test_empty_quote_is_a_problem() -> None:
    a = answer("Not binding [1].", (cite(1, "  "),))
    assert metrics.citation_problems(a, CHUNKS) == ("citation [1] has an empty quote",)


def test_answer_kind_without_citations_breaks_the_contract() -> None:
    a = answer("A safety plan is not legally binding.")
    assert metrics.citations_checked(a)
    assert metrics.citation_problems(a, {}) == ("kind 'answer' with no citation",)


def test_not_found_without_citations_is_not_checked_and_has_no_problems() -> None:
    a = answer("I couldn't find that.", kind="not_found")
    assert not metrics.citations_checked(a)
    assert metrics.citation_problems(a, {}) == ()


def test_cited_refs_lists_doc_id_and_url_per_citation() -> None:
    a = answer("x [1].", (cite(1, "x"),))
    assert metrics.cited_refs(a) == (("guidance/safety-plans", "https://www.gov.uk/safety"),)


# --- citation support ------------------------------------------------------------------------
def test_sentence_copied_from_its_quote_is_supported() -> None:
    a = answer(
        "A safety plan is not legally binding [1].",
        (cite(1, "A safety plan is not legally binding."),),
    )
    (s,) = metrics.sentence_support(a)
    assert s.supported and s.share == 1.0 and s.cited == (1,)


def test_sentence_with_content_missing_from_the_quote_is_unsupported() -> None:
    a = answer(
        "The court will remove your children within 15 working days [1].",
        (cite(1, "A safety plan is not legally binding."),),
    )
    (s,) = metrics.sentence_support(a)
    assert not s.supported and s.share < metrics.SUPPORT_MIN_SHARE


def test_sentences_without_markers_are_not_scored() -> None:
    a = answer(
        "This guidance covers England. A safety plan is not legally binding [1].",
        (cite(1, "A safety plan is not legally binding."),),
    )
    assert [s.sentence for s in metrics.sentence_support(a)] == [
        "A safety plan is not legally binding [1]."
    ]


def test_sentence_citing_a_missing_citation_has_no_support() -> None:
    a = answer(
        "A safety plan is not legally binding [2].",
        (cite(1, "A safety plan is not legally binding."),),
    )
    (s,) = metrics.sentence_support(a)
    assert s.share == 0.0 and not s.supported


def test_sentence_citing_two_passages_is_checked_against_both_quotes() -> None:
    a = answer(
        "A safety plan is voluntary and a conference comes within 15 working days [1, 2].",
        (cite(1, "It is a voluntary agreement"), cite(2, OTHER_CHUNK, chunk_id="c2")),
    )
    (s,) = metrics.sentence_support(a)
    assert s.supported


def test_empty_answer_has_no_cited_sentences() -> None:
    assert metrics.sentence_support(answer("")) == ()


# --- aggregates ------------------------------------------------------------------------------
def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert metrics.percentile(values, 50) == 30.0
    assert metrics.percentile(values, 95) == pytest.approx(48.0)
    assert metrics.percentile([7.0], 95) == 7.0
    assert metrics.percentile([], 50) is None


def test_mean_and_rate_of_nothing_are_none() -> None:
    assert metrics.mean([]) is None
    assert metrics.rate([]) is None
    assert metrics.rate([True, False, True, True]) == 0.75


# --- parts and answer shape -------------------------------------------------------------------
def test_facts_pass_ignores_kind_and_checks_both_lists() -> None:
    assert metrics.facts_pass(["voluntary"], ["is legally binding"], "It is voluntary.")
    assert not metrics.facts_pass(["voluntary", "court"], [], "It is voluntary.")
    assert not metrics.facts_pass([], ["is legally binding"], "It is legally binding.")


@pytest.mark.parametrize(
    ("coverage", "answered"), [(0.0, False), (0.49, False), (0.5, True), (1 / 2, True), (1.0, True)]
)
def test_a_part_is_answered_from_half_its_facts(coverage: float, answered: bool) -> None:
    assert metrics.part_answered(coverage) is answered


def test_a_part_with_two_of_three_facts_counts_as_answered() -> None:
    coverage = metrics.key_fact_coverage(["a", "b", "c"], "a b")
    assert coverage == pytest.approx(2 / 3) and metrics.part_answered(coverage)


def test_strip_markers_removes_citations_but_not_years_or_prices() -> None:
    assert metrics.strip_markers("It is voluntary [1]. See [2, 3] and [2018] EWCA.") == (
        "It is voluntary. See and [2018] EWCA."
    )


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("", 0),
        ("A safety plan is not legally binding [1].", 7),
        ("Call 0808 801 0366 [2], it's free.", 6),
        ("Stage 1 takes 10 working days; stage 2 up to 65 [1][2].", 11),
        ("well-being of the child [12]", 4),
    ],
)
def test_word_count_counts_answer_words_without_markers(text: str, n: int) -> None:
    assert metrics.word_count(text) == n


def test_reading_ease_prefers_plain_words_and_ignores_markers() -> None:
    plain = "You can say no. The plan is not a court order [1]. Ask for help if you need it."
    dense = (
        "Notwithstanding the aforementioned statutory considerations, the local authority's "
        "discretionary determination necessitates comprehensive multidisciplinary deliberation [1]."
    )
    easy, hard = metrics.reading_ease(plain), metrics.reading_ease(dense)
    assert easy is not None and hard is not None and easy > 60 > hard
    assert metrics.reading_ease(plain) == metrics.reading_ease(plain.replace(" [1]", ""))
    assert metrics.reading_ease("[1] [2]") is None


def test_median_and_p95_of_word_counts() -> None:
    assert metrics.median([10, 30, 20]) == 20
    assert metrics.median([10, 20]) == 15
    assert metrics.percentile([float(n) for n in range(1, 101)], 95) == pytest.approx(95.05)
    assert metrics.median([]) is None
