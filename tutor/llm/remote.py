"""Remote models through litellm: timeouts, retries, fallbacks, cost and a cache.

Only :func:`tutor.llm.client.complete` calls this, for a model that is not local: importing
litellm takes seconds that an offline answer never pays.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import litellm
import openai
from litellm.exceptions import MidStreamFallbackError, Timeout

from tutor.config import LLMConfig
from tutor.errors import TutorError
from tutor.llm.cache import Cached, ResponseCache, request_key
from tutor.llm.engine import Completion

litellm.suppress_debug_info = True
litellm.drop_params = True  # a provider that lacks `temperature` etc. is not an error


def supports_schema(model: str) -> bool:
    """Does litellm know ``model``'s provider to take a JSON schema as ``response_format``?"""
    try:
        return bool(litellm.supports_response_schema(model=model))
    except Exception:  # an unknown provider: litellm raises instead of answering False
        return False


def complete_remote(
    messages: list[dict[str, str]],
    *,
    settings: LLMConfig,
    model: str,
    cache: ResponseCache | None = None,
    on_token: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    **extra: Any,
) -> Completion:
    """Run one chat completion; provider failures become a one-line :class:`TutorError`.

    ``extra`` goes to ``litellm.completion`` unchanged (tests pass ``mock_response`` here).
    """
    request: dict[str, Any] = {"model": model, "messages": messages, "temperature": settings.temperature, **extra}
    if settings.api_base:
        request["api_base"] = settings.api_base
    if settings.fallbacks:
        request["fallbacks"] = [m for m in settings.fallbacks if m != model]
    key = request_key(request)
    if cache is not None and (hit := cache.get(key)):
        if on_token:
            on_token(hit.text)
        return Completion(hit.text, hit.model, hit.tokens, hit.cost, cached=True)
    result = _with_retries(request, settings, on_token, cancel)
    if cache is not None and result.text:
        cache.put(key, Cached(result.model, result.text, result.tokens, result.cost))
    return result


class EmptyReply(openai.APIError):
    """HTTP 200 with no usable text (empty, or not the API's format): a provider fault, never an answer."""

    def __init__(self, model: str) -> None:
        super().__init__("the provider sent an empty or unreadable reply", request=None, body=None)  # type: ignore[arg-type]
        self.model = model


def _with_retries(
    request: dict[str, Any],
    settings: LLMConfig,
    on_token: Callable[[str], None] | None,
    cancel: threading.Event | None,
) -> Completion:
    """At most ``1 + num_retries`` requests, all within ``timeout`` seconds; a provider
    failure becomes a one-line :class:`TutorError`.

    litellm's retries and the OpenAI client's own (2 by default) are both turned off, so a
    failing request is sent exactly ``1 + num_retries`` times; each attempt gets only the
    time left, so a hung provider fails after ``timeout`` seconds, not attempts x timeout.
    """
    started = time.monotonic()
    deadline = started + settings.timeout
    streamed = False

    def forward(token: str) -> None:
        nonlocal streamed
        streamed = True
        if on_token is not None:
            on_token(token)

    for attempt in range(1 + settings.num_retries):
        left = deadline - time.monotonic()
        kwargs = {**request, "timeout": left, "num_retries": 0, "max_retries": 0}
        try:
            if left <= 0:
                raise Timeout(f"no reply within {settings.timeout:g} s", request["model"], "tutor")
            result = _stream(kwargs, forward, cancel, deadline) if on_token else _once(kwargs)
            if not result.text.strip() and not (cancel is not None and cancel.is_set()):
                raise EmptyReply(request["model"])
            return result
        except openai.APIError as exc:  # litellm's exceptions (timeouts, rate limits, auth...) subclass these
            wait = settings.retry_backoff * 2**attempt
            last = attempt == settings.num_retries or time.monotonic() + wait >= deadline
            if last or streamed or not _retryable(exc):  # a retry after streamed text would repeat it
                raise TutorError(_one_line(request["model"], exc, attempt + 1, time.monotonic() - started)) from exc
            time.sleep(wait)
    raise AssertionError("unreachable: the loop returns or raises")


def _retryable(exc: openai.APIError) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.RateLimitError | openai.APIConnectionError | EmptyReply)


def _once(kwargs: dict[str, Any]) -> Completion:
    response = litellm.completion(**kwargs)
    return Completion(_text(response), kwargs["model"], _tokens(response), _cost(response))


def _stream(kwargs: dict[str, Any], on_token: Callable[[str], None], cancel: threading.Event | None, deadline: float) -> Completion:
    response = litellm.completion(**kwargs, stream=True)
    chunks = []
    for chunk in response:
        chunks.append(chunk)
        if chunk.choices and (delta := chunk.choices[0].delta.content):
            on_token(delta)
        if cancel is not None and cancel.is_set():
            break
        if time.monotonic() > deadline:  # a provider trickling tokens forever
            raise Timeout("the reply did not finish in time", kwargs["model"], "tutor")
    built = litellm.stream_chunk_builder(chunks, messages=kwargs["messages"]) if chunks else None
    if built is None:
        return Completion("", kwargs["model"])
    return Completion(_text(built), kwargs["model"], _tokens(built), _cost(built))


def _text(response: Any) -> str:
    """The reply's text; "" when it has no choices or no message (a malformed reply)."""
    message = getattr(response.choices[0], "message", None) if response.choices else None
    return str(getattr(message, "content", None) or "")


def _tokens(response: Any) -> int:
    usage = getattr(response, "usage", None)
    return int(getattr(usage, "total_tokens", 0) or 0)


def _cost(response: Any) -> float:
    try:
        return float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:
        return 0.0


def _one_line(model: str, exc: Exception, attempts: int, seconds: float) -> str:
    kind = {
        EmptyReply: "empty or unreadable reply",
        openai.APITimeoutError: f"timed out after {seconds:.0f} s",
        MidStreamFallbackError: "the reply stream broke off",
        openai.APIConnectionError: "connection failed",
        openai.RateLimitError: "rate limited (retries exhausted)",
        openai.AuthenticationError: "authentication failed (check the provider's API key)",
        openai.NotFoundError: "model not found",
    }
    reason = next((label for cls, label in kind.items() if isinstance(exc, cls)), type(exc).__name__)
    detail = _clip(" ".join(str(exc).split()), 200)
    tries = f" ({attempts} attempts)" if attempts > 1 else ""
    return f"model {model}: {reason}{tries}: {detail}"


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary (never mid-word) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"
