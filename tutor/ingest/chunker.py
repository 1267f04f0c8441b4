"""Structure-aware chunking: headings become metadata, bullets stay whole, noise goes.

A chunk never crosses a heading and never splits a bullet or a sentence unless that
single sentence is longer than the embedder can read. Chunks are sized in the
embedder's own word pieces, because all-MiniLM-L6-v2 silently truncates at 256.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from tutor.ingest.outline import is_bullet, is_titled
from tutor.ingest.readers import SourceText

HEADING_SEPARATOR = " > "

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_SECTION = re.compile(r"^\s*(section|module|chapter|domain|part|lesson|unit)\s+\d+\b.*", re.I)
_LONE_NUMBER = re.compile(r"^\s*(?:\d{1,4}|page \d+( of \d+)?|slide \d+|\d+\s*/\s*\d+)\s*$", re.I)
_ASIDE = re.compile(r"\s*\([^()]*\)$")  # a trailing "(...)"
_NOT_ALNUM = re.compile(r"[\W_]")
_SEGMENT = 4096  # characters counted per tokenizer call in _bounded
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")


class TokenCounter(Protocol):
    def __call__(self, text: str, /) -> int: ...


@dataclass
class Chunk:
    """One retrievable unit of a file, with everything needed to cite it."""

    id: str
    text: str
    heading: str
    source: str
    start_line: int
    end_line: int
    ordinal: int
    content_hash: str
    page: int | None = None
    page_unit: str = "page"  # "page" | "slide", from the reader
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def embed_text(self) -> str:
        """What the embedder and BM25 see: the heading path gives a bullet its context."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


@dataclass
class _Unit:
    """A line or a sentence, with its original line number."""

    line: int
    text: str
    tokens: int = -1


def _tokens(units: list[_Unit], count: TokenCounter) -> int:
    """Word pieces of units joined by whitespace: WordPiece splits on whitespace first,
    so the sum of the parts is exact and each unit is counted once."""
    for unit in units:
        if unit.tokens < 0:
            unit.tokens = count(unit.text)
    return sum(unit.tokens for unit in units)


@dataclass
class _Block:
    units: list[_Unit]
    heading: tuple[str, ...]
    glue_next: bool = False  # a lead-in line ("Deployment options:") belongs with what follows


def _is_noise(line: str) -> bool:
    stripped = line.strip()
    if not stripped or _LONE_NUMBER.match(stripped):
        return True
    letters = len(stripped) - _NOT_ALNUM.subn("", stripped)[1]  # in C: a 20 MB line takes no time
    return letters < max(2, 0.3 * len(stripped))


def _bounded(count: TokenCounter, limit: int) -> TokenCounter:
    """``count``, but a long text is counted in whitespace-cut segments and only until it is
    past ``limit``: every size here is compared with a budget <= ``limit``, and tokenising a
    20 MB line whole takes seconds and gigabytes to learn that it does not fit.

    WordPiece splits on whitespace first, so the segments' sum is exact; a segment with no
    whitespace (one giant "word") is cut where it stands, which only matters past the limit.
    """

    def bounded(text: str) -> int:
        if len(text) <= _SEGMENT:
            return count(text)
        total, start = 0, 0
        while start < len(text) and total <= limit:
            end = min(start + _SEGMENT, len(text))
            space = max(text.rfind(" ", start, end), text.rfind("\t", start, end)) if end < len(text) else -1
            if space > start:
                end = space + 1
            total += count(text[start:end])
            start = end
        return total

    return bounded


def _plain_heading(clean: list[str], i: int, lines: list[str], loose: bool = True) -> bool:
    """Slide-deck headings: a short, unpunctuated line on its own between blank lines, or a slide's title.

    ``clean`` has noise and footers blanked; ``lines`` is the file as written. A title may end
    in an aside ("CDC PREREQUISITES (know these!)", "AWS DMS (Database Migration Service)").
    Exports often lose the blank line under a title ("MSK SECURITY" right above "Authentication
    options"): a line in capitals, or a title-case line right after the slide number or the
    "Section 4: ..." line that opens a slide, is a title whatever follows it. Not ``loose``,
    only the blank lines count: a running header repeated under every page number is no title.
    """
    line = clean[i].strip()
    if not line or len(line) > 70 or len(line.split()) > 9 or is_bullet(clean[i]):
        return False
    before = lines[i - 1].strip() if i > 0 else ""
    opens_slide = bool(_LONE_NUMBER.match(before) or _SECTION.match(before))
    # A title may end in an aside, but "Block storage: disks and SANs (EBS)" is a statement.
    core = _ASIDE.sub("", line)
    core = core if core and (opens_slide or is_titled(core) or _shouted(core)) else line
    if core[-1] in ".,;:?!)" or not (line[0].isupper() or line[0].isdigit()):
        return False
    if i > 0 and clean[i - 1].strip() and not opens_slide:
        return False
    nxt = next((j for j in range(i + 1, len(clean)) if clean[j].strip()), None)
    if nxt is None:
        return False
    # Followed by a blank line or straight by a bullet list: a title, not a one-line paragraph.
    if nxt > i + 1 or is_bullet(clean[nxt]):
        return True
    return loose and (_shouted(core) or opens_slide and is_titled(core))


