"""``tutor generate | quiz | exam | export-anki | bank``: exam-style questions in the terminal.

Answers are read line by line from stdin, so every command is scriptable and testable:
``printf 'B\\nA,C\\n' | tutor quiz -n 2``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import typer
from fsrs import Rating
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tutor.cli import app
from tutor.errors import TutorError
from tutor.questions.bank import QuestionBank
from tutor.questions.cards import CARD
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
    kind: str = typer.Option(
        "single", "--kind", help="card (a flashcard: a number or definition to recall), single (1 of 4) or multi (2 of 5, 'Choose TWO')."
    ),
    difficulty: int = typer.Option(
        2,
        "--difficulty",
        min=1,
        max=3,
        help="1 recall (the need alone, unrelated options), 2 the need's deciding constraint and related options, "
        "3 two requirements from one section of the notes and options of the key's own kind.",
    ),
    model: str = typer.Option(None, "--model", help="litellm model; default: the configured one, else offline."),
    as_json: bool = typer.Option(False, "--json", help="Print accepted and rejected questions as JSON."),
) -> None:
    """Write verified exam-style questions from your notes into the bank."""
    from tutor.questions.generation import generate as generate_questions  # imports litellm: only here

    ws = Workspace()
    report = generate_questions(ws, topic=topic, n=n, kind=kind, difficulty=difficulty, collection=collection, model=model)
    if as_json:
        rejected = [
            {"question": r.question.to_dict() if r.question else None, "draft": r.label, "reasons": r.reasons} for r in report.rejected
        ]
        shortfall = report.shortfall()
        print(
            json.dumps(
                {"accepted": [q.to_dict() for q in report.accepted], "rejected": rejected, "shortfall": shortfall}, ensure_ascii=False
            )
        )
        if shortfall:
            raise typer.Exit(1)
        return
    console = Console()
    for q in report.accepted:
        console.print(escape(q.to_markdown()))
    console.print(f"added {len(report.accepted)} question(s); rejected {len(report.rejected)}")
    for r in report.rejected:
        console.print(f"  - {escape(r.label[:70])}…: {escape('; '.join(r.reasons))}", style="dim")
    if shortfall := report.shortfall():
        for line in shortfall:
            typer.secho(line, fg="yellow", err=True)
        raise typer.Exit(1)


def _ask_choice(console: Console, q: Question, hint: str) -> tuple[str, list[int] | None]:
    """Read one answer line; returns (raw line, indexes or None). EOF reads as 'q'.

    A Choose-TWO question takes exactly two letters; "f" and "x" (flag, retire) come back raw."""
    while True:
        try:
            raw = typer.prompt(hint, default="", show_default=False).strip()
        except click.exceptions.Abort:
            return "q", None
        if raw.lower() in ("q", "quit", "", "!", "f", "x"):
            return raw.lower(), None
        chosen = parse_choice(raw.rstrip("!"), len(q.options))
        if chosen is not None and (q.kind != "multi" or len(chosen) == len(q.keys)):
            return raw, chosen
        if chosen is not None:
            console.print(f"this question takes exactly {len(q.keys)} letters (e.g. A,C)", style="yellow")
            continue
        console.print(f"answer with option letters A-{LETTERS[len(q.options) - 1]} (e.g. B or A,C), or q to stop", style="yellow")


def _mark(console: Console, bank: QuestionBank, q: Question, raw: str) -> bool:
    """Handle "f" (flag for a second look) and "x" (retire: never served again); True if it was one."""
    if raw == "f":
        bank.flag(q.id)
        console.print(f"flagged {q.id}: `tutor bank list --flagged` shows it", style="dim")
        return True
    if raw == "x":
        bank.retire(q.id)
        console.print(f"retired {q.id}: it will not be asked again", style="dim")
        return True
    return False


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
    """Due and unseen bank questions of the collection, topped up with freshly generated ones."""
    name = ws.resolve(collection)
    picked = bank.due(n, topic, collection=name)
    if len(picked) < n:
        from tutor.questions.generation import generate as generate_questions  # imports litellm: only here

        report = generate_questions(ws, topic=topic, n=n - len(picked), collection=name, bank=bank)
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
        if q.kind == CARD:
            rating = _review_card(console, q, f"Card {i}/{len(questions)}")
            if rating is None:
                break
            bank.rate(q.id, rating)
            done += 1
            right += rating != Rating.Again
            continue
        _show(console, q, f"Question {i}/{len(questions)}")
        raw, chosen = _ask_choice(console, q, "answer (letters; f flags, x retires, q stops)")
        while raw == "f" and _mark(console, bank, q, raw):
            raw, chosen = _ask_choice(console, q, "answer (letters; x retires, q stops)")
        if chosen is None:
            if raw in ("q", "quit"):
                break
            _mark(console, bank, q, raw)
            continue
        grade = bank.grade(q.id, chosen)
        done += 1
        right += grade.correct
        verdict = "[green]correct[/]" if grade.correct else f"[red]wrong[/] — the answer is {q.key_letters}"
        console.print(verdict)
        _explain(console, q)
    console.print(f"\n{right}/{done} correct")
    _print_progress(console, bank)


_RATINGS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy}


def _review_card(console: Console, q: Question, header: str) -> Rating | None:
    """Show a card's front, reveal its back and cited line on Enter, read a rating; None stops."""
    console.print(f"\n[bold]{escape(header)}[/] [dim]{escape(q.topic)} · {escape(q.domain)}[/]")
    console.print(escape(q.stem))
    try:
        if typer.prompt("Enter shows the answer (q stops)", default="", show_default=False).strip().lower() in ("q", "quit"):
            return None
    except click.exceptions.Abort:
        return None
    console.print(f"[green]{escape(q.options[0])}[/]")
    for c in q.citations:
        console.print(f"  {escape(cite(c))}: {escape(c.text)}", style="dim")
    while True:
        try:
            raw = typer.prompt("how well did you recall it? 1 again, 2 hard, 3 good, 4 easy (q stops)", default="", show_default=False)
        except click.exceptions.Abort:
            return None
        raw = raw.strip().lower()
        if raw in ("q", "quit"):
            return None
        by_name = {r.name.lower(): r for r in _RATINGS.values()}
        if rating := _RATINGS.get(raw) or by_name.get(raw):
            return rating
        console.print("rate with 1-4 (or again, hard, good, easy)", style="yellow")


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
    # Flashcards are recalled, not answered: a mock exam is multiple choice only.
    session = ExamSession([q for q in _questions(ws, bank, n, None, collection) if q.kind != CARD], minutes)
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
            raw, chosen = _ask_choice(console, q, "answer (letters, '!' marks for review, Enter skips, f flags, x retires, q ends)")
            if raw in ("q", "quit"):
                break
            if _mark(console, bank, q, raw):
                raw, chosen = _ask_choice(console, q, "answer (letters, '!' marks for review, Enter skips, q ends)")
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
    _debrief(console, session.finish(bank, ws.config.questions.exam_pass_score))


