"""`tutor eval --from-notes N`: an eval set written from the student's flashcards, then run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tutor.cli import _register, app
from tutor.evals.golden import load_set
from tutor.workspace import Workspace

_register()

NOTES = """\
Amazon SQS

  • A message can be delayed for up to 15 minutes with a delivery delay.
  • Visibility timeout – how long a received message stays hidden from other consumers.
  • SQS keeps messages for 4 days by default, and at most 14 days.

Amazon Kinesis Data Streams

  • Kinesis Data Streams keeps records for 24 hours by default.
  • Shard – the unit of throughput of a stream, with its own ordered sequence of records.
"""


def test_from_notes_writes_an_editable_set_and_runs_it(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "queues.txt").write_text(NOTES, encoding="utf-8")
    workspace.ingest([notes])
    report = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", "--from-notes", "4", "-c", "notes", "--report", str(report), "--json"])
    assert result.exit_code == 0, result.output
    written = report / "notes-from-notes.jsonl"
    items = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert len(items) == 4 and len({i["id"] for i in items}) == 4
    lines = NOTES.splitlines()
    for i in items:
        assert i["question"].endswith("?") and "___" not in i["question"]
        evidence = lines[i["start_line"] - 1]
        assert all(f.lower() in evidence.lower() for f in i["key_facts"]), (i, evidence)
    cloze = next(i for i in items if i["key_facts"] == ["24 hours"])
    assert "for what by default" in cloze["question"] and "Kinesis" in cloze["question"]
    assert len(load_set(written)) == 4  # the evals/README.md format: it loads as any golden set
    run = json.loads(result.stdout)
    assert run["config"]["sets"] == [str(written)] and len(run["questions"]) == 4
    assert run["metrics"]["hit_at_k"] is not None
