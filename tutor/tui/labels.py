"""How core values read on screen: short paths, line ranges, token and cost counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.retrieve.hit import Passage


def short_path(source: str) -> str:
    """Relative to the working dir when inside it, else the last folder and the file name.

    Absolute tmp or home paths would eat an 80-column panel and say little.
    """
    path = Path(source)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(Path(*path.parts[-2:])) if len(path.parts) > 1 else source


def line_range(start: int, end: int) -> str:
    return f"line {start}" if start == end else f"lines {start}-{end}"


def place(passage: Passage) -> str:
    """Where a passage is in its file, as a student looks for it: ``slide 12 · lines 5-9``."""
    lines = line_range(passage.start_line, passage.end_line)
    if passage.page is None:
        return lines
    return f"{'slide' if passage.page_unit == 'slide' else 'p.'} {passage.page} · {lines}"


def tokens_and_cost(tokens: int, cost: float) -> str:
    text = f"{tokens:,} tok"
    return f"{text} ${cost:.4f}" if cost else text
