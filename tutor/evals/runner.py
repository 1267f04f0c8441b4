"""Run golden questions through the same path as ``tutor ask`` and score every step.

Retrieval is scored on ``Answer.sources`` (what the model was shown, for the standalone
query the answer layer built), answers on ``Answer.answer``/``citations``. Everything but
latency is deterministic for the same index, model and set (LLM calls are cached).
"""

from __future__ import annotations

import statistics
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.evals import metrics as m
from tutor.evals.golden import GoldenItem
from tutor.evals.judge import Judge
from tutor.evals.run import METRICS, QuestionResult, Run
from tutor.evals.text import strip_citations
from tutor.workspace import Workspace

if TYPE_CHECKING:
    from tutor.retrieve import Hit

Progress = Callable[[int, int, str], None]  # (done, total, question id)


@dataclass
class Attempt:
    """The pipeline's output for one question, whatever produced it."""

    query: str
    sources: list[Hit]
    answer: str | None = None
    abstained: bool | None = None
    citations: Sequence[Any] = ()
    tokens: int = 0
    cost: float = 0.0
    model: str = "retrieval-only"
    engine: str = "retrieval-only"


def attempt(ws: Workspace, item: GoldenItem, collection: str | None, k: int, model: str | None, session: str | None = None) -> Attempt:
    """Ask like ``tutor ask`` does; before the answer layer exists, retrieve only.

    With ``session`` every question continues that one conversation, as a student's chat does:
    the item's recorded earlier turns are asked in it first, so a follow-up follows its own topic.
    """
    ask = getattr(ws, "ask", None)
    if ask is None:
        return Attempt(query=item.search_query, sources=ws.search(item.search_query, k=k, collection=collection))
    if session is None:
        answer = ask(item.question, history=item.history or None, collection=collection, k=k, model=model)
    else:
        for earlier, _ in item.history:
            ask(earlier, session=session, collection=collection, k=k, model=model)
        answer = ask(item.question, session=session, collection=collection, k=k, model=model)
    return Attempt(
        query=answer.query,
        sources=list(answer.sources),
        answer=answer.answer,
        abstained=answer.abstained,
        citations=list(answer.citations),
        tokens=answer.tokens,
        cost=answer.cost,
        model=answer.model,
        engine=answer.engine,
    )


def score(ws: Workspace, item: GoldenItem, got: Attempt, k: int) -> dict[str, float | None]:
    """Every per-question metric that applies to this item and attempt."""
    settings = ws.config.eval
    scores: dict[str, float | None] = {"context_chars": float(m.context_chars(got.sources))}
    if item.span is not None:
        flags = m.relevance(got.sources, item.spans)
        scores |= {
            "hit_at_k": m.hit_at_k(flags, k),
            "mrr": m.reciprocal_rank(flags),
            "ndcg_at_k": m.ndcg_at_k(flags, k),
            "evidence_recall": m.evidence_recall(got.sources, item.spans),
        }
    if got.answer is None:
        return scores
    cited = {c.n: c.text for c in got.citations}
    scores |= {
        "faithfulness": None if got.abstained else m.faithfulness(got.answer, cited, settings.support_threshold),
        "citation_validity": m.citation_validity(got.answer, cited),
        "citation_precision": m.citation_precision(got.answer, cited, settings.citation_threshold),
    }
    if item.answerable:
        scores["key_fact_recall"] = m.key_fact_recall(got.answer, item.key_facts)
        # A refusal that names the topic it says is missing does not hold the fact.
        scores["all_key_facts"] = 0.0 if got.abstained and item.key_facts else m.all_key_facts(got.answer, item.key_facts)
        scores["citation_recall"] = m.citation_recall(got.citations, item.spans) if item.span else None
        if item.reference:
            scores["similarity"] = _similarity(ws, got.answer, item.reference)
    return scores


def _similarity(ws: Workspace, answer: str, reference: str) -> float:
    text = strip_citations(answer).strip()
    if not text:
        return 0.0
    a, b = ws.embedder.get_text_embedding_batch([text, reference])
    return round(m.cosine(a, b), 6)


def evaluate_once(
    ws: Workspace,
    items: Sequence[GoldenItem],
    *,
    collection: str | None = None,
    k: int = 5,
    model: str | None = None,
    judge: Judge | None = None,
    on_progress: Progress | None = None,
    session: str | None = None,
) -> tuple[list[QuestionResult], dict[str, Any]]:
    """(per-question results, what answered them: model and engine); ``session``: see :func:`attempt`."""
    results: list[QuestionResult] = []
    used: dict[str, Any] = {}
    for done, item in enumerate(items, start=1):
        started = time.perf_counter()
        got = attempt(ws, item, collection, k, model, session)
        latency = time.perf_counter() - started
        used = {"model": got.model, "engine": got.engine}
        result = QuestionResult(
            id=item.id,
            kind=item.kind,
            question=item.question,
            query=got.query,
            expected=_expected(item),
            retrieved=[
                {"rank": h.rank, "chunk_id": h.chunk_id, "location": h.location, "heading": h.heading, "text": h.text} for h in got.sources
            ],
            answer=got.answer,
            abstained=got.abstained,
            citations=[
                {"n": c.n, "chunk_id": c.chunk_id, "location": f"{c.source}:{c.start_line}-{c.end_line}", "text": c.text}
                for c in got.citations
            ],
            scores=score(ws, item, got, k),
            latency_s=round(latency, 4),
            tokens=got.tokens,
            cost=got.cost,
        )
        if judge is not None and got.answer is not None:
            result.judge = judge.grade(item, got.answer, [h.text for h in got.sources])
        results.append(result)
        if on_progress:
            on_progress(done, len(items), item.id)
    return results, used


