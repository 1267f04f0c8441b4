"""The exam blueprint as data: tagging texts with task statements, coverage and quotas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrs import Rating
from typer.testing import CliRunner

from tutor.cli import _register, app
from tutor.questions import QuestionBank, generate
from tutor.questions.blueprint import Blueprint, coverage, quota_order, task_keys
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

_register()

SMALL = """\
exams:
  EX-1:
    title: A small exam
    domains:
      - id: "1"
        name: Moving data
        weight: 75
        tasks:
          - {id: "1.1", text: Stream data in, terms: [Kinesis, shard, streaming, cost]}
          - {id: "1.2", text: Transform it, terms: [Glue, ETL, cost]}
      - id: "2"
        name: Keeping it safe
        weight: 25
        tasks:
          - {id: "2.1", text: Encrypt it, terms: [KMS, encryption]}
          - {id: "2.2", text: Audit it, terms: [CloudTrail, audit]}
"""


def _small(tmp_path: Path) -> Blueprint:
    path = tmp_path / "blueprint.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return Blueprint.load(path)


def test_the_shipped_blueprint_has_four_exams_with_weights_summing_to_100() -> None:
    bp = Blueprint.load()
    assert set(bp.exams) == {"DEA-C01", "DAS-C01", "SAA-C03", "AIF-C01"}
    for domains in bp.exams.values():
        assert sum(d.weight for d in domains) == 100
        assert all(d.tasks and all(t.terms for t in d.tasks) for d in domains)


def test_tagging_weighs_rare_terms_over_shared_ones(tmp_path: Path) -> None:
    bp = _small(tmp_path)
    assert [t.key for t in bp.tag("Each Kinesis shard takes 1 MB per second.")] == ["EX-1 1.1"]
    assert bp.tag("It keeps the cost down.") == []  # "cost" is in two tasks: 0.5, under the bar
    assert [t.key for t in bp.tag("Glue ETL jobs, at a cost")] == ["EX-1 1.2"]
    assert bp.tag("kinesisfoo and ShardX") == []  # whole words only


def test_coverage_names_the_tasks_the_notes_miss(tmp_path: Path) -> None:
    bp = _small(tmp_path)
    chunk = StoredChunk(
        id="c", text="Encrypt the stream with KMS.", source="n.md", heading="Kinesis", start_line=1, end_line=1, ordinal=0, content_hash="h"
    )
    covered = bp.covered([chunk])
    assert covered == {"EX-1 1.1", "EX-1 2.1"}
    rows = coverage(bp, [], covered)
    assert [(r.domain.name, r.tasks_in_notes, [t.id for t in r.uncovered]) for r in rows] == [
        ("Moving data", 1, ["1.2"]),
        ("Keeping it safe", 1, ["2.2"]),
    ]


def test_quota_order_follows_domain_weights(workspace: Workspace, ingest_note: Callable[..., Path], tmp_path: Path) -> None:
    bp = _small(tmp_path)
    lines = [f"  • A Kinesis stream number {i} keeps records for {i + 1} hours by default." for i in range(6)]
    lines += [f"  • CloudTrail trail number {i} keeps events for {i + 1} days by default." for i in range(6)]
    ingest_note("n.txt", "Facts\n\n" + "\n".join(lines) + "\n")
    cards = generate(workspace, n=12, kind="card").accepted
    for q in cards:
        q.task = "; ".join(t.key for t in bp.tag(q.stem))
    ordered = quota_order(cards, bp.exams["EX-1"])
    first_four = [task_keys(q.task)[0].split()[1][0] for q in ordered[:4]]
    assert first_four.count("1") == 3 and first_four.count("2") == 1  # 75 % / 25 %


def test_bank_progress_shows_domains_and_uncovered_tasks(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note(
        "kds.txt",
        "Amazon Kinesis Data Streams\n\n  • Kinesis Data Streams keeps records for 24 hours by default.\n"
        "  • One shard accepts up to 1,000 records per second for streaming ingestion.\n",
    )
    cards = generate(workspace, n=2, kind="card").accepted
    assert all("DEA-C01 1.1" in task_keys(q.task) for q in cards), [q.task for q in cards]
    QuestionBank(workspace).rate(cards[0].id, Rating.Good)
    result = CliRunner().invoke(app, ["bank", "progress", "--exam", "DEA-C01"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "1. Data Ingestion" in out and "not in your notes at all" in out and "4.3" in out
    row = next(line for line in result.stdout.splitlines() if "1. Data Ingestion" in line)
    assert [c.strip() for c in row.split("│")[2:6]] == ["34%", "2", "1", "100%"]
    bad = CliRunner().invoke(app, ["bank", "progress", "--exam", "XYZ"])
    assert bad.exit_code != 0 and "unknown exam" in str(bad.exception or bad.output)
