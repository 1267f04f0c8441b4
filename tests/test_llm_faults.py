"""Provider faults through litellm's real OpenAI client against tests/openai_server.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openai_server import Fault, OpenAIServer

import tutor  # noqa: F401 - sets litellm's offline price map before litellm is imported
from tutor.config import LLMConfig
from tutor.errors import TutorError
from tutor.llm import complete
from tutor.llm.cache import ResponseCache
from tutor.workspace import Workspace

MESSAGES = [{"role": "user", "content": "How long does Kinesis keep records?"}]
MODEL = "openai/gpt-test"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")


def settings(server: OpenAIServer, **overrides: object) -> LLMConfig:
    return LLMConfig(api_base=server.url, **{"retry_backoff": 0.05, **overrides})


def test_a_reply_from_another_api_base_is_not_the_cached_one(openai_server: OpenAIServer, home: Path) -> None:
    cache = ResponseCache(home / "tutor.db")
    openai_server.default_text = "From the first server [1]."
    with OpenAIServer() as other:
        other.default_text = "From the second server [1]."
        first = complete(MESSAGES, settings=settings(openai_server), model=MODEL, cache=cache)
        second = complete(MESSAGES, settings=settings(other), model=MODEL, cache=cache)
        again = complete(MESSAGES, settings=settings(other), model=MODEL, cache=cache)
    assert (first.text, first.cached) == ("From the first server [1].", False)
    assert (second.text, second.cached) == ("From the second server [1].", False)
    assert again.cached and again.text == second.text and other.count() == 1


def test_every_param_is_in_the_cache_key(openai_server: OpenAIServer, home: Path) -> None:
    cache = ResponseCache(home / "tutor.db")
    openai_server.queue("short", "long")
    short = complete(MESSAGES, settings=settings(openai_server), model=MODEL, cache=cache, max_tokens=5)
    long = complete(MESSAGES, settings=settings(openai_server), model=MODEL, cache=cache, max_tokens=500)
    assert (short.text, long.text, long.cached) == ("short", "long", False)


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.RATE_LIMIT])
def test_num_retries_means_retries(openai_server: OpenAIServer, fault: Fault) -> None:
    openai_server.queue(*[fault] * 10)
    with pytest.raises(TutorError, match=r"\(3 attempts\)") as err:
        complete(MESSAGES, settings=settings(openai_server, num_retries=2), model=MODEL)
    assert openai_server.count() == 3  # 1 + num_retries, not 5 (the OpenAI client retried too)
    assert "\n" not in str(err.value)


def test_a_retry_succeeds(openai_server: OpenAIServer) -> None:
    openai_server.queue(Fault.RATE_LIMIT, "Records stay 24 hours [1].")
    reply = complete(MESSAGES, settings=settings(openai_server, num_retries=1), model=MODEL)
    assert reply.text == "Records stay 24 hours [1]." and openai_server.count() == 2


@pytest.mark.parametrize("stream", [False, True])
def test_a_hung_provider_fails_within_the_timeout(openai_server: OpenAIServer, stream: bool) -> None:
    openai_server.queue(*[Fault.HANG] * 10)
    started = time.monotonic()
    with pytest.raises(TutorError, match="timed out"):
        complete(
            MESSAGES,
            settings=settings(openai_server, timeout=1.5, num_retries=2),
            model=MODEL,
            on_token=(lambda t: None) if stream else None,
        )
    assert time.monotonic() - started < 1.5 + 1.0  # was 5 requests x timeout, plus backoff
    assert openai_server.count() == 1  # no time left for a retry


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("fault", [Fault.GARBAGE, Fault.EMPTY, Fault.MALFORMED])
def test_an_empty_or_unparseable_reply_is_a_provider_error(openai_server: OpenAIServer, fault: Fault, stream: bool) -> None:
    openai_server.queue(*[fault] * 3)
    with pytest.raises(TutorError, match=f"model {MODEL}: ") as err:
        complete(MESSAGES, settings=settings(openai_server, num_retries=1), model=MODEL, on_token=(lambda t: None) if stream else None)
    assert "\n" not in str(err.value)
    assert openai_server.count() == 2  # retried once, like any other provider fault


def test_a_stream_cut_short_is_not_retried_after_text_was_shown(openai_server: OpenAIServer) -> None:
    openai_server.queue(Fault.TRUNCATED, "Kinesis keeps records 24 hours [1].")
    shown: list[str] = []
    with pytest.raises(TutorError, match="stream broke off"):
        complete(MESSAGES, settings=settings(openai_server), model=MODEL, on_token=shown.append)
    assert "".join(shown) == "Kinesis keeps records " and openai_server.count() == 1


def test_error_lines_are_cut_at_a_word(openai_server: OpenAIServer) -> None:
    words = [f"upstream{i}" for i in range(80)]
    openai_server.error_message = " ".join(words)
    openai_server.queue(Fault.SERVER_ERROR)
    with pytest.raises(TutorError) as err:
        complete(MESSAGES, settings=settings(openai_server, num_retries=0), model=MODEL)
    message = str(err.value)
    assert len(message) < 300 and message.endswith("…")
    assert message.rstrip("…").split()[-1] in words  # a whole word, not "upstre"


def test_a_garbage_stream_is_not_an_answer_about_the_notes(openai_env: OpenAIServer, studied: Workspace) -> None:
    openai_env.queue(*[Fault.GARBAGE] * 3)
    with pytest.raises(TutorError, match="empty or unreadable reply"):
        studied.ask("How long does Kinesis keep records?", collection="notes", on_token=lambda t: None)


def test_a_marker_to_a_missing_source_is_never_streamed(openai_env: OpenAIServer, studied: Workspace) -> None:
    openai_env.default_text = "Kinesis Data Streams keeps records for 24 hours by default [1, 9]. Retention goes to 365 days [9]."
    shown: list[str] = []
    answer = studied.ask("How long does Kinesis keep records?", collection="notes", on_token=shown.append)
    streamed = "".join(shown)
    assert "[9" not in streamed and "9]" not in streamed  # was shown, then removed from the saved answer
    assert "by default [1]." in streamed and "[1]" in answer.answer and "[9]" not in answer.answer
    assert openai_env.count() == 1
