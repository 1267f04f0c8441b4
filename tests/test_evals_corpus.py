"""CI's quality gate: the offline default over the bundled corpus must meet evals/thresholds.toml.

One ingest of corpus/ is shared by the session; the run is the same as
`tutor eval --check` (retrieval, and offline extractive answers when the answer layer is there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.config import load_config
from tutor.embed import MiniLMEmbedding
from tutor.evals.compare import Thresholds, check_levels
from tutor.evals.golden import load_set
from tutor.evals.run import Run
from tutor.evals.runner import evaluate
from tutor.workspace import CORPUS_COLLECTION, Workspace

CORPUS_SET = Path(__file__).resolve().parents[1] / "evals" / "corpus.jsonl"


@pytest.fixture(scope="session")
def corpus_ws(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedding) -> Workspace:
    ws = Workspace(load_config(tmp_path_factory.mktemp("eval-home")), embedder=embedder)
    ws.config.llm.model = None  # the offline default, whatever the environment says
    ws.ensure_corpus()
    return ws


@pytest.fixture(scope="session")
def corpus_run(corpus_ws: Workspace) -> Run:
    return evaluate(corpus_ws, load_set(CORPUS_SET), sets=[CORPUS_SET], collection=CORPUS_COLLECTION, k=corpus_ws.config.retrieve.k)


@pytest.mark.slow
def test_offline_eval_meets_thresholds(corpus_run: Run) -> None:
    thresholds = Thresholds.load()
    unmeasured = [n for n in (*thresholds.floor, *thresholds.ceiling) if corpus_run.metrics.get(n) is None]
    if corpus_run.config["engine"] != "retrieval-only":
        assert not unmeasured, f"thresholds name metrics the run did not measure: {unmeasured}"
    assert check_levels(corpus_run, thresholds) == []


@pytest.mark.slow
def test_offline_eval_is_deterministic(corpus_ws: Workspace, corpus_run: Run) -> None:
    """The same index, engine and set give the same per-question scores (latency aside)."""
    items = load_set(CORPUS_SET)[::7]
    again = evaluate(corpus_ws, items, collection=CORPUS_COLLECTION, k=corpus_ws.config.retrieve.k)
    first = {q.id: (q.scores, q.answer, q.retrieved) for q in corpus_run.questions}
    assert {q.id: (q.scores, q.answer, q.retrieved) for q in again.questions} == {i.id: first[i.id] for i in items}
