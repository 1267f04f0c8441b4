"""The SQLite database in the data dir, with numbered migrations.

Each migration is a small function named ``mNNN_what`` applied once, in name order (as
simonw/llm does), so a student's data survives upgrades. A package that owns tables
defines its migrations in its own module, decorated with :func:`migration`, and lists
that module in ``MIGRATION_MODULES``.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tutor.errors import TutorError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[str, Migration] = {}

# Modules whose import registers migrations (number ranges: store 0xx, answer 1xx, questions 2xx).
MIGRATION_MODULES: tuple[str, ...] = ("tutor.store.db", "tutor.questions.bank", "tutor.answer.sessions", "tutor.llm.cache")


def migration(fn: Migration) -> Migration:
    MIGRATIONS[fn.__name__] = fn
    return fn


@migration
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


def connect(path: Path) -> sqlite3.Connection:
    """Open (and migrate) the database; a corrupt file is a one-line error."""
    try:
        # A Workspace may be used from more than one thread in turn (the TUI's worker); sqlite3
        # serialises access to a connection itself, so the same-thread check only gets in the way.
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT DEFAULT CURRENT_TIMESTAMP)")
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        for module in MIGRATION_MODULES:
            importlib.import_module(module)
        for name, fn in sorted(MIGRATIONS.items()):
            if name not in done:
                with transaction(db):
                    fn(db)
                    db.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
    except sqlite3.DatabaseError as exc:
        raise TutorError(f"{path}: database is unreadable ({exc}); move it away to start fresh") from exc
    return db


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (connections run in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
