"""Named conversations in the data dir's SQLite: every turn with its answer, citations and cost."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tutor.answer.result import Answer
from tutor.errors import TutorError
from tutor.store.db import connect, transaction
from tutor.store.migrations import Migrations

SESSIONS = Migrations("tutor.answer.sessions")


@SESSIONS
def m101_sessions(db: sqlite3.Connection) -> None:
    for statement in (
        """
        CREATE TABLE sessions (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )""",
        """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            session TEXT NOT NULL REFERENCES sessions(name) ON UPDATE CASCADE ON DELETE CASCADE,
            question TEXT NOT NULL,
            query TEXT NOT NULL,
            answer TEXT NOT NULL,
            citations TEXT NOT NULL,        -- JSON list of Citation dicts
            model TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            latency_s REAL NOT NULL,
            record TEXT NOT NULL,           -- the whole Answer as JSON, to show the turn again
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )""",
        "CREATE INDEX turns_by_session ON turns (session, id)",
    ):
        db.execute(statement)


@dataclass
class Turn:
    question: str
    answer: Answer
    created_at: str


@dataclass
class SessionInfo:
    name: str
    turns: int
    updated_at: str


class SessionStore:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = connect(self.db_path, SESSIONS)
        try:
            yield db
        finally:
            db.close()

    def list_sessions(self) -> list[str]:
        """Session names, most recently used first."""
        return [s.name for s in self.summaries()]

    def summaries(self) -> list[SessionInfo]:
        with self._db() as db:
            rows = db.execute(
                """SELECT s.name, s.updated_at, COUNT(t.id) AS n FROM sessions s
                   LEFT JOIN turns t ON t.session = s.name GROUP BY s.name ORDER BY s.updated_at DESC, s.name"""
            ).fetchall()
        return [SessionInfo(r["name"], r["n"], r["updated_at"]) for r in rows]

    def exists(self, name: str) -> bool:
        with self._db() as db:
            return db.execute("SELECT 1 FROM sessions WHERE name = ?", (name,)).fetchone() is not None

    def create(self, name: str) -> str:
        """A new session named after ``name`` (a title or a first question); returns the unique name."""
        base = _slug(name)
        with self._db() as db, transaction(db):
            taken = {r[0] for r in db.execute("SELECT name FROM sessions WHERE name = ? OR name LIKE ?", (base, base + "-%"))}
            unique = base if base not in taken else next(f"{base}-{i}" for i in range(2, len(taken) + 3) if f"{base}-{i}" not in taken)
            db.execute("INSERT INTO sessions (name) VALUES (?)", (unique,))
        return unique

    def rename(self, old: str, new: str) -> None:
        new = new.strip()
        if not new:
            raise TutorError("a session name cannot be empty")
        with self._db() as db, transaction(db):
            if db.execute("SELECT 1 FROM sessions WHERE name = ?", (new,)).fetchone():
                raise TutorError(f"a session named '{new}' already exists")
            if db.execute("UPDATE sessions SET name = ? WHERE name = ?", (new, old)).rowcount == 0:
                raise TutorError(f"no session named '{old}'")

    def delete(self, name: str) -> None:
        with self._db() as db, transaction(db):
            if db.execute("DELETE FROM sessions WHERE name = ?", (name,)).rowcount == 0:
                raise TutorError(f"no session named '{name}'")

    def add_turn(self, name: str, answer: Answer) -> None:
        """Append a turn; the session is created on first use."""
        with self._db() as db, transaction(db):
            db.execute("INSERT OR IGNORE INTO sessions (name) VALUES (?)", (name,))
            db.execute(
                """INSERT INTO turns (session, question, query, answer, citations, model, tokens, latency_s, record)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    name,
                    answer.question,
                    answer.query,
                    answer.answer,
                    json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False),
                    answer.model,
                    answer.tokens,
                    answer.latency_s,
                    json.dumps(answer.to_dict(), ensure_ascii=False),
                ),
            )
            db.execute("UPDATE sessions SET updated_at = CURRENT_TIMESTAMP WHERE name = ?", (name,))

    def turns(self, name: str) -> list[Turn]:
        with self._db() as db:
            rows = db.execute("SELECT question, record, created_at FROM turns WHERE session = ? ORDER BY id", (name,)).fetchall()
        return [Turn(r["question"], Answer.from_dict(json.loads(r["record"])), r["created_at"]) for r in rows]

    def history(self, name: str, n: int) -> list[tuple[str, str]]:
        """The last ``n`` (question, answer) pairs, oldest first: what condensing a follow-up needs."""
        return [(t.question, t.answer.answer) for t in self.turns(name)[-n:]] if n > 0 else []

    def export_markdown(self, name: str) -> str:
        """A readable transcript: each question, the answer, and the sources it cites."""
        if not self.exists(name):
            raise TutorError(f"no session named '{name}'")
        out = [f"# {name}", ""]
        for i, turn in enumerate(self.turns(name), start=1):
            a = turn.answer
            out += [f"## {i}. {turn.question}", ""]
            if a.query != turn.question:
                out += [f"_searched for: {a.query}_", ""]
            out += [a.answer, ""]
            if a.general:
                out += ["_Uncited sentences come from the model's general knowledge, not your notes._", ""]
            if a.unverified:
                out += ["**Unverified** (not supported by the cited notes):", *[f"- {s}" for s in a.unverified], ""]
            if a.citations:
                out += ["Sources:", *[f"- [{c.n}] {c.location} — {c.heading}" for c in a.citations], ""]
            out += [f"<sub>{a.model} · {a.tokens} tokens · {a.latency_s:.1f} s · {turn.created_at}</sub>", ""]
        return "\n".join(out).rstrip() + "\n"


def _slug(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())[:6]
    return "-".join(words)[:48].strip("-") or "session"
