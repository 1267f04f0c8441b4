"""``tutor generate | quiz | exam | export-anki | bank``: exam-style questions in the terminal.

Answers are read line by line from stdin, so every command is scriptable and testable:
``printf 'B\\nA,C\\n' | tutor quiz -n 2``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tutor.cli import app
from tutor.errors import TutorError
from tutor.questions.bank import QuestionBank
from tutor.questions.exam import ExamResult, ExamSession
from tutor.questions.export import to_anki, to_json, to_markdown
from tutor.questions.question import LETTERS, Question, cite, parse_choice
from tutor.workspace import Workspace

bank_app = typer.Typer(help="List, export and check the question bank.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")

_TOPIC = typer.Option(None, "--topic", "-t", help="Only this topic (a search over your notes when generating).")
_COLLECTION = typer.Option(None, "--collection", "-c", help="Default: notes if it exists, else corpus.")


@app.command()
def generate(
    topic: str = _TOPIC,
    collection: str = _COLLECTION,
    n: int = typer.Option(5, "-n", help="How many questions to add."),
    kind: str = typer.Option("single", "--kind", help="single (1 of 4) or multi (2 of 5, 'Choose TWO')."),
    difficulty: int = typer.Option(2, "--difficulty", min=1, max=3, help="1 recall ... 3 close alternatives."),
    model: str = typer.Option(None, "--model", help="litellm model; default: the configured one, else offline."),
    as_json: bool = typer.Option(False, "--json", help="Print accepted and rejected questions as JSON."),
) -> None:
    """Write verified exam-style questions from your notes into the bank."""
    from tutor.questions.generation import generate as generate_questions  # imports litellm: only here

    ws = Workspace()
    report = generate_questions(ws, topic=topic, n=n, kind=kind, difficulty=difficulty, collection=collection, model=model)
    if as_json:
        rejected = [{"question": q.to_dict() if q else None, "reasons": r} for q, r in report.rejected]
        print(json.dumps({"accepted": [q.to_dict() for q in report.accepted], "rejected": rejected}, ensure_ascii=False))
        return
    console = Console()
    for q in report.accepted:
        console.print(escape(q.to_markdown()))
    console.print(f"added {len(report.accepted)} question(s); rejected {len(report.rejected)}")
    for q, reasons in report.rejected:
        console.print(f"  - {escape(q.stem[:70] if q else '(no usable draft)')}…: {escape('; '.join(reasons))}", style="dim")
    if len(report.accepted) < n:
        console.print(f"only {len(report.accepted)} of {n}: the notes ran out of new facts that pass verification", style="yellow")


def _ask_choice(console: Console, q: Question, hint: str) -> tuple[str, list[int] | None]:
    """Read one answer line; returns (raw line, indexes or None). EOF reads as 'q'."""
    while True:
        try:
            raw = typer.prompt(hint, default="", show_default=False).strip()
        except click.exceptions.Abort:
            return "q", None
        if raw.lower() in ("q", "quit", "", "!"):
            return raw.lower(), None
        chosen = parse_choice(raw.rstrip("!"), len(q.options))
        if chosen is not None:
            return raw, chosen
        console.print(f"answer with option letters A-{LETTERS[len(q.options) - 1]} (e.g. B or A,C), or q to stop", style="yellow")


def _show(console: Console, q: Question, header: str) -> None:
    console.print(f"\n[bold]{escape(header)}[/] [dim]{escape(q.topic)} · {escape(q.domain)}[/]")
    console.print(escape(q.stem))
    for i, option in enumerate(q.options):
        console.print(f"  {LETTERS[i]}. {escape(option)}")


def _explain(console: Console, q: Question) -> None:
    for i, text in enumerate(q.explanations):
        console.print(f"  {LETTERS[i]}: {escape(text)}", style="green" if i in q.keys else "")
    for c in q.citations:
        console.print(f"  {escape(cite(c))}", style="dim")


def _questions(ws: Workspace, bank: QuestionBank, n: int, topic: str | None, collection: str | None) -> list[Question]:
    """Due and unseen bank questions, topped up with freshly generated ones."""
    picked = bank.due(n, topic)
    if len(picked) < n:
        from tutor.questions.generation import generate as generate_questions  # imports litellm: only here

        report = generate_questions(ws, topic=topic, n=n - len(picked), collection=collection, bank=bank)
        picked += report.accepted
    if not picked:
        raise TutorError("no questions to practise: the notes gave none that pass verification")
    return picked


@app.command()
def quiz(
    topic: str = _TOPIC,
    collection: str = _COLLECTION,
    n: int = typer.Option(10, "-n", help="How many questions."),
) -> None:
    """Practise: due questions first, then new ones from your weakest topics (FSRS scheduling)."""
    ws = Workspace()
    bank = QuestionBank(ws)
    console = Console()
    questions = _questions(ws, bank, n, topic, collection)
    right = done = 0
    for i, q in enumerate(questions, start=1):
        _show(console, q, f"Question {i}/{len(questions)}")
        raw, chosen = _ask_choice(console, q, "answer (letters, q to stop)")
        if chosen is None:
            if raw in ("q", "quit"):
                break
            continue
        grade = bank.grade(q.id, chosen)
        done += 1
        right += grade.correct
        verdict = "[green]correct[/]" if grade.correct else f"[red]wrong[/] — the answer is {q.key_letters}"
        console.print(verdict)
        _explain(console, q)
    console.print(f"\n{right}/{done} correct")
    _print_progress(console, bank)


@app.command()
def exam(
    minutes: float = typer.Option(130, "--minutes", help="Time limit."),
    n: int = typer.Option(65, "-n", help="How many questions."),
    collection: str = _COLLECTION,
) -> None:
    """A timed mock exam: type letters to answer, add '!' to flag for review (e.g. 'B!'), Enter to skip."""
    ws = Workspace()
    bank = QuestionBank(ws)
    console = Console()
    session = ExamSession(_questions(ws, bank, n, None, collection), minutes)
    pending = list(range(len(session.questions)))
    raw = ""
    for round_ in ("answer", "review"):
        for i in pending:
            if session.over:
                break
            q = session.questions[i]
            left = int(session.remaining())
            flag = " [flagged]" if i in session.flagged else ""
            _show(
                console,
                q,
                f"{'Review ' if round_ == 'review' else ''}Question {i + 1}/{len(session.questions)}{flag} · {left // 60}:{left % 60:02d} left",
            )
            raw, chosen = _ask_choice(console, q, "answer (letters, '!' flags, Enter skips, q ends)")
            if raw in ("q", "quit"):
                break
            if chosen is not None:
                session.answer(i, chosen, flag=raw.endswith("!"))
            elif raw == "!":
                session.flagged.add(i)
        pending = sorted(set(session.flagged) | {i for i in range(len(session.questions)) if i not in session.answers})
        if not pending or session.over or raw in ("q", "quit"):
            break
        console.print(f"\n{len(pending)} flagged or unanswered question(s) to review.")
    if session.over:
        console.print("\n[yellow]time is up[/]")
    _debrief(console, session.finish(bank))


def _debrief(console: Console, result: ExamResult) -> None:
    console.print(f"\n[bold]Score: {result.correct}/{result.total} ({result.percent:.0f}%)[/], unanswered {result.unanswered}")
    table = Table(title="By domain (weakest first)")
    for col in ("domain", "correct", "total", "%"):
        table.add_column(col, justify="left" if col == "domain" else "right")
    for d in result.domains:
        table.add_row(escape(d.domain), str(d.correct), str(d.total), f"{d.percent:.0f}")
    console.print(table)
    for q in result.wrong:
        console.print(f"\n[red]✗[/] {escape(q.stem)}\n  answer {q.key_letters}: {escape(q.explanations[q.keys[0]])}")


def _print_progress(console: Console, bank: QuestionBank) -> None:
    rows = [p for p in bank.progress() if p.answered or p.due]
    if not rows:
        return
    table = Table(title="Progress by topic")
    for col in ("topic", "answered", "correct", "accuracy", "due"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for p in sorted(rows, key=lambda p: p.accuracy):
        table.add_row(escape(p.topic), str(p.answered), str(p.correct), f"{p.accuracy:.0%}", str(p.due))
    console.print(table)


@app.command("export-anki")
def export_anki(
    path: Path = typer.Argument(..., help="The .apkg file to write."),
    topic: str = _TOPIC,
) -> None:
    """Export the bank (stale questions left out) as an Anki deck."""
    bank = QuestionBank(Workspace())
    bank.mark_stale()
    count = to_anki(bank.all(topic, include_stale=False), path)
    typer.echo(f"wrote {count} question(s) to {path}")


@bank_app.command("list")
def bank_list(topic: str = _TOPIC) -> None:
    """Every question with its topic, verdict and whether it is stale."""
    bank = QuestionBank(Workspace())
    stale = bank.mark_stale()
    table = Table()
    for col in ("id", "kind", "topic", "domain", "solve", "stale", "stem"):
        table.add_column(col, overflow="fold")
    for q in bank.all(topic):
        solve = q.verdict.get("solve", {}).get("method", "-")
        table.add_row(q.id, q.kind, escape(q.topic), escape(q.domain), solve, "yes" if q.stale else "", escape(q.stem[:80]))
    Console().print(table)
    typer.echo(f"{len(bank.all(topic))} question(s), {stale} stale")


@bank_app.command("export")
def bank_export(
    as_json: bool = typer.Option(False, "--json", help="JSON: every field, including verdicts."),
    as_markdown: bool = typer.Option(False, "--markdown", help="Markdown: questions, answers and cited explanations."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    topic: str = _TOPIC,
) -> None:
    """Export the bank as JSON or Markdown."""
    if as_json == as_markdown:
        raise TutorError("choose one of --json or --markdown")
    bank = QuestionBank(Workspace())
    bank.mark_stale()
    questions = bank.all(topic)
    text = to_json(questions) if as_json else to_markdown(questions)
    if output is None:
        print(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"wrote {len(questions)} question(s) to {output}")


@bank_app.command("progress")
def bank_progress() -> None:
    """Reviews, accuracy and due cards per topic."""
    _print_progress(Console(), QuestionBank(Workspace()))
