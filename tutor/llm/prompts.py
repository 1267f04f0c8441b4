"""Prompt templates live in ``prompts/<name>.txt``; code fills their ``{fields}``."""

from __future__ import annotations

from functools import lru_cache

from tutor.errors import TutorError
from tutor.locations import prompts_dir


@lru_cache(maxsize=64)
def _template(name: str) -> str:
    path = prompts_dir() / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TutorError(f"prompt template missing: {path}") from exc


def render_prompt(name: str, **fields: object) -> str:
    """The template ``name`` with ``fields`` substituted (``str.format`` syntax)."""
    try:
        return _template(name).format(**fields)
    except KeyError as exc:
        raise TutorError(f"prompt '{name}' needs field {exc}") from exc