def _debrief(console: Console, result: ExamResult) -> None:
    verdict = "[green]PASS[/]" if result.passed else "[red]FAIL[/]"
    console.print(
        f"\n[bold]Score: {result.scaled} / 1000[/] ({verdict}, the pass line is {result.pass_score}) — "
        f"{result.correct}/{result.total} correct, {result.unanswered} unanswered"
    )
    table = Table(title="By domain (weakest first)")
    for col in ("domain", "correct", "total", "%"):
        table.add_column(col, justify="left" if col == "domain" else "right")
    for d in result.domains:
        table.add_row(escape(d.domain), str(d.correct), str(d.total), f"{d.percent:.0f}")
    console.print(table)
    console.print("\n[bold]Review[/]")
    for n, r in enumerate(result.reviews, start=1):
        q = r.question
        mark = "[green]✓[/]" if r.correct else "[red]✗[/]"
        flag = " [yellow](marked for review)[/]" if r.flagged else ""
        console.print(f"\n{mark} {n}. {escape(q.stem)}{flag}")
        picked = ", ".join(f"{LETTERS[i]}. {q.options[i]}" for i in r.chosen) or "nothing"
        console.print(f"  your answer: {escape(picked)}")
        for k in q.keys:
            console.print(f"  right answer: {LETTERS[k]}. {escape(q.options[k])} — {escape(_why(q.explanations[k]))}")
        for i in r.chosen:
            if i not in q.keys:
                console.print(f"  why {LETTERS[i]} is wrong: {escape(_why(q.explanations[i]))}")


