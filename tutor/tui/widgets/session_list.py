"""The sessions sidebar: saved conversations, newest first."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class SessionList(OptionList):
    """Enter resumes; the keys act on the highlighted session."""

    BINDINGS = [
        Binding("r", "screen.rename_session", "Rename"),
        Binding("d", "screen.delete_session", "Delete"),
        Binding("x", "screen.export_session", "Export"),
    ]
    DEFAULT_CSS = """
    SessionList {
        dock: left;
        width: 26;
        height: 1fr;
        border: round $foreground 30%;
        border-title-color: $text-muted;
        &:focus { border: round $accent; }
    }
    """

    def on_mount(self) -> None:
        self.border_title = "sessions"

    def show(self, names: list[str], current: str | None) -> None:
        self.clear_options()
        self.add_options([Option(name, id=name) for name in names])
        if current in names:
            self.highlighted = names.index(current)

    @property
    def highlighted_name(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None
