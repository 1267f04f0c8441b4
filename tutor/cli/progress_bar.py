"""The one progress bar the long-running commands (ingest, eval) draw on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def progress_bar(console: Console, *, label: str, detail: str) -> Progress:
    """A transient bar: ``label``, the bar, done/total, ``detail`` and the time elapsed (rich format strings)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(detail),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
