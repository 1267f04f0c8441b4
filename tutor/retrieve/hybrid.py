"""Hybrid retrieval: Chroma (dense) and bm25s (keywords), fused into one ranking.

Dense search finds paraphrases; BM25 finds the exact service names, limits and acronyms
that exam questions hinge on. See :func:`fuse` for how the two lists are combined.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.config import RetrieveConfig
from tutor.retrieve.hit import Hit
from tutor.store.index import Index, StoredChunk

if TYPE_CHECKING:
    from tutor.embed import Embedder


def source_matches(source: str, pattern: str) -> bool:
    """Globs without a slash match the file name; with one, the whole path."""
    target = source if "/" in pattern else Path(source).name
    return fnmatch.fnmatch(target, pattern)


_WORD = re.compile(r"\w+")


class HybridRetriever:
    """Ranked chunks of one :class:`Index`; :mod:`tutor.llamaindex` makes it a llama-index retriever."""

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        settings: RetrieveConfig,
        expand_query: Callable[[str], str] | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.expand_query = expand_query or (lambda q: q)

    def search(self, query: str, k: int | None = None, source_glob: str | None = None) -> list[Hit]:
        """The top ``k`` chunks for ``query``, optionally only from files matching ``source_glob``."""
        k = k or self.settings.k
        if not query.strip():
            return []
        expanded = self.expand_query(query)
        n = max(self.settings.candidates, k) * (4 if source_glob else 1)
        dense = self.index.dense(self.embedder.get_query_embedding(expanded), n)
        keyword = self.index.bm25().search(expanded, n)
        fused = fuse([(self.settings.dense_weight, dense), (self.settings.bm25_weight, keyword)], self.settings)
        dense_scores, bm25_scores = dict(dense), dict(keyword)
        order = sorted(fused, key=lambda i: (-fused[i], i))
        chunks = self.index.chunks(order)
        if source_glob:
            order = [i for i in order if i in chunks and source_matches(chunks[i].source, source_glob)]
        kept = distinct([i for i in order if i in chunks], chunks, k, self.settings.duplicate_similarity)
        return [_hit(rank, chunks[i], fused[i], dense_scores.get(i, 0.0), bm25_scores.get(i, 0.0)) for rank, i in enumerate(kept, start=1)]

    def neighbours(self, hit: Hit) -> tuple[StoredChunk | None, StoredChunk | None]:
        """The chunks around a hit, to widen its context so it reads naturally."""
        stored = self.index.chunks([hit.chunk_id]).get(hit.chunk_id)
        return self.index.neighbours(stored) if stored else (None, None)


def distinct(order: list[str], chunks: dict[str, StoredChunk], k: int, similarity: float) -> list[str]:
    """The first ``k`` ids of ``order`` that are not copies of one kept before.

    Slide decks repeat a section (a recap, the same slide in two modules); five copies of
    one passage in the top 5 would crowd out everything else. A copy shares ``similarity``
    of its words (Jaccard) with a kept chunk.
    """
    kept: list[str] = []
    seen: list[set[str]] = []
    for i in order:
        words = set(_WORD.findall(chunks[i].text.lower()))
        if any(len(words & other) >= similarity * len(words | other) for other in seen):
            continue
        kept.append(i)
        seen.append(words)
        if len(kept) == k:
            break
    return kept


def fuse(rankings: list[tuple[float, list[tuple[str, float]]]], settings: RetrieveConfig) -> dict[str, float]:
    """One score per chunk from weighted (chunk id, score) lists, each best first.

    ``scores`` adds each list's scores min-max normalised over its candidates, so a chunk far
    ahead in one list keeps that lead; ``rrf`` looks at ranks only. On both golden sets
    scores ranks the answer first more often (benchmarks/retrieval.py, README).
    """
    fused: dict[str, float] = {}
    for weight, ranking in rankings:
        if settings.fusion == "rrf":
            contributions = [weight / (settings.rrf_k + rank + 1) for rank in range(len(ranking))]
        else:
            values = [score for _, score in ranking]
            low, high = min(values, default=0.0), max(values, default=0.0)
            contributions = [weight * ((score - low) / (high - low) if high > low else 1.0) for score in values]
        for (chunk_id, _), contribution in zip(ranking, contributions, strict=True):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + contribution
    return fused


def _hit(rank: int, chunk: StoredChunk, score: float, dense: float, bm25: float) -> Hit:
    return Hit(
        **Hit.fields_of(chunk),
        rank=rank,
        score=round(score, 6),
        dense_score=round(dense, 4),
        bm25_score=round(bm25, 4),
    )
