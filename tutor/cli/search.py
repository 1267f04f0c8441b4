"""``tutor search``: hybrid retrieval, for people (a table) and scripts (JSON, stdin batch)."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from tutor.cli import app
from tutor.retrieve import Hit
from tutor.workspace import Workspace

_JSON_FIELDS = (
    "rank",
    "chunk_id",
    "source",
    "start_line",
    "end_line",
    "heading",
    "text",
    "score",
    "page",
    "page_unit",
    "dense_score",
    "bm25_score",
)


def hits_json(hits: list[Hit]) -> str:
    return json.dumps([{f: getattr(h, f) for f in _JSON_FIELDS} for h in hits], ensure_ascii=False)


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for; '-' reads one query per line from stdin."),
    k: int = typer.Option(5, "-k", help="How many chunks."),
    collection: str = typer.Option(None, "--collection", "-c", help="Default: notes if it exists, else corpus."),
    source: str = typer.Option(None, "--source", help="Only files matching this glob (e.g. '*.pdf')."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of hits."),
) -> None:
    """Show the chunks that best match a query, with their file and lines."""
    ws = Workspace()
    if query == "-":
        # One process, one model load: a JSON array per input line.
        for line in sys.stdin:
            if line.strip():
                print(hits_json(ws.search(line.strip(), k=k, collection=collection, source_glob=source)), flush=True)
        return
    hits = ws.search(query, k=k, collection=collection, source_glob=source)
    if as_json:
        print(hits_json(hits))
        return
    console = Console()
    if not hits:
        console.print("no matches")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", width=2)
    table.add_column("score", justify="right", width=6)
    table.add_column("source", ratio=2, overflow="fold")
    table.add_column("heading / text", ratio=5)
    for hit in hits:
        snippet = hit.text.replace("\n", " ")
        snippet = snippet[:220] + ("…" if len(snippet) > 220 else "")
        table.add_row(str(hit.rank), f"{hit.score:.4f}", _short(hit.location), f"[bold]{hit.heading}[/]\n{snippet}")
    console.print(table)


def _short(location: str) -> str:
    from pathlib import Path

    try:
        return str(Path(location).relative_to(Path.cwd()))
    except ValueError:
        return location
