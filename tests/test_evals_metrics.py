"""Every eval metric on hand-made cases whose right value is known, edge cases included."""

from __future__ import annotations

import math

import pytest

from tutor.evals import metrics as m
from tutor.evals.golden import Span, locate, path_suffix_match
from tutor.evals.text import sentences, support, tokens
from tutor.retrieve.hit import Passage

SPAN = Span("corpus/kinesis.md", 10, 12)
SPANS = [SPAN]
RESTATED = Span("corpus/glue.md", 40, 40)  # a second place that states the same facts


def chunk(cid: str, source: str = "/home/u/corpus/kinesis.md", start: int = 1, end: int = 3, text: str = "x" * 10) -> Passage:
    return Passage(cid, source, start, end, "", text)


GOOD = chunk("good", start=11, end=14)
OTHER_FILE = chunk("other", source="/home/u/corpus/glue.md", start=10, end=12)
WRONG_LINES = chunk("early", start=1, end=9)


def test_path_suffix_match() -> None:
    assert path_suffix_match("/home/u/corpus/kinesis.md", "corpus/kinesis.md")
    assert path_suffix_match("/home/u/corpus/kinesis.md", "kinesis.md")
    assert not path_suffix_match("/home/u/other/kinesis.md", "corpus/kinesis.md")
    assert not path_suffix_match("/home/u/corpus/my-kinesis.md", "kinesis.md")


def test_locate_evidence_lines() -> None:
    text = "a\nb line\nc one\nc two\nd"
    assert locate(text, "c one\nc two") == (3, 4)
    assert locate(text, "b line") == (2, 2)
    assert locate(text, "missing") is None


def test_relevance_needs_file_and_overlap_and_counts_a_chunk_once() -> None:
    assert m.relevance([OTHER_FILE, WRONG_LINES, GOOD, GOOD], SPANS) == [False, False, True, False]
    assert m.relevance([chunk("edge", start=12, end=20)], SPANS) == [True]  # touching the last line
    assert m.relevance([chunk("after", start=13, end=20)], SPANS) == [False]


def test_rank_metrics_known_values() -> None:
    flags = [False, False, True, False, False]
    assert m.hit_at_k(flags, 5) == 1.0
    assert m.hit_at_k(flags, 2) == 0.0
    assert m.reciprocal_rank(flags) == pytest.approx(1 / 3)
    assert m.ndcg_at_k(flags, 5) == pytest.approx(1 / math.log2(4))  # one relevant chunk at rank 3
    assert m.ndcg_at_k([True, False, True], 3) == pytest.approx((1 + 1 / 2) / (1 + 1 / math.log2(3)))
    assert m.ndcg_at_k([True, True], 5) == pytest.approx(1.0)


def test_rank_metrics_with_nothing_retrieved() -> None:
    assert m.hit_at_k([], 5) == 0.0
    assert m.reciprocal_rank([]) == 0.0
    assert m.ndcg_at_k([], 5) == 0.0
    assert m.evidence_recall([], SPANS) == 0.0
    assert m.context_chars([]) == 0


def test_evidence_recall_counts_covered_lines() -> None:
    assert m.evidence_recall([chunk("a", start=1, end=10)], SPANS) == pytest.approx(1 / 3)
    assert m.evidence_recall([chunk("a", start=1, end=10), chunk("b", start=12, end=15)], SPANS) == pytest.approx(2 / 3)
    assert m.evidence_recall([OTHER_FILE], SPANS) == 0.0  # right lines, wrong file
    assert m.evidence_recall([GOOD, chunk("c", start=9, end=10)], SPANS) == 1.0


def test_context_chars_sums_texts() -> None:
    assert m.context_chars([chunk("a", text="abc"), chunk("b", text="de")]) == 5


@pytest.mark.parametrize(
    ("answer", "facts", "expected"),
    [
        ("Each shard takes 1,000 records per second.", ["1000 records per second"], 1.0),
        ("Retention is TWENTY-FOUR hours… or up to 365 days.", ["24 hours", "365 days"], 0.5),  # number words are not digits beyond twenty
        ("It keeps data for three days.", ["3 days"], 1.0),
        ("Records stay 24 hours by default.", ["24-hour", "7 days"], 0.5),  # hyphen and plural folding
        ("Ｓ３ Glacier Déep Archive", ["s3 glacier deep archive"], 1.0),  # unicode width and accents
        ("The limit is 1 MB.", ["1 MB per second"], 0.0),  # a partial phrase is not the fact
        ("It is 10 GB.", ["1 GB"], 0.0),  # token boundaries: 10 is not 1
        ("", ["24 hours"], 0.0),
    ],
)
def test_key_fact_recall(answer: str, facts: list[str], expected: float) -> None:
    assert m.key_fact_recall(answer, facts) == pytest.approx(expected)


def test_key_fact_recall_without_facts_does_not_apply() -> None:
    assert m.key_fact_recall("anything", []) is None


