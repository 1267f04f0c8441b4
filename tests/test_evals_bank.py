"""Question-bank mode: scores on hand-made questions, and a real bank end to end."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tutor.evals.bank import bank_metrics, duplicate_pairs, evaluate_bank, key_is_longest, topic_entropy
from tutor.locations import corpus_dir
from tutor.questions import Question
from tutor.workspace import Workspace


def make(stem: str, options: list[str], keys: list[int], topic: str, passed: bool = True, chosen: list[int] | None = None) -> Question:
    verdict: dict = {"passed": passed}
    if chosen is not None:
        verdict["solve"] = {"method": "retrieval", "chosen": chosen, "scores": []}
    return Question(Question.make_id(stem, options), "single", stem, options, keys, [""] * len(options), [], topic, "d", 2, [], verdict)


def test_duplicate_pairs() -> None:
    stems = [
        "How long does Kinesis Data Streams keep records by default?",
        "By default, how long does Kinesis Data Streams keep records?",
        "What is the largest item DynamoDB stores?",
    ]
    assert duplicate_pairs(stems) == [(0, 1)]
    assert duplicate_pairs([]) == []


def test_key_is_longest() -> None:
    assert key_is_longest(["a", "bb", "a much longer option"], [2])
    assert not key_is_longest(["a", "same", "same"], [2])  # a tie gives nothing away
    assert not key_is_longest(["longest option", "b"], [1])
    assert not key_is_longest(["only"], [0])  # no distractor to compare with


def test_topic_entropy() -> None:
    assert topic_entropy(["a", "a", "b", "b"]) == pytest.approx(1.0)
    assert topic_entropy(["a", "a", "a"]) == 0.0
    assert topic_entropy(["a", "a", "a", "b"]) == pytest.approx(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2))
    assert topic_entropy([]) is None


def test_bank_metrics_known_values() -> None:
    questions = [
        make(
            "How long does Kinesis keep records by default?", ["24 hours", "7 days", "1 year", "indefinitely"], [0], "kinesis", chosen=[0]
        ),
        make(
            "By default how long does Kinesis keep records?",
            ["1 day", "2 days", "3 days", "the default is 24 hours"],
            [3],
            "kinesis",
            chosen=[1],
        ),
        make("Which service runs serverless SQL on S3?", ["Athena", "EMR", "Glue", "Redshift"], [0], "athena", passed=False),
    ]
    got = bank_metrics(questions)
    assert got["verification_pass_rate"] == pytest.approx(2 / 3)
    assert got["solve_agreement"] == 0.5  # only questions with a solve count
    assert got["duplicate_rate"] == pytest.approx(2 / 3)
    assert got["key_longest_share"] == pytest.approx(1 / 3)
    assert got["option_length_bias"] == pytest.approx(1 / 3 - 1 / 4)
    assert got["topics"] == 2 and got["max_topic_share"] == pytest.approx(2 / 3)
    assert bank_metrics([]) == {}


def test_evaluate_bank_end_to_end(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "study"
    notes.mkdir()
    for name in ("kinesis-data-streams.md",):
        (notes / name).write_text((corpus_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    workspace.ingest([notes])
    run = evaluate_bank(workspace, collection="notes", generate_n=2)
    assert run.metrics["generation_accept_rate"] is not None
    assert len(run.questions) == run.metrics["questions"] >= 1
    assert 0 <= run.metrics["verification_pass_rate"] <= 1
    assert all(row["passed"] is not None for row in run.questions)
