"""Checks a question must pass before it enters the bank.

Published generators get about 15 % of keys wrong, so a question is kept only when
three independent things agree: its shape is sound, its key is stated in the chunk it
cites, and the notes — read again from scratch, without the key — point to the same
option(s). The verdict is stored with the question so a student can see why it was kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tutor.answer.sentences import content_terms, split_sentences
from tutor.config import QuestionsConfig
from tutor.llm.prompts import render_prompt
from tutor.questions.claims import MENTION, read_claim
from tutor.questions.question import LETTERS, Question
from tutor.questions.statements import statements
from tutor.retrieve.synonyms import Service, ServiceCatalog
from tutor.workspace import Workspace

_CITE = re.compile(r"\[(\d+)\]")
# Words every stem template uses: they must not make two questions look alike.
TEMPLATE_TERMS = content_terms(
    "company team solutions architect data engineering designing workload requirement requirements following "
    "needs need wants solution service services meets meet least operational overhead cost-effectively most "
    "lowest latency secure combination choose two each this these fits"
)


def stem_terms(stem: str) -> set[str]:
    return content_terms(stem) - TEMPLATE_TERMS


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def fact_of(keys: Sequence[str], need: str) -> str:
    """ "Amazon Aurora | replicates data six ways across three AZs": what a question tests."""
    return f"{' + '.join(sorted(keys))} | {need.strip()}"


def same_fact(a: str, b: str, threshold: float) -> bool:
    """Same keys and needs at least ``threshold`` alike (Dice over content words)."""
    (keys_a, _, need_a), (keys_b, _, need_b) = a.partition(" | "), b.partition(" | ")
    return bool(keys_a) and keys_a == keys_b and dice(content_terms(need_a), content_terms(need_b)) >= threshold


def same_family(a: Service, b: Service) -> bool:
    """ "CloudWatch" and "CloudWatch Logs", "EMR" and "EMR Serverless": offering both makes two
    options defensible, or one a give-away. The family is the first word of the short name
    (the first two when that word is generic, as in "Elastic ...", "Data ...")."""
    return a != b and _family(a) == _family(b)


def _family(s: Service) -> str:
    words = s.short_name.lower().split()
    return " ".join(words[:2] if words[0] in _GENERIC and len(words) > 1 else words[:1])


_GENERIC = {"data", "elastic", "managed", "simple", "cloud", "application", "database"}


def option_services(option: str, catalog: ServiceCatalog) -> set[Service]:
    """The service an option names: exactly (an option is a service name) or by mention."""
    exact = catalog.lookup(option.strip())
    return {exact} if exact else set(catalog.find(option))


# -- structure ---------------------------------------------------------------------


def check_structure(q: Question, settings: QuestionsConfig, catalog: ServiceCatalog) -> list[str]:
    """Option count, key count, duplicates, one explanation with a citation per option."""
    reasons: list[str] = []
    want_options = settings.options_multi if q.kind == "multi" else settings.options_single
    want_keys = 2 if q.kind == "multi" else 1
    if q.kind not in ("single", "multi"):
        reasons.append(f"unknown kind {q.kind!r}")
    if not q.stem.strip():
        reasons.append("empty stem")
    if len(q.options) != want_options:
        reasons.append(f"{len(q.options)} options, expected {want_options}")
    if any(k < 0 or k >= len(q.options) for k in q.keys):
        reasons.append(f"key index out of range: {q.keys}")
    if len(set(q.keys)) != want_keys:
        reasons.append(f"{len(set(q.keys))} key(s), the question asks for {want_keys}")
    if q.kind == "multi" and "choose two" not in q.stem.lower():
        reasons.append("multiple-response stem does not say (Choose TWO.)")
    if retired := sorted({s.short_name for o in q.options for s in option_services(o, catalog) if s.name in catalog.retired}):
        reasons.append(f"an option is a discontinued service: {', '.join(retired)}")
    if pair := _near_duplicate(q.options, settings.option_similarity, catalog):
        reasons.append(f"options {pair[0]} and {pair[1]} are near-duplicates")
    if len(q.explanations) != len(q.options):
        reasons.append(f"{len(q.explanations)} explanations for {len(q.options)} options")
    known = {c.n for c in q.citations}
    for i, text in enumerate(q.explanations):
        cited = {int(n) for n in _CITE.findall(text)}
        if not cited or not cited <= known:
            reasons.append(f"explanation {i + 1} has no valid [n] citation")
    return reasons


def _near_duplicate(options: Sequence[str], threshold: float, catalog: ServiceCatalog) -> tuple[int, int] | None:
    norm = [re.sub(r"\W+", " ", o.lower()).strip() for o in options]
    for i in range(len(options)):
        for j in range(i + 1, len(options)):
            same_service = (a := catalog.lookup(options[i].strip())) is not None and a == catalog.lookup(options[j].strip())
            if norm[i] == norm[j] or same_service or jaccard(content_terms(options[i]), content_terms(options[j])) >= threshold:
                return i + 1, j + 1
    return None


def key_longest_share(questions: Sequence[Question]) -> float:
    """The share of ``questions`` whose key is their longest option: above about 1/n, length gives keys away."""
    return sum(map(key_is_longest, questions)) / len(questions) if questions else 0.0


def key_is_longest(q: Question) -> bool:
    if not q.options or any(not 0 <= k < len(q.options) for k in q.keys):
        return False
    longest = max(len(o) for o in q.options)
    return all(len(q.options[k]) == longest for k in q.keys) and sum(len(o) == longest for o in q.options) == len(q.keys)


# -- grounding -----------------------------------------------------------------------


def check_grounding(q: Question, catalog: ServiceCatalog, settings: QuestionsConfig) -> list[str]:
    """Each key is stated in a chunk its explanation cites; no cited claim for this need names a distractor."""
    reasons: list[str] = []
    by_n = {c.n: c for c in q.citations}
    terms = stem_terms(q.stem)
    key_texts: list[str] = []
    for k in q.keys:
        if not 0 <= k < len(q.options) or k >= len(q.explanations):
            return reasons  # structure already reported it
        # A slide bullet states its key under the heading it sits in: the heading is the notes too.
        texts = [f"{by_n[int(n)].heading}\n{by_n[int(n)].text}" for n in _CITE.findall(q.explanations[k]) if int(n) in by_n]
        key_texts += texts
        if not any(_supports(q.options[k], text, catalog) for text in texts):
            reasons.append(f"key {q.options[k]!r} is not stated in the chunk it cites")
    in_keys = {s for k in q.keys for s in option_services(q.options[k], catalog)}
    for i, option in enumerate(q.options):
        if i in q.keys:
            continue
        named = option_services(option, catalog) - in_keys  # a service the key uses too is scenery, not the distractor
        for text in key_texts:
            for sentence in split_sentences(text):
                claim = read_claim(sentence, catalog)
                if claim and claim.shape != MENTION and named & set(claim.answers) and dice(stem_terms(claim.need), terms) >= 0.5:
                    reasons.append(f"distractor {option!r} is named as an answer for this need in a cited chunk")
    return list(dict.fromkeys(reasons))


def _supports(option: str, text: str, catalog: ServiceCatalog) -> bool:
    named = option_services(option, catalog)
    if named:
        return bool(named & set(catalog.find(text)))
    wanted = content_terms(option)
    return bool(wanted) and len(wanted & content_terms(text)) / len(wanted) >= 0.6


# -- independent solve ------------------------------------------------------------------


@dataclass
class Solve:
    method: str  # "ask" | "retrieval" | "model"
    chosen: list[int]
    scores: list[float]

    def agrees(self, keys: Iterable[int]) -> bool:
        return sorted(self.chosen) == sorted(keys)


def score_options(
    stem: str, options: Sequence[str], sentences: Iterable[tuple[str, float]], catalog: ServiceCatalog, min_relevance: float
) -> list[float]:
    """How strongly weighted sentences of notes answer ``stem`` with each option.

    A sentence counts in proportion to how much of its need the stem shares; the services it
    gives as the answer gain, the ones it rejects ("X over Y") lose. Plain mentions count half.
    """
    terms = stem_terms(stem)
    named = [option_services(o, catalog) for o in options]
    scores = [0.0] * len(options)
    for sentence, weight in sentences:
        claim = read_claim(sentence, catalog)
        if claim is None:
            continue
        relevance = dice(stem_terms(claim.need), terms)
        if relevance < min_relevance:
            continue
        gain = weight * relevance * (0.5 if claim.shape == MENTION else 1.0)
        answers, rejected = set(claim.answers), set(claim.rejected)
        for i, option in enumerate(options):
            if named[i]:
                scores[i] += gain * bool(named[i] & answers) - weight * relevance * bool(named[i] & rejected)
            elif _supports(option, sentence, catalog):
                scores[i] += gain
    return [round(s, 4) for s in scores]


def choose(scores: Sequence[float], n_keys: int, margin: float, min_score: float = 0.0) -> list[int]:
    """The top ``n_keys`` options; none when the notes support nothing (a pick scores no more
    than ``min_score``) or the runner-up is within ``margin`` (a share of the weakest chosen
    score): then the answer is a guess."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    top, rest = order[:n_keys], order[n_keys:]
    if any(scores[i] <= min_score for i in top) or (rest and scores[rest[0]] > (1 - margin) * scores[top[-1]]):
        return []
    return sorted(top)


