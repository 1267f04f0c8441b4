"""Golden eval sets: JSONL files of questions with the facts and the source span that answer them.

An item names its expected source either by a verbatim ``evidence`` string (located in the
file to get its lines) or by ``start_line``/``end_line`` (for notes that may not be quoted; the range must lie inside the file).
An ``also`` span takes either form too. The format is documented in ``evals/README.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import TutorError
from tutor.locations import corpus_dir

KINDS = ("fact", "scenario", "follow-up", "unanswerable")


@dataclass(frozen=True)
class Span:
    """Where the answer lives: a file (matched by path suffix) and a 1-based inclusive line range."""

    source: str
    start_line: int
    end_line: int

    def matches(self, source: str, start_line: int, end_line: int) -> bool:
        """Same file (by path suffix) and overlapping lines."""
        return path_suffix_match(source, self.source) and start_line <= self.end_line and end_line >= self.start_line


@dataclass
class GoldenItem:
    id: str
    kind: str
    question: str
    history: list[tuple[str, str]] = field(default_factory=list)
    key_facts: list[str] = field(default_factory=list)
    source: str | None = None
    evidence: str | None = None
    reference: str | None = None
    span: Span | None = None
    # Other places in the notes that state every key fact of the answer (a file's own
    # "exam traps" or "scenario patterns" often restate a fact); retrieving one counts too.
    also: list[Span] = field(default_factory=list)
    also_given: list[Span | tuple[str, str]] = field(default_factory=list)  # as written: lines, or (source, evidence)

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"

    @property
    def spans(self) -> list[Span]:
        """Every span that answers the item, the primary one first."""
        return [self.span, *self.also] if self.span else []

    @property
    def search_query(self) -> str:
        """A query for retrieval alone (no answer layer to condense a follow-up):
        the previous question carries the topic."""
        return " ".join([*(q for q, _ in self.history[-1:]), self.question])


def path_suffix_match(path: str, expected: str) -> bool:
    """``/home/x/corpus/a.md`` matches ``corpus/a.md`` and ``a.md``, not ``b/a.md``."""
    want = Path(expected).parts
    return len(want) > 0 and Path(path).parts[-len(want) :] == want


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """1-based (first, last) line of the first occurrence of ``evidence`` in ``text``."""
    at = text.find(evidence)
    if at < 0:
        return None
    start = text.count("\n", 0, at) + 1
    return start, start + evidence.count("\n")


def resolve_source(source: str, roots: list[Path]) -> Path | None:
    """Find an item's source file: relative to each root, else the bundled corpus by name."""
    for root in roots:
        if (root / source).is_file():
            return root / source
    bundled = corpus_dir() / Path(source).name
    return bundled if Path(source).parts[:1] == ("corpus",) and bundled.is_file() else None


def load_set(path: Path, roots: list[Path] | None = None) -> list[GoldenItem]:
    """Parse and validate one set; every evidence string must still be in its source file."""
    if not path.is_file():
        raise TutorError(f"{path}: no such eval set")
    roots = [*(roots or []), Path.cwd(), path.parent, path.parent.parent, corpus_dir().parent]
    items: list[GoldenItem] = []
    seen: set[str] = set()
    texts: dict[Path, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = _item(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise TutorError(f"{where}: not a valid eval item ({exc})") from exc
        if item.id in seen:
            raise TutorError(f"{where}: duplicate id '{item.id}'")
        seen.add(item.id)
        if item.answerable:
            item.span = _span(item, roots, texts, where)
            item.also = [
                _checked(alt, roots, texts, where) if isinstance(alt, Span) else _locate(*alt, item.id, roots, texts, where)
                for alt in item.also_given
            ]
        items.append(item)
    if not items:
        raise TutorError(f"{path}: empty eval set")
    return items


def _item(raw: dict[str, Any]) -> GoldenItem:
    kind = raw.get("kind", "fact")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if not str(raw["question"]).strip():
        raise ValueError("empty question")
    history = [(str(turn["question"]), str(turn.get("answer", ""))) for turn in raw.get("history") or []]
    item = GoldenItem(
        id=str(raw["id"]),
        kind=kind,
        question=str(raw["question"]),
        history=history,
        key_facts=[str(f) for f in raw.get("key_facts") or []],
        source=raw.get("source"),
        evidence=raw.get("evidence"),
        reference=raw.get("reference"),
        also_given=[_alternative(alt) for alt in raw.get("also") or []],
    )
    if item.answerable and not item.source:
        raise ValueError("an answerable item needs a source")
    if item.answerable and not item.evidence and "start_line" not in raw:
        raise ValueError("an answerable item needs evidence or start_line/end_line")
    if "start_line" in raw:
        item.span = _lines(item.source or "", raw)
    return item


def _alternative(raw: dict[str, Any]) -> Span | tuple[str, str]:
    return _lines(str(raw["source"]), raw) if "start_line" in raw else (str(raw["source"]), str(raw["evidence"]))


def _lines(source: str, raw: dict[str, Any]) -> Span:
    return Span(source, int(raw["start_line"]), int(raw.get("end_line", raw["start_line"])))


def _span(item: GoldenItem, roots: list[Path], texts: dict[Path, str], where: str) -> Span:
    assert item.source
    if item.span and not item.evidence:
        return _checked(item.span, roots, texts, where)
    return _locate(item.source, item.evidence or "", item.id, roots, texts, where)


def _text(source: str, roots: list[Path], texts: dict[Path, str], where: str) -> str:
    file = resolve_source(source, roots)
    if file is None:
        raise TutorError(f"{where}: source file not found: {source}")
    if file not in texts:
        texts[file] = file.read_text(encoding="utf-8", errors="replace")
    return texts[file]


def _checked(span: Span, roots: list[Path], texts: dict[Path, str], where: str) -> Span:
    """A line range must point inside its file, at something other than blank lines."""
    lines = _text(span.source, roots, texts, where).splitlines()[span.start_line - 1 : span.end_line]
    if span.start_line < 1 or span.end_line < span.start_line or len(lines) < span.end_line - span.start_line + 1:
        raise TutorError(f"{where}: lines {span.start_line}-{span.end_line} are not inside {span.source}")
    if not any(line.strip() for line in lines):
        raise TutorError(f"{where}: lines {span.start_line}-{span.end_line} of {span.source} are blank")
    return span


def _locate(source: str, evidence: str, item_id: str, roots: list[Path], texts: dict[Path, str], where: str) -> Span:
    lines = locate(_text(source, roots, texts, where), evidence)
    if lines is None:
        raise TutorError(f"{where}: evidence of '{item_id}' is no longer in {source}")
    return Span(source, *lines)
