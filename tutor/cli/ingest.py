"""``tutor ingest``: files and folders into a collection, with a progress bar."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from tutor.cli import app
from tutor.cli.progress_bar import progress_bar
from tutor.ingest import ProgressEvent
from tutor.workspace import NOTES_COLLECTION, Workspace


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.md .txt .pdf .html .pptx .docx .epub .ipynb .csv .xlsx)."),
    collection: str = typer.Option(NOTES_COLLECTION, "--collection", "-c", help="Collection to ingest into."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-embed everything into a new collection, then swap it in."),
) -> None:
    """Add notes to a collection. Re-running only re-embeds files whose content changed."""
    console = Console(stderr=True)
    ws = Workspace()
    chunks = 0
    with progress_bar(console, label="[bold]{task.description}", detail="{task.fields[rate]}") as progress:
        task = progress.add_task("ingest", total=None, rate="")

        def on_progress(event: ProgressEvent) -> None:
            nonlocal chunks
            if event.status == "waiting":  # another process is ingesting into this collection
                progress.console.print(f"[yellow]{event.reason}[/]", soft_wrap=True)
                return
            if event.status == "embedding":  # part way through a big file
                progress.update(task, description=f"{Path(event.path).name[:30]}: {event.reason}")
                return
            chunks += event.chunks
            elapsed = max(progress.tasks[0].elapsed or 0.0, 1e-6)
            rate = f"{event.files_done / elapsed:.1f} files/s, {chunks / elapsed:.0f} chunks/s"
            progress.update(task, total=event.files_total, completed=event.files_done, rate=rate, description=Path(event.path).name[:40])
            if event.status == "failed":
                progress.console.print(f"[yellow]skipped[/] {event.path}: {event.reason}", soft_wrap=True)

        report = ws.ingest(paths, collection, rebuild=rebuild, on_progress=on_progress)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(2)
