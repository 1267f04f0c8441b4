"""A retrieved chunk, the place in the notes it (or a citation) points to, and how that is named."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.store.index import StoredChunk


@dataclass
class Passage:
    """A chunk's text and where it sits in the notes: what hits and citations share."""

    chunk_id: str
    source: str
    start_line: int
    end_line: int
    heading: str
    text: str
    page: int | None = None  # of a PDF, or the slide of a deck (page_unit says which)
    page_unit: str = "page"

    @property
    def location(self) -> str:
        """``file:12-14``, with `` (p. 3)`` or `` (slide 12)`` when the file has pages or slides."""
        return span_label(self.source, self.start_line, self.end_line, self.page, self.page_unit)

    @classmethod
    def fields_of(cls, chunk: StoredChunk | Passage) -> dict[str, Any]:
        """The passage fields of a stored chunk or of another passage, to build a subclass from."""
        chunk_id = chunk.chunk_id if isinstance(chunk, Passage) else chunk.id
        return {"chunk_id": chunk_id, **{f.name: getattr(chunk, f.name) for f in fields(Passage) if f.name != "chunk_id"}}


@dataclass(kw_only=True)
class Hit(Passage):
    """One retrieved chunk, citable as ``source:start_line-end_line``."""

    rank: int
    score: float
    dense_score: float
    bm25_score: float

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, **asdict(self)}  # rank first, as `tutor search --json` prints it


def span_label(source: str, start_line: int, end_line: int, page: int | None = None, page_unit: str = "page") -> str:
    """``file:12`` or ``file:12-14``: how every citation points into the notes; a PDF page
    adds `` (p. 3)`` and a slide `` (slide 12)``, the number a student finds in the file."""
    lines = f"{start_line}" if start_line == end_line else f"{start_line}-{end_line}"
    if page is None:
        return f"{source}:{lines}"
    return f"{source}:{lines} ({'slide' if page_unit == 'slide' else 'p.'} {page})"
