"""Where the student types; ↑ on an empty prompt moves to the conversation."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class PromptInput(Input):
    BINDINGS = [Binding("up", "leave", "Messages", show=False)]
    DEFAULT_CSS = """
    PromptInput { border: tall $primary 40%; &:focus { border: tall $primary; } }
    """

    class Left(Message):
        """The student wants to read earlier messages."""

    def action_leave(self) -> None:
        if not self.value:
            self.post_message(self.Left())
