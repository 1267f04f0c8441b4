"""An optional LLM judge (``tutor eval --judge MODEL``): correctness and faithfulness, 0..1.

Reported beside the deterministic metrics, never instead of them. Calls go through
``tutor.llm`` (litellm, with its disk cache), so re-running a set costs nothing and
gives the same grades.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.config import Config
from tutor.evals.golden import GoldenItem

if TYPE_CHECKING:
    from tutor.llm.cache import ResponseCache

_JSON = re.compile(r"\{.*\}", re.S)


@dataclass
class Judge:
    model: str
    config: Config
    extra: dict[str, Any] = field(default_factory=dict)  # passed to litellm (tests: mock_response)
    cache: ResponseCache | None = None  # the caller's (a Workspace's ``response_cache``); None: no cache

    def grade(self, item: GoldenItem, answer: str, context: Sequence[str]) -> dict[str, Any]:
        """{"correctness", "faithfulness", "reason"}; an unparsable reply is recorded as an error."""
        # Imported here: litellm takes seconds to import, and every `tutor` command loads this module.
        from tutor.llm import complete, render_prompt

        prompt = render_prompt(
            "eval_judge",
            question=item.question,
            reference=item.reference or "",
            key_facts="\n".join(f"- {f}" for f in item.key_facts) or "(none)",
            context="\n\n".join(context) or "(nothing retrieved)",
            answer=answer or "(empty)",
        )
        reply = complete(
            [{"role": "user", "content": prompt}],
            settings=self.config.llm,
            model=self.model,
            cache=self.cache if self.config.llm.cache else None,
            **self.extra,
        )
        return parse_grade(reply.text)


def parse_grade(text: str) -> dict[str, Any]:
    """Pull the JSON object out of a judge reply, clamping scores to 0..1."""
    match = _JSON.search(text or "")
    try:
        data = json.loads(match.group(0)) if match else {}
        grade = {key: min(1.0, max(0.0, float(data[key]))) for key in ("correctness", "faithfulness")}
    except (ValueError, KeyError, TypeError):
        return {"error": f"unparsable judge reply: {(text or '')[:120]!r}"}
    return grade | {"reason": str(data.get("reason", ""))}
