"""Grounded answers: retrieval, an engine (extractive or any litellm model), checked citations.

Attributes load lazily, so the database can register the session tables without importing
litellm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor._lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy exports are, for the type checker
    from tutor.answer.citations import Citation as Citation
    from tutor.answer.pipeline import ask as ask
    from tutor.answer.result import Answer as Answer
    from tutor.answer.sessions import SessionStore as SessionStore

_EXPORTS = {
    "Answer": "tutor.answer.result",
    "Citation": "tutor.answer.citations",
    "SessionStore": "tutor.answer.sessions",
    "ask": "tutor.answer.pipeline",
}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(globals(), _EXPORTS)
