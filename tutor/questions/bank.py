"""The question bank: questions, their FSRS cards and every review, in the tutor database.

A question remembers the (chunk id, content hash) pairs it was written from; when a
re-ingest changes or drops one of those chunks the question is marked stale and is no
longer served, because its key may no longer match the notes.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from tutor.errors import TutorError
from tutor.questions.blueprint import TaskStat
from tutor.questions.question import Grade, Question, TopicProgress
from tutor.questions.verify import jaccard, same_fact, stem_terms
from tutor.store.db import connect, transaction
from tutor.store.migrations import Migrations
from tutor.workspace import Workspace

# A topic filter is a case-insensitive substring of the topic ("kinesis" finds "Amazon Kinesis Data Streams").
_TOPIC_MATCH = "(? IS NULL OR q.topic LIKE '%' || ? || '%')"
_COLLECTION_MATCH = "(? IS NULL OR q.collection = ?)"
BANK = Migrations("tutor.questions")
_JSON_FIELDS = ("options", "keys", "explanations", "citations", "source_chunks", "verdict")


@BANK
def m201_questions(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            collection TEXT NOT NULL,
            kind TEXT NOT NULL,
            stem TEXT NOT NULL,
            options TEXT NOT NULL,          -- JSON list of strings
            keys TEXT NOT NULL,             -- JSON list of 0-based indexes
            explanations TEXT NOT NULL,     -- JSON list, one per option, with [n] citations
            citations TEXT NOT NULL,        -- JSON list of Citation
            topic TEXT NOT NULL,
            domain TEXT NOT NULL,
            difficulty INTEGER NOT NULL,
            source_chunks TEXT NOT NULL,    -- JSON list of [chunk_id, content_hash]
            verdict TEXT NOT NULL,          -- JSON: what verification found
            model TEXT NOT NULL,
            stale INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )"""
    )


