"""An exam-style question and the small records around it (grades, progress).

Options are plain strings and keys are 0-based indexes, so the same object serves the
CLI, the TUI, the bank and the exports. ``citations`` (the answer layer's Citation) number
the chunks that the explanations cite as ``[n]``.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from tutor.answer.citations import Citation

LETTERS = string.ascii_uppercase


def cite(c: Citation) -> str:
    """ "[n] file:lines", how a citation is shown under a question."""
    return f"[{c.n}] {c.location}"


@dataclass
class Question:
    id: str
    kind: str  # "single" | "multi"
    stem: str
    options: list[str]
    keys: list[int]
    explanations: list[str]
    citations: list[Citation]
    topic: str
    domain: str
    difficulty: int
    source_chunks: list[tuple[str, str]]  # (chunk_id, content_hash)
    verdict: dict[str, Any] = field(default_factory=dict)
    stale: bool = False
    collection: str = ""
    model: str = "offline"
    # What the question tests, "key name(s) | need": two questions with the same fact are duplicates
    # however differently worded (see verify.same_fact).
    fact: str = ""
    flagged: bool = False  # a student marked it for a second look
    retired: bool = False  # a student judged it wrong or useless: never served again
    task: str = ""  # the exam blueprint task it is tagged with, "DEA-C01 1.2" (see questions.blueprint)

    @staticmethod
    def make_id(stem: str, options: list[str]) -> str:
        """Stable across runs, so regenerating the same question finds it in the bank."""
        return "q" + hashlib.sha1("\x00".join([stem, *sorted(options)]).encode()).hexdigest()[:10]

    @property
    def key_letters(self) -> str:
        return ",".join(LETTERS[k] for k in self.keys)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        data = dict(data)
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
        data["source_chunks"] = [tuple(pair) for pair in data.get("source_chunks", [])]
        return cls(**data)

    def to_markdown(self) -> str:
        """The question, its options and the cited explanations, for `tutor bank export --markdown`."""
        lines = [f"### {self.id} · {self.topic} · {self.domain}", "", self.stem, ""]
        if self.kind == "card":  # a flashcard: front, back, the line it came from
            return "\n".join([*lines, f"**{self.options[0]}**", "", *(f"{cite(c)}: {c.text}" for c in self.citations), ""])
        lines += [f"{LETTERS[i]}. {option}" for i, option in enumerate(self.options)]
        lines += ["", f"**Answer: {self.key_letters}**", ""]
        lines += [f"- {LETTERS[i]}: {text}" for i, text in enumerate(self.explanations)]
        lines += [""] + [f"{cite(c)} ({c.heading})" for c in self.citations] + [""]
        return "\n".join(lines)


class Rejection(NamedTuple):
    """A draft a writer or the verifier would not keep: the draft when there was one, and why."""

    question: Question | None
    reasons: list[str]
    draft: str = ""  # what was being drafted, for the report, when there is no question

    @property
    def label(self) -> str:
        return self.question.stem if self.question else self.draft or "(no usable draft)"


@dataclass
class Grade:
    correct: bool
    keys: list[int]
    explanations: list[str]


@dataclass
class TopicProgress:
    topic: str
    answered: int
    correct: int
    accuracy: float
    due: int


def parse_choice(text: str, n_options: int) -> list[int] | None:
    """ "b", "A,C", "a c" or "AC" -> sorted indexes; None if it names no valid option."""
    letters = [ch for ch in text.upper() if ch.isalpha()]
    if not letters or any(LETTERS.find(ch) < 0 or LETTERS.index(ch) >= n_options for ch in letters):
        return None
    return sorted({LETTERS.index(ch) for ch in letters})
