"""``tutor ask``, ``tutor sessions``, ``tutor export``, ``tutor models``: answers and their history."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from tutor.cli import app
from tutor.errors import TutorError
from tutor.workspace import Workspace


@app.command()
def ask(
    question: str = typer.Argument(..., help='Your question; \'-\' reads JSON lines {"question", "session"} from stdin.'),
    session: str = typer.Option(None, "--session", "-s", help="Continue (and record) a named session."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
    allow_general: bool = typer.Option(False, "--allow-general", help="Let a model add knowledge beyond your notes (labelled)."),
    model: str = typer.Option(None, "--model", "-m", help="Any litellm model string; default: config/TUTOR_MODEL, else offline."),
    collection: str = typer.Option(None, "--collection", "-c", help="Default: notes if it exists, else corpus."),
) -> None:
    """Answer from your notes with citations, or say it is not in them."""
    ws = Workspace()
    if question == "-":
        _batch(ws, model, collection, allow_general)
        return
    console = Console()
    stream = not as_json and console.is_terminal
    answer = ws.ask(
        question,
        session=session,
        model=model,
        collection=collection,
        allow_general=allow_general,
        on_token=(lambda t: console.print(t, end="", markup=False, highlight=False)) if stream else None,
    )
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    if stream:
        console.print()
    else:
        console.print(answer.answer, markup=False, highlight=False)
    if answer.general:
        console.print("[yellow]Uncited sentences are the model's general knowledge, not from your notes.[/]")
    for sentence in answer.unverified:
        console.print(f"[yellow]unverified:[/] {sentence}", highlight=False)
    if answer.invalid_citations:
        console.print(f"[yellow]removed citations to missing sources:[/] {answer.invalid_citations}")
    for c in answer.citations:
        console.print(f"[dim][{c.n}] {c.location} — {c.heading}[/]", highlight=False)


def _batch(ws: Workspace, model: str | None, collection: str | None, allow_general: bool) -> None:
    """One JSON result per input line, in one process; a bad line gets an error object, not a stop."""
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not isinstance(request.get("question"), str):
                raise TutorError('each line must be a JSON object with a "question" string')
            answer = ws.ask(
                request["question"],
                session=request.get("session"),
                model=request.get("model", model),
                collection=collection,
                allow_general=allow_general,
            )
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        except (json.JSONDecodeError, TutorError) as exc:
            print(json.dumps({"line": number, "error": str(exc)}), flush=True)


@app.command()
def sessions() -> None:
    """List saved sessions, most recent first."""
    from tutor.answer.sessions import SessionStore

    summaries = SessionStore(Workspace().config.db_path).summaries()
    if not summaries:
        typer.echo("no sessions yet (tutor ask QUESTION --session NAME starts one)")
    for s in summaries:
        typer.echo(f"{s.name}\t{s.turns} turns\t{s.updated_at}")


@app.command()
def export(
    session: str = typer.Argument(..., help="Session name (see `tutor sessions`)."),
    markdown: bool = typer.Option(True, "--markdown/--no-markdown", help="Markdown transcript (the only format)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Write a session as a readable transcript with its sources."""
    from tutor.answer.sessions import SessionStore

    if not markdown:
        raise TutorError("only --markdown export is supported")
    text = SessionStore(Workspace().config.db_path).export_markdown(session)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise TutorError(f"cannot write {output}: {exc.strerror}") from exc
    typer.echo(f"wrote {output}")


@app.command()
def models() -> None:
    """The models tutor can use: the configured one, its fallbacks, then the offline engines."""
    from tutor.llm import configured_models, default_model

    config = Workspace().config
    default = default_model(config)
    for name in configured_models(config):
        typer.echo(f"{'*' if name == default else ' '} {name}")
    if config.llm.api_base:
        typer.echo(f"  api_base: {config.llm.api_base}")
