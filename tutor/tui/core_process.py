"""The core runs in a child process; screens await its calls from Textual workers.

A process, not a thread: the core's native code keeps the GIL for tens of milliseconds at a
time (chromadb's Rust upserts, tiktoken loading its tables) and the garbage collections of its
big heap stop every thread of the process, so on a thread the UI missed frames while answering
or ingesting. One process runs one call at a time, as the thread did: an ingest and an ask that
touch the same index stay serialised, and the Workspace keeps its loaded embedder and indexes.

Calls cross as pickles, so ``fn`` must be importable (a module-level function, or a method of
the Workspace). The app's Workspace stands for the process's own one, so
``run(workspace.ask, question, ...)`` works as it reads. Keyword arguments that are callables
(``on_token``, ``on_progress``) are called back here, on a reader thread, with what the core
passes them; a ``threading.Event`` (``cancel``) is set there soon after it is set here.
The process is spawned, so a script that starts the app needs the usual
``if __name__ == "__main__":`` guard of multiprocessing programs.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from io import BytesIO
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from tutor.config import Config
from tutor.errors import TutorError
from tutor.workspace import Workspace

T = TypeVar("T")
NICENESS = 10  # the whole process, with the ONNX pool threads it starts: on 2 cores the UI still draws
CANCEL_POLL_S = 0.05
CLOSE_WAIT_S = 1.0
_WORKSPACE = "workspace"  # the persistent id the app's Workspace pickles as

# call id -> (its future, its callbacks by keyword), one table per process started
_Calls = dict[int, tuple[Future[Any], dict[str, Callable[..., Any]]]]


class CoreProcess:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._process: BaseProcess | None = None
        self._jobs: Connection | None = None
        self._calls: _Calls = {}
        self._ids = itertools.count()

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in the core process; awaiting it leaves the UI free."""
        jobs = self._jobs if self._jobs is not None and self._process is not None and self._process.is_alive() else self._start()
        call_id = next(self._ids)
        events = {k: v for k, v in kwargs.items() if isinstance(v, threading.Event)}
        callbacks = {k: v for k, v in kwargs.items() if callable(v) and k not in events}
        plain = {k: v for k, v in kwargs.items() if k not in events and k not in callbacks}
        buffer = BytesIO()
        pickler = pickle.Pickler(buffer)
        pickler.persistent_id = lambda obj: _WORKSPACE if obj is self.workspace else None  # type: ignore[method-assign]
        pickler.dump((fn, args, plain, list(callbacks), list(events)))
        future: Future[T] = Future()
        future.set_running_or_notify_cancel()  # a cancelled worker must not cancel it under the reader
        self._calls[call_id] = (future, callbacks)
        jobs.send(("call", call_id, buffer.getvalue()))
        done = asyncio.wrap_future(future)
        try:
            while events and not done.done():
                await asyncio.wait([done], timeout=CANCEL_POLL_S)
                if any(event.is_set() for event in events.values()):
                    jobs.send(("cancel", call_id, b""))
                    break
            return await done
        finally:
            done.cancel()  # a no-op once done; if the worker was cancelled, no one reads the outcome

    def close(self) -> None:
        """Stop the process; a call in flight is abandoned (an ingest commits file by file), so
        quitting never waits for an embedding batch."""
        if self._process is None or self._jobs is None:
            return
        self._jobs.close()  # an idle process sees the end of its calls and exits
        if self._calls:
            self._process.terminate()  # unwinds the call at its next Python line
        self._process.join(timeout=CLOSE_WAIT_S)
        if self._process.is_alive():  # stuck in native code
            self._process.kill()
        self._process = self._jobs = None

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")  # a fork would copy the UI's threads and locks
        jobs_out, jobs_in = context.Pipe(duplex=False)
        results_out, results_in = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(self.workspace.config, jobs_out, results_in), name="tutor-core", daemon=True)
        # Textual swaps sys.stderr for a capture with no file descriptor; the resource tracker
        # that multiprocessing starts alongside needs a real one.
        with contextlib.redirect_stderr(sys.__stderr__):
            self._process.start()
        jobs_out.close()
        results_in.close()
        self._calls = {}
        threading.Thread(target=_receive, args=(results_out, self._calls), name="tutor-core-results", daemon=True).start()
        self._jobs = jobs_in
        return jobs_in