@pytest.mark.parametrize(
    ("answer", "facts", "expected"),
    [
        ("A shard takes 1 MB per second or 1,000 records per second.", ["1 MB per second", "1000 records"], 1.0),
        ("A shard takes 1 MB per second.", ["1 MB per second", "1000 records"], 0.0),  # half right is wrong
        ("Records stay for twenty-four hours.", ["24 hours"], 0.0),  # number words stop at twenty
        ("It keeps them 24-hours.", ["24 hours"], 1.0),
        ("", ["24 hours"], 0.0),
    ],
)
def test_all_key_facts_is_all_or_nothing(answer: str, facts: list[str], expected: float) -> None:
    assert m.all_key_facts(answer, facts) == expected


def test_all_key_facts_without_facts_does_not_apply() -> None:
    assert m.all_key_facts("anything", []) is None


def test_tokens_fold_numbers_and_quotes() -> None:
    assert tokens("1,000 MB’s") == tokens("1000 mb's")
    assert tokens("1.5 GB") == ["1.5", "gb"]


def test_cosine() -> None:
    assert m.cosine([1, 0], [1, 0]) == pytest.approx(1.0)
    assert m.cosine([1, 0], [0, 2]) == pytest.approx(0.0)
    assert m.cosine([0, 0], [1, 1]) == 0.0  # an empty answer's zero vector


CITED = {
    1: "Kinesis Data Streams keeps records for 24 hours by default.",
    2: "Long-term retention keeps records for up to 365 days.",
}


def test_support_weighs_numbers() -> None:
    assert support("Kinesis keeps records for 24 hours [1].", CITED[1]) == 1.0
    # "48" is missing: 2 of its 4 weight points (kinesis, keeps, records, hours all present => 4/6)
    assert support("Kinesis keeps records for 48 hours.", CITED[1]) == pytest.approx(4 / 6)


def test_faithfulness() -> None:
    answer = "Kinesis keeps records for 24 hours by default [1]. Long-term retention allows 365 days [2]. Shards cost money."
    assert m.faithfulness(answer, CITED, 0.6) == pytest.approx(2 / 3)  # the uncited sentence is unsupported
    wrong = "Kinesis keeps records for 48 days by default [1]."
    assert m.faithfulness(wrong, CITED, 0.6) == 0.0
    assert m.faithfulness("", CITED, 0.6) is None  # nothing to judge
    assert m.faithfulness("Kinesis keeps records 24 hours [9].", CITED, 0.6) == 0.0  # cites nothing real
    both = "Records stay 24 hours by default and up to 365 days with long-term retention [1][2]."
    assert m.faithfulness(both, CITED, 0.6) == 1.0


def test_citation_validity_counts_distinct_markers() -> None:
    assert m.citation_validity("a [1] b [1] c [2]", [1, 2]) == 1.0
    assert m.citation_validity("a [1] b [1] c [7]", [1, 2]) == 0.5  # duplicates count once
    assert m.citation_validity("no markers", [1]) is None
    assert m.citation_validity("", []) is None


def test_citation_precision() -> None:
    answer = "Kinesis keeps records for 24 hours by default [1][2]. Long-term retention allows 365 days [2][2]."
    # pairs: (s1,1) yes, (s1,2) no, (s2,2) yes — the duplicate [2][2] is one pair
    assert m.citation_precision(answer, CITED, 0.5) == pytest.approx(2 / 3)
    assert m.citation_precision("Uncited sentence here.", CITED, 0.5) is None


def test_a_restated_span_counts_as_relevant() -> None:
    restated = chunk("restated", source="/home/u/corpus/glue.md", start=38, end=41)
    assert m.relevance([OTHER_FILE, restated], [SPAN, RESTATED]) == [False, True]
    assert m.relevance([restated], SPANS) == [False]
    assert m.citation_recall([restated], [SPAN, RESTATED]) == 1.0
    # Evidence recall takes the best-covered span, not a sum over spans.
    assert m.evidence_recall([restated, chunk("a", start=1, end=10)], [SPAN, RESTATED]) == 1.0
    assert m.evidence_recall([chunk("a", start=1, end=10)], [SPAN, RESTATED]) == pytest.approx(1 / 3)


def test_citation_recall() -> None:
    assert m.citation_recall([OTHER_FILE, GOOD], SPANS) == 1.0
    assert m.citation_recall([OTHER_FILE], SPANS) == 0.0
    assert m.citation_recall([], SPANS) == 0.0


def test_abstention_rates() -> None:
    outcomes = [(False, True), (False, False), (True, False), (True, False), (True, True), (True, False)]
    assert m.abstention_rates(outcomes) == (0.5, 0.25)
    assert m.abstention_rates([]) == (None, None)
    assert m.abstention_rates([(True, False)]) == (None, 0.0)


def test_percentile_matches_linear_interpolation() -> None:
    assert m.percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert m.percentile([10.0], 95) == 10.0
    assert m.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == pytest.approx(9.55)
    assert m.percentile([], 50) is None


def test_mean_skips_not_applicable() -> None:
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([None]) is None


def test_sentences_skip_headings_and_bullets() -> None:
    assert sentences("# Title\n- First point here [1].\n- Second. Third one.") == ["First point here [1].", "Second.", "Third one."]
    assert sentences("") == []
