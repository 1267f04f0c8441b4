"""`tutor eval --from-notes N`: an eval set written from the student's flashcards, then run."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openai_server import Fault, OpenAIServer
from typer.testing import CliRunner

from tutor.cli import _register, app
from tutor.errors import TutorError
from tutor.evals.from_notes import FACT_NOT_IN_EVIDENCE, GIVEN_AWAY, NO_SUCH_NOTE, NOT_IN_CHUNK, ONE_CHUNK, DraftEvalItem, verified
from tutor.evals.golden import load_set
from tutor.store.index import StoredChunk
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


def test_from_notes_writes_an_editable_set_and_runs_it(workspace: Workspace, ingest_note: Callable[..., Path], tmp_path: Path) -> None:
    ingest_note("queues.txt", NOTES)
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


# A student's notes with five sections; the recorded replies below quote them as a model does.
SECTIONS = {
    "Amazon Kinesis Data Streams": [
        "Kinesis Data Streams keeps records for 24 hours by default, and retention can be raised to 365 days.",
        "One shard accepts up to 1 MB per second or 1,000 records per second of writes.",
        "Enhanced fan-out gives every registered consumer its own 2 MB per second per shard.",
    ],
    "Amazon SQS": [
        "A standard queue keeps messages for 4 days by default and for at most 14 days.",
        "The visibility timeout hides a received message from other consumers for 30 seconds by default.",
        "A FIFO queue delivers each message exactly once, in the order it was sent.",
    ],
    "Amazon Data Firehose": [
        "Firehose buffers incoming records for up to 900 seconds before it delivers them to Amazon S3.",
        "Firehose can convert JSON records to Apache Parquet before it writes them to S3.",
        "Firehose needs no consumer code: it scales with the incoming data on its own.",
    ],
    "AWS Lambda": [
        "A Lambda function can run for at most 15 minutes per invocation.",
        "Lambda memory can be set from 128 MB to 10,240 MB, and CPU grows with memory.",
        "A Kinesis event source mapping can process up to 10 batches per shard at once.",
    ],
    "Amazon S3": [
        "S3 Standard stores objects across at least three Availability Zones.",
        "S3 Lifecycle rules move objects to colder storage classes after a number of days.",
        "S3 Object Lock stores objects write-once-read-many for a retention period.",
    ],
}
STREAMS = "".join(f"{title}\n\n" + "".join(f"  • {line}\n" for line in lines) + "\n" for title, lines in SECTIONS.items())


def recorded_replies(body: dict[str, Any]) -> str | Fault:
    """What a model answers to an eval-item request, by the passage it was given as [1]:
    good fact and scenario items, a key fact the evidence does not state, broken JSON, and a
    quote that paraphrases the notes. Other requests (the eval's answers) get plain text."""
    if "You write evaluation questions" not in body["messages"][0]["content"]:
        return "The notes say records stay for a day."
    prompt = body["messages"][1]["content"]
    first = next(t for t in SECTIONS if re.search(rf"^\[1\] .*{re.escape(t)}", prompt, re.M))
    second = next((t for t in SECTIONS if t != first and re.search(rf"^\[2\] .*{re.escape(t)}", prompt, re.M)), None)
    lines = SECTIONS[first]
    if first == "Amazon Kinesis Data Streams":
        return json.dumps(
            {
                "kind": "fact",
                "question": "If I leave a new Kinesis data stream alone, how long do my records stay in it?",
                "key_facts": ["24 hours"],
                "evidence": [{"source": 1, "quote": lines[0]}],
                "reference": "A day, unless retention is raised.",
            }
        )
    if first == "Amazon SQS":
        assert second is not None, prompt  # a scenario gets a second passage from another section
        return (
            "```json\n"
            + json.dumps(
                {
                    "kind": "scenario",
                    "question": "A company queues orders in SQS and must keep unprocessed orders as long as the queue allows. "
                    "How long can a message stay, and which related limit from the other note applies?",
                    "key_facts": ["14 days", SECTIONS[second][0].split(" for ")[0].split()[-1]],
                    "evidence": [{"source": 1, "quote": lines[0]}, {"source": 2, "quote": SECTIONS[second][0]}],
                    "reference": "Up to 14 days.",
                }
            )
            + "\n```"
        )
    if first == "Amazon Data Firehose":  # the model's key fact is its own, not the notes'
        return json.dumps(
            {
                "question": "How long does Firehose buffer records at most?",
                "key_facts": ["60 seconds"],
                "evidence": [{"source": 1, "quote": lines[0]}],
            }
        )
    if first == "AWS Lambda":
        return '{"question": "How long can a Lambda function run", "key_facts": ["15 minutes"], "evidence": [{"source": 1, "quo'
    return json.dumps(  # S3: a paraphrase, not a line of the notes
        {
            "question": "Across how many zones does S3 Standard keep my objects?",
            "key_facts": ["three Availability Zones"],
            "evidence": [{"source": 1, "quote": "S3 keeps data in three Availability Zones or more."}],
        }
    )


@pytest.fixture
def streams(workspace: Workspace, ingest_note: Callable[..., Path]) -> Path:
    path = ingest_note("streams.txt", STREAMS)
    (workspace.config.home / "config.toml").write_text("[llm]\nnum_retries = 0\ncache = false\n", encoding="utf-8")
    return path


def test_with_a_model_items_are_kept_only_when_their_evidence_is_the_notes(streams: Path, openai_env: OpenAIServer, tmp_path: Path) -> None:
    openai_env.responder = recorded_replies
    report = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", "--from-notes", "4", "-c", "notes", "--report", str(report), "--json"])
    assert result.exit_code == 0, result.output
    asked = [r for r in openai_env.requests if "You write evaluation questions" in r.body["messages"][0]["content"]]
    assert all(r.body["response_format"] == {"type": "json_object"} for r in asked)  # unknown model: JSON mode and repair
    assert len(asked) == 5 + 2  # five passages; broken JSON is sent back twice more with the error
    assert "could not be used" in asked[4].body["messages"][-1]["content"]
    written = report / "notes-from-notes.jsonl"
    items = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert [i["kind"] for i in items] == ["fact", "scenario"]
    lines = STREAMS.splitlines()
    for i in items:  # every key fact is in the evidence lines the item points at
        said = " ".join(lines[i["start_line"] - 1 : i["end_line"]] + [lines[h["start_line"] - 1] for h in i.get("hops", [])])
        assert all(f.lower() in said.lower() for f in i["key_facts"]), (i, said)
    scenario = items[1]
    assert "14 days" in lines[scenario["start_line"] - 1] and len(scenario["hops"]) == 1
    assert len(load_set(written)) == 2
    told = " ".join(result.stderr.split())  # unwrapped
    assert "2 questions by openai/gpt-test from 5 passages" in told
    for why in ("1 a key fact is not in its evidence lines", "1 the model returned broken JSON", "1 an evidence quote is not a line"):
        assert why in told, told
    assert len(json.loads(result.stdout)["questions"]) == 2


def test_a_provider_fault_is_reported_as_such(streams: Path, openai_env: OpenAIServer, tmp_path: Path) -> None:
    openai_env.responder = lambda body: Fault.SERVER_ERROR
    result = CliRunner().invoke(app, ["eval", "--from-notes", "4", "-c", "notes", "--report", str(tmp_path / "run")])
    assert result.exit_code != 0 and isinstance(result.exception, TutorError)
    message = str(result.exception)
    assert message.startswith("no questions written: model openai/gpt-test") and "InternalServerError" in message, message
    assert "notes" not in message.split(":", 1)[1]  # a provider fault, never a statement about the notes
    assert openai_env.count("chat") == 1  # the first failure stops the run: no request per passage
    assert not (tmp_path / "run" / "notes-from-notes.jsonl").exists()


def test_a_model_item_is_checked_against_the_lines_of_the_notes_it_cites(tmp_path: Path) -> None:
    path = tmp_path / "streams.txt"
    path.write_text(STREAMS, encoding="utf-8")
    lines = STREAMS.splitlines()

    def chunk(title: str) -> StoredChunk:
        start = lines.index(title) + 1
        text = "\n".join(lines[start - 1 : start + 4])
        return StoredChunk(
            id=title, text=text, source=str(path), heading=title, start_line=start, end_line=start + 4, ordinal=0, content_hash="h"
        )

    notes = [chunk("Amazon SQS"), chunk("AWS Lambda")]
    sqs, lam = SECTIONS["Amazon SQS"], SECTIONS["AWS Lambda"]

    def draft(**fields: Any) -> DraftEvalItem:
        base = {
            "question": "How long can an SQS message wait in a queue?",
            "key_facts": ["14 days"],
            "evidence": [{"source": 1, "quote": sqs[0]}],
        }
        return DraftEvalItem.model_validate({**base, **fields})

    good = verified(draft(), notes)
    assert isinstance(good, dict) and lines[good["start_line"] - 1].endswith(sqs[0]) and good["hops"] == []
    assert verified(draft(evidence=[{"source": 3, "quote": sqs[0]}]), notes) == NO_SUCH_NOTE
    assert verified(draft(evidence=[{"source": 2, "quote": sqs[0]}]), notes) == NOT_IN_CHUNK  # a real line, of the other note
    assert verified(draft(key_facts=["14 days", "FIFO"]), notes) == FACT_NOT_IN_EVIDENCE
    assert verified(draft(question="Is it true that SQS keeps messages for 14 days at most?"), notes) == GIVEN_AWAY
    assert verified(draft(kind="scenario"), notes) == ONE_CHUNK
    both = verified(
        draft(
            kind="scenario", key_facts=["14 days", "15 minutes"], evidence=[{"source": 2, "quote": lam[0]}, {"source": 1, "quote": sqs[0]}]
        ),
        notes,
    )
    assert isinstance(both, dict) and both["kind"] == "scenario" and len(both["hops"]) == 1
    assert "15 minutes" in lines[both["hops"][0]["start_line"] - 1] or "15 minutes" in lines[both["start_line"] - 1]
