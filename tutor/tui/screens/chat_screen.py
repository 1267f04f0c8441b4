"""The study chat: conversation, live sources, sessions sidebar, status bar.

Saved sessions are read and written on worker threads, answers in the core process: the UI
thread never waits on SQLite.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from tutor.errors import TutorError
from tutor.tui.screens.confirm_dialog import ConfirmDialog
from tutor.tui.screens.name_dialog import NameDialog
from tutor.tui.widgets.chat_message import ChatMessage
from tutor.tui.widgets.prompt_input import PromptInput
from tutor.tui.widgets.session_list import SessionList
from tutor.tui.widgets.sources_panel import SourcesPanel
from tutor.tui.widgets.status_bar import StatusBar
from tutor.workspace import CORPUS_COLLECTION

if TYPE_CHECKING:
    from tutor.answer import Answer
    from tutor.questions import Question
    from tutor.tui.app import TutorApp

WELCOME = (
    "Ask about your notes. Every answer cites its sources as [n]: "
    "focus a message (↑ or click) and press 1-9 or ] to read them.\n"
    "ctrl+p lists every command."
)
# Said in the answer itself, not only in the status bar: the student may think these are theirs.
BUNDLED_NOTE = "From the bundled study notes: you have not added your own yet (ctrl+l ingests them)."


class ChatScreen(Screen[None]):
    AUTO_FOCUS = "#prompt"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # The same key, when nothing is being answered: back to typing from a message or the sidebar.
        Binding("escape", "focus_prompt", "Input"),
        Binding("ctrl+n", "new_session", "New"),
        Binding("ctrl+o", "toggle_sessions", "Sessions"),
        Binding("ctrl+s", "toggle_sources", "Sources", show=False),
    ]

    app: TutorApp

    class Explain(Message):
        """Explain this quiz question in the chat (the quiz's "ask about it", routed by the app)."""

        def __init__(self, question: Question) -> None:
            super().__init__()
            self.question = question

    def __init__(self) -> None:
        super().__init__()
        self.session: str | None = None
        self._cancel: threading.Event | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Container(id="body"):
            yield SessionList(id="sessions")
            yield VerticalScroll(Static(Content(WELCOME), id="welcome"), id="messages", can_focus=False)
            yield SourcesPanel(id="sources")
        yield PromptInput(placeholder="Ask about your notes… (enter sends)", id="prompt")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(SessionList).display = False
        # The status bar is the watcher, so the app's news stops reaching it once it closes.
        self.status.watch(self.app, "indexing", self._show_indexing)
        self.refresh_status()
        self.refresh_sessions()
        if self.app.start_session:
            self.resume(self.app.start_session)

    @property
    def messages(self) -> VerticalScroll:
        return self.query_one("#messages", VerticalScroll)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def _show_indexing(self, text: str) -> None:
        self.status.indexing = text

    def refresh_status(self) -> None:
        self.status.model = self.app.model_label
        self.status.session = self.session or "new chat"
        self._refresh_collection()

    @work(exclusive=True, group="collection")
    async def _refresh_collection(self) -> None:
        chosen = self.app.collection
        self.status.collection = chosen if chosen is not None else await asyncio.to_thread(self.app.workspace.default_collection)

    @work(exclusive=True, group="sessions")
    async def refresh_sessions(self) -> None:
        names = await asyncio.to_thread(self.app.sessions.list_sessions)
        self.query_one(SessionList).show(names, self.session)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self._cancel is not None
        if action == "focus_prompt":
            return self._cancel is None and not self.query_one(PromptInput).has_focus
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # "esc Input" shows only away from the prompt

    def action_focus_prompt(self) -> None:
        self.query_one(PromptInput).focus()

    # -- asking ------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        if self._cancel is not None:
            self.notify("Still answering: esc cancels.", severity="warning")
            return
        event.input.clear()
        await self.ask(question)

    async def ask(self, question: str) -> None:
        """Show the question, then stream the answer written in the core process."""
        await self._turn(question, question, self.app.workspace.ask, question, collection=self.app.collection)

    @on(Explain)
    async def _explain(self, event: Explain) -> None:
        """Why is B the answer? Grounded on the question's own citations, not a new search."""
        if self._cancel is not None:
            self.notify("Still answering: esc cancels.", severity="warning")
            return
        question = event.question
        shown = f"Why is {question.key_letters} the answer?"
        await self._turn(shown, question.stem, self.app.workspace.explain, question, context=question.to_markdown())

    async def _turn(
        self, shown: str, title: str, call: Callable[..., Answer], subject: object, *, context: str = "", **kwargs: Any
    ) -> None:
        await self.query("#welcome").remove()
        reply = ChatMessage("tutor")
        turn = [ChatMessage("context", context)] if context else []
        await self.messages.mount_all([*turn, ChatMessage("student", shown), reply])
        self.messages.scroll_end(animate=False)
        reply.start_stream()
        self._cancel = threading.Event()
        self.status.busy = "answering…"
        self.refresh_bindings()
        self._answer(reply, self._cancel, title, call, subject, **kwargs)

    @work(group="ask")
    async def _answer(
        self, reply: ChatMessage, cancel: threading.Event, title: str, call: Callable[..., Answer], subject: object, **kwargs: Any
    ) -> None:
        try:
            if self.session is None:
                self.session = await asyncio.to_thread(self.app.sessions.create, title)
                self.refresh_sessions()
                self.refresh_status()
            answer = await self.app.core.run(
                call,
                subject,
                session=self.session,
                model=self.app.model,
                on_token=lambda text: reply.post_message(ChatMessage.Streamed(text)),
                cancel=cancel,
                **kwargs,
            )
            bundled = "collection" in kwargs and await self._from_bundled_notes()
        except TutorError as exc:
            self._finish()
            await reply.show_failure("Cancelled." if cancel.is_set() else str(exc))
            return
        self._finish()
        if cancel.is_set():  # stopped mid-stream: keep what was written, say it is incomplete
            await reply.show_failure("Cancelled.")
            return
        await reply.show_answer(answer, note=BUNDLED_NOTE if bundled else "")
        self.status.tokens += answer.tokens
        self.status.cost += answer.cost
        self.status.engine = answer.engine
        self.query_one(SourcesPanel).show(answer)
        self.messages.scroll_end(animate=False)

    async def _from_bundled_notes(self) -> bool:
        """The answer came from the bundled corpus because the student has no notes of their own."""
        if self.app.collection not in (None, CORPUS_COLLECTION):
            return False
        return await asyncio.to_thread(self.app.workspace.default_collection) == CORPUS_COLLECTION

    def _finish(self) -> None:
        self._cancel = None
        self.status.busy = ""
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.busy = "cancelling…"

    # -- reading answers ---------------------------------------------------------

    @on(ChatMessage.Selected)
    def _selected(self, event: ChatMessage.Selected) -> None:
        if event.message.answer is not None:
            self.query_one(SourcesPanel).show(event.message.answer, event.message.citation)

    @on(ChatMessage.CitationSelected)
    def _cited(self, event: ChatMessage.CitationSelected) -> None:
        panel = self.query_one(SourcesPanel)
        panel.display = True
        if event.message.answer is not None:
            panel.show(event.message.answer, event.n)

    @on(PromptInput.Left)
    def _to_messages(self) -> None:
        if replies := self.query(ChatMessage):
            replies.last().focus()

    def action_toggle_sources(self) -> None:
        panel = self.query_one(SourcesPanel)
        panel.display = not panel.display

    # -- sessions ----------------------------------------------------------------

    def action_toggle_sessions(self) -> None:
        sidebar = self.query_one(SessionList)
        sidebar.display = not sidebar.display
        if sidebar.display:
            self.refresh_sessions()
            sidebar.focus()
        else:
            self.query_one(PromptInput).focus()

    async def action_new_session(self) -> None:
        if self._cancel is not None:
            self.notify("Still answering: esc cancels first.", severity="warning")
            return
        self.session = None
        await self.messages.remove_children()
        await self.messages.mount(Static(Content(WELCOME), id="welcome"))
        self.query_one(SourcesPanel).clear()
        self.status.tokens, self.status.cost, self.status.engine = 0, 0.0, ""
        self.refresh_status()
        self.refresh_sessions()
        self.query_one(PromptInput).focus()

    @on(OptionList.OptionSelected, "#sessions")
    def _resume_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.resume(event.option.id)

    @work(exclusive=True, group="resume")
    async def resume(self, name: str) -> None:
        """Show a saved session; the next question continues it."""
        turns = await asyncio.to_thread(self.app.sessions.turns, name)
        self.session = name
        await self.messages.remove_children()
        widgets: list[ChatMessage] = []
        for turn in turns:
            widgets += [ChatMessage("student", turn.question), ChatMessage("tutor", answer=turn.answer)]
        await self.messages.mount_all(widgets or [Static(Content(WELCOME), id="welcome")])
        self.messages.scroll_end(animate=False)
        self.status.tokens = sum(t.answer.tokens for t in turns)
        self.status.cost = sum(t.answer.cost for t in turns)
        self.status.engine = turns[-1].answer.engine if turns else ""
        self.refresh_status()
        if turns:
            self.query_one(SourcesPanel).show(turns[-1].answer)
        else:
            self.query_one(SourcesPanel).clear()

    def _target_session(self) -> str | None:
        """The highlighted session when the sidebar has focus, else the open one."""
        sidebar = self.query_one(SessionList)
        return (sidebar.highlighted_name if sidebar.has_focus else None) or self.session

    def action_rename_session(self) -> None:
        if (old := self._target_session()) is None:
            self.notify("Nothing to rename yet: ask a question first.")
            return

        async def rename(new: str | None) -> None:
            if not new or new == old:
                return
            try:
                await asyncio.to_thread(self.app.sessions.rename, old, new)
            except TutorError as exc:
                self.notify(str(exc), severity="error")
                return
            if self.session == old:
                self.session = new
            self.refresh_sessions()
            self.refresh_status()

        self.app.push_screen(NameDialog("Rename session", old), rename)

    def action_delete_session(self) -> None:
        if (name := self._target_session()) is None:
            return

        async def delete(confirmed: bool | None) -> None:
            if not confirmed:
                return
            await asyncio.to_thread(self.app.sessions.delete, name)
            if self.session == name:
                await self.action_new_session()
            self.refresh_sessions()

        self.app.push_screen(ConfirmDialog(f"Delete the session “{name}”?"), delete)

    async def action_export_session(self) -> None:
        if (name := self._target_session()) is None:
            self.notify("Nothing to export yet: ask a question first.")
            return
        path = await asyncio.to_thread(self.app.export_session, name)
        self.notify(f"Exported to {path}", title="session exported")

    def action_copy_last(self) -> None:
        replies = [m for m in self.query(ChatMessage) if m.role == "tutor"]
        if replies:
            replies[-1].action_copy()
