"""The offline answer engine: the best-supported sentences of the sources, each with its [n].

Citations are correct by construction (a sentence cites the source it was copied from), and
nothing is said that the notes do not say. Measured on the eval set in
``benchmarks/answer_quality.py``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tutor.answer.condense import carried
from tutor.answer.focus import answers_quantity, listed, question_parts, setting, states_list, wants_name, wants_quantity
from tutor.answer.scoring import SentenceScorer, unsaid
from tutor.answer.sentences import content_terms
from tutor.answer.units import answer_units
from tutor.config import AnswerConfig
from tutor.llm.engine import Completion

_NUMBER = re.compile(r"\d[\d,.]*")

if TYPE_CHECKING:
    from tutor.retrieve import Hit


@dataclass(frozen=True)
class Candidate:
    n: int  # the source's number
    text: str
    score: float  # how well the unit itself answers: what orders the answer
    # ... or with the slide title it was given: whether the sources answer at all. "Which
    # filters do Bedrock Guardrails offer?" is answered by bullets that never say "Guardrails".
    relevance: float
    context: str = ""  # the source's heading (and a follow-up's inherited subject): counts as the unit's own words
    subject: str = ""  # the parent bullet, term or slide title the unit sits under (units.Unit.subject)
    own: str = ""  # the unit in its own words, without that subject (units.Unit.own)


def rank_sentences(scorer: SentenceScorer, query: str, sources: list[Hit], settings: AnswerConfig) -> list[Candidate]:
    """Every unit (see :mod:`tutor.answer.units`) of every source, best answer to ``query`` first.

    The order adds ``rank_prior / n`` for source ``n``: retrieval saw the whole chunk and its
    heading ("Kinesis > Retention"), which a lone sentence ("It can be raised to 365 days")
    lacks. ``Candidate.score`` stays the sentence's own score, plus ``quantity_bonus`` when
    the question asks for a number and the unit gives it (:mod:`tutor.answer.focus`).
    ``Candidate.relevance`` is the best of that, of the unit with its slide title, and of the
    unit against each part of a two-part question.
    """
    pool = [(h, u) for h in sources for u in answer_units(h.text, h.heading, settings)]
    # A follow-up's inherited subject ("What about local ones? (DynamoDB; global secondary
    # indexes)") is what every source is about, like its heading: the units answer its own words.
    inherited = carried(query)[1]
    context = [f"{h.heading} {inherited}" for h, _ in pool]
    scores = _answer_scores(scorer, query, [u.scored for _, u in pool], [u.text for _, u in pool], context, settings)
    named = [i for i, (_, u) in enumerate(pool) if u.text != u.scored]
    relevance = scores.copy()
    if named:
        relevance[named] = np.maximum(scores[named], scorer.score(query, [pool[i][1].text for i in named], [context[i] for i in named]))
    parts = question_parts(query)
    for part in parts if len(parts) > 1 else []:  # "What is AppSync, and ...?" is answered if a part is
        relevance = np.maximum(relevance, scorer.score(part, [u.text for _, u in pool], context))
    ranked = sorted(zip(pool, scores, relevance, context, strict=True), key=lambda item: -(item[1] + settings.rank_prior / item[0][0].rank))
    return [Candidate(h.rank, u.text, float(score), float(rel), about, u.subject, u.own) for (h, u), score, rel, about in ranked]


def _answer_scores(
    scorer: SentenceScorer, query: str, scored: list[str], texts: list[str], context: list[str], settings: AnswerConfig
) -> np.ndarray:
    """How well each unit answers ``query``: the score of its ``scored`` form (with its
    source's heading ``context``), plus ``quantity_bonus`` when the question asks for a number
    and the unit's ``texts`` give it ("How big can ...?" is answered by the unit that gives the
    size), and ``list_bonus`` (twice, when the list names what the question asks several of)
    when it asks for several things and the unit lists some."""
    scores = scorer.score(query, scored, context)
    if wants_quantity(query):
        scores = scores + settings.quantity_bonus * np.array([answers_quantity(query, t) for t in texts], dtype=float)
    noun = listed(query)
    if noun is not None:
        scores = scores + settings.list_bonus * np.array([_lists(t, noun, settings.item_words) for t in texts], dtype=float)
    return scores


def _lists(text: str, noun: str, item_words: int) -> int:
    """How well ``text`` answers a question for several ``noun``: 1 for a list, 2 for a list
    that says what it lists ("Environment Tiers: Web Server Tier ...; Worker Tier ..." for
    "Which environment tiers ...?"); two items named as what is asked are a short list
    ("... over StatsD or collectd" for "Which protocols ...?")."""
    names = bool(noun) and bool(content_terms(noun) & content_terms(text))
    if states_list(text, item_words):
        return 1 + names
    return int(bool(noun) and bool(re.search(rf"[\w-]+,?\s+(?:and|or)\s+[\w-]+\s+{re.escape(noun[:-1])}", text, re.I)))


def select(
    scorer: SentenceScorer, query: str, ranked: list[Candidate], settings: AnswerConfig, told: list[str] | None = None
) -> list[Candidate]:
    """The best sentence, plus up to ``max_sentences - 1`` close runners-up that add something,
    filled to ``min_sentences`` (a scenario's filler is what says the rest of its setting).

    Sentences that repeat ``told`` (earlier answers, before a follow-up) do not lead when a new one is nearly
    as good: "and the longest?" after "24 hours by default" opens with the maximum, yet a
    sentence said before that holds the answer too still follows it.
    """
    if told and ranked:
        repeated = _repeats(scorer, ranked, told, settings)
        lead = next((i for i, (c, r) in enumerate(zip(ranked, repeated, strict=True)) if not r), None)
        if lead and ranked[lead].score >= settings.keep_ratio * ranked[0].score:
            ranked = [ranked[lead], *ranked[:lead], *ranked[lead + 1 :]]
    if not ranked:
        return []
    chosen = [ranked[0]]
    # Units are compared in their own words and numbers: bullets of one slide all carry its title
    # ("HDFS replication: 1 when ...", "HDFS replication: 2 with 4 to 9 core nodes"), and two rows
    # that differ in their numbers say different things however alike their words.
    vectors = scorer.vectors([c.own or c.text for c in ranked])
    numbers = [frozenset(_NUMBER.findall(c.own or c.text)) for c in ranked]

    def repeats(i: int, kept: list[int]) -> bool:
        return any(float(vectors[k] @ vectors[i]) >= settings.redundancy and numbers[k] == numbers[i] for k in kept)

    kept = [0]
    for i, cand in enumerate(ranked[1:], start=1):
        if len(chosen) >= settings.max_sentences or cand.score < settings.keep_ratio * ranked[0].score:
            break
        if repeats(i, kept):
            continue
        chosen.append(cand)
        kept.append(i)
    # Below the runners-up, a scenario's answer is filled with what its setting requires that the
    # answer has not said: "... pull key-value pairs out of forms and send low-confidence results
    # to people for review" needs two services, and the unit naming the second follows the first.
    scene = setting(query)
    while len(chosen) < min(settings.min_sentences, settings.max_sentences):
        rest = [i for i in range(len(ranked)) if i not in kept and not repeats(i, kept)]
        if not rest:
            break
        said = set().union(*(content_terms(f"{c.text} {c.context}") for c in chosen))
        left = unsaid(scene, said, [f"{ranked[i].text} {ranked[i].context}" for i in rest])
        order = [
            ranked[i].score + settings.rank_prior / ranked[i].n + settings.unsaid_bonus * gain for i, gain in zip(rest, left, strict=True)
        ]
        best = rest[int(np.argmax(order))]
        chosen.append(ranked[best])
        kept.append(best)
    return chosen


def _repeats(scorer: SentenceScorer, ranked: list[Candidate], earlier: list[str], settings: AnswerConfig) -> list[bool]:
    """For each candidate: does it say again one of the ``earlier`` sentences?"""
    old = scorer.vectors(earlier)
    return [float(np.max(old @ v)) >= settings.redundancy for v in scorer.vectors([c.text for c in ranked])]


def cite(sentence: str, n: int) -> str:
    """``"Records stay 24 hours."`` -> ``"Records stay 24 hours [1]."``

    A note's own ``[9]`` is dropped: in an answer it would read as a citation.
    """
    body = re.sub(r"\s*\[\d+\]", "", sentence).rstrip()
    end = body[-1] if body[-1:] in ".!?" else "."
    return f"{body.rstrip('.!?').rstrip()} [{n}]{end}"


def compose(
    scorer: SentenceScorer,
    query: str,
    sources: list[Hit],
    settings: AnswerConfig,
    said: list[str] | None = None,
    told: list[str] | None = None,
) -> list[str]:
    """The answer as cited sentences (empty when the sources hold no sentence at all)."""
    ranked = rank_sentences(scorer, query, sources, settings)
    if said and ranked:  # what a "what else?" moves past is skipped, by select and cover_parts alike
        ranked = [c for c, repeated in zip(ranked, _repeats(scorer, ranked, said, settings), strict=True) if not repeated] or ranked
    chosen = cover_parts(scorer, query, ranked, select(scorer, query, ranked, settings, told), settings)
    if wants_name(query):  # "Which service fits?": a bullet of the Global Accelerator slide must say so
        return [cite(_with_subject(c), c.n) for c in chosen]
    return [cite(c.text, c.n) for c in chosen]


def _with_subject(c: Candidate) -> str:
    """``c``'s text led by its subject when it does not name it ("Global Accelerator: uses ...")."""
    if not c.subject or content_terms(c.subject) <= content_terms(c.text):
        return c.text
    return f"{c.subject}: {c.text}"


def cover_parts(
    scorer: SentenceScorer, query: str, ranked: list[Candidate], chosen: list[Candidate], settings: AnswerConfig
) -> list[Candidate]:
    """``chosen``, with the best unit for each part of a two-part question in it.

    "What is AppSync, and which data sources does it plug into?": units that say what AppSync
    is outscore the one listing its sources, and fill the answer without it. Each part's own
    best unit (scored as :func:`rank_sentences` scores, against that part) follows the lead,
    in place of the weakest runners-up.
    """
    parts = question_parts(query)
    if len(parts) < 2 or not chosen:
        return chosen
    texts, context = [c.text for c in ranked], [c.context for c in ranked]
    needed: list[Candidate] = []
    for part in parts:
        scores = _answer_scores(scorer, part, texts, texts, context, settings)
        needed.append(ranked[int(np.argmax(scores + settings.rank_prior / np.array([c.n for c in ranked], dtype=float)))])
    merged = list(dict.fromkeys([chosen[0], *needed, *chosen[1:]]))
    return merged[: settings.max_sentences]


@dataclass
class ExtractiveEngine:
    """The ``tutor/extractive`` model for one answer: it composes from the sources it is given.

    It runs no model, so it counts no tokens; the prompt messages are not read, the
    retrieved hits are (a prompt is text, the hits keep their structure).
    """

    scorer: SentenceScorer
    settings: AnswerConfig
    query: str
    sources: list[Hit]
    skip: list[str] = field(default_factory=list)  # sentences a "what else?" moves past
    told: list[str] = field(default_factory=list)  # sentences a follow-up does not lead with

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        model: str,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
        temperature: float = 0.0,
    ) -> Completion:
        sentences = compose(self.scorer, self.query, self.sources, self.settings, self.skip, self.told)
        sent: list[str] = []
        for sentence in sentences:
            if cancel is not None and cancel.is_set():
                break
            if on_token:
                on_token(sentence if len(sent) == len(sentences) - 1 else sentence + " ")
            sent.append(sentence)
        return Completion(" ".join(sent), model)
