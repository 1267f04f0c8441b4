"""How well a sentence answers a query: embedding cosine plus IDF-weighted term overlap.

Cosine finds paraphrases ("how long do records stay" ~ "retains records for"); the overlap
term rewards the exact names and numbers a question hinges on. IDF is computed over the
candidate sentences themselves, so a word every source repeats ("Kinesis") counts little.

The share is of the query's ``overlap_terms`` most specific terms' weight, not of all of it:
a sentence that answers a long exam stem holds its requirement, not every word of its setting,
and would otherwise look as far from the stem as a sentence about something else.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tutor.answer.sentences import content_terms

if TYPE_CHECKING:
    from tutor.embed import Embedder

_CACHE_LIMIT = 20_000


class SentenceScorer:
    def __init__(self, embedder: Embedder, cos_weight: float, overlap_terms: int = 6) -> None:
        self.embedder = embedder
        self.cos_weight = cos_weight
        self.overlap_terms = overlap_terms
        self._vectors: dict[str, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts``; a sentence is embedded once per process."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            if len(self._vectors) > _CACHE_LIMIT:
                self._vectors.clear()
            for text, vec in zip(missing, self.embedder.get_text_embedding_batch(missing), strict=True):
                self._vectors[text] = np.asarray(vec, dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's vector, embedded once per process: one ask scores the same query (and
        each part of a two-part one) against several sets of units."""
        if query not in self._queries:
            if len(self._queries) > _CACHE_LIMIT:
                self._queries.clear()
            self._queries[query] = np.asarray(self.embedder.get_query_embedding(query), dtype=np.float32)
        return self._queries[query]

    def score(self, query: str, sentences: Sequence[str], context: Sequence[str] | None = None) -> np.ndarray:
        """One score in [0, 1] per sentence (higher answers the query better).

        ``context`` (one per sentence: its chunk's heading) counts in the term overlap as if
        the sentence said it: "Alarm States - OK, ALARM, ..." under "CloudWatch Alarms" is about
        CloudWatch though it does not say so, and must not lose to a sentence that only names it.
        """
        if not sentences:
            return np.zeros(0)
        cosine = self.vectors(sentences) @ self.query_vector(query)
        shared = overlap(query, sentences, self.overlap_terms, context)
        scores: np.ndarray = self.cos_weight * np.clip(cosine, 0, 1) + (1 - self.cos_weight) * shared
        return scores


def overlap(query: str, sentences: Sequence[str], top_terms: int | None = None, context: Sequence[str] | None = None) -> np.ndarray:
    """IDF-weighted share of the query's content terms each sentence (with its ``context``)
    contains (of the weight of its ``top_terms`` most specific ones, when given; capped at 1)."""
    wanted = content_terms(query)
    terms = [content_terms(s) for s in sentences]
    if context is not None:
        terms = [ts | content_terms(c) for ts, c in zip(terms, context, strict=True)]
    if not wanted:
        return np.zeros(len(sentences))
    idf = _idf(wanted, [ts & wanted for ts in terms])
    total = sum(sorted(idf.values(), reverse=True)[:top_terms])
    return np.array([min(1.0, sum(idf[t] for t in ts & wanted) / total) for ts in terms])


def unsaid(query: str, said: set[str], texts: Sequence[str]) -> np.ndarray:
    """IDF-weighted share of the query's content terms not in ``said`` that each of ``texts`` holds."""
    wanted = content_terms(query) - said
    terms = [content_terms(t) & wanted for t in texts]
    if not wanted:
        return np.zeros(len(texts))
    idf = _idf(wanted, terms)
    total = sum(idf.values())
    return np.array([sum(idf[t] for t in ts) / total for ts in terms])


def _idf(wanted: set[str], found: Sequence[set[str]]) -> dict[str, float]:
    """IDF of each ``wanted`` term over the candidates, given the wanted terms each one holds."""
    df = Counter(t for ts in found for t in ts)
    return {t: math.log(1 + len(found) / (1 + df[t])) for t in wanted}
