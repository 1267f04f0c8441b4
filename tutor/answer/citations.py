"""Checking an answer's ``[n]`` markers against the sources they point to.

Whatever wrote the answer (the extractive engine, a remote model, a prompt-injected note),
nothing reaches the student as grounded unless it passes here: ids outside ``1..n`` are
removed, and each sentence must be supported by a source it cites.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tutor.answer.sentences import content_terms, split_sentences
from tutor.answer.units import answer_units
from tutor.config import AnswerConfig
from tutor.retrieve.hit import Passage

if TYPE_CHECKING:
    from tutor.answer.scoring import SentenceScorer
    from tutor.retrieve import Hit
    from tutor.store.index import StoredChunk

_MARKER = re.compile(r"\s?\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_BARE_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARKER_START = re.compile(r"\[\d*(?:\s*[,;]\s*\d*)*")  # what a marker looks like before its "]" arrives
_CLAIM_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(kw_only=True)
class Citation(Passage):
    """One ``[n]`` in the answer, resolved to the chunk it names."""

    n: int

    @classmethod
    def of(cls, n: int, chunk: Hit | StoredChunk) -> Citation:
        return cls(**cls.fields_of(chunk), n=n)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, **asdict(self)}


@dataclass
class Checked:
    text: str  # the answer with invalid markers removed
    citations: list[Citation]
    unverified: list[str]  # sentences not supported by a source they cite (or citing none)
    invalid: list[int] = field(default_factory=list)  # ids that named no source
    uncited: list[str] = field(default_factory=list)  # the unverified sentences that cite nothing


class StreamedMarkers:
    """Passes streamed text to ``out``, holding back each ``[n]`` until it is complete and
    checked, so a marker for a source that does not exist ("[9]" of 5) is never shown
    (:func:`check` removes it from the answer; the stream now agrees). Call :meth:`flush`
    when the stream ends."""

    def __init__(self, sources: list[Hit], out: Callable[[str], None]) -> None:
        self.valid = {hit.rank for hit in sources}
        self.out = out
        self.held = ""

    def __call__(self, token: str) -> None:
        text, self.held = self.held + token, ""
        shown: list[str] = []
        at = 0
        while (start := text.find("[", at)) >= 0:
            shown.append(text[at:start])
            if marker := _BARE_MARKER.match(text, start):
                ids = [int(x) for x in re.split(r"[,;]", marker.group(1))]
                shown.append("".join(f"[{i}]" for i in dict.fromkeys(ids) if i in self.valid))
                at = marker.end()
            elif _MARKER_START.fullmatch(text, start):  # may still become a marker: wait for more
                self.held = text[start:]
                at = len(text)
            else:
                shown.append("[")
                at = start + 1
        shown.append(text[at:])
        if piece := "".join(shown):
            self.out(piece)

    def flush(self) -> None:
        if self.held:
            self.out(self.held)
            self.held = ""


def check(text: str, sources: list[Hit], scorer: SentenceScorer, settings: AnswerConfig) -> Checked:
    by_n = {hit.rank: hit for hit in sources}
    invalid: list[int] = []

    def keep_valid(match: re.Match[str]) -> str:
        ids = [int(x) for x in re.split(r"[,;]", match.group(1))]
        invalid.extend(i for i in ids if i not in by_n)
        valid = [i for i in dict.fromkeys(ids) if i in by_n]
        return (" " + "".join(f"[{i}]" for i in valid)) if valid else ""

    cleaned = _MARKER.sub(keep_valid, text).strip()
    cited: set[int] = set()
    unverified: list[str] = []
    uncited: list[str] = []
    for sentence in (s.strip() for s in _CLAIM_END.split(cleaned)):
        claim = _MARKER.sub("", sentence).strip()
        if not content_terms(claim):
            continue  # "Sure." / a lone marker: nothing to verify
        ids = [int(x) for group in _MARKER.findall(sentence) for x in re.split(r"[,;]", group)]
        if not ids:
            unverified.append(claim)
            uncited.append(claim)
        elif supported(claim, [by_n[i] for i in ids], scorer, settings):
            cited.update(ids)
        else:
            unverified.append(claim)
            cited.update(ids)  # still shown, so the student can check the source
    citations = [Citation.of(n, by_n[n]) for n in sorted(cited)]
    return Checked(cleaned, citations, unverified, sorted(set(invalid)), uncited)


def supported(claim: str, sources: list[Hit], scorer: SentenceScorer, settings: AnswerConfig) -> bool:
    """Does one of the cited sources say this? (term overlap with a sentence or unit, or a near paraphrase)"""
    wanted = content_terms(claim)
    sentences = [
        s
        for h in sources
        for s in dict.fromkeys([*split_sentences(h.text), *(u.text for u in answer_units(h.text, h.heading, settings))]) or [h.text]
    ]
    if not wanted or not sentences:
        return False
    # Numbers must appear in the cited source: a changed limit is the worst kind of wrong.
    numbers = {t for t in wanted if t[0].isdigit()}
    source_terms = set().union(*(content_terms(s) for s in sentences))
    if not numbers <= source_terms:
        return False
    best_overlap = max(len(wanted & content_terms(s)) / len(wanted) for s in sentences)
    if best_overlap >= settings.support_overlap:
        return True
    cosine = scorer.vectors(sentences) @ scorer.vectors([claim])[0]
    return float(np.max(cosine)) >= settings.support_cosine