def _receive(results: Connection, calls: _Calls) -> None:
    """(Reader thread) callbacks and results as they come; every call fails if the process ends."""
    while True:
        try:
            call_id, kind, value = results.recv()
        except (EOFError, OSError):
            break
        future, callbacks = calls[call_id]
        if kind == "callback":
            name, args = value
            try:
                if not future.done():
                    callbacks[name](*args)
            except Exception as exc:  # fails the call here; the core's result is then ignored
                future.set_exception(exc)
            continue
        del calls[call_id]
        if future.done():
            continue
        if kind == "done":
            future.set_result(value)
        else:
            future.set_exception(value)
    for future, _ in list(calls.values()):
        if not future.done():
            future.set_exception(TutorError("the core process stopped"))
    calls.clear()


def warm_up(workspace: Workspace) -> None:
    """(A call) load what a first question needs, seconds of imports and the embedder, while
    the student is still typing it; a failure is left for that question to report."""
    with contextlib.suppress(Exception):
        from tutor.answer import ask  # noqa: F401

        workspace.embedder  # noqa: B018 - a cached property: this loads the model


def _serve(config: Config, jobs: Connection, results: Connection) -> None:
    """(The core process) run each call on one Workspace, in the order they came."""
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c belongs to the UI, which stops us
    # Unwind on terminate, so the libraries' locks and semaphores are released, not leaked.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit())
    # The terminal belongs to the UI too: library warnings and progress bars would draw over it.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    workspace = Workspace(config)
    pending: queue.SimpleQueue[tuple[int, Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None] = queue.SimpleQueue()
    cancels: dict[int, threading.Event] = {}
    sending = threading.Lock()  # a callback may come from a thread of the core's own

    def send(*message: Any) -> None:
        with sending:
            results.send(message)

    def receive() -> None:
        """(Thread) queue calls; a cancel must get through while a call runs."""
        while True:
            try:
                kind, call_id, payload = jobs.recv()
            except EOFError:  # the app closed: end after the call in hand
                pending.put(None)
                return
            if kind == "cancel":
                cancels.get(call_id, threading.Event()).set()
                continue
            unpickler = pickle.Unpickler(BytesIO(payload))
            unpickler.persistent_load = lambda pid: workspace  # type: ignore[method-assign]
            try:
                fn, args, kwargs, callbacks, events = unpickler.load()
            except Exception as exc:  # e.g. a function this process cannot import
                send(call_id, "failed", _portable(exc))
                continue
            for name in callbacks:
                kwargs[name] = lambda *a, _name=name, _id=call_id: send(_id, "callback", (_name, a))
            for name in events:
                kwargs[name] = cancels[call_id] = threading.Event()
            pending.put((call_id, fn, args, kwargs))

    threading.Thread(target=receive, name="tutor-core-jobs", daemon=True).start()
    try:
        while (call := pending.get()) is not None:
            call_id, fn, args, kwargs = call
            try:
                outcome = (call_id, "done", fn(*args, **kwargs))
            except Exception as exc:  # handed to the awaiting worker, which decides
                outcome = (call_id, "failed", _portable(exc))
            cancels.pop(call_id, None)
            try:
                send(*outcome)
            except Exception as exc:  # a result that does not pickle must still end the call
                send(call_id, "failed", TypeError(f"the core's result could not be sent: {exc!r}"))
    finally:
        gc.freeze()  # the heap ends with the process: collecting it on the way out takes a second


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError with its text: the UI must get one."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
