"""PowerPoint decks: each slide's title is a heading, its number the location of every line on it.

A slide reads as: ``# Title``, then its text boxes and tables top to bottom and left to
right (one bullet per paragraph, indented by level; one bullet per table row), then its
speaker notes, which often say more than the slide. Footers, dates and slide-number
placeholders repeat on every slide and are left out. An untitled slide goes on under the
title before it, as a continuation slide does; its lines still carry its own number.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tutor.ingest.formats import corrupt
from tutor.ingest.formats.tables import row_lines
from tutor.ingest.readers import SourceText, UnreadableFile


def read_deck(path: Path) -> SourceText:
    from lxml.etree import LxmlError
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    lines: list[str] = []
    pages: list[int] = []
    try:
        deck = Presentation(str(path))
        count = len(deck.slides)
        for number, slide in enumerate(deck.slides, start=1):
            for line in [*_slide_lines(slide), ""]:
                lines.append(line)
                pages.append(number)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, LxmlError) as exc:
        raise corrupt("PowerPoint", exc) from exc
    if not count:
        raise UnreadableFile("empty deck (no slides)")
    if not any(line.strip() for line in lines):
        raise UnreadableFile(f"no text on any of its {count} slides (pictures only?)")
    return SourceText(path=path, lines=lines, pages=pages, page_unit="slide", markdown=True)


def _slide_lines(slide: Any) -> Iterator[str]:
    from pptx.enum.shapes import PP_PLACEHOLDER

    repeated = {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER}
    title_shape = slide.shapes.title
    title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
    if title:
        yield f"# {title}"
    for shape in _reading_order(slide.shapes):
        if shape == title_shape or (shape.is_placeholder and shape.placeholder_format.type in repeated):
            continue
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                if text := " ".join(paragraph.text.split()):
                    yield "  " * paragraph.level + f"- {text}"
        elif getattr(shape, "has_table", False) and shape.has_table:
            yield from row_lines([cell.text for cell in row.cells] for row in shape.table.rows)
    if slide.has_notes_slide and (frame := slide.notes_slide.notes_text_frame) is not None:
        notes = [" ".join(p.text.split()) for p in frame.paragraphs]
        if any(notes):
            yield ""  # the notes start a block of their own
            yield "Speaker notes:"
            yield from (n for n in notes if n)


def _reading_order(shapes: Any) -> list[Any]:
    """Shapes top to bottom, then left to right, with groups opened: file order is z-order."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    flat: list[Any] = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            flat.extend(_reading_order(shape.shapes))
        else:
            flat.append(shape)
    return sorted(flat, key=lambda s: (s.top or 0, s.left or 0))
