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
        return [item["embedding"] for item in response.data]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._get_text_embeddings([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
