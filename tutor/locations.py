"""Where tutor keeps its data, and where the bundled corpus and prompts live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent


def home_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``--home``, else ``$TUTOR_HOME``, else the platform's user data dir."""
    raw = override or os.environ.get("TUTOR_HOME")
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("tutor", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundled(name: str) -> Path:
    # A source checkout has corpus/ and prompts/ at the repo root; a wheel carries them
    # inside the package (see pyproject's force-include).
    checkout = _PACKAGE_DIR.parent / name
    return checkout if checkout.is_dir() else _PACKAGE_DIR / "_bundled" / name


def corpus_dir() -> Path:
    """The study notes tutor ships with."""
    return _bundled("corpus")


def prompts_dir() -> Path:
    """Prompt templates, one file per prompt."""
    return _bundled("prompts")
