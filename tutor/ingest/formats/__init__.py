"""Readers for the zip-packaged formats students' notes come in: PowerPoint, Word, EPUB, Excel.

Each library is imported only when a file of its kind is read. Before any of them opens a
file, :func:`read_package` checks the container itself, so a password-protected, legacy or
corrupt file, or one that would unpack to more than the limit, gets one clear reason.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from tutor.ingest.readers import SourceText, UnreadableFile, too_large

_KIND = {".pptx": "PowerPoint", ".docx": "Word", ".xlsx": "Excel", ".epub": "EPUB"}
# Office encrypts a password-protected file into an OLE compound file; .ppt/.doc/.xls are OLE too.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The parts a reader parses; everything else (pictures, fonts, embedded files) is only carried.
_TEXT_PARTS = (".xml", ".rels", ".xhtml", ".html", ".htm", ".opf", ".ncx")
_EPUB_ENCRYPTION = "META-INF/encryption.xml"
_CIPHER_URI = re.compile(r"CipherReference[^>]*\bURI=[\"']([^\"']+)")


def read_package(path: Path, max_bytes: int, max_package_bytes: int | None) -> SourceText:
    suffix = path.suffix.lower()
    kind = _KIND[suffix]
    _check_package(path, kind, max_bytes, max_package_bytes)
    try:
        return _reader(suffix)(path)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged part makes each library raise its own way (AttributeError, ParseError, KeyError...)
        raise corrupt(kind, exc) from exc


def _reader(suffix: str) -> Callable[[Path], SourceText]:
    if suffix == ".pptx":
        from tutor.ingest.formats.slides import read_deck

        return read_deck
    if suffix == ".docx":
        from tutor.ingest.formats.documents import read_document

        return read_document
    if suffix == ".epub":
        from tutor.ingest.formats.ebooks import read_ebook

        return read_ebook
    from tutor.ingest.formats.tables import read_workbook

    return read_workbook


def _check_package(path: Path, kind: str, max_bytes: int, max_package_bytes: int | None) -> None:
    """Refuse what the libraries would fail on obscurely (or slowly), reading only the zip directory."""
    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE_MAGIC:
        raise UnreadableFile(
            f"password-protected or legacy binary {kind} file: remove the password, or save it again as {path.suffix.lower()}"
        )
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            # EPUB lists encrypted parts here: fonts for obfuscation (harmless), chapters under DRM.
            encrypted = package.read(_EPUB_ENCRYPTION) if kind == "EPUB" and _EPUB_ENCRYPTION in package.namelist() else b""
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"corrupt {kind} file (not a valid zip package: {exc})") from exc
    if any(uri.lower().endswith(_TEXT_PARTS) for uri in _CIPHER_URI.findall(encrypted.decode("utf-8", "replace"))):
        raise UnreadableFile("DRM-protected EPUB: its chapters are encrypted")
    total = sum(p.file_size for p in parts)
    text = sum(p.file_size for p in parts if p.filename.lower().endswith(_TEXT_PARTS))
    if max_package_bytes is not None and total > max_package_bytes:
        raise too_large(total, max_package_bytes, " unpacked")
    if text > max_bytes:
        raise too_large(text, max_bytes, " of unpacked text")


def corrupt(kind: str, exc: Exception) -> UnreadableFile:
    """The one line for a package whose parts its library could not parse."""
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return UnreadableFile(f"corrupt {kind} file ({detail})")
