"""PowerPoint decks: each slide's title is a heading, its number the location of every line on it.

A slide reads as: ``# Title`` (``## Title`` under a ``# Section`` when the deck has PowerPoint
sections, "Module 3: Streaming"), then its text boxes and tables top to bottom and left to
right (one bullet per paragraph, indented by level; one per table row or SmartArt node),
then its speaker notes, which often say more than the slide. Footers, dates and slide-number
placeholders repeat on every slide and are left out. An untitled slide goes on under the
title before it, as a continuation slide does; its lines still carry its own number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tutor.ingest.formats.tables import row_lines
from tutor.ingest.readers import SourceText, UnreadableFile

_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"  # PowerPoint 2010 extensions: sections
_DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"  # SmartArt
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def read_deck(path: Path) -> SourceText:
    from pptx import Presentation

    deck = Presentation(str(path))
    count = len(deck.slides)
    if not count:
        raise UnreadableFile("empty deck (no slides)")
    sections = _sections(deck)
    section = ""
    lines: list[str] = []
    pages: list[int] = []
    for number, slide in enumerate(deck.slides, start=1):
        heading = []
        if sections.get(slide.slide_id, section) != section:
            section = sections[slide.slide_id]
            heading = [f"# {section}"] if section else []
        for line in [*heading, *_slide_lines(slide, "##" if sections else "#"), ""]:
            lines.append(line)
            pages.append(number)
    if not any(line.strip() for line in lines):
        raise UnreadableFile(f"no text on any of its {count} slides (pictures only?)")
    return SourceText(path=path, lines=lines, pages=pages, page_unit="slide", markdown=True)


def _sections(deck: Any) -> dict[int, str]:
    """Slide id -> the name of the PowerPoint section it is in ("Module 3: Streaming").

    python-pptx does not read sections; they are an extension in presentation.xml. The name
    PowerPoint gives the first section by itself ("Default Section") names nothing.
    """
    out: dict[int, str] = {}
    for section in deck.part._element.iter(f"{{{_P14}}}section"):
        name = " ".join(str(section.get("name", "")).split())
        for slide in section.iter(f"{{{_P14}}}sldId"):
            out[int(slide.get("id"))] = "" if name == "Default Section" else name
    return out


def _slide_lines(slide: Any, title_mark: str) -> Iterator[str]:
    from pptx.enum.shapes import PP_PLACEHOLDER

    repeated = {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER}
    title_shape = slide.shapes.title
    title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
    if title:
        yield f"{title_mark} {title}"
    shapes = [
        shape
        for shape in _flatten(slide.shapes)
        if shape != title_shape and not (shape.is_placeholder and shape.placeholder_format.type in repeated)
    ]
    # File order is z-order; read top to bottom, then left to right. (A placeholder's position
    # is looked up in its layout, which is slow: most slides have one body and need no sort.)
    if len(shapes) > 1:
        shapes.sort(key=lambda s: (s.top or 0, s.left or 0))
    for shape in shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                if text := " ".join(paragraph.text.split()):
                    yield "  " * paragraph.level + f"- {text}"
        elif shape.has_table:
            yield from row_lines([cell.text for cell in row.cells] for row in shape.table.rows)
        else:
            yield from _diagram_lines(slide, shape)
    if slide.has_notes_slide and (frame := slide.notes_slide.notes_text_frame) is not None:
        notes = [" ".join(p.text.split()) for p in frame.paragraphs]
        if any(notes):
            yield ""  # the notes start a block of their own
            yield "Speaker notes:"
            yield from (n for n in notes if n)


def _diagram_lines(slide: Any, shape: Any) -> Iterator[str]:
    """A SmartArt diagram's text, one bullet per node: python-pptx does not read diagrams; their
    text is in a data part the graphic frame points to (``dgm:relIds r:dm``)."""
    from lxml import etree

    ids = shape._element.find(f".//{{{_DGM}}}relIds")
    data_id = ids.get(f"{{{_R}}}dm") if ids is not None else None
    if not data_id:
        return
    data = etree.fromstring(slide.part.related_part(data_id).blob)
    for point in data.iter(f"{{{_DGM}}}pt"):
        if text := " ".join("".join(t.text or "" for t in point.iter(f"{{{_A}}}t")).split()):
            yield f"- {text}"


def _flatten(shapes: Any) -> Iterator[Any]:
    """Every shape, with groups opened."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _flatten(shape.shapes)
        else:
            yield shape
