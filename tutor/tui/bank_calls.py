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
    from tutor.questions.blueprint import DomainCoverage


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


def rate(workspace: Workspace, question_id: str, rating: int) -> None:
    """A flashcard's self-rating, 1 Again ... 4 Easy (fsrs.Rating)."""
    from fsrs import Rating

    _bank(workspace).rate(question_id, Rating(rating))


def progress(workspace: Workspace) -> list[TopicProgress]:
    return _bank(workspace).progress()


def coverage(workspace: Workspace) -> list[DomainCoverage]:
    """Per exam domain: banked, answered, retention, and how many of its tasks the notes cover."""
    from tutor.questions.blueprint import Blueprint, coverage

    blueprint = Blueprint.load(min_score=workspace.config.blueprint.min_score)
    chunks = workspace.index(workspace.resolve(None)).all()
    return coverage(blueprint, _bank(workspace).task_stats(), blueprint.covered(chunks))


def write_questions(workspace: Workspace, topic: str | None, n: int, collection: str | None, model: str | None) -> GenerationReport:
    from tutor.questions import generate  # imports litellm: only the core process gets here

    return generate(workspace, topic=topic, n=n, collection=collection, model=model, bank=_bank(workspace))
