"""One daemon thread that runs every call into the core, awaited from Textual workers.

The core is synchronous and keeps per-thread state (a Workspace caches indexes holding
SQLite connections, which refuse to cross threads), so each Textual thread worker getting a
fresh thread would break the second question. One thread also serialises an ingest and an
ask that touch the same index. Daemon, so quitting never waits for an embedding batch.

On Linux the thread also runs at a lower priority (nice is per thread there, and the ONNX
embedder's pool threads inherit it), so on 2 cores the UI still gets to draw while embedding.
"""

from __future__ import annotations

import asyncio
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
NICENESS = 10


class CoreThread:
    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on the core thread; awaiting it leaves the UI free."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="tutor-core", daemon=True)
            self._thread.start()
        future: Future[T] = Future()
        self._jobs.put((partial(fn, *args, **kwargs), future))
        return await asyncio.wrap_future(future)

    def _serve(self) -> None:
        if sys.platform == "linux":
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
        while True:
            job, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to the awaiting worker, which decides
                future.set_exception(exc)
