"""How the app names a place in the notes: the slide or page a student looks for, then the lines."""

from __future__ import annotations

from tutor.retrieve.hit import Passage
from tutor.tui.labels import line_range, place


def _passage(page: int | None = None, unit: str = "page", start: int = 5, end: int = 9) -> Passage:
    return Passage(
        chunk_id="c", source="deck.pptx", start_line=start, end_line=end, heading="Streaming", text="…", page=page, page_unit=unit
    )


def test_a_slide_is_named_before_its_lines() -> None:
    assert place(_passage(12, "slide")) == "slide 12 · lines 5-9"


def test_a_pdf_page_and_a_plain_note() -> None:
    assert place(_passage(3)) == "p. 3 · lines 5-9"
    assert place(_passage(start=7, end=7)) == line_range(7, 7) == "line 7"
