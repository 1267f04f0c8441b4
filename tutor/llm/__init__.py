"""Every model call, local or remote, through one function: :func:`tutor.llm.client.complete`.

Attributes load lazily: importing litellm takes seconds, and commands that never call a model
(``tutor search``, database migrations) should not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor._lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy exports are, for the type checker
    from tutor.llm.client import complete as complete
    from tutor.llm.engine import Completion as Completion
    from tutor.llm.engine import LocalEngine as LocalEngine
    from tutor.llm.models import EXTRACTIVE_MODEL as EXTRACTIVE_MODEL
    from tutor.llm.models import LOCAL_PREFIX as LOCAL_PREFIX
    from tutor.llm.models import SMOLLM_MODEL as SMOLLM_MODEL
    from tutor.llm.models import configured_models as configured_models
    from tutor.llm.models import default_model as default_model
    from tutor.llm.prompts import render_prompt as render_prompt

_EXPORTS = {
    "EXTRACTIVE_MODEL": "tutor.llm.models",
    "LOCAL_PREFIX": "tutor.llm.models",
    "SMOLLM_MODEL": "tutor.llm.models",
    "Completion": "tutor.llm.engine",
    "LocalEngine": "tutor.llm.engine",
    "complete": "tutor.llm.client",
    "configured_models": "tutor.llm.models",
    "default_model": "tutor.llm.models",
    "render_prompt": "tutor.llm.prompts",
}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(globals(), _EXPORTS)
