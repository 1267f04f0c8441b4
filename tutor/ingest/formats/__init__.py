"""Readers for the zip-packaged formats students' notes come in: PowerPoint, Word, EPUB, Excel.

Each library is imported only when a file of its kind is read. Before any of them opens a
file, :func:`read_package` checks the container itself, so a password-protected, legacy or
corrupt file, or one that would unpack to more than the limit, gets one clear reason.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tutor.ingest.readers import SourceText, UnreadableFile, too_large

_KIND = {".pptx": "PowerPoint", ".docx": "Word", ".xlsx": "Excel", ".epub": "EPUB"}
# Office encrypts a password-protected file into an OLE compound file; .ppt/.doc/.xls are OLE too.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MEDIA = ("/media/", "/embeddings/", "/fonts/", "/images/")


def read_package(path: Path, max_bytes: int, max_package_bytes: int | None) -> SourceText:
    suffix = path.suffix.lower()
    kind = _KIND[suffix]
    check_package(path, kind, max_bytes, max_package_bytes)
    if suffix == ".pptx":
        from tutor.ingest.formats.slides import read_deck

        return read_deck(path)
    if suffix == ".docx":
        from tutor.ingest.formats.documents import read_document

        return read_document(path)
    if suffix == ".epub":
        from tutor.ingest.formats.ebooks import read_ebook

        return read_ebook(path)
    from tutor.ingest.formats.tables import read_workbook

    return read_workbook(path)


def check_package(path: Path, kind: str, max_bytes: int, max_package_bytes: int | None) -> None:
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
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"corrupt {kind} file (not a valid zip package: {exc})") from exc
    if kind == "EPUB" and any(p.filename == "META-INF/encryption.xml" for p in parts):
        raise UnreadableFile("DRM-protected EPUB: its chapters are encrypted")
    total = sum(p.file_size for p in parts)
    text = sum(p.file_size for p in parts if not any(m in f"/{p.filename}" for m in _MEDIA))
    if max_package_bytes is not None and total > max_package_bytes:
        raise too_large(total, max_package_bytes, " unpacked")
    if text > max_bytes:
        raise too_large(text, max_bytes, " of unpacked text")


def corrupt(kind: str, exc: Exception) -> UnreadableFile:
    """The one line for a package whose parts the library could not parse."""
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return UnreadableFile(f"corrupt {kind} file ({detail})")
