"""Candidate sentences' vectors kept in the data dir (tutor/embed/cache.py), with the real MiniLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tutor.config import load_config
from tutor.embed.cache import CachedEmbedder
from tutor.embed.minilm import MiniLMEmbedding
from tutor.workspace import Workspace

TEXTS = ["Kinesis keeps records for 24 hours by default.", "An SQS message is at most 256 KB.", "Athena queries S3 with SQL."]


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: MiniLMEmbedding) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    def get_query_embedding(self, query: str) -> list[float]:
        return self.inner.get_query_embedding(query)

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return self.inner.get_text_embedding_batch(texts)


def test_a_new_connection_reads_back_the_exact_vectors_without_embedding(tmp_path: Path, embedder: MiniLMEmbedding) -> None:
    db = tmp_path / "tutor.db"
    first = Counting(embedder)
    written = CachedEmbedder(first, db, limit=100).get_text_embedding_batch(TEXTS)
    assert first.texts == TEXTS

    again = Counting(embedder)
    cache = CachedEmbedder(again, db, limit=100)
    read = cache.get_text_embedding_batch([TEXTS[1], "Glue crawlers infer schemas.", TEXTS[0]])
    cache.close()
    assert again.texts == ["Glue crawlers infer schemas."]  # only the text never embedded before
    assert np.array_equal(np.float32(read[0]), np.float32(written[1]))
    assert np.array_equal(np.float32(read[2]), np.float32(written[0]))
    assert np.allclose(read[1], embedder.get_text_embedding_batch(["Glue crawlers infer schemas."])[0], atol=1e-6)


def test_at_most_limit_vectors_are_kept_the_oldest_go_first(tmp_path: Path, embedder: MiniLMEmbedding) -> None:
    db = tmp_path / "tutor.db"
    cache = CachedEmbedder(embedder, db, limit=2)
    for text in TEXTS:
        cache.get_text_embedding_batch([text])
    cache.close()
    counting = Counting(embedder)
    CachedEmbedder(counting, db, limit=2).get_text_embedding_batch(TEXTS)
    assert counting.texts == [TEXTS[0]]


def test_a_database_it_cannot_use_is_skipped_not_reported(tmp_path: Path, embedder: MiniLMEmbedding) -> None:
    db = tmp_path / "tutor.db"
    db.write_bytes(b"this is not a database" * 100)
    vectors = CachedEmbedder(embedder, db, limit=100).get_text_embedding_batch(TEXTS)
    assert np.allclose(vectors, embedder.get_text_embedding_batch(TEXTS), atol=1e-6)
    assert db.read_bytes().startswith(b"this is not a database")  # nothing lost


def test_the_next_workspace_answers_alike_without_embedding_the_sentences_again(
    home: Path, embedder: MiniLMEmbedding, notes_dir: Path
) -> None:
    question = "How long does Kinesis keep records by default?"
    first = Counting(embedder)
    with Workspace(load_config(home), embedder=first) as ws:
        ws.ingest([notes_dir])
        ingested = len(first.texts)
        answer = ws.ask(question)
    assert len(first.texts) > ingested  # the candidate sentences were embedded

    second = Counting(embedder)
    with Workspace(load_config(home), embedder=second) as ws:
        again = ws.ask(question)
    assert second.texts == []
    assert again.answer == answer.answer and not again.abstained
