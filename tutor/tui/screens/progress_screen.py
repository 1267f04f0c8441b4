"""Per-topic accuracy and what is due for review; enter starts a quiz on the highlighted topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from tutor.errors import TutorError
from tutor.tui import bank_calls

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp


class ProgressScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.switch_mode('chat')", "Chat"),
        Binding("ctrl+t", "quiz_topic", "Quiz topic"),
    ]

    app: TutorApp

    def compose(self) -> ComposeResult:
        yield Label("Progress", id="summary")
        yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
        yield Label("Exam domains · tasks your notes cover", id="domains-title")
        yield DataTable(id="domains", cursor_type="none", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#topics", DataTable).add_columns("topic", "answered", "correct", "accuracy", "due")
        self.query_one("#domains", DataTable).add_columns("exam", "domain", "weight", "banked", "answered", "retention", "tasks in notes")

    def on_screen_resume(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        try:
            rows, error = await self.app.core.run(bank_calls.progress, self.app.workspace), ""
        except TutorError as exc:
            rows, error = [], str(exc)
        table = self.query_one("#topics", DataTable)
        table.clear()
        for p in rows:
            table.add_row(p.topic, p.answered, p.correct, f"{p.accuracy:.0%}" if p.answered else "–", p.due, key=p.topic)
        answered = sum(p.answered for p in rows)
        correct = sum(p.correct for p in rows)
        due = sum(p.due for p in rows)
        overall = f"{correct}/{answered} correct ({correct / answered:.0%})" if answered else "no answers yet"
        if error or rows:
            summary = error or f"Progress · {len(rows)} topics · {overall} · {due} due for review"
        else:
            summary = "Progress · no questions yet: ctrl+t opens the quiz, g there writes some"
        self.query_one("#summary", Label).update(summary)
        self.load_domains()

    @work(exclusive=True, group="domains")
    async def load_domains(self) -> None:
        try:
            domains = await self.app.core.run(bank_calls.coverage, self.app.workspace)
        except TutorError:
            domains = []  # no notes yet: the summary above says what to do
        table = self.query_one("#domains", DataTable)
        table.clear()
        for d in domains:
            retention = f"{d.retention:.0%}" if d.retention is not None else "–"
            covered = f"{d.tasks_in_notes}/{len(d.domain.tasks)}"
            table.add_row(d.exam, d.domain.name, f"{d.domain.weight:.0f}%", d.banked, d.answered, retention, covered)

    @on(DataTable.RowSelected)
    async def _row_selected(self) -> None:
        await self.action_quiz_topic()

    async def action_quiz_topic(self) -> None:
        table = self.query_one("#topics", DataTable)
        if not table.row_count:
            await self.app.open_quiz(None)
            return
        topic = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await self.app.open_quiz(topic)
