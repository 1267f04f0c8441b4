"""Why is this the answer? A banked question explained from the chunks it was written from.

A quiz question carries its own evidence (its citations). Searching again with its stem
would find other passages, or none ("Not in your notes"), so the explanation is grounded on
those chunks only. Offline, the question's own cited explanations are laid out option by
option; a model writes its explanation from the same sources with the answer prompt. Either
way the text passes the citation check and the turn joins the session, so "why not C?"
follows up on it.
"""

from __future__ import annotations

import re
import string
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from tutor.answer.citations import Citation, check
from tutor.answer.result import Answer
from tutor.answer.sessions import SessionStore
from tutor.errors import TutorError
from tutor.retrieve.hit import Hit, Passage

if TYPE_CHECKING:
    from tutor.workspace import Workspace

_LETTERS = string.ascii_uppercase  # as tutor.questions.question.LETTERS
_VERDICTS = ("Correct.", "Incorrect.")
_SENTENCE = re.compile(r"(?<=[.!?”\]])\s+(?!\[)")
_CITES = re.compile(r"\[\d+\]")


class Explainable(Protocol):
    """What explaining needs of a question (:class:`tutor.questions.Question` has it)."""

    stem: str
    options: list[str]
    keys: list[int]
    explanations: list[str]
    citations: list[Citation]


def explain(
    ws: Workspace,
    question: Explainable,
    *,
    session: str | None = None,
    model: str | None = None,
    on_token: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    **llm_options: Any,
) -> Answer:
    """An answer to "Why is B the answer?" whose sources are ``question``'s citations."""
    from tutor.answer.pipeline import format_sources
    from tutor.llm import EXTRACTIVE_MODEL, complete, default_model, render_prompt

    started = time.monotonic()
    if not question.citations:
        raise TutorError("this question cites no notes to explain it from")
    model = model or default_model(ws.config)
    extractive = model == EXTRACTIVE_MODEL
    sources = [Hit(**Passage.fields_of(c), rank=c.n, score=1.0, dense_score=0.0, bm25_score=0.0) for c in question.citations]
    asked = f"Why is {','.join(_LETTERS[k] for k in question.keys)} the answer? {question.stem}"
    tokens, cost, used = 0, 0.0, model
    if extractive:
        text = explanation_text(question)
        if on_token:
            on_token(text)
    else:
        prompt = f"{asked}\n{_options(question)}\nExplain why the answer is right and why each other option is wrong."
        messages = [
            {"role": "system", "content": render_prompt("answer_system")},
            {"role": "user", "content": render_prompt("answer", sources=format_sources(sources), question=prompt)},
        ]
        reply = complete(messages, settings=ws.config.llm, model=model, on_token=on_token, cancel=cancel, **llm_options)
        text, tokens, cost, used = reply.text.strip(), reply.tokens, reply.cost, reply.model
    checked = check(text, sources, ws.scorer, ws.config.answer)
    answer = Answer(
        question=asked,
        query=asked,
        answer=checked.text,
        citations=checked.citations,
        sources=sources,
        abstained=False,
        unverified=checked.unverified,
        model="extractive" if extractive else used,
        engine="extractive" if extractive else "llm",
        tokens=tokens,
        cost=cost,
        latency_s=time.monotonic() - started,
        invalid_citations=checked.invalid,
    )
    if session and not (cancel and cancel.is_set()):
        SessionStore(ws.config.db_path).add_turn(session, answer)
    return answer


def explanation_text(question: Explainable) -> str:
    """The question's own explanations, the answer first, one line per option; only their
    sentences that cite the notes (a service's catalog description does not)."""
    order = sorted(range(len(question.options)), key=lambda i: (i not in question.keys, i))
    lines = []
    for i in order:
        verdict = "is the answer" if i in question.keys else "is not"
        cited = [s for s in _SENTENCE.split(question.explanations[i].strip()) if _CITES.search(s) and s not in _VERDICTS]
        lines.append(f"- **{_LETTERS[i]} · {question.options[i]}** {verdict}: {' '.join(cited)}")
    return "\n".join(lines)


def _options(question: Explainable) -> str:
    return "\n".join(f"{_LETTERS[i]}. {option}" for i, option in enumerate(question.options))
