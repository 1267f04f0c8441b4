"""Exam-style questions: written from the notes, verified, banked and practised with FSRS.

Attributes load lazily: generation imports litellm (seconds), which `tutor quiz`, the other
commands and the TUI's first paint should not wait for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor._lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy exports are, for the type checker
    from tutor.questions.bank import QuestionBank as QuestionBank
    from tutor.questions.generation import GenerationReport as GenerationReport
    from tutor.questions.generation import generate as generate
    from tutor.questions.generation import verify as verify
    from tutor.questions.question import Grade as Grade
    from tutor.questions.question import Question as Question
    from tutor.questions.question import TopicProgress as TopicProgress

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
