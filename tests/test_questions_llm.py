"""Model-written questions through litellm's real HTTP client, against the OpenAI-compatible
server on 127.0.0.1 (tests/openai_server.py) answering with recorded replies: scenario
questions good and bad, broken JSON, a provider error, and the independent solve (the
server's responder reads the solve request and picks the option a recorded answer names)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from openai_server import Fault, OpenAIServer

from tutor.questions import QuestionBank, generate
from tutor.questions.llm_writer import BROKEN_JSON, parse_draft, rotate_keys
from tutor.questions.question import Question
from tutor.workspace import Workspace

SCHEMA_MODEL = "openai/gpt-4o-mini"  # litellm knows it takes a JSON schema
PLAIN_MODEL = "openai/tutor-recorded"  # unknown to litellm: JSON mode and our repair

GOOD = {
    "stem": "A retail company runs its web servers on Amazon EC2 and writes clickstream events to local files. "
    "The company must land the events in Amazon S3 within a few minutes, compressed, and does not want to write "
    "or run any consumer code. Which solution meets these requirements with the LEAST operational overhead?",
    "options": [
        "Send the events to Amazon Data Firehose with an S3 destination and compression enabled.",
        "Write the events to Amazon Kinesis Data Streams and run a consumer application that writes batches to S3.",
        "Publish the events to an Amazon MSK cluster and run Kafka Connect workers that write to S3.",
        "Send the events to an Amazon SQS queue and poll it with a scheduled job that writes to S3.",
    ],
    "keys": [0],
    "explanations": [
        "Correct: Firehose buffers, compresses and delivers streaming data to S3 with no code to run [1].",
        "Incorrect: Kinesis Data Streams needs a consumer application to land data in S3, which the company will not run [1].",
        "Incorrect: MSK is managed Kafka; Kafka Connect workers are more infrastructure to operate [1].",
        "Incorrect: SQS is a queue, and polling it to write files is custom consumer code [1].",
    ],
    "topic": "Amazon Data Firehose",
    "domain": "Data Ingestion and Transformation",
    "difficulty": 2,
    "fact": "Firehose delivers streaming data to S3 with no consumer code.",
}
TOPIC = "deliver streaming data to S3 with the least operational overhead"


def _reply(**changes: object) -> str:
    return json.dumps({**GOOD, **changes})


def solver_picks(server: OpenAIServer, phrase: str) -> None:
    """Answer solve requests with the letter of the option containing ``phrase`` (as a model that
    read the notes would); anything else gets a model's chatter, which is not a question."""

    def reply(body: dict[str, Any]) -> str:
        prompt = body["messages"][-1]["content"]
        if "You are sitting an AWS certification exam" not in prompt:
            return "Sure! Here is a question about streaming."
        assert '"keys"' not in prompt and "Correct" not in prompt  # the solver never sees the key
        letters = [m[0] for m in re.findall(r"^([A-E])\. (.+)$", prompt, re.M) if phrase in m[1]]
        return json.dumps({"letters": letters})

    server.responder = reply


