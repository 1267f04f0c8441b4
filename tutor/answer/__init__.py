"""Grounded answers: retrieval, an engine (extractive or any litellm model), checked citations.

Attributes load lazily, so the database can register the session tables without importing
litellm.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Answer": "tutor.answer.result",
    "Citation": "tutor.answer.citations",
    "SessionStore": "tutor.answer.sessions",
    "ask": "tutor.answer.pipeline",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tutor.answer' has no attribute {name!r}")