def _why(explanation: str) -> str:
    """An explanation without its leading verdict word ("Correct." / "Incorrect:")."""
    return re.sub(r"^(?:correct|incorrect|wrong|right)\s*[.:—-]\s*", "", explanation.strip(), flags=re.I)


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
def bank_list(
    topic: str = _TOPIC,
    collection: str = typer.Option(None, "--collection", "-c", help="Only questions written from this collection."),
    flagged: bool = typer.Option(False, "--flagged", help="Only questions a student flagged."),
) -> None:
    """Every question with its topic, verdict and whether it is stale, flagged or retired."""
    bank = QuestionBank(Workspace())
    stale = bank.mark_stale()
    table = Table()
    for col in ("id", "kind", "topic", "domain", "solve", "marks", "stem"):
        table.add_column(col, overflow="fold")
    questions = [q for q in bank.all(topic, collection=collection) if q.flagged or not flagged]
    for q in questions:
        solve = q.verdict.get("solve", {}).get("method", "-")
        marks = " ".join(m for m, on in (("stale", q.stale), ("flagged", q.flagged), ("retired", q.retired)) if on)
        table.add_row(q.id, q.kind, escape(q.topic), escape(q.domain), solve, marks, escape(q.stem[:80]))
    Console().print(table)
    typer.echo(f"{len(questions)} question(s), {stale} stale in the bank")


@bank_app.command("flag")
def bank_flag(question_id: str = typer.Argument(..., help="The question's id (tutor bank list).")) -> None:
    """Flag a question for a second look; it is still served."""
    QuestionBank(Workspace()).flag(question_id)
    typer.echo(f"flagged {question_id}")


@bank_app.command("retire")
def bank_retire(question_id: str = typer.Argument(..., help="The question's id (tutor bank list).")) -> None:
    """Retire a wrong or useless question: it is never served again (and its fact is not rewritten)."""
    QuestionBank(Workspace()).retire(question_id)
    typer.echo(f"retired {question_id}")


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
def bank_progress(
    collection: str = typer.Option(
        None, "--collection", "-c", help="The notes to check the blueprint against (default: notes, else corpus)."
    ),
    exam: str = typer.Option(None, "--exam", help="Only this exam (DEA-C01, DAS-C01, SAA-C03, AIF-C01)."),
) -> None:
    """Reviews, accuracy and due cards per topic; per exam domain, what is banked, answered and
    retained, and the task statements your notes do not cover at all."""
    from tutor.questions.blueprint import Blueprint, coverage

    ws = Workspace()
    bank = QuestionBank(ws)
    console = Console()
    _print_progress(console, bank)
    blueprint = Blueprint.load(min_score=ws.config.blueprint.min_score)
    if exam and exam not in blueprint.exams:
        raise TutorError(f"unknown exam {exam!r}: choose one of {', '.join(blueprint.exams)}")
    name = ws.resolve(collection)
    rows = coverage(blueprint, bank.task_stats(), blueprint.covered(ws.index(name).all()), exam)
    for exam_name in dict.fromkeys(r.exam for r in rows):
        table = Table(title=f"{exam_name} {blueprint.titles[exam_name]} · notes: {name}")
        for col in ("domain", "weight", "banked", "answered", "retention", "tasks in notes"):
            table.add_column(col, justify="left" if col == "domain" else "right")
        mine = [r for r in rows if r.exam == exam_name]
        for r in mine:
            retention = f"{r.retention:.0%}" if r.retention is not None else "–"
            table.add_row(
                f"{r.domain.id}. {escape(r.domain.name)}",
                f"{r.domain.weight:.0f}%",
                str(r.banked),
                str(r.answered),
                retention,
                f"{r.tasks_in_notes}/{len(r.domain.tasks)}",
            )
        console.print(table)
        missing = [t for r in mine for t in r.uncovered]
        if missing:
            console.print("  not in your notes at all:")
            for t in missing:
                console.print(f"    {t.key}  {escape(t.text)}", style="yellow")
