"""A response cache on disk, so a repeated eval run costs nothing and returns the same text.

litellm's own ``type="disk"`` cache needs ``diskcache``, which tutor does not depend on; the
data dir already has SQLite, so responses go in a table there, keyed by a hash of the request.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tutor.store.db import connect
from tutor.store.migrations import Migrations

CACHE = Migrations("tutor.llm.cache")


@CACHE
def m102_llm_cache(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE llm_cache (
            key TEXT PRIMARY KEY,           -- sha256 of model + messages + sampling params
            model TEXT NOT NULL,
            text TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            cost REAL NOT NULL,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )"""
    )


@dataclass(frozen=True)
class Cached:
    model: str
    text: str
    tokens: int
    cost: float


def request_key(request: dict[str, Any]) -> str:
    """sha256 of the whole request as sent: model, api_base, messages (the prompt files'
    text is in them), temperature and every other param, so any change misses the cache."""
    payload = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """One connection, opened (and migrated) on first use; its owner closes it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    @cached_property
    def _db(self) -> sqlite3.Connection:
        return connect(self.db_path, CACHE)

    def get(self, key: str) -> Cached | None:
        row = self._db.execute("SELECT model, text, tokens, cost FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return Cached(row["model"], row["text"], row["tokens"], row["cost"]) if row else None

    def put(self, key: str, value: Cached) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO llm_cache (key, model, text, tokens, cost) VALUES (?, ?, ?, ?, ?)",
            (key, value.model, value.text, value.tokens, value.cost),
        )

    def close(self) -> None:
        if "_db" in self.__dict__:
            self.__dict__.pop("_db").close()
