"""A persisted bm25s keyword index over a collection's chunks.

bm25s builds a sparse index over thousands of chunks in milliseconds, so "incremental"
means: rebuilt after each ingest that changed something, and lazily whenever the
stored generation lags the collection's (an ingest that was interrupted).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> bm25s.tokenization.Tokenized:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False)


@dataclass
class Bm25Index:
    ids: list[str]
    generation: int
    retriever: bm25s.BM25 | None

    @classmethod
    def build(cls, ids: list[str], texts: list[str], generation: int) -> Bm25Index:
        if not ids:
            return cls([], generation, None)
        retriever = bm25s.BM25()
        retriever.index(tokenize(texts), show_progress=False)
        return cls(ids, generation, retriever)

    def save(self, directory: Path) -> None:
        # Write beside, then swap: a crash mid-save leaves the old index (or none), never half.
        # The folder is this save's own, so a search saving beside an ingest never deletes its files.
        tmp = directory.with_name(f"{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        if self.retriever is not None:
            self.retriever.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"generation": self.generation, "ids": self.ids}))
        shutil.rmtree(directory, ignore_errors=True)
        try:
            tmp.rename(directory)
        except OSError:  # another process saved first, between our rmtree and rename: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> Bm25Index | None:
        meta = directory / "ids.json"
        if not meta.exists():
            return None
        try:
            data = json.loads(meta.read_text())
            retriever = bm25s.BM25.load(str(directory), show_progress=False) if data["ids"] else None
        except (OSError, ValueError, KeyError):
            return None  # unreadable: the caller rebuilds it
        return cls(data["ids"], data["generation"], retriever)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, score) best first; only chunks sharing a term with the query."""
        if self.retriever is None or not query.strip():
            return []
        tokens = tokenize([query])
        if not tokens.vocab or not any(tokens.ids):
            return []
        k = min(k, len(self.ids))
        docs, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0 and np.isfinite(s)]
