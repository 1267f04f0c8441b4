"""Exam-style questions: written from the notes, verified, banked and practised with FSRS."""

from tutor.questions.bank import QuestionBank
from tutor.questions.generate import GenerationReport, generate, verify
from tutor.questions.question import Grade, Question, TopicProgress

__all__ = ["GenerationReport", "Grade", "Question", "QuestionBank", "TopicProgress", "generate", "verify"]
