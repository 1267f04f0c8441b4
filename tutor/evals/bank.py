"""Question-bank mode (``tutor eval --bank``): how good are the generated exam questions?

Re-verifies every banked question against the current notes (structure, grounding, an
independent solve), and measures what a question writer tends to get wrong: duplicates,
the key being the longest option, and all questions on one topic.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.evals.text import content_words

if TYPE_CHECKING:
    from tutor.questions import Question
    from tutor.workspace import Workspace

DUPLICATE_JACCARD = 0.8  # stems sharing this share of content words ask the same thing


@dataclass
class BankRun:
    config: dict[str, Any]
    metrics: dict[str, float | None]
    questions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def duplicate_pairs(stems: Sequence[str], threshold: float = DUPLICATE_JACCARD) -> list[tuple[int, int]]:
    words = [content_words(s) for s in stems]
    return [
        (i, j)
        for i, j in itertools.combinations(range(len(stems)), 2)
        if words[i] and len(words[i] & words[j]) / len(words[i] | words[j]) >= threshold
    ]


def key_is_longest(options: Sequence[str], keys: Sequence[int]) -> bool:
    """Every key is strictly longer than every distractor."""
    distractors = [len(o) for i, o in enumerate(options) if i not in keys]
    return bool(keys) and bool(distractors) and min(len(options[k]) for k in keys) > max(distractors)


def topic_entropy(topics: Sequence[str]) -> float | None:
    """Shannon entropy of the topic mix, normalised to 0 (one topic) .. 1 (even spread)."""
    counts = Counter(topics)
    if len(counts) < 2:
        return 0.0 if counts else None
    n = len(topics)
    return -sum(c / n * math.log(c / n) for c in counts.values()) / math.log(len(counts))


def bank_metrics(questions: Sequence[Question]) -> dict[str, float | None]:
    """Pure scores over questions whose ``verdict`` is filled in."""
    if not questions:
        return {}
    solved = [q for q in questions if "solve" in q.verdict]
    dup = {i for pair in duplicate_pairs([q.stem for q in questions]) for i in pair}
    longest = sum(key_is_longest(q.options, q.keys) for q in questions) / len(questions)
    chance = sum(len(q.keys) / len(q.options) for q in questions if q.options) / len(questions)
    topics = [q.topic for q in questions]
    return {
        "questions": float(len(questions)),
        "verification_pass_rate": sum(bool(q.verdict.get("passed")) for q in questions) / len(questions),
        "solve_agreement": (sum(sorted(q.verdict["solve"]["chosen"]) == sorted(q.keys) for q in solved) / len(solved) if solved else None),
        "duplicate_rate": len(dup) / len(questions),
        "key_longest_share": longest,
        "option_length_bias": longest - chance,  # > 0: the longest option gives the key away
        "topics": float(len(set(topics))),
        "topic_entropy": topic_entropy(topics),
        "max_topic_share": max(Counter(topics).values()) / len(questions),
    }


def evaluate_bank(
    ws: Workspace, *, collection: str | None = None, model: str | None = None, generate_n: int = 0, topic: str | None = None
) -> BankRun:
    """Optionally write ``generate_n`` new questions, then re-verify and score the whole bank."""
    from tutor.questions import QuestionBank, generate, verify

    name = ws.resolve(collection)
    bank = QuestionBank(ws)
    metrics: dict[str, float | None] = {}
    if generate_n:
        report = generate(ws, topic=topic, n=generate_n, collection=name, model=model, bank=bank)
        tried = len(report.accepted) + len(report.rejected)
        metrics["generation_accept_rate"] = len(report.accepted) / tried if tried else None
    questions = [deepcopy(q) for q in bank.all() if not topic or q.topic == topic]
    for q in questions:
        verify(ws, q, q.collection or name)
    metrics |= bank_metrics(questions)
    rows = [
        {
            "id": q.id,
            "topic": q.topic,
            "stem": q.stem,
            "keys": q.keys,
            "passed": q.verdict.get("passed"),
            "reasons": q.verdict.get("reasons", []),
        }
        for q in questions
    ]
    config = {"collection": name, "model": model or ws.config.llm.model or "offline", "generated": generate_n, "topic": topic}
    return BankRun(config, metrics, rows)
