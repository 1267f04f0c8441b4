"""``tutor status``: what is indexed, and with which models."""

from __future__ import annotations

import typer

from tutor.cli import app
from tutor.workspace import Workspace


@app.command()
def status() -> None:
    """Index the bundled corpus if needed, then list collections and settings."""
    ws = Workspace()
    report = ws.ensure_corpus()
    if report is not None and report.changed:
        typer.echo(report.summary())
    typer.echo(f"data dir:  {ws.config.home}")
    typer.echo(f"vectors:   {ws.config.store.chroma_url or ws.config.chroma_path}")
    typer.echo(f"embedder:  {ws.embed_model_id}")
    for name in ws.collections():
        index = ws.index(name)
        typer.echo(f"collection {name}: {len(index.files())} files, {index.count()} chunks")
    typer.echo(f"default:   {ws.default_collection()}")