def summarise(results: Sequence[QuestionResult]) -> dict[str, float | None]:
    """Overall metrics: means over the questions each applies to, latency percentiles, rates."""

    def avg(name: str) -> float | None:
        return m.mean(r.scores.get(name) for r in results)

    answered = [r for r in results if r.abstained is not None]
    correct, wrong = m.abstention_rates((r.kind != "unanswerable", bool(r.abstained)) for r in answered)
    latencies = [r.latency_s for r in results]
    judged = [r.judge for r in results if r.judge]
    out: dict[str, float | None] = {
        name: avg(name)
        for name in (
            "hit_at_k",
            "mrr",
            "ndcg_at_k",
            "evidence_recall",
            "context_chars",
            "key_fact_recall",
            "all_key_facts",
            "similarity",
            "faithfulness",
            "citation_validity",
            "citation_precision",
            "citation_recall",
        )
    }
    out |= {
        "abstention_correct": correct,
        "abstention_wrong": wrong,
        "latency_p50": m.percentile(latencies, 50),
        "latency_p95": m.percentile(latencies, 95),
        "tokens": m.mean(r.tokens for r in results) if answered else None,
        "cost": m.mean(r.cost for r in results) if answered else None,
        "judge_correctness": m.mean(j.get("correctness") for j in judged),
        "judge_faithfulness": m.mean(j.get("faithfulness") for j in judged),
    }
    return {name: (round(v, 6) if v is not None else None) for name, v in out.items()}


def evaluate(
    ws: Workspace,
    items: Sequence[GoldenItem],
    *,
    sets: Sequence[Path] = (),
    collection: str | None = None,
    k: int = 5,
    model: str | None = None,
    repeat: int = 1,
    judge: Judge | None = None,
    on_progress: Progress | None = None,
) -> Run:
    """Score ``items`` ``repeat`` times; the run keeps the first pass's questions and the spread."""
    total = len(items) * repeat
    passes: list[dict[str, float | None]] = []
    first: list[QuestionResult] = []
    used: dict[str, Any] = {}
    for i in range(repeat):

        def progress(done: int, _: int, qid: str, offset: int = i * len(items)) -> None:
            if on_progress:
                on_progress(offset + done, total, qid)

        results, used = evaluate_once(ws, items, collection=collection, k=k, model=model, judge=judge, on_progress=progress)
        passes.append(summarise(results))
        first = first or results
    metrics = {metric.name: m.mean(p[metric.name] for p in passes) for metric in METRICS}
    spread: dict[str, dict[str, float]] = {}
    for name in metrics:
        vals = [v for p in passes if (v := p[name]) is not None]
        if len(vals) > 1:
            spread[name] = {"min": min(vals), "max": max(vals), "std": round(statistics.pstdev(vals), 6)}
    return Run(
        id=datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4],
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        config=run_config(ws, sets, collection, k, repeat, judge, used),
        metrics={n: (round(v, 6) if v is not None else None) for n, v in metrics.items()},
        questions=first,
        spread=spread,
    )


def run_config(
    ws: Workspace, sets: Sequence[Path], collection: str | None, k: int, repeat: int, judge: Judge | None, used: dict[str, Any]
) -> dict[str, Any]:
    """Everything that decides the numbers, so two runs can be told apart."""
    return {
        "sets": [str(s) for s in sets],
        "collection": ws.resolve(collection),
        "k": k,
        "repeat": repeat,
        "model": used.get("model"),
        "engine": used.get("engine"),
        "judge": judge.model if judge else None,
        "embedder": ws.embed_model_id,
        "chunking": ws.config.chunk.model_dump(),
        "retrieval": ws.config.retrieve.model_dump(),
        "scoring": ws.config.eval.model_dump(),
        "git_commit": git_commit(),
    }


def git_commit() -> str | None:
    """The checkout's commit (with ``+dirty`` for local changes); ``None`` outside a checkout."""
    repo = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10)
        if head.returncode:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, timeout=10
        )
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return None


def _expected(item: GoldenItem) -> dict[str, Any]:
    span = item.span
    return {
        "location": f"{span.source}:{span.start_line}-{span.end_line}" if span else None,
        "evidence": item.evidence,
        "key_facts": item.key_facts,
        "reference": item.reference,
        "history": [list(turn) for turn in item.history],
    }
