"""``generate``: write questions from the notes, verify them, keep the ones that pass.

With a model configured (or passed) the LLM writer drafts scenario questions from numbered
chunks; without one the offline writer turns the notes' own claims into questions. Writers
yield drafts or rejections; every draft goes through the same verification, and only
passing questions that test a fact not already tested reach the bank. The report says
what was kept, what was not and why — and, when fewer than ``n`` were kept, why not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tutor.answer.sentences import content_terms
from tutor.errors import TutorError
from tutor.llm.models import LOCAL_PREFIX
from tutor.questions.bank import QuestionBank
from tutor.questions.blueprint import Blueprint, by_domain_weights
from tutor.questions.cards import CARD, CardWriter
from tutor.questions.llm_writer import BROKEN_JSON, MODEL_FAILED, LLMWriter
from tutor.questions.offline import OfflineWriter
from tutor.questions.question import Question, Rejection
from tutor.questions.verify import (
    check_grounding,
    check_structure,
    dice,
    jaccard,
    key_is_longest,
    key_longest_share,
    same_fact,
    solve,
    solve_by_model,
    stem_terms,
)
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace


@dataclass
class GenerationReport:
    asked: int = 0
    topic: str | None = None
    facts: int = 0  # claims (offline) or seed chunks (model) there were to write from
    accepted: list[Question] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    model_failures: int = 0  # >0: stopped after this many drafts in a row the model could not write
    facts_are: str = ""  # what a fact is, when it is not any claim of the notes (Choose TWO offline)

    @property
    def key_longest_share(self) -> float:
        return key_longest_share(self.accepted)

    def shortfall(self) -> list[str]:
        """One line per reason fewer than ``asked`` questions were delivered (empty: none short)."""
        if len(self.accepted) >= self.asked:
            return []
        lines = [f"delivered {len(self.accepted)} of {self.asked} question(s)"]
        on = f" on {self.topic!r}" if self.topic else ""
        if self.facts_are:
            lines.append(f"the notes{on} have {self.facts or 'no'} {self.facts_are}")
        if not self.facts:
            if not self.facts_are:
                lines.append(f"no facts{on} in the notes that a question can be written from")
            return lines
        # Provider faults are said as such, never counted as verification failures of the notes.
        broken = [r for r in self.rejected if any(x.startswith((BROKEN_JSON, MODEL_FAILED)) for x in r.reasons)]
        for prefix in (BROKEN_JSON, MODEL_FAILED):
            if faults := [r for r in broken if r.reasons[0].startswith(prefix)]:
                lines.append(f"{faults[-1].reasons[0]} ({len(faults)} draft(s))")
        reasons = Counter(reason_class(x) for r in self.rejected if r not in broken for x in r.reasons)
        if reasons:
            top = "; ".join(f"{why} ({count})" for why, count in reasons.most_common(3))
            lines.append(f"{len(self.rejected) - len(broken)} of {self.facts} draft(s) failed verification; top reasons: {top}")
        if self.model_failures:
            lines.append(f"stopped after {self.model_failures} drafts in a row with broken JSON: the model failed, not the notes")
        elif len(self.accepted) + len(self.rejected) - len(broken) >= self.facts:  # drafts the model broke prove nothing
            lines.append(f"the notes{' on ' + repr(self.topic) if self.topic else ''} ran out of facts: all {self.facts} were tried")
        return lines


# A Choose-TWO item offline needs both keys from the notes for one need: one sentence names them
# ("X -> A with B", "choose A with B for ..."); two bullets of a section on different needs do not.
MULTI_FACTS = "sentence(s) giving two services for one need, which an offline Choose-TWO question needs"


def reason_class(reason: str) -> str:
    """A reason without its particulars (the option, the picked service), so reasons can be counted."""
    for sep in (":", " '", ' "', " (", " picked", " bank question", " of a question"):
        reason = reason.split(sep)[0]
    return reason.strip()


def verify(ws: Workspace, q: Question, collection: str, model: str | None = None) -> list[str]:
    """Structure, grounding and an independent solve (answered by ``model``, default
    ``questions.solve_model``); fills ``q.verdict`` and returns the failure reasons."""
    settings = ws.config.questions
    structure = check_structure(q, settings, ws.catalog)
    grounding = check_grounding(q, ws.catalog, settings)
    reasons = structure + grounding
    verdict: dict[str, Any] = {"structure": not structure, "grounding": not grounding}
    if not structure:
        # A model's solution-sentence options are not claims the offline solver can weigh: a model solves those.
        if q.model != "offline":
            solved = solve_by_model(ws, q, model or settings.solve_model or q.model)
        else:
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
    if kind not in ("single", "multi", CARD):
        raise TutorError(f"--kind must be card, single or multi, not {kind!r}")
    if not 1 <= difficulty <= 3:
        raise TutorError("--difficulty must be 1, 2 or 3")
    if n < 1:
        raise TutorError("-n must be at least 1")
    ws = workspace
    name = ws.resolve(collection)
    bank = bank or QuestionBank(ws)
    model = model or ws.config.llm.model  # local engines (tutor/...) use the offline writer
    settings = ws.config.questions
    report = GenerationReport(asked=n, topic=topic)
    chunks = _chunks(ws, name, topic)
    drafts: Iterable[Question | Rejection]
    blueprint = Blueprint.load(min_score=ws.config.blueprint.min_score)
    if kind == CARD:  # flashcards are read off the notes' lines, with or without a model
        writer = CardWriter(name, ws.config.cards)
        cards = writer.candidates(chunks)
        report.facts = len(cards)
        drafts = writer.drafts(cards, blueprint, topic)
    elif model and not model.startswith(LOCAL_PREFIX):
        # Without a topic, the chunks to write from follow the exam blueprint's domain weights.
        seeds = chunks if topic else [s.chunk for s in by_domain_weights([_Seed(c, blueprint) for c in chunks], blueprint)]
        seeds = seeds[: n * settings.max_attempts]
        report.facts = len(seeds)
        drafts = LLMWriter(ws, name, model, kind, difficulty, llm_options, accepted=report.accepted).drafts(seeds, topic)
    else:
        offline = OfflineWriter(ws, name, settings, kind, difficulty, accepted=report.accepted)
        candidates = offline.candidates(chunks, topic)
        if not topic:  # a batch on no topic follows the exam blueprint's domain weights, as cards do
            for cand in candidates:
                cand.task = blueprint.tag_text(cand.text)
            candidates = by_domain_weights(candidates, blueprint)
        report.facts = len(candidates)
        if kind == "multi":
            report.facts_are = MULTI_FACTS
        drafts = offline.drafts(candidates)
    failed_in_a_row = 0
    for draft in drafts:
        if isinstance(draft, Rejection):
            report.rejected.append(draft)
            failed_in_a_row = failed_in_a_row + 1 if any(x.startswith(BROKEN_JSON) for x in draft.reasons) else 0
            if failed_in_a_row >= settings.max_model_failures:  # a broken model will not mend for the next fact
                report.model_failures = failed_in_a_row
                break
            continue
        failed_in_a_row = 0
        q = draft
        reasons = _duplicate(q, report.accepted, bank, settings.duplicate_similarity, settings.fact_similarity)
        if q.kind != CARD:  # a card is its own line: nothing to solve
            reasons = reasons or _contradiction(q, [*report.accepted, *bank.all()], settings.fact_similarity) or verify(ws, q, name)
        if not reasons and q.kind != CARD and key_is_longest(q) and len(report.accepted) >= 3:
            share = key_longest_share([*report.accepted, q])
            if share > settings.key_longest_max_share:
                reasons = [f"the key would be the longest option in {share:.0%} of this batch"]
        if reasons:
            report.rejected.append(Rejection(q, reasons))
            continue
        q.task = q.task or blueprint.tag_question(q)
        bank.add(q)
        report.accepted.append(q)
        if len(report.accepted) >= n:
            break
    return report


class _Seed:
    """A chunk a model writes from, tagged with the exam task it is about."""

    def __init__(self, chunk: StoredChunk, blueprint: Blueprint) -> None:
        self.chunk = chunk
        self.task = blueprint.tag_text(f"{chunk.heading}\n{chunk.text}")


def _duplicate(q: Question, batch: list[Question], bank: QuestionBank, stem_threshold: float, fact_threshold: float) -> list[str]:
    terms = stem_terms(q.stem)
    for other in batch:
        if jaccard(terms, stem_terms(other.stem)) >= stem_threshold or (q.fact and same_fact(q.fact, other.fact, fact_threshold)):
            return [f"duplicate of a question in this batch ({other.id}, same fact)"]
    if same := bank.duplicate_of(q, stem_threshold, fact_threshold):
        return [f"duplicate of bank question {same}"]
    return []


def _contradiction(q: Question, others: list[Question], threshold: float) -> list[str]:
    """A question keyed to one answer for a need that a banked question keys to another: one of them is wrong."""
    keys, _, need = q.fact.partition(" | ")
    for other in others:
        other_keys, _, other_need = other.fact.partition(" | ")
        disjoint = other_keys and not set(keys.split(" + ")) & set(other_keys.split(" + "))
        if disjoint and dice(content_terms(need), content_terms(other_need)) >= threshold:
            return [f"contradicts bank question {other.id}, which keys {other_keys} for this need"]
    return []


def _chunks(ws: Workspace, collection: str, topic: str | None) -> list[StoredChunk]:
    """The chunks to write from: those a search for the topic finds, else the whole collection."""
    index = ws.index(collection)
    if not topic:
        return index.all()
    ids = [h.chunk_id for h in ws.search(topic, k=ws.config.questions.candidates, collection=collection)]
    found = index.chunks(ids)
    # A search always finds something; a chunk is on the topic only when it names it.
    services = set(ws.catalog.find(topic))
    words = content_terms(topic)
    return [
        found[i]
        for i in ids
        if i in found
        and (
            (services and services & set(ws.catalog.find(found[i].text)))
            or (words and words <= content_terms(f"{found[i].heading} {found[i].text}"))
        )
    ]
