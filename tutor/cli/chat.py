"""``tutor chat``: the Textual study app."""

from __future__ import annotations

import typer

from tutor.cli import app
from tutor.workspace import Workspace


@app.command()
def chat(
    model: str = typer.Option(None, "--model", "-m", help="Model to answer with (default: the configured one, else offline)."),
    collection: str = typer.Option(None, "--collection", "-c", help="Collection to ask (default: notes, else the bundled corpus)."),
    session: str = typer.Option(None, "--session", "-s", help="Resume a saved session."),
) -> None:
    """Study chat with live sources, quiz and progress screens."""
    from tutor.tui.app import TutorApp  # Textual loads only for this command

    TutorApp(Workspace(), model=model, collection=collection, session=session).run()
