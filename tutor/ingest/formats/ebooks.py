"""EPUB books: chapters in reading order, each under its own heading.

A chapter's own ``<h1>``..``<h6>`` make the heading path; a chapter file without any
gets its table-of-contents title as a heading, so its text is not filed under the
chapter before it. The navigation document (the TOC itself) is not content.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from tutor.ingest.readers import SourceText, UnreadableFile, decode, html_lines


def read_ebook(path: Path) -> SourceText:
    import ebooklib
    from ebooklib import epub

    lines: list[str] = []
    # ignore_ncx: read the EPUB 3 nav when there is one (and silence the library's warning).
    book = epub.read_epub(str(path), options={"ignore_ncx": True})
    titles = _toc_titles(book.toc)
    for item_id, _ in book.spine:
        item = book.get_item_with_id(item_id)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav):
            continue
        chapter = html_lines(decode(item.get_content()))
        if not any(line.strip() for line in chapter):
            continue
        if not any(line.startswith("#") for line in chapter) and (title := titles.get(posixpath.normpath(item.get_name()))):
            lines.append(f"# {title}")
        lines += [*chapter, ""]
    if not any(line.strip() for line in lines):
        raise UnreadableFile("EPUB has no text in its chapters")
    title = (book.get_metadata("DC", "title") or [("", {})])[0][0]
    return SourceText(path=path, lines=lines, markdown=True, metadata={"title": str(title)} if title else {})


def _toc_titles(toc: Any) -> dict[str, str]:
    """File name -> title of the first TOC entry pointing into it (nested sections included)."""
    out: dict[str, str] = {}
    for entry in toc:
        if isinstance(entry, tuple):  # (Section, [children])
            section, children = entry
            _add(out, section)
            for name, title in _toc_titles(children).items():
                out.setdefault(name, title)
        else:
            _add(out, entry)
    return out


def _add(out: dict[str, str], entry: Any) -> None:
    href, title = getattr(entry, "href", None), getattr(entry, "title", None)
    if href and title:
        out.setdefault(posixpath.normpath(href.split("#", 1)[0]), str(title))
