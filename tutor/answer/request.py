"""What one ask needs besides the question: a typed record, built with keywords."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class AskOptions:
    """How to answer one question; every field has a default (see :meth:`Workspace.ask`)."""

    session: str | None = None  # continue (and record) this named conversation
    history: list[tuple[str, str]] | None = None  # earlier (question, answer) turns; None = the session's
    collection: str | None = None  # default: notes once ingested, else the bundled corpus
    k: int | None = None  # sources per answer; None = answer.k, else retrieve.k
    model: str | None = None  # a litellm model string or tutor/...; None = the configured default
    allow_general: bool = False  # a remote model may add labelled knowledge beyond the notes
    on_token: Callable[[str], None] | None = None  # streamed text as it is written
    cancel: threading.Event | None = None  # set to stop streaming; the partial answer is not stored
    llm_options: dict[str, Any] = field(default_factory=dict)  # passed to litellm unchanged
