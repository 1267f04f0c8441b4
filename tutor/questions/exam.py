"""A timed mock exam: answer, flag for review, then a debrief per exam domain.

The session is plain state (no I/O), so the CLI and the TUI drive the same object.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tutor.questions.bank import QuestionBank
from tutor.questions.question import Question


@dataclass
class DomainScore:
    domain: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


# AWS certification exams report a scaled score from 100 to 1,000.
SCALE_MIN, SCALE_MAX = 100, 1000


@dataclass
class Review:
    """One question of a finished exam, for the per-question review."""

    question: Question
    chosen: list[int]
    correct: bool
    flagged: bool


@dataclass
class ExamResult:
    correct: int
    total: int
    domains: list[DomainScore]
    unanswered: int
    timed_out: bool
    reviews: list[Review] = field(default_factory=list)
    pass_score: int = 720

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def scaled(self) -> int:
        """The share correct on the exams' 100-1,000 scale (a straight line: AWS does not publish its equating)."""
        return round(SCALE_MIN + (SCALE_MAX - SCALE_MIN) * self.correct / self.total) if self.total else SCALE_MIN

    @property
    def passed(self) -> bool:
        return self.scaled >= self.pass_score


@dataclass
class ExamSession:
    questions: list[Question]
    minutes: float
    clock: Callable[[], float] = time.monotonic
    answers: dict[int, list[int]] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.clock()

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.minutes * 60 - (self.clock() - self.started))

    @property
    def over(self) -> bool:
        return self.remaining() <= 0

    def answer(self, index: int, chosen: list[int], flag: bool = False) -> None:
        self.answers[index] = chosen
        (self.flagged.add if flag else self.flagged.discard)(index)

    def finish(self, bank: QuestionBank, pass_score: int = 720) -> ExamResult:
        """Grade every answer (an unanswered question is wrong) and log it as an exam review."""
        by_domain: dict[str, DomainScore] = {}
        reviews: list[Review] = []
        correct = 0
        for i, q in enumerate(self.questions):
            chosen = self.answers.get(i)
            ok = bank.grade(q.id, chosen, mode="exam").correct if chosen else False
            reviews.append(Review(q, chosen or [], ok, i in self.flagged))
            score = by_domain.setdefault(q.domain, DomainScore(q.domain, 0, 0))
            score.total += 1
            score.correct += ok
            correct += ok
        domains = sorted(by_domain.values(), key=lambda d: (d.percent, d.domain))
        unanswered = len(self.questions) - len(self.answers)
        return ExamResult(
            correct=correct,
            total=len(self.questions),
            domains=domains,
            unanswered=unanswered,
            timed_out=self.over,
            reviews=reviews,
            pass_score=pass_score,
        )
