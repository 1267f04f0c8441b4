"""Turn a file on disk into lines of text, or a one-line reason it cannot be read.

Every reader returns a ``SourceText`` whose lines keep their original numbers, so a
chunk can always cite ``file:start-end`` (and the page of a PDF, the slide of a deck).
Text formats are read here; Office, EPUB, notebook and table files in ``formats/``.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
# Zip containers of XML and media: their size limit is on what they unpack to.
PACKAGE_SUFFIXES = frozenset({".pptx", ".docx", ".epub", ".xlsx"})
SUPPORTED_SUFFIXES = _TEXT_SUFFIXES | PACKAGE_SUFFIXES | {".pdf", ".ipynb", ".csv"}


class UnreadableFile(Exception):
    """A file that is skipped; the message is the reason shown to the user."""


@dataclass
class SourceText:
    path: Path
    lines: list[str]
    # 1-based page (or slide, see page_unit) of each line, for PDFs and decks; empty otherwise.
    pages: list[int] = field(default_factory=list)
    page_unit: str = "page"  # "page" | "slide": how a location names the number
    metadata: dict[str, str] = field(default_factory=dict)
    markdown: bool = False
    # Lines before this index are front matter, not body text.
    body_start: int = 0


# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> str:
    """The encoding a byte-order mark names, else UTF-8, else cp1252 (slide exports), else latin-1."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:  # UTF-16/32 text is full of NULs: look at it only once decoded
        try:
            return _printable(data.decode(encoding))
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"invalid {encoding.upper()} text after its byte-order mark") from exc
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (NUL bytes)")
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    return _printable(text)


def _printable(text: str) -> str:
    printable = sum(ch.isprintable() or ch.isspace() for ch in text[:8192])
    if printable < 0.9 * min(len(text), 8192):
        raise UnreadableFile("binary file (mostly unprintable bytes)")
    return text


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() == "---":
            try:
                raw = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                raise UnreadableFile(f"malformed front matter: {str(exc).splitlines()[0]}") from exc
            if not isinstance(raw, dict):
                raise UnreadableFile("malformed front matter: not a mapping")
            # Chroma metadata holds scalars only: lists become comma-separated strings.
            meta = {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in raw.items() if v is not None}
            return meta, end + 1
    return {}, 0


def html_lines(html: str) -> list[str]:
    """HTML as Markdown-ish lines: headings as ``#``, list items as ``- ``, blocks apart."""
    parser = _HTMLToLines()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.out


class _HTMLToLines(HTMLParser):
    """Keeps headings (as Markdown #), list items and paragraphs; drops scripts and styles."""

    BLOCKS = {"p", "div", "br", "tr", "section", "article", "pre", "blockquote", "table"}
    SKIP = {"script", "style", "noscript", "head", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0

    def _flush(self, prefix: str = "") -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.out.append(prefix + text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in self.BLOCKS or tag == "li" or re.fullmatch(r"h[1-6]", tag):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif m := re.fullmatch(r"h([1-6])", tag):
            self._flush("#" * int(m.group(1)) + " ")
            self.out.append("")
        elif tag == "li":
            self._flush("- ")
        elif tag in self.BLOCKS:
            self._flush()
            self.out.append("")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.current.append(data)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs its own warnings ("EOF marker not found") to stderr; our one line says it all."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(path: Path) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    lines: list[str] = []
    pages: list[int] = []
    try:
        with _quiet_pypdf():
            reader = PdfReader(str(path))
            # Many PDFs are encrypted with an empty user password; only a real one stops us.
            if reader.is_encrypted and not _opens_without_password(reader, DependencyError):
                raise UnreadableFile("password-protected PDF: save a copy without the password")
            for number, page in enumerate(reader.pages, start=1):
                for line in (page.extract_text() or "").splitlines():
                    lines.append(line)
                    pages.append(number)
                lines.append("")
                pages.append(number)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(f"malformed PDF ({exc})") from exc
    if not any(line.strip() for line in lines):
        raise UnreadableFile("PDF has no extractable text (scanned images?)")
    return SourceText(path=path, lines=lines, pages=pages)


def _opens_without_password(reader: Any, missing: type[Exception]) -> bool:
    try:
        return bool(reader.decrypt(""))
    except missing as exc:  # AES needs the 'cryptography' package (pypdf's crypto extra)
        raise UnreadableFile("AES-encrypted PDF and the 'cryptography' package is missing: pip install 'pypdf[crypto]'") from exc


def too_large(size: float, limit: int, what: str = "") -> UnreadableFile:
    return UnreadableFile(f"too large ({size / 1e6:.1f} MB{what} > {limit / 1e6:.0f} MB limit)")


def read_source(path: Path, max_bytes: int, max_package_bytes: int | None = None) -> SourceText:
    """Read one file, raising ``UnreadableFile`` with a short reason when it cannot be used.

    ``max_bytes`` bounds the text read; for Office and EPUB files, the XML inside them.
    ``max_package_bytes`` bounds what such a file unpacks to, media included (the
    libraries hold every part in memory); None leaves it unbounded.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type '{suffix or path.name}'")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("empty file")
    if suffix in PACKAGE_SUFFIXES:
        from tutor.ingest.formats import read_package

        return read_package(path, max_bytes, max_package_bytes)
    if suffix == ".ipynb":
        # Outputs (plots as base64) make most of a notebook's bytes; the notes are its Markdown.
        limit = max_package_bytes or max_bytes
        if size > limit:
            raise too_large(size, limit)
        from tutor.ingest.formats.notebooks import read_notebook

        return read_notebook(path, decode(path.read_bytes()), max_bytes)
    if size > max_bytes:
        raise too_large(size, max_bytes)
    if suffix == ".pdf":
        return _read_pdf(path)
    text = decode(path.read_bytes())
    if suffix == ".csv":
        from tutor.ingest.formats.tables import read_csv

        return read_csv(path, text)
    if suffix in {".html", ".htm"}:
        lines = html_lines(text)
        markdown = True
    else:
        lines = text.splitlines()
        markdown = suffix in {".md", ".markdown"}
    if not any(line.strip() for line in lines):
        raise UnreadableFile("no text (only whitespace)")
    metadata, body_start = _front_matter(lines) if markdown else ({}, 0)
    if markdown:
        from tutor.ingest.formats.vault import render_links

        lines = [render_links(line) for line in lines]
    return SourceText(path=path, lines=lines, metadata=metadata, markdown=markdown, body_start=body_start)
