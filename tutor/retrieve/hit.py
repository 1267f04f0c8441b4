"""A retrieved chunk and how citations name a span of the notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Hit:
    """One retrieved chunk, citable as ``source:start_line-end_line``."""

    rank: int
    chunk_id: str
    source: str
    start_line: int
    end_line: int
    heading: str
    text: str
    score: float
    dense_score: float
    bm25_score: float
    page: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def location(self) -> str:
        return span_label(self.source, self.start_line, self.end_line) + (f" (p. {self.page})" if self.page else "")


def span_label(source: str, start_line: int, end_line: int) -> str:
    """``file:12`` or ``file:12-14``: how every citation points into the notes."""
    lines = f"{start_line}" if start_line == end_line else f"{start_line}-{end_line}"
    return f"{source}:{lines}"
