"""Sentence vectors kept in the data dir, so the next process need not embed them again.

The offline engine embeds every candidate sentence of the retrieved chunks: ~0.3 s of a
cold ``tutor ask`` on 2 cores, the same sentences again in each new process. They go in a
table of the data dir's SQLite, keyed by the embedder and a hash of the text, and are read
back as the float32 bytes that were embedded (an answer never depends on a rounded copy).
A cache must never fail an answer: a database it cannot use is skipped, not reported.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tutor.errors import TutorError
from tutor.store.db import connect
from tutor.store.migrations import Migrations

if TYPE_CHECKING:
    from tutor.embed import Embedder

VECTORS = Migrations("tutor.embed.cache")

# SQLite allows 999 bound parameters per statement in older builds; the model takes one.
_LOOKUP_BATCH = 900


@VECTORS
def m301_text_vectors(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE text_vectors (
            model TEXT NOT NULL,            -- the embedder's model_name
            digest BLOB NOT NULL,           -- sha1 of the text
            vector BLOB NOT NULL,           -- float32, as the embedder returned it
            PRIMARY KEY (model, digest)
        )"""
    )


def _digest(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class CachedEmbedder:
    """``embedder`` whose text vectors are looked up in the data dir first; queries pass through.

    At most ``limit`` vectors are kept (the oldest written go first): a few thousand cover a
    student's notes; ~1.6 KB each.
    """

    def __init__(self, embedder: Embedder, db_path: Path, limit: int) -> None:
        self.embedder = embedder
        self.db_path = db_path
        self.limit = limit
        self._usable = True

    @property
    def model_name(self) -> str:
        return self.embedder.model_name

    @cached_property
    def _db(self) -> sqlite3.Connection:
        return connect(self.db_path, VECTORS)

    def get_query_embedding(self, query: str) -> list[float]:
        return self.embedder.get_query_embedding(query)

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        found = self._read(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = dict(zip(missing, self.embedder.get_text_embedding_batch(missing), strict=True))
            found.update(fresh)
            self._write(fresh)
        return [found[t] for t in texts]

    def _read(self, texts: Sequence[str]) -> dict[str, list[float]]:
        if not self._usable or not texts:
            return {}
        by_digest = {_digest(t): t for t in texts}
        digests = list(by_digest)
        found: dict[str, list[float]] = {}
        try:
            for start in range(0, len(digests), _LOOKUP_BATCH):
                part = digests[start : start + _LOOKUP_BATCH]
                rows = self._db.execute(
                    f"SELECT digest, vector FROM text_vectors WHERE model = ? AND digest IN ({','.join('?' * len(part))})",
                    (self.model_name, *part),
                )
                for digest, blob in rows:
                    found[by_digest[digest]] = np.frombuffer(blob, dtype=np.float32).tolist()
        except (sqlite3.Error, TutorError):
            self._usable = False  # read-only, full or not a database: embed as if uncached
            return {}
        return found

    def _write(self, vectors: dict[str, list[float]]) -> None:
        if not self._usable or not vectors or self.limit <= 0:
            return
        rows = [(self.model_name, _digest(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR IGNORE INTO text_vectors (model, digest, vector) VALUES (?, ?, ?)", rows)
                newest = self._db.execute("SELECT max(rowid) FROM text_vectors").fetchone()[0] or 0
                self._db.execute("DELETE FROM text_vectors WHERE rowid <= ?", (newest - self.limit,))
        except (sqlite3.Error, TutorError):
            self._usable = False

    def close(self) -> None:
        if "_db" in self.__dict__:
            self.__dict__.pop("_db").close()
