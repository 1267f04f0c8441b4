"""What one question produces: the answer text, its checked citations and what was retrieved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.answer.citations import Citation

if TYPE_CHECKING:
    from tutor.retrieve import Hit


@dataclass
class Answer:
    question: str  # as the student typed it
    query: str  # the standalone query used for retrieval
    answer: str  # markdown with inline [n]
    citations: list[Citation]  # valid sources the answer cites
    sources: list[Hit]  # everything shown to the model, numbered 1..n (Hit.rank == n)
    abstained: bool  # "not in your notes"
    unverified: list[str]  # sentences not supported by a source they cite, or citing none
    model: str  # "extractive" for the offline engine, else the litellm model string
    engine: str  # "extractive" | "llm"
    general: bool = False  # contains model knowledge from outside the notes (--allow-general)
    tokens: int = 0
    cost: float = 0.0
    latency_s: float = 0.0
    invalid_citations: list[int] = field(default_factory=list)  # [n] ids removed: they named no source

    def to_dict(self) -> dict[str, Any]:
        """The ``tutor ask --json`` object."""
        return {
            "question": self.question,
            "query": self.query,
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "unverified": self.unverified,
            "invalid_citations": self.invalid_citations,
            "general": self.general,
            "model": self.model,
            "engine": self.engine,
            "tokens": self.tokens,
            "cost": self.cost,
            "latency_s": round(self.latency_s, 3),
            "sources": [h.to_dict() for h in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        from tutor.retrieve import Hit

        return cls(
            question=data["question"],
            query=data["query"],
            answer=data["answer"],
            citations=[Citation(**c) for c in data.get("citations", [])],
            sources=[Hit(**h) for h in data.get("sources", [])],
            abstained=data["abstained"],
            unverified=list(data.get("unverified", [])),
            model=data["model"],
            engine=data["engine"],
            general=data.get("general", False),
            tokens=data.get("tokens", 0),
            cost=data.get("cost", 0.0),
            latency_s=data.get("latency_s", 0.0),
            invalid_citations=list(data.get("invalid_citations", [])),
        )
