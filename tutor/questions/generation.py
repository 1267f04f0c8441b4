"""``generate``: write questions from retrieved chunks, verify them, keep the ones that pass.

With a model configured (or passed) the LLM writer drafts questions from numbered chunks;
without one the offline writer turns the notes' own claims into questions. Both go
through the same verification, and only passing, non-duplicate questions reach the bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tutor.errors import TutorError
from tutor.llm.models import LOCAL_PREFIX
from tutor.questions.bank import QuestionBank
from tutor.questions.llm_writer import LLMWriter
from tutor.questions.offline import OfflineWriter
from tutor.questions.question import Question
from tutor.questions.verify import check_grounding, check_structure, jaccard, key_is_longest, solve, stem_terms
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace


@dataclass
class GenerationReport:
    accepted: list[Question] = field(default_factory=list)
    rejected: list[tuple[Question | None, list[str]]] = field(default_factory=list)  # None: no usable draft

    @property
    def key_longest_share(self) -> float:
        return sum(map(key_is_longest, self.accepted)) / len(self.accepted) if self.accepted else 0.0


def verify(ws: Workspace, q: Question, collection: str, model: str | None = None) -> list[str]:
    """Structure, grounding and an independent solve (answered by ``model``, default
    ``questions.solve_model``); fills ``q.verdict`` and returns the failure reasons."""
    settings = ws.config.questions
    structure = check_structure(q, settings, ws.catalog)
    grounding = check_grounding(q, ws.catalog, settings)
    reasons = structure + grounding
    verdict: dict[str, Any] = {"structure": not structure, "grounding": not grounding}
    if not structure:
        solved = solve(ws, q, collection, settings, model)
        verdict["solve"] = {"method": solved.method, "chosen": solved.chosen, "scores": solved.scores}
        if not solved.agrees(q.keys):
            picked = ", ".join(q.options[i] for i in solved.chosen) or "nothing conclusive"
            reasons.append(f"independent solve picked {picked}")
    verdict["passed"] = not reasons
    verdict["reasons"] = reasons
    q.verdict = verdict
    return reasons


def generate(
    workspace: Workspace,
    topic: str | None = None,
    n: int = 5,
    kind: str = "single",
    difficulty: int = 2,
    collection: str | None = None,
    model: str | None = None,
    bank: QuestionBank | None = None,
    **llm_options: Any,
) -> GenerationReport:
    """Write up to ``n`` verified questions into the bank (``llm_options`` go to litellm)."""
    if kind not in ("single", "multi"):
        raise TutorError(f"--kind must be single or multi, not {kind!r}")
    if not 1 <= difficulty <= 3:
        raise TutorError("--difficulty must be 1, 2 or 3")
    if n < 1:
        raise TutorError("-n must be at least 1")
    ws = workspace
    name = ws.resolve(collection)
    bank = bank or QuestionBank(ws)
    model = model or ws.config.llm.model  # local engines (tutor/...) use the offline writer
    settings = ws.config.questions
    chunks = _chunks(ws, name, topic)
    if not chunks:
        raise TutorError(f"nothing in collection '{name}' matches {topic!r}" if topic else f"collection '{name}' is empty")
    report = GenerationReport()
    offline = OfflineWriter(ws, name, settings, kind, difficulty)
    if model and not model.startswith(LOCAL_PREFIX):
        drafts = LLMWriter(ws, name, model, kind, difficulty, llm_options).drafts(chunks, n, report)
    else:
        drafts = (offline.write(c) for c in offline.candidates(chunks))
    for q in drafts:
        if q is None:
            continue
        reasons = _duplicate(q, report.accepted, bank, settings.duplicate_similarity)
        reasons = reasons or verify(ws, q, name)
        longest = key_is_longest(q)
        if not reasons and longest and len(report.accepted) >= 3:
            share = (sum(map(key_is_longest, report.accepted)) + 1) / (len(report.accepted) + 1)
            if share > settings.key_longest_max_share:
                reasons = [f"the key would be the longest option in {share:.0%} of this batch"]
        if reasons:
            report.rejected.append((q, reasons))
            continue
        bank.add(q)
        offline.accepted(longest)
        report.accepted.append(q)
        if len(report.accepted) >= n:
            break
    return report


def _duplicate(q: Question, batch: list[Question], bank: QuestionBank, threshold: float) -> list[str]:
    terms = stem_terms(q.stem)
    if any(jaccard(terms, stem_terms(other.stem)) >= threshold for other in batch):
        return ["duplicate of a question in this batch"]
    if same := bank.duplicate_of(q, threshold):
        return [f"duplicate of bank question {same}"]
    return []


def _chunks(ws: Workspace, collection: str, topic: str | None) -> list[tuple[StoredChunk, dict]]:
    """The chunks to write from: those a search for the topic finds, else the whole collection."""
    index = ws.index(collection)
    if topic:
        ids = [h.chunk_id for h in ws.search(topic, k=ws.config.questions.candidates, collection=collection)]
        got = index.vectors.get(ids=ids, include=["documents", "metadatas"])
    else:
        got = index.vectors.get(include=["documents", "metadatas"])
    found = {
        i: (StoredChunk.from_chroma(i, doc, meta), meta)
        for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }
    if topic:
        return [found[i] for i in ids if i in found]
    return sorted(found.values(), key=lambda pair: (pair[0].source, pair[0].ordinal))
