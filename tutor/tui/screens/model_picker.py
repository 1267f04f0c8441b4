"""Choose the model that answers: the configured ones, their fallbacks and the offline engines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tutor.llm import LOCAL_PREFIX


class ModelPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, models: list[str], current: str) -> None:
        super().__init__()
        self.models = models
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Answer with which model?", classes="dialog-title")
            yield OptionList(*(Option(self._label(m), id=m) for m in self.models))
            yield Label("enter picks · esc keeps the current one", classes="dialog-help")

    @staticmethod
    def _label(model: str) -> str:
        return f"{model}  (offline, no API key)" if model.startswith(LOCAL_PREFIX) else model

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.models:
            options.highlighted = self.models.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