def solve_by_model(ws: Workspace, q: Question, model: str) -> Solve:
    """Have ``model`` answer ``q`` from the chunks it cites, without the key: a model-written
    question is kept only when a fresh reading of its own notes lands on its key."""
    from tutor.llm.client import complete  # imports litellm: only model-written questions get here

    sources = "\n\n".join(f"[{c.n}] {c.heading}\n{c.text}" for c in q.citations)
    question = "\n".join([q.stem, *(f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options))])
    messages = [{"role": "user", "content": render_prompt("question_solve", sources=sources, question=question)}]
    reply = complete(messages, settings=ws.config.llm, model=model, response_format={"type": "json_object"})
    match = re.search(r'"letters"\s*:\s*\[([^\]]*)\]', reply.text)
    letters = re.findall(r"[A-Z]", match.group(1).upper()) if match else []
    chosen = sorted({LETTERS.index(x) for x in letters if LETTERS.index(x) < len(q.options)})
    return Solve("model", chosen, [float(i in chosen) for i in range(len(q.options))])


def _statements(ws: Workspace, text: str, heading: str) -> list[str]:
    """A passage read as the writer reads it: bare bullets get the service they sit under."""
    return [s.text for s in statements(text, heading, ws.catalog, ws.config.answer)]


def solve(ws: Workspace, q: Question, collection: str, settings: QuestionsConfig, model: str | None = None) -> Solve:
    """Answer ``q`` from the notes without its key, then see which options that answer backs.

    By default through ``Workspace.ask`` with ``model`` or ``questions.solve_model`` (None: the
    answer default) — generation never passes the model that wrote the question, which tends
    to agree with itself.
    It is asked the stem alone: the offline engine reads listed option names as terms the
    notes must contain, and abstains. ``solve_with = "retrieval"`` reads the claims in the
    chunks a search for the stem retrieves instead (no answer engine at all).
    """
    if settings.solve_with == "ask":
        answer = ws.ask(q.stem, collection=collection, model=model or settings.solve_model)
        sentences = [(s, 1.0) for s in split_sentences(_CITE.sub("", answer.answer))] if not answer.abstained else []
        sentences += [(s, 0.5) for c in answer.citations for s in _statements(ws, c.text, c.heading)]
        method = "ask"
    else:
        hits = ws.search(q.stem, k=settings.solve_k, collection=collection)
        sentences = [(s, 1.0 / h.rank) for h in hits for s in _statements(ws, h.text, h.heading)]
        method = "retrieval"
    scores = score_options(q.stem, q.options, sentences, ws.catalog, settings.min_relevance)
    return Solve(method, choose(scores, len(q.keys), settings.solve_margin, settings.solve_min_score), scores)
