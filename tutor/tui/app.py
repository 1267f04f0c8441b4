"""The study app: chat, quiz and progress screens over one :class:`Workspace`.

>>> TutorApp(Workspace()).run()
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from tutor.answer import SessionStore
from tutor.errors import TutorError
from tutor.ingest import IngestReport, ProgressEvent
from tutor.llm import EXTRACTIVE_MODEL, LOCAL_PREFIX, configured_models
from tutor.tui.commands import TutorCommands
from tutor.tui.core_process import CoreProcess, warm_up
from tutor.tui.screens.chat_screen import ChatScreen
from tutor.tui.screens.ingest_dialog import IngestDialog
from tutor.tui.screens.model_picker import ModelPicker
from tutor.tui.screens.progress_screen import ProgressScreen
from tutor.tui.screens.quiz_screen import QuizScreen
from tutor.workspace import CORPUS_COLLECTION, Workspace


class TutorApp(App[None]):
    TITLE = "tutor"
    # Every screen's stylesheet loads with the app's: the first push of a screen bringing new
    # CSS would make Textual re-parse all of it and restyle every widget of the app on the UI
    # thread, which behind a long conversation takes hundreds of milliseconds.
    CSS_PATH = [
        "app.tcss",
        *(f"screens/{name}.tcss" for name in ("chat_screen", "quiz_screen", "progress_screen", "dialog", "ingest_dialog")),
    ]
    COMMANDS = App.COMMANDS | {TutorCommands}
    DEFAULT_MODE = "chat"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    # First-run indexing of the bundled notes, as the chat's status bar shows it. A reactive the
    # screen watches, not a reach into the screen: the news may come while it is being torn down.
    indexing = reactive("")
    BINDINGS = [
        Binding("ctrl+t", "switch_mode('quiz')", "Quiz"),  # ctrl+e is the prompt's end-of-line
        # In the command palette, not the footer: with a screen's own keys they overflowed 80 columns.
        Binding("ctrl+r", "switch_mode('progress')", "Progress", show=False),
        Binding("ctrl+l", "ingest", "Ingest"),
        Binding("f2", "pick_model", "Model", show=False),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        model: str | None = None,
        collection: str | None = None,
        session: str | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = model
        self.collection = collection
        self.start_session = session
        self.sessions = SessionStore(workspace.config.db_path)
        self.core = CoreProcess(workspace)
        # One long-lived screen per mode: switching keeps the conversation and the quiz as they were.
        self.chat = ChatScreen()
        self.quiz = QuizScreen()
        for mode, screen in (("chat", self.chat), ("quiz", self.quiz), ("progress", ProgressScreen())):
            self.add_mode(mode, _same(screen))

    @property
    def model_label(self) -> str:
        """The LLM that will answer, or "" for the offline engines."""
        model = self.model or self.workspace.config.llm.model or ""
        return "" if model.startswith(LOCAL_PREFIX) else model

    def on_mount(self) -> None:
        # What is loaded by now (Textual, tutor's modules) lives as long as the app. Frozen, a
        # full garbage collection, which stops the UI, skips it and takes a few ms.
        gc.freeze()
        # Starts the core process now; if it cannot, the first real call says why.
        self.run_worker(self.core.run(warm_up, self.workspace), group="warm-up", exit_on_error=False)
        self.prepare_corpus()

    def on_unmount(self) -> None:
        self.core.close()
        gc.unfreeze()  # collectable again, for a process that goes on (tests run many apps)

    @work(exclusive=True, group="prepare")
    async def prepare_corpus(self) -> None:
        """First run: index the bundled notes in the background, so the UI is usable at once."""
        if (self.collection or await asyncio.to_thread(self.workspace.default_collection)) != CORPUS_COLLECTION:
            return

        def progress(event: ProgressEvent) -> None:
            self.call_from_thread(self._preparing, f"indexing bundled notes {event.files_done}/{event.files_total}")

        self._preparing("indexing bundled notes…")
        try:
            await self.core.run(self.workspace.ensure_corpus, on_progress=progress)
        except TutorError as exc:
            self.notify(str(exc), severity="error")
        self._preparing("")

    def _preparing(self, text: str) -> None:
        self.indexing = text

    # -- actions shared by every screen (and listed in the command palette) --------

    async def action_chat(self, action: str) -> None:
        """Run a chat screen action from anywhere: go to the chat first."""
        await self.switch_mode("chat")
        await self.chat.run_action(action)

    @on(QuizScreen.AskAbout)
    async def _explain_in_chat(self, message: QuizScreen.AskAbout) -> None:
        await self.switch_mode("chat")
        self.chat.post_message(ChatScreen.Explain(message.question))

    async def open_quiz(self, topic: str | None) -> None:
        self.quiz.show_topic(topic)
        await self.switch_mode("quiz")

    def action_ingest(self) -> None:
        def done(report: IngestReport | None) -> None:
            if report is not None:
                self.chat.refresh_status()
                self.notify(report.summary(), title="ingested")

        self.push_screen(IngestDialog(), done)

    def action_pick_model(self) -> None:
        def picked(model: str | None) -> None:
            if model:
                self.model = model
                self.chat.refresh_status()

        current = self.model or self.workspace.config.llm.model or EXTRACTIVE_MODEL
        self.push_screen(ModelPicker(configured_models(self.workspace.config), current), picked)

    def export_session(self, name: str) -> Path:
        """Write a session as Markdown into the data dir's ``exports/``."""
        folder = self.workspace.config.home / "exports"
        folder.mkdir(exist_ok=True)
        path = folder / f"{''.join(ch if ch.isalnum() or ch in '-_' else '-' for ch in name)[:60]}.md"
        path.write_text(self.sessions.export_markdown(name), encoding="utf-8")
        return path


def _same(screen: Screen[None]) -> Callable[[], Screen[None]]:
    """A mode factory that always returns this one screen (it keeps its state across switches)."""
    return lambda: screen
