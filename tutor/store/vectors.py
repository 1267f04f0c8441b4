"""Chroma, on disk (``PersistentClient``) or as a server (``HttpClient``), with our vectors.

We always pass embeddings ourselves, so Chroma never loads (or downloads) a model.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlparse

from tutor.config import Config
from tutor.errors import TutorError

if TYPE_CHECKING:  # importing chromadb takes ~0.6 s: only where it is used
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

_P = ParamSpec("_P")
_R = TypeVar("_R")


def server_faults(method: Callable[Concatenate[Any, _P], _R]) -> Callable[Concatenate[Any, _P], _R]:
    """A Chroma server that stops answering mid-command is one line, not an httpx traceback.

    For methods of an object with a ``config``; other errors pass through unchanged.
    """

    def call(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except TutorError:
            raise
        except Exception as exc:
            url = self.config.store.chroma_url
            if not url or not _connection_lost(exc):
                raise
            raise TutorError(
                f"Chroma server at {url} stopped answering ({type(exc).__name__}); "
                "files already ingested are kept: start it again and rerun the command"
            ) from exc

    functools.update_wrapper(call, method)
    return call


def _connection_lost(exc: BaseException | None) -> bool:
    import httpx

    seen = 0
    while exc is not None and seen < 10:  # chromadb wraps transport errors in its own
        if isinstance(exc, httpx.TransportError | ConnectionError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def chroma_client(config: Config) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url := config.store.chroma_url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        try:
            return chromadb.HttpClient(
                host=parsed.hostname or "localhost",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise TutorError(f"cannot reach Chroma server at {url}: {str(exc).splitlines()[0]}") from exc
    try:
        return chromadb.PersistentClient(path=str(config.chroma_path), settings=settings)
    except Exception as exc:
        raise TutorError(
            f"vector index at {config.chroma_path} is unreadable ({str(exc).splitlines()[0]}); "
            "move it away and run `tutor ingest --rebuild`"
        ) from exc


def fresh_chroma_client(config: Config) -> ClientAPI:
    """A client that reads the on-disk index anew, not this process's cached copy of it.

    Clients of one path share a cached "system" holding the vector index in memory; a new
    client after dropping that cache entry loads what other processes wrote. Clients made
    before keep the system they hold.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(config.chroma_path)  # what PersistentClient keys its system by
    SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return chroma_client(config)


def open_collection(client: ClientAPI, physical: str, model: str, dim: int) -> Collection:
    try:
        return client.get_or_create_collection(
            physical,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "embed_model": model, "dim": dim},
        )
    except Exception as exc:
        raise TutorError(f"cannot open vector collection {physical}: {str(exc).splitlines()[0]}") from exc


def delete_collection(client: ClientAPI, physical: str) -> None:
    with contextlib.suppress(Exception):  # already gone is fine: deletion is cleanup
        client.delete_collection(physical)


def list_physical(client: ClientAPI, prefix: str) -> list[str]:
    """Names of the Chroma collections starting with ``prefix`` (older clients return names, newer objects)."""
    names = (c if isinstance(c, str) else c.name for c in client.list_collections())
    return [name for name in names if name.startswith(prefix)]
