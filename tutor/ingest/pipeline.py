"""Incremental ingest: hash each file, re-chunk and re-embed only what changed.

Unchanged files (same content hash, whatever their mtime) are skipped; changed files
are replaced; files gone from an ingested folder are removed. Each file commits on its
own, so Ctrl-C or a kill loses at most the file in flight, and the next run resumes.
"""

from __future__ import annotations

import errno
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tutor.config import Config
from tutor.ingest.chunker import Chunk, TokenCounter, chunk_source
from tutor.ingest.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_source
from tutor.store.index import Index


@dataclass
class ProgressEvent:
    """Sent after each file: enough for a progress bar with files and chunks per second."""

    path: str
    # added | updated | repaired | unchanged | removed | failed | embedding (a big file, part way)
    # | waiting (for another ingest of the collection)
    status: str
    files_done: int
    files_total: int
    chunks: int
    reason: str = ""


@dataclass
class IngestReport:
    collection: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    repaired: int = 0  # unchanged files re-embedded because the vector store had lost them
    chunks: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.repaired)

    def summary(self) -> str:
        repaired = f"{self.repaired} repaired (lost from the vector store), " if self.repaired else ""
        return (
            f"{self.collection}: {self.added} added, {self.updated} updated, {repaired}{self.removed} removed, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed — {self.chunks} chunks embedded "
            f"in {self.seconds:.1f}s"
        )


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[tuple[str, str]]]:
    """(files to ingest, folders they came from, explicit paths that are missing or unsupported)."""
    files: list[Path] = []
    roots: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        try:
            path = raw.expanduser().resolve()
        except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a symlink loop
            problems.append((str(raw), "symlink loop"))
            continue
        if path.is_dir():
            roots.append(path)
            for p in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in p.relative_to(path).parts) or p.name.startswith("~$"):
                    continue  # hidden, or Office's lock file beside a document open in Word or PowerPoint
                if p.is_symlink() and (reason := _bad_link(p)):
                    if reason.startswith("symlink loop") or p.suffix.lower() in SUPPORTED_SUFFIXES:
                        problems.append((str(p), reason))  # skipped like any unreadable file, and said so
                elif p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(p)
        elif path.is_file():
            files.append(path)
        else:
            problems.append((str(raw), "no such file or folder"))
    return list(dict.fromkeys(files)), roots, problems


def _embed_in_parts(
    embed: Callable[[list[str]], list[list[float]]], chunks: Sequence[Chunk], part: int, on_part: Callable[[int], None]
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """All of one file's vectors, embedded ``part`` chunks at a time: a 20 MB file (48k chunks)
    shows progress as it goes, and float32 rows take 1.5 kB a chunk, not 12 kB as Python floats."""
    rows: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    for start in range(0, len(chunks), part):
        rows.append(np.asarray(embed([c.embed_text for c in chunks[start : start + part]]), dtype=np.float32))
        if len(chunks) > part:
            on_part(min(start + part, len(chunks)))
    return np.vstack(rows)


def _bad_link(link: Path) -> str | None:
    """Why a symlink cannot be followed (a loop, a missing target), or None if it can."""
    try:
        target = link.resolve(strict=True)
    except RuntimeError:
        return "symlink loop"
    except OSError as exc:
        return "symlink loop" if exc.errno == errno.ELOOP else "broken symlink (its target is missing)"
    if target.is_dir() and link.parent.resolve().is_relative_to(target):
        return "symlink loop (points back to a folder that contains it)"
    return None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def ingest_paths(
    config: Config,
    index: Index,
    embed: Callable[[list[str]], list[list[float]]],
    paths: Sequence[Path],
    token_count: TokenCounter,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    repair: Sequence[str] = (),
) -> IngestReport:
    """Bring ``index`` in line with the files under ``paths``; ``embed`` is called only for changed
    files and for ``repair`` (files whose vectors were lost: re-embedded wherever they are)."""
    started = time.perf_counter()
    report = IngestReport(collection=index.name)
    lost = set(repair)
    files, roots, problems = discover([*paths, *(Path(p) for p in sorted(lost) if Path(p).is_file())])
    report.failed.extend(problems)
    known = index.files()
    on_disk = {str(f) for f in files}
    gone = [p for p in known if p not in on_disk and (p in lost or any(Path(p).is_relative_to(r) for r in roots))]
    total = len(files) + len(gone)
    done = 0

    def emit(path: str, status: str, chunks: int = 0, reason: str = "") -> None:
        if on_progress:
            on_progress(ProgressEvent(path, status, done, total, chunks, reason))

    for path, reason in problems:
        emit(path, "failed", reason=reason)

    for path in gone:
        index.remove_file(path)
        report.removed += 1
        done += 1
        emit(path, "removed")

    for file in files:
        key = str(file)
        try:
            data = file.read_bytes()
            digest = file_hash(data)
            if known.get(key) == digest and key not in lost:
                report.unchanged += 1
                done += 1
                emit(key, "unchanged")
                continue
            source = read_source(file, config.chunk.max_file_bytes, config.chunk.max_package_bytes)
            chunks = chunk_source(source, config.chunk.max_tokens, config.chunk.min_tokens, token_count)
            if not chunks:
                raise UnreadableFile("no usable text after cleaning")
        except UnreadableFile as exc:
            report.failed.append((key, str(exc)))
            done += 1
            emit(key, "failed", reason=str(exc))
            continue
        except OSError as exc:
            report.failed.append((key, exc.strerror or str(exc)))
            done += 1
            emit(key, "failed", reason=exc.strerror or str(exc))
            continue

        def embedded(n: int, key: str = key, total: int = len(chunks)) -> None:
            emit(key, "embedding", reason=f"{n} of {total} chunks")

        embeddings = _embed_in_parts(embed, chunks, config.chunk.progress_chunks, embedded)
        index.put_file(key, digest, chunks, embeddings)
        status = "repaired" if key in lost and known.get(key) == digest else "updated" if key in known else "added"
        setattr(report, status, getattr(report, status) + 1)
        report.chunks += len(chunks)
        done += 1
        emit(key, status, len(chunks))

    if report.changed:
        index.bm25()  # rebuild now, so the first search does not pay for it
    report.seconds = time.perf_counter() - started
    return report