def _shouted(line: str) -> bool:
    """Two or more words, most of them in capitals, the first too ("INSTANCE GROUPS vs INSTANCE FLEETS");
    not a flow of acronyms ("KDS -> KDF -> S3", "DDB = DynamoDB"), which is a note of its own."""
    if re.search(r"->|→|=", line):
        return False
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    loud = [w for w in words if not any(c.islower() for c in w)]
    return len(words) >= 2 and words[0] in loud and 2 * len(loud) > len(words)


def _blocks(source: SourceText) -> list[_Block]:
    lines = source.lines
    body = range(source.body_start, len(lines))
    short = Counter(lines[i].strip() for i in body if 0 < len(lines[i].strip()) <= 60 and not is_bullet(lines[i]))
    # Junk and running footers read as blank lines, so a title right after one is still a title.
    clean = ["" if i < source.body_start or _is_noise(line) else line for i, line in enumerate(lines)]
    repeated = {text for text, n in short.items() if n >= 3}
    titles = {clean[i].strip() for i in body if clean[i].strip() in repeated and _plain_heading(clean, i, lines, loose=False)}
    footers = repeated - titles
    clean = ["" if line.strip() in footers else line for line in clean]

    blocks: list[_Block] = []
    stack: list[tuple[int, str]] = []  # (level, title) of open headings
    current: _Block | None = None

    def close() -> None:
        nonlocal current
        if current and current.units:
            blocks.append(current)
        current = None

    for i in body:
        raw = lines[i].replace("\u00a0", " ").rstrip()
        stripped = raw.strip()
        if not stripped:
            close()
            continue
        level = 0
        if source.markdown and (m := _MD_HEADING.match(raw)):
            level, stripped = len(m.group(1)), m.group(2).strip()
        elif not source.markdown and _SECTION.match(stripped) and len(stripped) <= 90:
            level = 1
        elif not source.markdown and _plain_heading(clean, i, lines):
            level = 2
        if stripped in footers and not level:
            continue
        if level:
            if stack and stack[-1][1] == stripped:
                continue  # the same slide title again: the section goes on
            close()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, stripped.rstrip(":")))
            continue
        if _is_noise(stripped):
            continue
        heading = tuple(title for _, title in stack)
        # A bullet keeps its indentation: it says which bullet it belongs to (tutor/answer/units.py);
        # so does a wrapped line of a bullet, which says how far the bullet goes on.
        bullet = is_bullet(raw)
        wrapped = not bullet and current is not None and current.heading == heading and is_bullet(current.units[0].text)
        unit = _Unit(i + 1, raw[: len(raw) - len(raw.lstrip())] + stripped if bullet or wrapped else stripped)
        if bullet or current is None or current.heading != heading:
            close()
            current = _Block([unit], heading)
        else:
            current.units.append(unit)  # a wrapped bullet or paragraph line
        if stripped.endswith(":") and len(stripped) <= 90:
            current.glue_next = True
    close()
    return blocks


def _sentences(unit: _Unit) -> list[_Unit]:
    return [_Unit(unit.line, s) for s in _SENTENCE_END.split(unit.text) if s.strip()]


def _hard_split(unit: _Unit, budget: int, count: TokenCounter) -> list[_Unit]:
    """Last resort for one sentence longer than the budget: split on words.

    WordPiece splits on whitespace first, so a piece's size is the sum of its words' sizes:
    each distinct word is counted once and the line is cut in one pass. (Re-counting the
    growing piece per word was quadratic: 1 MB on one line took 53 s.)
    """
    sizes: dict[str, int] = {}
    pieces: list[_Unit] = []
    piece: list[str] = []
    used = 0
    for word in unit.text.split():
        if word not in sizes:
            sizes[word] = count(word)
        for part, size in _word_parts(word, sizes[word], budget, count):
            if piece and used + size > budget:
                pieces.append(_Unit(unit.line, " ".join(piece), used))
                piece, used = [], 0
            piece.append(part)
            used += size
    if piece:
        pieces.append(_Unit(unit.line, " ".join(piece), used))
    return pieces


def _word_parts(word: str, size: int, budget: int, count: TokenCounter) -> list[tuple[str, int]]:
    """One "word" over the budget (a CSV row, a URL): cut every ``budget`` characters,
    which holds at most ``budget`` word pieces since each covers at least one character."""
    if size <= budget:
        return [(word, size)]
    parts = [word[i : i + budget] for i in range(0, len(word), budget)]
    return [(part, count(part)) for part in parts]


