"""A chunk's lines read as the outline a student wrote: headings' bullets, sub-bullets, lead-ins.

Slide notes are outlines, and what a line says often depends on the line it hangs from: a
sub-bullet's subject is its parent bullet, "Phases:" names the list after it. So the lines
are read as a tree: by indentation, and a lead-in line ending in ":" takes the lines after it
at its own indent as its items. A plain line indented under a bullet, or starting in lower
case after a line that did not end, is a wrapped line of it; a Markdown table row is said as
a line naming its cells by their column.

The answer layer (:mod:`tutor.answer.units`) and the flashcards (:mod:`tutor.questions.cards`)
both read a chunk through this one tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUOTE = re.compile(r"^(?:>\s?)+")  # a Markdown quote's "> ", never part of what the note says
# A bullet mark, or a list number or letter ("2.1.", "b)"), before the words of an item. Word and
# PowerPoint exports write their second and third levels as "o" and "§" (Wingdings glyphs as text).
BULLET = re.compile(r"^(?:[-*•+◦▪●○■□➢➤►✓✔»·–o§]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zA-Z][.)])\s+")


def is_bullet(line: str) -> bool:
    """Whether ``line``, at any indent, is a list item: a bullet mark or list number, then words."""
    item = line.strip()
    found = BULLET.match(item + " ")
    return found is not None and found.end() <= len(item)


@dataclass
class Node:
    """A bullet, lead-in or line of the outline, with the lines that hang from it."""

    text: str
    indent: float  # a lead-in's is half a step less than its own, so lines at its indent are its items
    bullet: bool = False
    line: int = 0  # the index of its first line in the text read
    end: int = 0  # and of its last, when wrapped lines were joined to it
    children: list[Node] = field(default_factory=list)

    def closed_by(self, line: Node) -> bool:
        """Does ``line`` end this node's children?

        A lead-in ("Phases:") takes the lines after it at its own indent as its list only
        while they are of the kind its first item was: once its list was indented deeper,
        or was bullets, a line back at its indent ("At the start of ...") is its sibling.
        """
        if self.indent >= line.indent:
            return True
        raw = line.indent + (0.5 if line.text.endswith(":") else 0)
        if not self.text.endswith(":") or not self.children or raw > self.indent + 0.5:
            return False
        first = self.children[0]
        return first.indent > self.indent + 0.5 or first.bullet != line.bullet


def read_outline(text: str) -> list[Node]:
    """The top-level nodes of ``text`` (bullet marks, quote marks, heading and rule lines left out)."""
    roots: list[Node] = []
    stack: list[Node] = []
    after_blank = False
    for i, raw in _read_tables(text.expandtabs(4).splitlines()):
        line = QUOTE.sub("", raw.strip())
        if not line or line.startswith("#") or line.startswith("---"):
            after_blank = after_blank or not line
            continue
        blank, after_blank = after_blank, False
        indent: float = len(raw) - len(raw.lstrip())
        bullet = bool(BULLET.match(line))
        line = BULLET.sub("", line).strip()
        if not line:
            continue
        if not bullet and stack and _carries_on(stack[-1], line, indent, blank):
            stack[-1].text += " " + line
            stack[-1].end = i
            continue
        if line.endswith(":"):
            indent -= 0.5  # a lead-in: the bullets after it, at its own indent, are its children
        node = Node(line, indent, bullet, line=i, end=i)
        while stack and stack[-1].closed_by(node):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _carries_on(last: Node, line: str, indent: float, blank: bool) -> bool:
    """Is the plain ``line`` a wrapped line of the ``last`` one? It is when indented under it, or
    when it starts in lower case right after a line that did not end (a slide's title and the
    words under it, a sentence cut where the export wrapped it), or in any case after a comma;
    never after a lead-in. Across a blank line only a title carries on: after a bullet or a
    sentence, a lower-case line is a label or paragraph of its own."""
    if last.text.endswith(":"):
        return False
    if indent > last.indent:
        return True
    if blank and not _is_title(last):
        return False
    if last.text.endswith(","):
        return True  # a list cut where the export wrapped it: "MaxAttempts (default 3)," / "BackoffRate (default 2.0)"
    # A lone word with no full stop ("concepts") is the label of what follows, not a wrapped end.
    label = " " not in line and not line.endswith((".", "!", "?"))
    return line[0].islower() and not label and not last.text.endswith((".", "!", "?", ";"))


_SMALL_WORDS = frozenset(["a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"])


def is_titled(text: str) -> bool:
    """Every word capitalised but the small ones, as in a title ("Serverless Application Repository")."""
    return all(w[0].isupper() or w[0].isdigit() or w in _SMALL_WORDS for w in text.split())


def _is_title(node: Node) -> bool:
    """A slide title: a short plain line whose words are capitalised."""
    return not node.bullet and not node.children and len(node.text.split()) <= 8 and is_titled(node.text)


_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")


def _read_tables(lines: list[str]) -> list[tuple[int, str]]:
    """``lines`` (with their index) with each table row said as a line of its own, its cells named by their column.

    "| Quota per Table | 20 | 5 |" under "| | Global Secondary Index | Local Secondary Index |"
    becomes "Quota per Table – Global Secondary Index: 20; Local Secondary Index: 5": a row
    alone does not say which cell is which. The first row is the header when a rule row
    ("|---|") follows it or its first cell is empty; else each row reads "first cell – the rest".
    """
    out: list[tuple[int, str]] = []
    block: list[tuple[int, list[str]]] = []
    ruled = False
    for i, line in enumerate([*lines, ""]):
        if _TABLE_ROW.match(line):
            if _TABLE_RULE.match(line):
                ruled = ruled or len(block) == 1
            else:
                block.append((i, [c.strip() for c in line.strip().strip("|").split("|")]))
            continue
        if block:
            out.extend(_table_lines(block, header=ruled or not block[0][1][0]))
            block, ruled = [], False
        out.append((i, line))
    return out[:-1]


def _table_lines(rows: list[tuple[int, list[str]]], header: bool) -> list[tuple[int, str]]:
    columns = rows[0][1][1:] if header else []
    out = []
    for i, row in rows[1:] if header else rows:
        label, cells = row[0], row[1:]
        if columns and len(cells) > 1:
            said = "; ".join(f"{c}: {v}" if c else v for c, v in zip(columns, cells, strict=False) if v)
        else:
            said = "; ".join(v for v in cells if v)
        if label and said:
            out.append((i, f"{label} – {said}"))
        elif label or said:
            out.append((i, label or said))
    return out
