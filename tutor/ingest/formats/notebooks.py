"""Jupyter notebooks: the Markdown cells are the notes; code cells come along only as context.

A code cell follows the Markdown before it, behind a "Code:" lead-in, indented so that its
``# comments`` are never read as headings; outputs (tables, images, tracebacks) are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tutor.ingest.readers import SourceText, UnreadableFile, too_large


def read_notebook(path: Path, text: str, max_bytes: int) -> SourceText:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"malformed notebook (JSON error at line {exc.lineno})") from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise UnreadableFile("not a Jupyter notebook in format 4 (no 'cells' list)")
    cells = [cell for cell in cells if isinstance(cell, dict)]
    lines: list[str] = []
    for cell in cells:
        body = _source(cell).splitlines()
        if not any(line.strip() for line in body):
            continue
        if cell.get("cell_type") == "markdown":
            lines += [*body, ""]
        elif cell.get("cell_type") == "code":
            lines += ["Code:", *(f"    {line}" for line in body if line.strip()), ""]
    if not any(cell.get("cell_type") == "markdown" and _source(cell).strip() for cell in cells):
        raise UnreadableFile("notebook has no Markdown cells (code alone is not notes)")
    if (size := sum(len(line) for line in lines)) > max_bytes:
        raise too_large(size, max_bytes, " of cells")
    return SourceText(path=path, lines=lines, markdown=True)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)
