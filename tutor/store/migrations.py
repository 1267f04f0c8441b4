"""Numbered schema migrations, one set per package that owns tables (as simonw/llm does).

A package declares its set where its tables live and decorates small ``mNNN_what``
functions; whoever opens the database for that package applies the set:

    BANK = Migrations("tutor.questions")

    @BANK
    def m201_questions(db: sqlite3.Connection) -> None: ...

    db = connect(path, BANK)

So the store never imports the packages above it to find their tables. Names are unique
across sets (number ranges: store 0xx, answer and llm 1xx, questions 2xx, embed 3xx) and recorded in one
``_migrations`` table, the same one earlier versions wrote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

Migration = Callable[[sqlite3.Connection], None]

_LEDGER = "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT DEFAULT CURRENT_TIMESTAMP)"


class Migrations:
    """The ordered migrations of one package."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._steps: dict[str, Migration] = {}

    def __call__(self, fn: Migration) -> Migration:
        if fn.__name__ in self._steps:
            raise ValueError(f"{self.owner}: migration {fn.__name__} declared twice")
        self._steps[fn.__name__] = fn
        return fn

    def __iter__(self) -> Iterator[tuple[str, Migration]]:
        return iter(sorted(self._steps.items()))

    def pending(self, db: sqlite3.Connection) -> list[str]:
        """Names not yet applied to ``db`` (a cheap read: the usual case is none)."""
        try:
            done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            done = set()
        return [name for name, _ in self if name not in done]

    def apply(self, db: sqlite3.Connection) -> list[str]:
        """Apply what is pending in one ``BEGIN IMMEDIATE`` transaction; returns what ran.

        Two processes opening a new data dir at once both see work to do; the second waits
        for the first's write lock (the connection's busy timeout), then finds nothing left.
        """
        if not self.pending(db):
            return []
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(_LEDGER)
            ran = self.pending(db)
            steps = dict(self._steps)
            for name in ran:
                steps[name](db)
                db.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return ran