def chunk_source(source: SourceText, max_tokens: int, min_tokens: int, count: TokenCounter) -> list[Chunk]:
    """Split a file into chunks of at most ``max_tokens`` word pieces (heading included)."""
    count = _bounded(count, max_tokens)
    path = str(source.path)
    title = source.metadata.get("title", "")
    groups: list[tuple[tuple[str, ...], list[_Unit]]] = []

    blocks = _blocks(source)
    # Glue lead-ins to the block after them when it is under the same heading.
    merged: list[_Block] = []
    for block in blocks:
        if merged and merged[-1].glue_next and merged[-1].heading == block.heading and _same_page(source, merged[-1].units, block.units):
            merged[-1].units.extend(block.units)
            merged[-1].glue_next = block.glue_next
        else:
            merged.append(block)

    for block in merged:
        heading_path = _heading_path(title, block.heading)
        budget = max_tokens - count(heading_path) - 2
        if _tokens(block.units, count) > budget:
            units = [s for u in block.units for s in _sentences(u)]
            units = [p for u in units for p in (_hard_split(u, budget, count) if count(u.text) > budget else [u])]
            pieces = _pack([[u] for u in units], budget, count)
        else:
            pieces = [block.units]
        if groups and groups[-1][0] == block.heading:
            last = groups[-1][1]
            if _same_page(source, last, pieces[0]) and _tokens(last + pieces[0], count) <= budget:
                last.extend(pieces[0])
                pieces = pieces[1:]
        groups.extend((block.heading, piece) for piece in pieces)

    groups = _absorb_small(source, groups, title, max_tokens, min_tokens, count)
    chunks: list[Chunk] = []
    seen: Counter[str] = Counter()
    for ordinal, (heading, units) in enumerate(groups):
        parents = _parents(groups[:ordinal], heading, units[0])
        text = "\n".join(u.text for u in [*parents, *units])
        heading_path = _heading_path(title, heading)
        key = f"{heading_path}\x00{text}"
        seen[key] += 1
        start, end = units[0].line, units[-1].line
        chunks.append(
            Chunk(
                id=hashlib.sha1(f"{path}\x00{key}\x00{seen[key]}".encode()).hexdigest()[:24],
                text=text,
                heading=heading_path,
                source=path,
                start_line=start,
                end_line=end,
                ordinal=ordinal,
                content_hash=hashlib.sha1(text.encode()).hexdigest()[:16],
                page=source.pages[start - 1] if source.pages else None,
                page_unit=source.page_unit,
                metadata=dict(source.metadata),
            )
        )
    return chunks


_PARENT_WORDS = 10  # a longer bullet is a statement of its own, not the label of the ones under it


def _indent(unit: _Unit) -> int:
    return len(unit.text.expandtabs(4)) - len(unit.text.expandtabs(4).lstrip())


def _parents(before: list[tuple[tuple[str, ...], list[_Unit]]], heading: tuple[str, ...], first: _Unit) -> list[_Unit]:
    """The bullets a chunk's first (nested) bullet hangs under, when an earlier chunk holds them.

    "removes the median, then divides by the IQR" says nothing without "Robust Scaler" above it: a
    chunk that starts inside a list repeats the short parent bullets (or the lead-in line)
    first, as context, so the tree it is read as (tutor/answer/units.py) is whole. Its line
    range stays its own lines.
    """
    if not is_bullet(first.text) or not _indent(first):
        return []
    parents: list[_Unit] = []
    need = _indent(first)
    for group_heading, units in reversed(before):
        if group_heading != heading:
            break
        for unit in reversed(units):
            bullet = is_bullet(unit.text)
            if _indent(unit) >= need and bullet:
                continue
            if len(unit.text.split()) > _PARENT_WORDS + 1 or not bullet and not unit.text.rstrip().endswith(":"):
                return parents
            parents.insert(0, unit)
            need = _indent(unit)
            if not bullet or not need:
                return parents
    return parents


def _heading_path(title: str, heading: tuple[str, ...]) -> str:
    parts = list(heading)
    if title and (not parts or parts[0] != title):
        parts.insert(0, title)
    return HEADING_SEPARATOR.join(parts)


def _pack(items: list[list[_Unit]], budget: int, count: TokenCounter) -> list[list[_Unit]]:
    packed: list[list[_Unit]] = []
    for units in items:
        if packed and _tokens(packed[-1] + units, count) <= budget:
            packed[-1].extend(units)
        else:
            packed.append(list(units))
    return packed


def _same_page(source: SourceText, before: list[_Unit], after: list[_Unit]) -> bool:
    """A chunk cites one page or slide, so it never spans two (no pages: always the same)."""
    return not source.pages or source.pages[before[0].line - 1] == source.pages[after[-1].line - 1]


def _absorb_small(
    source: SourceText,
    groups: list[tuple[tuple[str, ...], list[_Unit]]],
    title: str,
    max_tokens: int,
    min_tokens: int,
    count: TokenCounter,
) -> list[tuple[tuple[str, ...], list[_Unit]]]:
    """Fold a tiny group into the previous one of the same heading when both fit."""
    out: list[tuple[tuple[str, ...], list[_Unit]]] = []
    for heading, units in groups:
        if out and out[-1][0] == heading and _tokens(units, count) < min_tokens and _same_page(source, out[-1][1], units):
            budget = max_tokens - count(_heading_path(title, heading)) - 2
            if _tokens(out[-1][1] + units, count) <= budget:
                out[-1][1].extend(units)
                continue
        out.append((heading, units))
    return out
