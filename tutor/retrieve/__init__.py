"""Query -> ranked, citable chunks (dense + BM25, fused).

The retriever loads lazily (it imports the store, bm25s and numpy); :class:`Hit` does not.
"""

from tutor._lazy import lazy_exports
from tutor.retrieve.hit import Hit, span_label

_EXPORTS = {"HybridRetriever": "tutor.retrieve.hybrid"}
__all__ = ["Hit", "span_label", *_EXPORTS]
__getattr__ = lazy_exports(globals(), _EXPORTS)
