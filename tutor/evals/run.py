"""One eval run as data: its config, overall metrics, spread over repeats, and every question.

A run is a JSON file; ``tutor eval compare`` reads two of them back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import TutorError


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    higher_is_better: bool
    percent: bool = True  # a share in 0..1, shown as a percentage


# Overall metrics in report order.
METRICS: tuple[Metric, ...] = (
    Metric("hit_at_k", "hit@k", True),
    Metric("mrr", "MRR", True, percent=False),
    Metric("ndcg_at_k", "nDCG@k", True, percent=False),
    Metric("evidence_recall", "evidence-span recall", True),
    Metric("context_chars", "context chars/query", False, percent=False),
    Metric("key_fact_recall", "key-fact recall", True),
    Metric("all_key_facts", "answers holding every key fact", True),
    Metric("similarity", "similarity to reference", True, percent=False),
    Metric("faithfulness", "faithfulness", True),
    Metric("citation_validity", "citation validity", True),
    Metric("citation_precision", "citation precision", True),
    Metric("citation_recall", "citation recall", True),
    Metric("abstention_correct", "correct abstentions (unanswerable)", True),
    Metric("abstention_wrong", "wrong abstentions (answerable)", False),
    Metric("latency_p50", "latency p50 (s)", False, percent=False),
    Metric("latency_p95", "latency p95 (s)", False, percent=False),
    Metric("tokens", "tokens/question", False, percent=False),
    Metric("cost", "cost/question ($)", False, percent=False),
    Metric("judge_correctness", "judge: correctness", True),
    Metric("judge_faithfulness", "judge: faithfulness", True),
)
BY_NAME = {m.name: m for m in METRICS}


@dataclass
class QuestionResult:
    """What one question asked, retrieved, answered and scored."""

    id: str
    kind: str
    question: str
    query: str
    expected: dict[str, Any]  # source span, evidence, key facts, reference
    retrieved: list[dict[str, Any]]  # rank, location, heading, text
    answer: str | None
    abstained: bool | None
    citations: list[dict[str, Any]]
    scores: dict[str, float | None]
    latency_s: float
    tokens: int = 0
    cost: float = 0.0
    judge: dict[str, Any] | None = None

    @property
    def quality(self) -> float:
        """One number to rank the worst questions by: 0 is a total miss, 1 is perfect."""
        if self.kind == "unanswerable":
            return 1.0 if self.abstained else 0.0
        if self.abstained:
            return 0.0
        parts = [self.scores.get(n) for n in ("mrr", "key_fact_recall", "faithfulness", "citation_recall")]
        present = [p for p in parts if p is not None]
        return sum(present) / len(present) if present else 0.0


@dataclass
class Run:
    id: str
    created: str
    config: dict[str, Any]
    metrics: dict[str, float | None]
    questions: list[QuestionResult]
    spread: dict[str, dict[str, float]] = field(default_factory=dict)  # metric -> min/max/std over repeats

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> Run:
        """A run file, or a report directory holding ``run.json``."""
        if path.is_dir():
            path = path / "run.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["questions"] = [QuestionResult(**q) for q in data["questions"]]
            return cls(**data)
        except FileNotFoundError as exc:
            raise TutorError(f"{path}: no such eval run") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise TutorError(f"{path}: not an eval run file ({exc})") from exc
