"""Every model call, local or remote, through one function: :func:`tutor.llm.client.complete`.

Attributes load lazily: importing litellm takes seconds, and commands that never call a model
(``tutor search``, database migrations) should not pay for it.
"""

from __future__ import annotations

from tutor._lazy import lazy_exports

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
