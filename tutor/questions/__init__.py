"""Exam-style questions: written from the notes, verified, banked and practised with FSRS.

Attributes load lazily: generation imports litellm (seconds), which `tutor quiz`, the other
commands and the TUI's first paint should not wait for.
"""

from __future__ import annotations

from tutor._lazy import lazy_exports

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
__getattr__ = lazy_exports(globals(), _EXPORTS)
