"""Our embedder and retriever behind llama-index's interfaces, for code that wants those.

A llama-index pipeline (``VectorStoreIndex(nodes, embed_model=LlamaIndexEmbedding(ws.embedder))``,
a query engine over ``LlamaIndexRetriever(ws.retriever())``) gets tutor's models and hybrid
search. Only this module imports llama-index (~1.2 s): ``tutor ask`` never does.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from tutor.embed import Embedder
from tutor.retrieve import HybridRetriever

# Our embedders batch by length themselves: hand them many texts per call.
_TEXTS_PER_CALL = 2048


class LlamaIndexEmbedding(BaseEmbedding):
    """A tutor :class:`~tutor.embed.Embedder` as a llama-index ``BaseEmbedding``."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_name, embed_batch_size=_TEXTS_PER_CALL, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "TutorEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.get_text_embedding_batch([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.get_text_embedding_batch(texts)


class LlamaIndexRetriever(BaseRetriever):
    """A :class:`HybridRetriever` as a llama-index ``BaseRetriever``: cited chunks as nodes."""

    def __init__(self, retriever: HybridRetriever, k: int | None = None) -> None:
        super().__init__()
        self.retriever = retriever
        self.k = k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [
            NodeWithScore(
                node=TextNode(
                    id_=h.chunk_id,
                    text=h.text,
                    metadata={"source": h.source, "start_line": h.start_line, "end_line": h.end_line, "heading": h.heading},
                ),
                score=h.score,
            )
            for h in self.retriever.search(query_bundle.query_str, k=self.k)
        ]
