"""Eval metrics as pure functions: hand-checkable inputs in, one number (or ``None``) out.

``None`` means "does not apply" (no key facts to recall, no sentence to judge) and is left
out of averages, so an abstention never counts as a perfectly faithful answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from tutor.evals.golden import Span
from tutor.evals.text import citation_numbers, contains_phrase, sentences, support, tokens
from tutor.retrieve.hit import Passage

# -- retrieval ---------------------------------------------------------------------


def relevance(hits: Sequence[Passage], spans: Sequence[Span]) -> list[bool]:
    """Per retrieved chunk, whether it overlaps an expected span; a repeated chunk counts once."""
    seen: set[str] = set()
    flags = []
    for hit in hits:
        flags.append(hit.chunk_id not in seen and _overlaps(hit, spans))
        seen.add(hit.chunk_id)
    return flags


def _overlaps(located: Passage, spans: Sequence[Span]) -> bool:
    return any(span.matches(located.source, located.start_line, located.end_line) for span in spans)


def hit_at_k(flags: Sequence[bool], k: int) -> float:
    return 1.0 if any(flags[:k]) else 0.0


def reciprocal_rank(flags: Sequence[bool]) -> float:
    return next((1.0 / rank for rank, ok in enumerate(flags, start=1) if ok), 0.0)


def ndcg_at_k(flags: Sequence[bool], k: int) -> float:
    """Binary-relevance nDCG; the ideal ranking puts every relevant chunk found (at least one) first."""
    gains = [1.0 / math.log2(rank + 1) for rank, ok in enumerate(flags[:k], start=1) if ok]
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, max(1, min(k, len(gains))) + 1))
    return sum(gains) / ideal


def evidence_recall(hits: Sequence[Passage], spans: Sequence[Span]) -> float:
    """Share of an evidence span's lines that retrieved chunks of its file cover (the best span)."""
    return max((_coverage(hits, span) for span in spans), default=0.0)


def _coverage(hits: Sequence[Passage], span: Span) -> float:
    want = set(range(span.start_line, span.end_line + 1))
    got = {
        line for hit in hits if span.matches(hit.source, hit.start_line, hit.end_line) for line in range(hit.start_line, hit.end_line + 1)
    }
    return len(want & got) / len(want)


def context_chars(hits: Iterable[Passage]) -> int:
    return sum(len(hit.text) for hit in hits)


# -- answers -------------------------------------------------------------------------


def key_fact_recall(answer: str, facts: Sequence[str]) -> float | None:
    """Share of key facts found as normalised phrases in the answer."""
    if not facts:
        return None
    have = tokens(answer)
    return sum(contains_phrase(have, tokens(fact)) for fact in facts) / len(facts)


def all_key_facts(answer: str, facts: Sequence[str]) -> float | None:
    """1 when the answer holds every key fact, else 0: a half-right answer is still wrong to a student."""
    if not facts:
        return None
    have = tokens(answer)
    return 1.0 if all(contains_phrase(have, tokens(fact)) for fact in facts) else 0.0


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / (na * nb) if na and nb else 0.0


def faithfulness(answer: str, cited: Mapping[int, str], threshold: float) -> float | None:
    """Share of answer sentences supported by the chunks they cite; an uncited sentence is unsupported."""
    units = sentences(answer)
    if not units:
        return None
    ok = 0
    for sentence in units:
        texts = [cited[n] for n in dict.fromkeys(citation_numbers(sentence)) if n in cited]
        ok += bool(texts) and support(sentence, "\n".join(texts)) >= threshold
    return ok / len(units)


# -- citations -----------------------------------------------------------------------


def citation_validity(answer: str, valid: Iterable[int]) -> float | None:
    """Share of distinct ``[n]`` markers that resolve to a source."""
    markers = set(citation_numbers(answer))
    return len(markers & set(valid)) / len(markers) if markers else None


def citation_precision(answer: str, cited: Mapping[int, str], threshold: float) -> float | None:
    """Share of distinct (sentence, [n]) pairs whose chunk supports the sentence on its own."""
    pairs = {(s, n) for s in sentences(answer) for n in citation_numbers(s) if n in cited}
    if not pairs:
        return None
    return sum(support(s, cited[n]) >= threshold for s, n in pairs) / len(pairs)


def citation_recall(citations: Sequence[Passage], spans: Sequence[Span]) -> float:
    """1 when a cited chunk overlaps an expected evidence span, else 0."""
    return 1.0 if any(_overlaps(c, spans) for c in citations) else 0.0


# -- abstention, latency, spread -------------------------------------------------------


def abstention_rates(outcomes: Iterable[tuple[bool, bool]]) -> tuple[float | None, float | None]:
    """(correct abstentions on unanswerable, wrong abstentions on answerable) from (answerable, abstained)."""
    pairs = list(outcomes)
    no = [abstained for answerable, abstained in pairs if not answerable]
    yes = [abstained for answerable, abstained in pairs if answerable]
    return (sum(no) / len(no) if no else None, sum(yes) / len(yes) if yes else None)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), ``q`` in 0..100."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