@BANK
def m202_reviews(db: sqlite3.Connection) -> None:
    for statement in (
        """
        CREATE TABLE cards (
            question_id TEXT PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
            card TEXT NOT NULL,             -- fsrs.Card as JSON
            due TEXT NOT NULL               -- ISO UTC, copied out of the card for ordering
        )""",
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            chosen TEXT NOT NULL,           -- JSON list of option indexes
            correct INTEGER NOT NULL,
            rating INTEGER NOT NULL,        -- fsrs.Rating
            mode TEXT NOT NULL,             -- quiz | exam
            reviewed_at TEXT NOT NULL
        )""",
        "CREATE INDEX reviews_question ON reviews(question_id)",
    ):
        db.execute(statement)


@BANK
def m203_fact_flag_retire(db: sqlite3.Connection) -> None:
    """What a question tests (duplicates are found on it), and the student's flag and retire
    marks. ``kind`` stays free text: the flashcard issue adds "card" rows beside "single"/"multi"."""
    for statement in (
        "ALTER TABLE questions ADD COLUMN fact TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE questions ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE questions ADD COLUMN retired INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX questions_collection ON questions(collection)",
    ):
        db.execute(statement)


@BANK
def m210_blueprint_task(db: sqlite3.Connection) -> None:
    """The exam task statement a question or card is tagged with (tutor.questions.blueprint),
    "" when nothing in the blueprint matches it."""
    db.execute("ALTER TABLE questions ADD COLUMN task TEXT NOT NULL DEFAULT ''")


def _now() -> datetime:
    return datetime.now(UTC)


class QuestionBank:
    """SQLite-backed questions with spaced repetition (FSRS: correct -> Good, wrong -> Again)."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.db = connect(workspace.config.db_path, BANK)
        self.scheduler = Scheduler()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> QuestionBank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- questions ------------------------------------------------------------------

    def add(self, q: Question) -> None:
        row = q.to_dict()
        values = {k: json.dumps(v) if k in _JSON_FIELDS else v for k, v in row.items()}
        values.update(stale=int(q.stale), flagged=int(q.flagged), retired=int(q.retired))
        with transaction(self.db):
            self.db.execute(
                f"INSERT OR REPLACE INTO questions ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                tuple(values.values()),
            )

    def get(self, question_id: str) -> Question:
        row = self.db.execute("SELECT * FROM questions WHERE id = ?", (question_id,)).fetchone()
        if row is None:
            raise TutorError(f"no question '{question_id}' in the bank")
        return _question(row)

    def all(self, topic: str | None = None, include_stale: bool = True, collection: str | None = None) -> list[Question]:
        sql = f"SELECT * FROM questions q WHERE {_TOPIC_MATCH} AND {_COLLECTION_MATCH} AND (? OR stale = 0) ORDER BY created_at, id"
        return [_question(r) for r in self.db.execute(sql, (topic, topic, collection, collection, include_stale))]

    def flag(self, question_id: str, flagged: bool = True) -> None:
        """Mark a question for a second look (it is still served)."""
        self._set(question_id, "flagged", flagged)

    def retire(self, question_id: str) -> None:
        """Never serve this question again; it stays in the bank (and counts as a known fact)."""
        self._set(question_id, "retired", True)

    def _set(self, question_id: str, column: str, value: bool) -> None:
        self.get(question_id)  # one clear error for an unknown id
        with transaction(self.db):
            self.db.execute(f"UPDATE questions SET {column} = ? WHERE id = ?", (int(value), question_id))

    def delete(self, question_id: str) -> None:
        with transaction(self.db):
            self.db.execute("DELETE FROM questions WHERE id = ?", (question_id,))

    def duplicate_of(self, q: Question, threshold: float, fact_threshold: float = 1.0) -> str | None:
        """The id of a bank question testing the same fact (same keys, similar need) or with
        (nearly) the same stem, if any. Retired questions count: their fact is known to be bad."""
        terms = stem_terms(q.stem)
        for row in self.db.execute("SELECT id, stem, fact FROM questions"):
            if jaccard(terms, stem_terms(row["stem"])) >= threshold or (q.fact and same_fact(q.fact, row["fact"], fact_threshold)):
                return str(row["id"])
        return None

    def mark_stale(self) -> int:
        """Re-check every question's source chunks against the index; returns how many are stale."""
        rows = self.db.execute("SELECT id, collection, source_chunks FROM questions").fetchall()
        present: dict[str, dict[str, str]] = {}
        for collection in {r["collection"] for r in rows}:
            wanted = sorted({c for r in rows if r["collection"] == collection for c, _ in json.loads(r["source_chunks"])})
            try:
                chunks = self.ws.index(collection).chunks(wanted)
            except TutorError:  # the collection itself is gone
                chunks = {}
            present[collection] = {i: c.content_hash for i, c in chunks.items()}
        with transaction(self.db):
            for r in rows:
                have = present[r["collection"]]
                stale = any(have.get(chunk_id) != digest for chunk_id, digest in json.loads(r["source_chunks"]))
                self.db.execute("UPDATE questions SET stale = ? WHERE id = ?", (int(stale), r["id"]))
        return int(self.db.execute("SELECT COUNT(*) FROM questions WHERE stale = 1").fetchone()[0])

    # -- practice --------------------------------------------------------------------

    def due(self, n: int, topic: str | None = None, collection: str | None = None) -> list[Question]:
        """Due cards first (most overdue first), then unseen questions from the weakest topics;
        never stale or retired ones, and only ``collection``'s when one is given."""
        self.mark_stale()
        now = _now().isoformat()
        due_rows = self.db.execute(
            f"""SELECT q.* FROM questions q JOIN cards c ON c.question_id = q.id
               WHERE q.stale = 0 AND q.retired = 0 AND c.due <= ? AND {_TOPIC_MATCH} AND {_COLLECTION_MATCH}
               ORDER BY c.due LIMIT ?""",
            (now, topic, topic, collection, collection, n),
        ).fetchall()
        picked = [_question(r) for r in due_rows]
        if len(picked) < n:
            accuracy = {p.topic: p.accuracy for p in self.progress() if p.answered}
            fresh = [
                _question(r)
                for r in self.db.execute(
                    f"""SELECT * FROM questions q WHERE q.stale = 0 AND q.retired = 0 AND {_TOPIC_MATCH} AND {_COLLECTION_MATCH}
                       AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.question_id = q.id) ORDER BY created_at, id""",
                    (topic, topic, collection, collection),
                )
            ]
            picked += _weakest_first(fresh, accuracy)[: n - len(picked)]
        return picked

    def grade(self, question_id: str, chosen: list[int], mode: str = "quiz") -> Grade:
        """Grade an answer, log it and reschedule the question's card."""
        q = self.get(question_id)
        correct = sorted(set(chosen)) == sorted(q.keys)
        self._review(question_id, Rating.Good if correct else Rating.Again, sorted(set(chosen)), correct, mode)
        return Grade(correct=correct, keys=q.keys, explanations=q.explanations)

    def rate(self, question_id: str, rating: Rating, mode: str = "quiz") -> None:
        """A flashcard's self-rating (Again, Hard, Good, Easy) goes to FSRS as it is; anything
        but Again counts as recalled."""
        self.get(question_id)
        self._review(question_id, rating, [], rating != Rating.Again, mode)

    def _review(self, question_id: str, rating: Rating, chosen: list[int], correct: bool, mode: str) -> None:
        row = self.db.execute("SELECT card FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        card = Card.from_json(row["card"]) if row else Card()
        now = _now()
        card, _ = self.scheduler.review_card(card, rating, now)
        with transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO cards (question_id, card, due) VALUES (?, ?, ?)",
                (question_id, card.to_json(), card.due.isoformat()),
            )
            self.db.execute(
                "INSERT INTO reviews (question_id, chosen, correct, rating, mode, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)",
                (question_id, json.dumps(chosen), int(correct), int(rating), mode, now.isoformat()),
            )

    def task_stats(self) -> list[TaskStat]:
        """Per question still served: its blueprint tag, its reviews and how likely the student
        is to recall it now (FSRS retrievability; None before its first review)."""
        now = _now()
        rows = self.db.execute(
            """SELECT q.task AS task, c.card AS card, (SELECT COUNT(*) FROM reviews r WHERE r.question_id = q.id) AS answered
               FROM questions q LEFT JOIN cards c ON c.question_id = q.id WHERE q.stale = 0 AND q.retired = 0"""
        )
        return [
            TaskStat(
                task=r["task"],
                answered=r["answered"],
                retrievability=float(self.scheduler.get_card_retrievability(Card.from_json(r["card"]), now)) if r["card"] else None,
            )
            for r in rows
        ]

    def reviews(self, question_id: str | None = None) -> list[dict[str, object]]:
        rows = self.db.execute("SELECT * FROM reviews WHERE (? IS NULL OR question_id = ?) ORDER BY id", (question_id, question_id))
        return [dict(r) for r in rows]

    def progress(self) -> list[TopicProgress]:
        """Per topic: reviews answered and correct, accuracy, and cards due now."""
        now = _now().isoformat()
        rows = self.db.execute(
            """SELECT q.topic AS topic,
                      (SELECT COUNT(*) FROM reviews r JOIN questions q2 ON q2.id = r.question_id WHERE q2.topic = q.topic) AS answered,
                      (SELECT COUNT(*) FROM reviews r JOIN questions q2 ON q2.id = r.question_id WHERE q2.topic = q.topic AND r.correct = 1) AS correct,
                      (SELECT COUNT(*) FROM cards c JOIN questions q3 ON q3.id = c.question_id
                        WHERE q3.topic = q.topic AND q3.stale = 0 AND c.due <= ?) AS due
               FROM questions q GROUP BY q.topic ORDER BY q.topic""",
            (now,),
        )
        return [
            TopicProgress(r["topic"], r["answered"], r["correct"], r["correct"] / r["answered"] if r["answered"] else 0.0, r["due"])
            for r in rows
        ]


def _weakest_first(questions: list[Question], accuracy: dict[str, float]) -> list[Question]:
    """Round-robin over topics, weakest first; a topic never tried counts as middling (0.5)."""
    by_topic: dict[str, list[Question]] = {}
    for q in questions:
        by_topic.setdefault(q.topic, []).append(q)
    order = sorted(by_topic, key=lambda t: (accuracy.get(t, 0.5), t))
    out: list[Question] = []
    while any(by_topic.values()):
        for topic in order:
            if by_topic[topic]:
                out.append(by_topic[topic].pop(0))
    return out


def _question(row: sqlite3.Row) -> Question:
    data = {k: json.loads(v) if k in _JSON_FIELDS else v for k, v in dict(row).items() if k != "created_at"}
    for flag in ("stale", "flagged", "retired"):
        data[flag] = bool(data[flag])
    return Question.from_dict(data)
