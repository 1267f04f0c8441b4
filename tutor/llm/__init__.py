"""Every model call, local or remote, through litellm (see :func:`tutor.llm.client.complete`).

Attributes load lazily: importing litellm takes seconds, and commands that never call a model
(``tutor search``, database migrations) should not pay for it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EXTRACTIVE_MODEL": "tutor.llm.client",
    "LOCAL_PREFIX": "tutor.llm.client",
    "SMOLLM_MODEL": "tutor.llm.client",
    "Completion": "tutor.llm.client",
    "complete": "tutor.llm.client",
    "configured_models": "tutor.llm.client",
    "default_model": "tutor.llm.client",
    "render_prompt": "tutor.llm.prompts",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tutor.llm' has no attribute {name!r}")
