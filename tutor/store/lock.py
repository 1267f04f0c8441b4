"""One ingest per collection at a time, across processes (the TUI's core and a CLI ingest).

Two ingests into one collection shared ``bm25/<name>.tmp`` (one deleted the other's) and
embedded the same chunks twice. The second one now waits for the first, saying so; the
lock is an OS file lock, so a killed ingest (even ``kill -9``) releases it at once. It
guards one data dir: processes on other machines sharing a Chroma server are not covered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from tutor.config import Config


@contextmanager
def collection_lock(config: Config, name: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the ingest lock of collection ``name``; if another process holds it, call
    ``on_wait`` with a one-line message and wait until it is released."""
    folder = config.home / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / f"ingest-{name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(f"another ingest of '{name}' is running; waiting for it to finish (Ctrl-C to stop)")
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
