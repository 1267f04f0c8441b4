"""What the quiz and progress screens ask of the question bank, run in the core process.

Module-level functions, so a call pickles by name: each takes the Workspace (the screens pass
``app.workspace``, which stands for the process's own) and uses one QuestionBank per Workspace,
whose SQLite connection stays in that process.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from tutor.questions import Grade, Question, QuestionBank, TopicProgress
from tutor.workspace import Workspace

if TYPE_CHECKING:
    from tutor.questions import GenerationReport


@cache
def _bank(workspace: Workspace) -> QuestionBank:
    return QuestionBank(workspace)


def next_due(workspace: Workspace, topic: str | None, collection: str | None = None) -> tuple[Question | None, int]:
    """The next question to practise from ``collection`` (default: the workspace's), and how many are due."""
    bank = _bank(workspace)
    due = bank.due(1, topic, collection=collection or workspace.default_collection())
    return (due[0] if due else None), sum(p.due for p in bank.progress() if topic in (None, p.topic))


def flag(workspace: Workspace, question_id: str) -> None:
    _bank(workspace).flag(question_id)


def retire(workspace: Workspace, question_id: str) -> None:
    _bank(workspace).retire(question_id)


def grade(workspace: Workspace, question_id: str, chosen: list[int]) -> Grade:
    return _bank(workspace).grade(question_id, chosen)


def progress(workspace: Workspace) -> list[TopicProgress]:
    return _bank(workspace).progress()


def write_questions(workspace: Workspace, topic: str | None, n: int, collection: str | None, model: str | None) -> GenerationReport:
    from tutor.questions import generate  # imports litellm: only the core process gets here

    return generate(workspace, topic=topic, n=n, collection=collection, model=model, bank=_bank(workspace))
