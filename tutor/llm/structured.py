"""Replies as typed objects: one pydantic schema per kind of reply, asked for and repaired in one place.

Where the provider supports structured output the request carries the schema as its
``response_format`` (litellm sends it as a JSON schema); elsewhere it asks for a JSON object
and repairs what comes back (code fences, prose around the object, trailing commas). A reply
that still does not parse is sent back with the error, up to ``attempts`` times. The question
writer (tutor/questions/llm_writer.py) and the from-notes eval writer (tutor/evals/from_notes.py)
both ask through :func:`complete_structured`.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tutor.config import LLMConfig
from tutor.llm.client import complete, supports_schema
from tutor.llm.prompts import render_prompt

T = TypeVar("T", bound=BaseModel)

BROKEN_JSON = "the model returned broken JSON"
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.M)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


class BrokenReply(ValueError):
    """Every attempt came back as something the schema does not accept (a model fault, not the notes')."""


def parse_reply(text: str, schema: type[T]) -> T:
    """The reply as ``schema``; raises ValueError with a short reason the model can act on."""
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    try:
        return schema.model_validate_json(_TRAILING_COMMA.sub(r"\1", body[start : end + 1]))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise ValueError(f"{where}: {first['msg']}") from exc


def response_format_for(model: str, schema: type[BaseModel]) -> Any:
    """The pydantic schema where the provider takes one, else plain JSON mode (and our repair)."""
    return schema if supports_schema(model) else {"type": "json_object"}


def complete_structured(
    messages: list[dict[str, str]], schema: type[T], *, settings: LLMConfig, model: str, attempts: int, **options: Any
) -> T:
    """Ask until a reply parses as ``schema``; :class:`BrokenReply` after ``attempts`` replies that do not.

    A provider failure is a :class:`tutor.errors.TutorError` from :func:`complete`, raised as is.
    """
    messages = list(messages)
    error = ""
    response_format = response_format_for(model, schema)
    for _ in range(attempts):
        reply = complete(messages, settings=settings, model=model, response_format=response_format, **options)
        try:
            return parse_reply(reply.text, schema)
        except ValueError as exc:
            error = str(exc)
            messages += [
                {"role": "assistant", "content": reply.text},
                {"role": "user", "content": render_prompt("question_retry", error=error)},
            ]
    raise BrokenReply(f"{BROKEN_JSON} {attempts} times ({model}: {error})")
