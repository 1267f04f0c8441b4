"""``tutor eval``: score the tutor on golden sets; ``tutor eval compare A B`` between two runs."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tutor.cli import app
from tutor.cli.progress_bar import progress_bar
from tutor.errors import TutorError
from tutor.evals import report
from tutor.evals.compare import Thresholds, check_levels, compare
from tutor.evals.golden import load_set
from tutor.evals.judge import Judge
from tutor.evals.run import Run
from tutor.evals.runner import evaluate
from tutor.locations import corpus_dir
from tutor.workspace import CORPUS_COLLECTION, Workspace

eval_app = typer.Typer(help="Measure retrieval, answers, citations and abstention on golden sets.")
app.add_typer(eval_app, name="eval")


def default_set() -> Path:
    return corpus_dir().parent / "evals" / "corpus.jsonl"


@eval_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    sets: list[Path] = typer.Option(None, "--set", help="Golden set (JSONL); repeatable. Default: evals/corpus.jsonl."),
    root: Path = typer.Option(None, "--root", help="Folder the sets' sources are relative to (besides the cwd and the set's folder)."),
    collection: str = typer.Option(CORPUS_COLLECTION, "--collection", "-c", help="Collection the set is about."),
    model: str = typer.Option(None, "--model", "-m", help="LLM for answers (default: configured model, else offline extractive)."),
    k: int = typer.Option(5, "-k", "--k", min=1, help="Chunks retrieved per question."),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Run N times and report the spread."),
    as_json: bool = typer.Option(False, "--json", help="Print the run as JSON instead of a table."),
    report_dir: Path = typer.Option(None, "--report", help="Directory for run.json and report.md (default: data dir/eval-runs/<id>)."),
    judge: str = typer.Option(None, "--judge", help="Also grade answers with this LLM (through litellm, cached)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a metric misses its floor/ceiling in thresholds.toml."),
    thresholds: Path = typer.Option(None, "--thresholds", help="Thresholds file (default: evals/thresholds.toml)."),
    bank: bool = typer.Option(False, "--bank", help="Score the question bank instead (re-verify, duplicates, bias, topics)."),
    generate_n: int = typer.Option(0, "--generate", min=0, help="With --bank: first write N new questions."),
    topic: str = typer.Option(None, "--topic", help="With --bank: only this topic."),
    from_notes: int = typer.Option(
        0,
        "--from-notes",
        min=0,
        help="Write N questions from your notes as a set (JSONL, to read and edit), then run it: by the configured model, else from flashcards.",
    ),
) -> None:
    """Run golden questions through the same path as `tutor ask` and score every step."""
    if ctx.invoked_subcommand:
        return
    ws = Workspace()
    if bank:
        _bank(ws, collection, model, generate_n, topic, as_json, report_dir)
        return
    if from_notes:
        sets = [*(sets or []), _from_notes(ws, collection, from_notes, model, report_dir)]
    paths = sets or [default_set()]
    items = [item for path in paths for item in load_set(path, [root] if root else None)]
    if len({i.id for i in items}) < len(items):
        raise TutorError("the sets share question ids; give every question a unique id")
    console = Console(stderr=True)
    ws.resolve(collection)  # index the bundled corpus before the clock starts
    with progress_bar(console, label="[bold]eval", detail="{task.description}") as bar:
        task = bar.add_task("", total=len(items) * repeat)
        result = evaluate(
            ws,
            items,
            sets=paths,
            collection=collection,
            k=k,
            model=model,
            repeat=repeat,
            judge=Judge(judge, ws.config, cache=ws.response_cache) if judge else None,
            on_progress=lambda done, total, qid: bar.update(task, completed=done, description=qid),
        )
    json_path, md_path = report.write(result, report_dir or ws.config.eval_runs_dir / result.id, ws.config.eval.worst_questions)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        Console().print(report.metrics_table(result))
    console.print(f"run saved: {json_path}\nreport: {md_path}")
    if check and (problems := check_levels(result, Thresholds.load(thresholds))):
        for problem in problems:
            console.print(f"[red]below threshold[/] {problem}")
        raise typer.Exit(1)


def _from_notes(ws: Workspace, collection: str, n: int, model: str | None, report_dir: Path | None) -> Path:
    """Write the from-notes set (by the configured model, else from flashcards) and say what was left out."""
    from tutor.evals.from_notes import synthesise, write

    name = ws.resolve(collection)
    console = Console(stderr=True)
    with console.status("writing questions from your notes..."):
        synthesis = synthesise(ws, name, n, model or ws.config.llm.model)
    if not synthesis.items:
        raise TutorError(f"no questions could be written from collection '{name}': {synthesis.summary()}")
    written = write(synthesis.items, (report_dir or ws.config.eval_runs_dir) / f"{name}-from-notes.jsonl")
    console.print(f"wrote {synthesis.summary()} to {written}")
    if synthesis.fault:
        console.print(f"[yellow]stopped early, the model failed:[/] {synthesis.fault}")
    return written


def _bank(
    ws: Workspace, collection: str, model: str | None, generate_n: int, topic: str | None, as_json: bool, report_dir: Path | None
) -> None:
    from tutor.evals.bank import evaluate_bank

    with Console(stderr=True).status("verifying the question bank..."):
        result = evaluate_bank(ws, collection=collection, model=model, generate_n=generate_n, topic=topic)
    directory = report_dir or ws.config.eval_runs_dir
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bank.json").write_text(json.dumps(result.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if not result.questions:
        raise TutorError("the question bank is empty: run `tutor eval --bank --generate 10` or generate questions first")
    table = Table(title=f"question bank — {len(result.questions)} questions")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in result.metrics.items():
        table.add_row(
            name.replace("_", " "), "—" if value is None else f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
        )
    Console().print(table)


@eval_app.command("compare")
def compare_runs(
    before: Path = typer.Argument(..., help="The earlier run (run.json or its directory)."),
    after: Path = typer.Argument(..., help="The later run."),
    thresholds: Path = typer.Option(None, "--thresholds", help="Thresholds file (default: evals/thresholds.toml)."),
    show: int = typer.Option(10, "--show", help="How many worsened questions to list."),
) -> None:
    """Per-metric deltas and the questions that got worse; exit 1 when a drop exceeds its threshold."""
    result = compare(Run.load(before), Run.load(after), Thresholds.load(thresholds))
    console = Console()
    table = Table(title=f"{before} → {after}")
    for column in ("metric", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for d in result.deltas:
        style = "red" if d.worse_by > 1e-9 else "green" if d.worse_by < -1e-9 else ""
        change = "—" if d.change is None else f"[{style}]{d.change:+.4g}[/]" if style else "0"
        table.add_row(d.metric, report.fmt(d.metric, d.before), report.fmt(d.metric, d.after), change)
    console.print(table)
    if result.worse:
        console.print(f"{len(result.worse)} question(s) got worse:")
        for old, new in result.worse[:show]:
            console.print(f"  {new.id}: quality {old.quality:.2f} -> {new.quality:.2f}  {new.question[:80]}")
    for violation in result.violations:
        console.print(f"[red]regression[/] {violation}")
    if result.violations:
        raise typer.Exit(1)
