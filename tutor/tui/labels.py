"""How core values read on screen: short paths, line ranges, token and cost counts."""

from __future__ import annotations

from pathlib import Path


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


def tokens_and_cost(tokens: int, cost: float) -> str:
    text = f"{tokens:,} tok"
    return f"{text} ${cost:.4f}" if cost else text
