"""The SQLite database in the data dir: one connection per owner, migrated on open.

Each package that owns tables declares its :class:`~tutor.store.migrations.Migrations`
and passes them to :func:`connect`; this module owns only the index's own tables.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from types import TracebackType

from tutor.errors import TutorError
from tutor.store.migrations import Migrations

STORE = Migrations("tutor.store")


@STORE
def m001_index(db: sqlite3.Connection) -> None:
    for statement in (
        """
        CREATE TABLE collections (
            name TEXT PRIMARY KEY,          -- what the user types: notes, corpus, ...
            physical TEXT NOT NULL,         -- the Chroma collection that currently serves it
            embed_model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            generation INTEGER NOT NULL DEFAULT 0,  -- bumped on every committed file change
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )""",
        """
        CREATE TABLE files (
            physical TEXT NOT NULL,
            path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            chunk_ids TEXT NOT NULL,        -- JSON list, in file order
            ingested_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
            PRIMARY KEY (physical, path)
        )""",
    ):
        db.execute(statement)


def connect(path: Path, *migrations: Migrations) -> sqlite3.Connection:
    """Open the database and apply each owner's pending migrations.

    Only a file that is not a database is reported as unreadable: a lock held by another
    process is waited for (busy timeout), never mistaken for corruption.
    """
    # A Workspace may be used from more than one thread in turn (the TUI's worker); sqlite3
    # serialises access to a connection itself, so the same-thread check only gets in the way.
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.row_factory = sqlite3.Row
        _wal(db)
        db.execute("PRAGMA foreign_keys=ON")
        for owner in migrations:
            owner.apply(db)
    except sqlite3.OperationalError as exc:
        db.close()
        raise TutorError(f"{path}: cannot use the database ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        db.close()
        raise TutorError(f"{path}: not a tutor database ({exc}); move it away to start fresh") from exc
    except BaseException:
        db.close()
        raise
    return db


def _wal(db: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch to WAL; on a brand-new file two processes may race for it, so retry briefly."""
    for attempt in range(attempts):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (connections run in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
