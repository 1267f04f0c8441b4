"""The study chat: conversation, live sources, sessions sidebar, status bar."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
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

if TYPE_CHECKING:
    from tutor.tui.app import TutorApp

WELCOME = (
    "Ask about your notes. Every answer cites its sources as [n]: "
    "focus a message (↑ or click) and press 1-9 or ] to read them.\n"
    "ctrl+p lists every command."
)


class ChatScreen(Screen):
    AUTO_FOCUS = "#prompt"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+n", "new_session", "New"),
        Binding("ctrl+o", "toggle_sessions", "Sessions"),
        Binding("ctrl+s", "toggle_sources", "Sources", show=False),
    ]

    app: TutorApp

    def __init__(self) -> None:
        super().__init__()
        self.session: str | None = None
        self.context: list[tuple[str, str]] = []  # a quiz question the next ask is about
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

    def refresh_status(self) -> None:
        self.status.model = self.app.model_label
        self.status.collection = self.app.collection_label
        self.status.session = self.session or "new chat"

    def refresh_sessions(self) -> None:
        self.query_one(SessionList).show(self.app.sessions.list_sessions(), self.session)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self._cancel is not None
        return True

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
        if self.session is None:
            self.session = self.app.sessions.create(question)
            self.refresh_sessions()
            self.refresh_status()
        await self.query("#welcome").remove()
        reply = ChatMessage("tutor")
        await self.messages.mount_all([ChatMessage("student", question), reply])
        self.messages.scroll_end(animate=False)
        reply.start_stream()
        self._cancel = threading.Event()
        self.status.busy = "answering…"
        self.refresh_bindings()
        # A quiz question carried over joins the session's own history for this one ask.
        turns = self.app.workspace.config.answer.history_turns
        history = self.app.sessions.history(self.session, turns) + self.context if self.context else []
        self.context = []
        self._answer(question, reply, self._cancel, history)

    @work(group="ask")
    async def _answer(self, question: str, reply: ChatMessage, cancel: threading.Event, history: list[tuple[str, str]]) -> None:
        try:
            answer = await self.app.core.run(
                self.app.workspace.ask,
                question,
                session=self.session,
                history=history or None,
                collection=self.app.collection,
                model=self.app.model,
                on_token=lambda text: reply.post_message(ChatMessage.Streamed(text)),
                cancel=cancel,
            )
        except TutorError as exc:
            self._finish()
            await reply.show_failure("Cancelled." if cancel.is_set() else str(exc))
            return
        self._finish()
        if cancel.is_set():  # stopped mid-stream: keep what was written, say it is incomplete
            await reply.show_failure("Cancelled.")
            return
        await reply.show_answer(answer)
        self.status.tokens += answer.tokens
        self.status.cost += answer.cost
        self.status.engine = answer.engine
        self.query_one(SourcesPanel).show(answer)
        self.messages.scroll_end(animate=False)

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

    def add_quiz_context(self, markdown: str, history: tuple[str, str], prompt: str) -> None:
        """Carry a quiz question into the chat: shown, and sent as history with the next question."""
        self.query("#welcome").remove()
        self.messages.mount(ChatMessage("context", markdown))
        self.messages.scroll_end(animate=False)
        self.context = [history]
        self.query_one(PromptInput).value = prompt
        self.query_one(PromptInput).focus()

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
        self.context = []
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
        turns = self.app.sessions.turns(name)
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

        def rename(new: str | None) -> None:
            if not new or new == old:
                return
            try:
                self.app.sessions.rename(old, new)
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
            self.app.sessions.delete(name)
            if self.session == name:
                await self.action_new_session()
            self.refresh_sessions()

        self.app.push_screen(ConfirmDialog(f"Delete the session “{name}”?"), delete)

    def action_export_session(self) -> None:
        if (name := self._target_session()) is None:
            self.notify("Nothing to export yet: ask a question first.")
            return
        path = self.app.export_session(name)
        self.notify(f"Exported to {path}", title="session exported")

    def action_copy_last(self) -> None:
        replies = [m for m in self.query(ChatMessage) if m.role == "tutor"]
        if replies:
            replies[-1].action_copy()
