"""One turn of the conversation: the student's question or the tutor's cited answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from tutor.tui.widgets.cited_markdown import CITE_SCHEME, CitedMarkdown

if TYPE_CHECKING:
    from tutor.answer import Answer

Role = Literal["student", "tutor", "context"]
TITLES: dict[Role, str] = {"student": "you", "tutor": "tutor", "context": "quiz question"}


class ChatMessage(Vertical, can_focus=True):
    """Focus a message to show its sources; ``y`` copies its markdown, ``1``-``9`` pick a citation."""

    BINDINGS = [
        Binding("y", "copy", "Copy"),
        Binding("left_square_bracket", "step_citation(-1)", "Prev source", show=False),
        Binding("right_square_bracket", "step_citation(1)", "Next source", key_display="]"),
        *(Binding(str(n), f"cite({n})", show=False) for n in range(1, 10)),
    ]
    DEFAULT_CSS = """
    ChatMessage {
        height: auto;
        margin: 0 0 1 0;
        border: round $foreground 30%;
        border-title-color: $text-muted;
        &.-student { border: round $primary 50%; margin-left: 4; }
        &.-context { border: round $secondary 60%; }
        &.-abstained { border: round $warning; border-title-color: $text-warning; }
        &.-failed { border: round $error 60%; }
        &:focus { border: round $accent; border-title-color: $text-accent; }
        &.-abstained:focus { border: double $warning; }
        CitedMarkdown { margin: 0; }
        CitedMarkdown > *:last-child { margin-bottom: 0; }
    }
    """

    class Selected(Message):
        """The student moved to this message: its sources should show."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class CitationSelected(Message):
        def __init__(self, message: ChatMessage, n: int) -> None:
            super().__init__()
            self.message = message
            self.n = n

    class Streamed(Message, bubble=False):
        """Text from the answer being written; posted from the thread reading the core process."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, role: Role, markdown: str = "", answer: Answer | None = None) -> None:
        super().__init__(classes=f"-{role}")
        self.role = role
        self.answer = answer
        self.markdown = answer.answer if answer else markdown
        self.citation: int | None = None
        self._stream: MarkdownStream | None = None
        self.border_title = TITLES[role]
        if answer is not None:
            self._label(answer)

    def compose(self) -> ComposeResult:
        yield CitedMarkdown(self.markdown, unverified=self.answer.unverified if self.answer else None)

    @property
    def document(self) -> CitedMarkdown:
        return self.query_one(CitedMarkdown)

    # -- streaming ---------------------------------------------------------------

    def start_stream(self) -> None:
        self.add_class("-streaming")
        self.border_subtitle = "thinking… (esc cancels)"
        self._stream = Markdown.get_stream(self.document)

    async def on_chat_message_streamed(self, event: Streamed) -> None:
        if self._stream is None:
            return
        self.markdown += event.text
        self.border_subtitle = "writing… (esc cancels)"
        await self._stream.write(event.text)

    async def _stop_stream(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        self.remove_class("-streaming")

    async def show_answer(self, answer: Answer, note: str = "") -> None:
        """One full render of the final answer: citation links, dimmed unverified sentences,
        and ``note`` (where the answer comes from) as a last line in italics."""
        await self._stop_stream()
        self.answer = answer
        self.markdown = f"{answer.answer}\n\n*{note}*" if note else answer.answer
        self._label(answer)
        await self.document.show_answer(self.markdown, answer.unverified)

    async def show_failure(self, text: str) -> None:
        await self._stop_stream()
        self.add_class("-failed")
        self.border_subtitle = ""
        partial = self.markdown.strip()
        await self.document.update(f"{partial}\n\n*{text}*" if partial else f"*{text}*")

    def _label(self, answer: Answer) -> None:
        self.set_class(answer.abstained, "-abstained")
        if answer.abstained:
            self.border_title = "tutor · not in your notes"
        notes = [f"{len(answer.citations)} cited"] if answer.citations else []
        if answer.unverified:
            notes.append(f"{len(answer.unverified)} unverified")
        if answer.general:
            notes.append("general knowledge")
        if answer.engine == "extractive":
            notes.append("offline")
        self.border_subtitle = " · ".join(notes)

    # -- selection ---------------------------------------------------------------

    def on_focus(self) -> None:
        self.post_message(self.Selected(self))

    def on_click(self) -> None:
        self.focus()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.startswith(CITE_SCHEME):
            self.focus()
            self.action_cite(int(event.href.removeprefix(CITE_SCHEME)))

    def action_cite(self, n: int) -> None:
        if self.answer and any(c.n == n for c in self.answer.citations):
            self.citation = n
            self.post_message(self.CitationSelected(self, n))

    def action_step_citation(self, step: int) -> None:
        numbers = sorted(c.n for c in self.answer.citations) if self.answer else []
        if not numbers:
            return
        at = numbers.index(self.citation) if self.citation in numbers else (-1 if step > 0 else 0)
        self.action_cite(numbers[(at + step) % len(numbers)])

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify("Copied the message's markdown.", timeout=2)
