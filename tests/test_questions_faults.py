"""`generate` against a model that returns broken JSON, through litellm's real OpenAI client."""

from __future__ import annotations

from openai_server import BROKEN_JSON, OpenAIServer

from tutor.questions import generate
from tutor.workspace import Workspace


def test_a_model_returning_broken_json_is_the_models_fault(openai_env: OpenAIServer, qws: Workspace) -> None:
    openai_env.responder = lambda body: BROKEN_JSON
    report = generate(qws, n=5, collection="notes", model=f"openai/{openai_env.model}")
    settings = qws.config.questions
    assert report.accepted == []
    assert report.model_failures == settings.max_model_failures
    assert openai_env.count() == settings.max_model_failures * settings.max_attempts  # was 5 x 3 seeds x 3 attempts
    said = " ".join(report.shortfall())
    assert "the model failed, not the notes" in said
    assert "ran out of facts" not in said  # the notes were never the problem
