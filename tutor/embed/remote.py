"""Any embedding model litellm can call, as an :class:`~tutor.embed.Embedder`."""

from __future__ import annotations

from functools import cached_property

from tutor.errors import TutorError


class LiteLLMEmbedding:
    """Any embedding model litellm can call (``openai/...``, ``bedrock/...``, ``ollama/...``)."""

    def __init__(self, model_name: str, api_base: str | None = None, batch_size: int = 32) -> None:
        self.model_name = model_name
        self.api_base = api_base
        self.batch_size = batch_size  # texts per request

    @cached_property
    def dimension(self) -> int:
        return len(self.get_query_embedding("dimension probe"))

    def get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return [vector for start in range(0, len(texts), self.batch_size) for vector in self._embed(texts[start : start + self.batch_size])]

    def _embed(self, texts: list[str]) -> list[list[float]]:
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


def _vector(item: object) -> list[float] | None:
    """One reply item's vector, or None when it is not a non-empty list of numbers."""
    raw = item.get("embedding") if isinstance(item, dict) else getattr(item, "embedding", None)
    if not isinstance(raw, list) or not raw or not all(isinstance(x, int | float) for x in raw):
        return None
    return [float(x) for x in raw]
