"""One line: model, collection, the session's tokens and cost, and who wrote the last answer."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tutor.tui.labels import tokens_and_cost

SESSION_WIDTH = 24  # columns: the bar must fit 80 with a busy note


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
        & > .value { color: $foreground; }
        & > .offline { color: $text-warning; }
        & > .busy { color: $text-accent; text-style: bold; }
    }
    """
    COMPONENT_CLASSES = {"value", "offline", "busy"}

    model = reactive("")  # "" when the offline engine is the configured model
    collection = reactive("")
    session = reactive("new chat")
    tokens = reactive(0)
    cost = reactive(0.0)
    engine = reactive("")  # of the last answer: "extractive" | "llm" | ""
    busy = reactive("")  # what the answer worker is doing
    indexing = reactive("")  # first-run indexing of the bundled notes

    def render(self) -> Content:
        # An LLM that fell back to the offline engine is worth a warning; the offline model is not.
        offline = self.engine == "extractive" or not self.model
        engine = Content.styled("offline engine", ".offline") if offline else Content.styled(self.model, ".value")
        parts: list[Content] = [
            engine,
            Content.assemble("in ", Content.styled(self.collection or "…", ".value")),
            Content.styled(self.session[:SESSION_WIDTH], ".value"),
            Content(tokens_and_cost(self.tokens, self.cost)),
        ]
        parts.extend(Content.styled(text, ".busy") for text in (self.busy, self.indexing) if text)
        return Content(" │ ").join(parts)
