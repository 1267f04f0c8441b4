"""The interface every local engine offers :func:`tutor.llm.client.complete`.

A local engine runs in this process, so the client calls it directly instead of going
through litellm (seconds to import): ``tutor ask`` offline never loads litellm or openai.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass
class Completion:
    text: str
    model: str
    tokens: int = 0
    cost: float = 0.0
    cached: bool = False


class LocalEngine(Protocol):
    """A model that runs in-process: the extractive engine, SmolLM2 through llama.cpp."""

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        model: str,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        temperature: float = 0.0,
    ) -> Completion: ...
