"""Word documents: heading styles become the heading path, lists stay bullets, tables rows.

Word has no stable page numbers (they depend on the printer and fonts), so a chunk of a
.docx is cited by heading and line only. Headers and footers are left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tutor.ingest.formats.tables import row_lines
from tutor.ingest.readers import SourceText, UnreadableFile

_HEADING_STYLE = re.compile(r"^heading (\d)$", re.I)


def read_document(path: Path) -> SourceText:
    from docx import Document

    lines, title = _document_lines(Document(str(path)))
    if not any(line.strip() for line in lines):
        raise UnreadableFile("Word document has no text")
    # The Title style names the whole document: the first part of every heading path, as
    # a Markdown file's front-matter title is.
    return SourceText(path=path, lines=lines, markdown=True, metadata={"title": title} if title else {})


def _document_lines(doc: Any) -> tuple[list[str], str]:
    """The body in order, and the first Title-style paragraph (not a line of its own)."""
    from docx.table import Table

    lines: list[str] = []
    title = ""
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            lines += [*row_lines([cell.text for cell in row.cells] for row in block.rows), ""]
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        style = block.style.name if block.style is not None else ""
        if style == "Title" and not title:
            title = text
            lines.append("")
        elif m := _HEADING_STYLE.match(style):
            lines.append(f"{'#' * min(int(m.group(1)), 6)} {text}")
        elif (level := _list_level(block, style)) is not None:
            lines.append("  " * level + f"- {text}")
        else:
            lines += [text, ""]  # a paragraph is a block of its own
    return lines, title


def _list_level(paragraph: Any, style: str) -> int | None:
    """The nesting level of a list item (numbered or bulleted), None for a plain paragraph."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None else 0
    if style.startswith(("List Bullet", "List Number")):
        digits = style.rsplit(" ", 1)[-1]
        return int(digits) - 1 if digits.isdigit() else 0
    return None
