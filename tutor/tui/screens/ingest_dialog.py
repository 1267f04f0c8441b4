"""Pick a folder and ingest it, with a progress bar; the embedding runs in the core process."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, ProgressBar

from tutor.errors import TutorError
from tutor.ingest import IngestReport, ProgressEvent
from tutor.tui.labels import short_path
from tutor.workspace import NOTES_COLLECTION

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp


class IngestDialog(ModalScreen[IngestReport | None]):
    """Dismisses with the report (None if nothing ran); esc is refused while files are embedding."""

    AUTO_FOCUS = "#path"
    BINDINGS = [Binding("escape", "close", "Close")]

    class Progressed(Message):
        def __init__(self, event: ProgressEvent) -> None:
            super().__init__()
            self.event = event

    app: TutorApp

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()
        self.running = False
        self.report: IngestReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="ingest"):
            yield Label("Ingest notes: pick a folder, or type a path", classes="dialog-title")
            yield DirectoryTree(self.start, id="tree")
            yield Input(placeholder="folder or file (enter ingests)", id="path", compact=True)
            with Horizontal(id="collection-row"):
                yield Label("collection ")
                yield Input(NOTES_COLLECTION, id="collection", compact=True)
            yield ProgressBar(id="progress", show_eta=False)
            yield Label("", id="ingest-status")
            yield Label("enter ingests · esc closes", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).root.set_label(f"{self.start.name}/")
        self.query_one(ProgressBar).display = False

    @on(DirectoryTree.DirectorySelected)
    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.DirectorySelected | DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        collection = self.query_one("#collection", Input).value.strip() or NOTES_COLLECTION
        if self.running:
            return
        if not raw or not Path(raw).expanduser().exists():
            self.query_one("#ingest-status", Label).update(f"no such file or folder: {raw or '(empty)'}")
            return
        self.running = True
        self.query_one(ProgressBar).display = True
        self.query_one("#ingest-status", Label).update("reading files…")
        self.ingest(Path(raw).expanduser(), collection)

    @work(group="ingest")
    async def ingest(self, path: Path, collection: str) -> None:
        status = self.query_one("#ingest-status", Label)
        try:
            self.report = await self.app.core.run(
                self.app.workspace.ingest, [path], collection, on_progress=lambda e: self.post_message(self.Progressed(e))
            )
        except TutorError as exc:
            status.update(f"error: {exc}")
        else:
            status.update(self.report.summary())
        self.running = False

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        event = message.event
        self.query_one(ProgressBar).update(total=event.files_total, progress=event.files_done)
        note = f" ({event.reason})" if event.reason else ""
        self.query_one("#ingest-status", Label).update(
            f"{event.files_done}/{event.files_total} {event.status} {short_path(event.path)}{note}"
        )

    def action_close(self) -> None:
        if self.running:
            self.notify("Still ingesting: each file commits as it finishes; wait for the summary.")
            return
        self.dismiss(self.report)
