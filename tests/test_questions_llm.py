"""LLM question writing through the real litellm path: ``mock_response`` for one reply, a
litellm custom provider replaying recorded replies for a conversation (retry on bad JSON)."""

from __future__ import annotations

import json

import litellm
import pytest
from litellm import CustomLLM, ModelResponse

from tutor.questions import QuestionBank, generate
from tutor.questions.llm_writer import parse_draft, rotate_keys
from tutor.workspace import Workspace

MODEL = "openai/gpt-4o-mini"

GOOD = {
    "stem": "A company must deliver streaming data to Amazon S3 in near real time with the least operational overhead. "
    "Which AWS service meets these requirements?",
    "options": ["Amazon Data Firehose", "Amazon Kinesis Data Streams", "Amazon MSK", "Amazon SQS"],
    "keys": [0],
    "explanations": [
        "Correct: Firehose is a no-code delivery pipe into S3 [1].",
        "Incorrect: Kinesis Data Streams needs a consumer to land data in S3 [1].",
        "Incorrect: MSK is managed Kafka for Kafka workloads [1].",
        "Incorrect: SQS is a queue, not a delivery service to S3 [1].",
    ],
    "topic": "Streaming",
    "domain": "Data Ingestion and Transformation",
    "difficulty": 2,
}


def _reply(**changes: object) -> str:
    return json.dumps({**GOOD, **changes})


class Recorded(CustomLLM):
    """Replays recorded model replies in order and keeps the conversations it was sent."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__()
        self.replies = list(replies)
        self.calls: list[list[dict]] = []

    def completion(self, model: str, messages: list, *args: object, **kwargs: object) -> ModelResponse:
        self.calls.append(messages)
        return litellm.completion(model=MODEL, messages=messages, mock_response=self.replies.pop(0))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch):
    def install(replies: list[str]) -> Recorded:
        handler = Recorded(replies)
        monkeypatch.setattr(
            litellm, "custom_provider_map", [*litellm.custom_provider_map, {"provider": "recorded", "custom_handler": handler}]
        )
        litellm.utils.custom_llm_setup()
        return handler

    return install


def _seed_topic(ws: Workspace) -> str:
    return "deliver streaming data to S3 with the least operational overhead"


def test_valid_reply_is_verified_and_banked(qws: Workspace) -> None:
    report = generate(qws, topic=_seed_topic(qws), n=1, collection="notes", model=MODEL, mock_response=_reply())
    assert len(report.accepted) == 1, report.rejected
    q = report.accepted[0]
    assert q.model == MODEL and q.verdict["passed"]
    assert q.options[q.keys[0]] == "Amazon Data Firehose"
    assert q.explanations[q.keys[0]].startswith("Correct")  # explanations follow their options when rotated
    assert [c.n for c in q.citations] == list(range(1, len(q.citations) + 1))
    assert QuestionBank(qws).get(q.id).model == MODEL


def test_malformed_json_is_retried_with_the_error(qws: Workspace, recorded) -> None:
    handler = recorded(['{"stem": "A company needs', "```json\n" + _reply() + "\n```"])
    report = generate(qws, topic=_seed_topic(qws), n=1, collection="notes", model="recorded/questions")
    assert len(report.accepted) == 1
    assert len(handler.calls) == 2
    assert "could not be used" in handler.calls[1][-1]["content"]


def test_never_valid_json_is_reported(qws: Workspace) -> None:
    report = generate(qws, topic=_seed_topic(qws), n=1, collection="notes", model=MODEL, mock_response="Sure! Here is a question.")
    assert not report.accepted
    assert report.rejected and all(q is None and "no valid JSON" in r[0] for q, r in report.rejected)


@pytest.mark.parametrize(
    ("reply", "kind", "reason"),
    [
        (_reply(keys=[4]), "single", "key index out of range"),
        (_reply(options=["Amazon Data Firehose", "Amazon Kinesis Data Firehose", "Amazon MSK", "Amazon SQS"]), "single", "near-duplicates"),
        (_reply(keys=[1]), "single", "independent solve picked Amazon Data Firehose"),
        (
            _reply(
                stem=GOOD["stem"].replace("Which AWS service meets", "Which AWS services meet") + " (Choose TWO.)",
                options=[*GOOD["options"], "Amazon SNS"],
                explanations=[*GOOD["explanations"], "Incorrect: SNS pushes messages [1]."],
            ),
            "multi",
            "1 key(s), the question asks for 2",
        ),
    ],
)
def test_bad_questions_are_rejected(qws: Workspace, reply: str, kind: str, reason: str) -> None:
    report = generate(qws, topic=_seed_topic(qws), n=1, kind=kind, collection="notes", model=MODEL, mock_response=reply)
    assert not report.accepted
    assert report.rejected and all(any(reason in r for r in reasons) for _, reasons in report.rejected), report.rejected
    assert QuestionBank(qws).all() == []


def test_parse_draft_and_rotation() -> None:
    with pytest.raises(ValueError, match="difficulty"):
        parse_draft(_reply(difficulty=7))
    draft = parse_draft("Here you go:\n" + _reply())
    assert draft.keys == [0]
    from tutor.questions.question import Question

    q = Question("q1", "single", "s", list("ABCD"), [0], ["a", "b", "c", "d"], [], "t", "d", 2, [])
    rotate_keys(q, 2)
    assert q.options == ["C", "D", "A", "B"] and q.keys == [2] and q.explanations == ["c", "d", "a", "b"]
