"""The chunk behind a citation: file, heading, lines, with the cited sentence highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tutor.answer.sentences import content_terms, split_sentences
from tutor.tui.labels import place, short_path

if TYPE_CHECKING:
    from tutor.answer import Answer, Citation


def cited_spans(answer_text: str, n: int, chunk: str) -> list[tuple[int, int]]:
    """Where in ``chunk`` sit the sentences that best match each answer sentence citing ``[n]``."""
    sentences = [(s, content_terms(s)) for s in split_sentences(chunk)]
    spans: set[tuple[int, int]] = set()
    for claim in (content_terms(s) for s in split_sentences(answer_text) if f"[{n}]" in s):
        best, terms = max(sentences, key=lambda pair: len(claim & pair[1]), default=("", set()))
        if claim & terms and (start := chunk.find(best)) >= 0:
            spans.add((start, start + len(best)))
    return sorted(spans)


class SourcesPanel(VerticalScroll, can_focus=False):
    """Shows what the selected answer stands on; empty until there is one."""

    COMPONENT_CLASSES = {"highlight", "location", "muted", "warning"}
    DEFAULT_CSS = """
    SourcesPanel {
        border: round $foreground 30%;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        & > .highlight { background: $accent 30%; text-style: bold; }
        & > .location { color: $text-accent; text-style: bold; }
        & > .muted { color: $foreground-muted; }
        & > .warning { color: $text-warning; }
        Static { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="source-body")

    def on_mount(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.border_title = "sources"
        self.border_subtitle = ""
        self._body(Content.styled("Ask a question: the passages it cites show here.", ".muted"))

    def show(self, answer: Answer, n: int | None = None) -> None:
        """Citation ``n`` of ``answer`` (the first cited one if ``n`` is None)."""
        if not answer.citations:
            self._show_retrieved(answer)
            return
        citation = next((c for c in answer.citations if c.n == n), answer.citations[0])
        numbers = " ".join(f"[{c.n}]" for c in answer.citations)
        # The lines and file sit in the border, so they stay in view when the body scrolls; the
        # lines first, so a long path is what gets cut when the panel is narrow.
        self.border_title = f"[{citation.n}] {place(citation)} · {short_path(citation.source)}"
        self.border_subtitle = f"cited {numbers} · ] next"
        parts = [self._citation(answer, citation)]
        if answer.unverified:
            parts.append(Content.styled("\n\nNot supported by the cited notes:", ".warning"))
            parts.extend(Content.styled(f"\n• {s}", ".muted") for s in answer.unverified)
        body = Content.assemble(*parts)
        self._body(body)
        highlight = next((span.start for span in body.spans if span.style == ".highlight"), 0)
        self.call_after_refresh(self._reveal, body[:highlight])

    def _citation(self, answer: Answer, citation: Citation) -> Content:
        heading = Content.styled(f"{citation.heading}\n", ".muted") if citation.heading else Content("")
        text = Content(citation.text.strip())
        for span in cited_spans(answer.answer, citation.n, text.plain):
            text = text.stylize(".highlight", *span)
        return Content.assemble(heading, text)

    def _show_retrieved(self, answer: Answer) -> None:
        """An abstention cites nothing: list what was searched, so the student can check."""
        self.border_title = "not in your notes · closest passages"
        self.border_subtitle = ""
        lines = [Content.styled("None of these passages answers the question:", ".warning")]
        for hit in answer.sources:
            where = f"{short_path(hit.source)} · {place(hit)}"
            lines.append(
                Content.assemble("\n", Content.styled(f"[{hit.rank}] {where}", ".location"), Content.styled(f"\n{hit.heading}", ".muted"))
            )
        self._body(Content.assemble(*lines))
        self.scroll_home(animate=False)

    def _reveal(self, before: Content) -> None:
        """Scroll so the first highlighted sentence is in view, one line of context above it."""
        lines = sum(len(line.wrap(self.scrollable_content_region.width)) for line in before.split("\n", allow_blank=True)) if before else 0
        self.scroll_to(y=max(0, lines - 2), animate=False)

    def _body(self, content: Content) -> None:
        self.query_one("#source-body", Static).update(content)
