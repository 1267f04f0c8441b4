"""Markdown whose ``[n]`` markers are clickable links and whose unverified sentences are dimmed."""

from __future__ import annotations

import re
from typing import Any

from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widgets import Markdown

CITATION = re.compile(r"\[(\d+)\]")
CITE_SCHEME = "cite:"
_MARKUP = re.compile(r"[*_`]|\[(\d+)\]")


def link_citations(markdown: str) -> str:
    """``[2]`` -> a link to ``cite:2`` that still reads ``[2]``."""
    return CITATION.sub(lambda m: rf"[\[{m[1]}\]]({CITE_SCHEME}{m[1]})", markdown)


def _plain(sentence: str) -> str:
    """A sentence as the Markdown widget shows it: emphasis markers gone, citations kept."""
    return " ".join(_MARKUP.sub(lambda m: f"[{m[1]}]" if m[1] else "", sentence).split())


# The paragraph block is not exported by name; the public BLOCKS map is the supported hook.
_Paragraph = Markdown.BLOCKS["paragraph_open"]


class CitedParagraph(_Paragraph):  # type: ignore[misc,valid-type]
    """A paragraph that marks citations and dims the sentences its document lists as unverified."""

    def set_content(self, content: Content) -> None:
        document = self._markdown
        if isinstance(document, CitedMarkdown):
            plain = content.plain
            for sentence in document.dimmed:
                start = plain.find(sentence)
                if start >= 0:
                    content = content.stylize(".unverified", start, start + len(sentence))
            for match in CITATION.finditer(plain):
                content = content.stylize(".citation", match.start(), match.end())
        super().set_content(content)


class CitedMarkdown(Markdown):
    """An answer: citations link to ``cite:n`` (handled by the message), unsupported text is dim."""

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": CitedParagraph}
    COMPONENT_CLASSES = {"unverified", "citation"}
    DEFAULT_CSS = """
    CitedMarkdown {
        padding: 0 1;
        & > .unverified { color: $foreground-muted; text-style: italic; }
        & > .citation { color: $text-accent; text-style: bold; }
    }
    """

    def __init__(self, markdown: str = "", *, unverified: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(link_citations(markdown), open_links=False, **kwargs)
        self.dimmed = [_plain(s) for s in unverified or [] if s.strip()]

    def show_answer(self, markdown: str, unverified: list[str]) -> AwaitComplete:
        """Replace the streamed text with the final, fully rendered answer."""
        self.dimmed = [_plain(s) for s in unverified if s.strip()]
        return self.update(link_citations(markdown))
