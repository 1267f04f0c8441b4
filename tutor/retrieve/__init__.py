"""Query -> ranked, citable chunks (dense + BM25, fused)."""

from tutor.retrieve.hybrid import Hit, HybridRetriever, Reranker, span_label

__all__ = ["Hit", "HybridRetriever", "Reranker", "span_label"]
