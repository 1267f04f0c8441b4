"""Any embedding model litellm can call, behind llama-index's ``BaseEmbedding``."""

from __future__ import annotations

from functools import cached_property

from llama_index.core.base.embeddings.base import BaseEmbedding

from tutor.errors import TutorError


class LiteLLMEmbedding(BaseEmbedding):
    """Any embedding model litellm can call (``openai/...``, ``bedrock/...``, ``ollama/...``)."""

    api_base: str | None = None

    @classmethod
    def class_name(cls) -> str:
        return "LiteLLMEmbedding"

    @cached_property
    def dimension(self) -> int:
        return len(self._get_query_embedding("dimension probe"))

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        import litellm

        try:
            response = litellm.embedding(model=self.model_name, input=texts, api_base=self.api_base)
        except Exception as exc:  # litellm raises provider-specific types
            raise TutorError(f"embedding model {self.model_name} failed: {exc}".splitlines()[0]) from exc
        vectors = [_vector(item) for item in (getattr(response, "data", None) or [])]
        if len(vectors) != len(texts) or any(v is None for v in vectors) or len({len(v or ()) for v in vectors}) > 1:
            raise TutorError(
                f"embedding model {self.model_name} sent a malformed reply: {len(texts)} texts in, "
                f"{sum(v is not None for v in vectors)} usable vectors out"
            )
        return [v for v in vectors if v is not None]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._get_text_embeddings([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _vector(item: object) -> list[float] | None:
    """One reply item's vector, or None when it is not a non-empty list of numbers."""
    raw = item.get("embedding") if isinstance(item, dict) else getattr(item, "embedding", None)
    if not isinstance(raw, list) or not raw or not all(isinstance(x, int | float) for x in raw):
        return None
    return [float(x) for x in raw]
