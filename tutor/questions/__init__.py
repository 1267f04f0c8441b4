"""Exam-style questions: written from the notes, verified, banked and practised with FSRS.

Attributes load lazily: generation imports litellm (seconds), which `tutor quiz`, the other
commands and the TUI's first paint should not wait for.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "QuestionBank": "tutor.questions.bank",
    "GenerationReport": "tutor.questions.generation",
    "generate": "tutor.questions.generation",
    "verify": "tutor.questions.generation",
    "Grade": "tutor.questions.question",
    "Question": "tutor.questions.question",
    "TopicProgress": "tutor.questions.question",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(_EXPORTS[name])
        # Bind every export of that module now: importing it also bound the submodule
        # `tutor.questions.verify` as our attribute `verify`, which the function must win.
        for export, owner in _EXPORTS.items():
            if owner == _EXPORTS[name]:
                globals()[export] = getattr(module, export)
        return globals()[name]
    raise AttributeError(f"module 'tutor.questions' has no attribute {name!r}")
