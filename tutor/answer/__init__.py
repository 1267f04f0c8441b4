"""Grounded answers: retrieval, an engine (extractive or any litellm model), checked citations.

Attributes load lazily, so the database can register the session tables without importing
litellm.
"""

from __future__ import annotations

from tutor._lazy import lazy_exports

_EXPORTS = {
    "Answer": "tutor.answer.result",
    "Citation": "tutor.answer.citations",
    "SessionStore": "tutor.answer.sessions",
    "ask": "tutor.answer.pipeline",
}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(globals(), _EXPORTS)