@pytest.fixture
def server(qws: Workspace, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    qws.config.llm.api_base = openai_server.url
    qws.config.llm.num_retries = 0
    yield openai_server


def test_scenario_reply_is_structured_solved_and_banked(qws: Workspace, server: OpenAIServer) -> None:
    server.queue(_reply())
    solver_picks(server, "Data Firehose")
    report = generate(qws, topic=TOPIC, n=1, collection="notes", model=SCHEMA_MODEL)
    assert len(report.accepted) == 1, report.rejected
    q = report.accepted[0]
    assert server.requests[0].body["response_format"]["type"] == "json_schema"  # structured output, not free text
    assert "stem" in json.dumps(server.requests[0].body["response_format"])
    assert q.verdict["passed"] and q.verdict["solve"]["method"] == "model"
    assert "Data Firehose" in q.options[q.keys[0]] and q.explanations[q.keys[0]].startswith("Correct")
    assert q.fact.startswith("Amazon Data Firehose | ") and q.topic == "Amazon Data Firehose"
    assert QuestionBank(qws).get(q.id).model == SCHEMA_MODEL
    assert len(server.requests) == 2 and report.shortfall() == []


def test_plain_json_mode_repairs_fenced_reply_with_trailing_comma(qws: Workspace, server: OpenAIServer) -> None:
    sloppy = "Here is your question:\n```json\n" + _reply()[:-1] + ",\n}\n```"
    server.queue(sloppy)
    solver_picks(server, "Data Firehose")
    report = generate(qws, topic=TOPIC, n=1, collection="notes", model=PLAIN_MODEL)
    assert len(report.accepted) == 1, report.rejected
    assert server.requests[0].body["response_format"] == {"type": "json_object"}


def test_broken_json_is_retried_then_reported_as_such(qws: Workspace, server: OpenAIServer) -> None:
    server.queue('{"stem": "A company needs', _reply())
    solver_picks(server, "Data Firehose")
    assert len(generate(qws, topic=TOPIC, n=1, collection="notes", model=PLAIN_MODEL).accepted) == 1
    assert "could not be used" in server.requests[1].body["messages"][-1]["content"]  # the error went back to the model
    report = generate(qws, topic="Amazon Data Firehose", n=1, collection="notes", model=PLAIN_MODEL)
    assert not report.accepted and report.rejected
    assert all(r.question is None and r.reasons[0].startswith(BROKEN_JSON) for r in report.rejected)
    lines = report.shortfall()
    assert lines[0] == "delivered 0 of 1 question(s)" and any("the model returned broken JSON" in line for line in lines)
    assert not any("failed verification" in line for line in lines)  # a provider fault is not a fact about the notes


def test_solver_that_disagrees_rejects_the_draft(qws: Workspace, server: OpenAIServer) -> None:
    server.queue(_reply())
    solver_picks(server, "Kinesis Data Streams")
    report = generate(qws, topic=TOPIC, n=1, collection="notes", model=SCHEMA_MODEL)
    assert not report.accepted
    assert any("independent solve picked Write the events to Amazon Kinesis" in x for r in report.rejected for x in r.reasons)
    assert QuestionBank(qws).all() == []


def test_a_key_contradicting_the_bank_is_rejected(qws: Workspace, server: OpenAIServer) -> None:
    server.queue(_reply())
    solver_picks(server, "Data Firehose")
    first = generate(qws, topic=TOPIC, n=1, collection="notes", model=SCHEMA_MODEL).accepted[0]
    rival = _reply(
        stem="A media streaming service collects playback telemetry from set-top boxes. Engineers want the telemetry "
        "stored in S3 for later analysis and do not want to maintain any servers. Which solution meets these requirements?",
        keys=[1],
        fact="Kinesis Data Streams delivers streaming data to S3 with no consumer code.",
    )
    server.queue(rival, Fault.SERVER_ERROR)  # no solve: the bank check comes first; then the provider fails
    report = generate(qws, topic=TOPIC, n=1, collection="notes", model=SCHEMA_MODEL)
    assert not report.accepted
    assert any(f"contradicts bank question {first.id}" in x for r in report.rejected for x in r.reasons), report.rejected
    assert report.rejected[-1].reasons[0].startswith("the model call failed")  # drafting stopped there
    assert any(line.startswith("the model call failed") for line in report.shortfall())


@pytest.mark.parametrize(
    ("reply", "kind", "reason"),
    [
        (_reply(keys=[4]), "single", "key index out of range"),
        (_reply(options=[*GOOD["options"][:3], GOOD["options"][0]]), "single", "near-duplicates"),
        (
            _reply(
                stem=GOOD["stem"] + " (Choose TWO.)",
                options=[*GOOD["options"], "Use AWS DataSync to copy the files to S3 every hour."],
                explanations=[*GOOD["explanations"], "Incorrect: DataSync copies files on a schedule, not streams [1]."],
            ),
            "multi",
            "1 key(s), the question asks for 2",
        ),
    ],
)
def test_malformed_drafts_are_rejected_before_any_solve(qws: Workspace, server: OpenAIServer, reply: str, kind: str, reason: str) -> None:
    server.queue(*[reply] * qws.config.questions.max_attempts)  # one per seed chunk: each draft fails the same way
    report = generate(qws, topic=TOPIC, n=1, kind=kind, collection="notes", model=SCHEMA_MODEL)
    assert not report.accepted
    assert any(reason in x for r in report.rejected for x in r.reasons), report.rejected
    assert not any("You are sitting" in r.body["messages"][-1]["content"] for r in server.requests)  # structure fails first
    assert QuestionBank(qws).all() == []


def test_parse_draft_and_rotation() -> None:
    with pytest.raises(ValueError, match="difficulty"):
        parse_draft(_reply(difficulty=7))
    draft = parse_draft("Here you go:\n" + _reply())
    assert draft.keys == [0] and draft.fact
    q = Question("q1", "single", "s", list("ABCD"), [0], ["a", "b", "c", "d"], [], "t", "d", 2, [])
    rotate_keys(q, 2)
    assert q.options == ["C", "D", "A", "B"] and q.keys == [2] and q.explanations == ["c", "d", "a", "b"]
