"""A chunk read as the units a student wrote: bullets with their parent, lists with their label.

Slide notes are outlines. "removes the median, then divides by the IQR" is only an answer
together with the bullet above it ("Robust Scaler"); "Multi-modal", "Documents, images,
videos" are items of a list whose label says what they list. So a chunk is read as a tree
(:func:`tutor.ingest.outline.read_outline`: indentation, and lead-in lines ending in ":"), and
each unit the engine can say is:

- a bullet whose children are short leaves, with them: "SES sandbox: only verified
  addresses; at most 200 messages per 24 hours; ...";
- any other bullet or sentence, named by its subject (the nearest short parent bullet,
  else the chunk's own heading) when it does not name it itself;
- fragments (a few words, no sentence) only inside such a list, never alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.answer.sentences import SENTENCE_END, content_terms
from tutor.config import AnswerConfig
from tutor.ingest.chunker import HEADING_SEPARATOR
from tutor.ingest.outline import Node, read_outline

_NOTE_MARK = re.compile(r"\s*\[\d+\]")
_TERM = re.compile(r"^([^:–—]{2,60}?)\s*(?::|\s[–—-])\s+\S")  # "Immutable: Creates..." / "Min-Max Scaler – rescales..."
_NAME = re.compile(r"(?<=\S)\s+(?:[A-Z][\w-]*[A-Z0-9][\w-]*|[A-Z][a-z]+|[A-Z]{2,})\b|^[A-Z]{2,}\b")  # a name after the first word


@dataclass(frozen=True)
class Unit:
    text: str  # what the answer says
    scored: str  # what is scored against the question: without the slide title it was given
    # The parent bullet, "Term:" or slide title the unit sits under ("" at the top of an untitled
    # chunk), whether or not ``text`` carries it: a question writer rebuilds a bare bullet with it.
    subject: str = ""

    @property
    def own(self) -> str:
        """The unit in its own words, without the subject ``text`` was prefixed with."""
        return self.text.removeprefix(f"{self.subject}: ") if self.subject else self.text


def answer_units(text: str, heading: str, settings: AnswerConfig) -> list[Unit]:
    """The statements of a chunk, each readable on its own (see the module docstring).

    Only the title a unit borrows from the heading is left out of ``scored``: retrieval has
    scored the heading already, and every unit of the slide would match it alike.
    """
    out: list[Unit] = []
    top = _Label(_heading_label(heading, settings.label_words), strong=False)
    _emit(read_outline(text), top, out, settings)
    return list({u.text: u for u in out if len(u.scored.split()) >= 3}.values())


@dataclass(frozen=True)
class _Label:
    """What a unit is about: a parent bullet or a term (strong), or the slide's title (weak)."""

    text: str
    strong: bool


def _emit(nodes: list[Node], label: _Label, out: list[Unit], settings: AnswerConfig) -> None:
    label_words = settings.label_words
    fragments = [n for n in nodes if not n.children and _is_fragment(n.text, settings.fragment_words)]
    if fragments and label.text:
        joined = _join(label.text, [n.text for n in fragments], label_words)
        out.append(Unit(joined, joined if label.strong else _join("", [n.text for n in fragments], label_words), label.text))
    for node in nodes:
        if node.children:
            leaves = [c.text for c in node.children if not c.children]
            words = len(node.text.split()) + sum(len(t.split()) for t in leaves)
            if len(leaves) == len(node.children) and words <= settings.group_words:
                out.append(_named(_join(node.text, leaves, label_words), label))
                continue
            terms = [_term(leaf, label_words) for leaf in leaves]
            fits = bool(terms) and len(node.text.split()) + sum(len(t.split()) for t in terms) <= settings.group_words
            if node.text.endswith(":") and fits:
                # A lead-in alone says nothing: over a long list it is said with the terms it lists.
                out.append(_named(_join(node.text, terms, label_words), label))
            else:
                if fits and len(leaves) >= 2 and all(t != leaf for t, leaf in zip(terms, leaves, strict=True)):
                    # A bullet over a list of "Term - definition" lines is also said with its terms:
                    # "Scheduled Query: Query string; Schedule expression; Target configuration".
                    out.append(_named(_join(_term(node.text, label_words), terms, label_words), label))
                if not _is_fragment(node.text, settings.fragment_words):
                    _statement(node.text, label, out, settings)
            # The children's subject: a short parent, or a long "Term - definition" parent's term.
            parent = node.text if len(node.text.split()) <= label_words else _term(node.text, label_words)
            short = len(parent.split()) <= label_words
            _emit(node.children, _Label(parent.rstrip(" :"), strong=True) if short else label, out, settings)
        elif node not in fragments:
            _statement(node.text, label, out, settings)


def _statement(text: str, label: _Label, out: list[Unit], settings: AnswerConfig) -> None:
    """A bullet or paragraph's sentences; after the first, a "Term: ..." bullet's term names them.

    A short bullet of several sentences is also a unit whole: its later sentences lean on the
    first ("The ALB reads the request header ... So the ALB routes by what the request
    holds"; "... an intermediate S3 bucket. This bucket is removed once 24 hours have passed").
    """
    sentences = [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
    term = _term(text, settings.label_words)
    inner = _Label(term, strong=True) if term != text else label
    if len(sentences) > 1 and len(text.split()) <= settings.statement_words:
        out.append(_named(text, label))
    out.extend(_named(s, label if i == 0 else inner) for i, s in enumerate(sentences))


def _term(item: str, label_words: int) -> str:
    """A "Term: definition" / "Term – definition" item's term, else the item."""
    term = _TERM.match(item)
    return term.group(1) if term and len(term.group(1).split()) <= label_words else item


def _join(parent: str, items: list[str], label_words: int) -> str:
    body = "; ".join(_NOTE_MARK.sub("", i).rstrip(" .;,") for i in items)
    parent = _NOTE_MARK.sub("", parent).rstrip(" ")
    if not parent:
        return f"{body}."
    if parent.endswith(":"):
        return f"{parent} {body}."
    return f"{parent}{':' if len(parent.split()) <= label_words else ' —'} {body}."


def _named(unit: str, label: _Label) -> Unit:
    """``unit`` prefixed with its subject when it does not say it ("Robust Scaler: removes...").

    The slide title is only added to a unit that names nothing at all: most bullets on a
    slide about a service are about it, and say so by a name of their own.
    """
    wanted = content_terms(label.text)
    if not wanted or len(wanted & content_terms(unit)) * 2 >= len(wanted):
        return Unit(unit, unit, label.text)
    if not label.strong and _NAME.search(unit):
        return Unit(unit, unit, label.text)
    named = f"{label.text}: {unit}"
    return Unit(named, named if label.strong else unit, label.text)


def _is_fragment(text: str, fragment_words: int) -> bool:
    """A few words without a number or a full stop: a list item, not a statement."""
    plain = _NOTE_MARK.sub("", text).strip()
    return len(plain.split()) <= fragment_words and not plain.endswith(".") and not re.search(r"\d", plain)


def _heading_label(heading: str, label_words: int) -> str:
    """The heading's last part ("Section 10 > Amazon Redshift Spectrum" -> its last title)."""
    last = heading.split(HEADING_SEPARATOR)[-1].strip() if heading else ""
    last = re.sub(r"^(section|module|chapter|domain|part|lesson|unit)\s+\d+\s*[:.\-–]\s*", "", last, flags=re.I)
    return last if 0 < len(last.split()) <= label_words else ""
