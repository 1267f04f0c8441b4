"""Is a need, read from one sentence of notes, a requirement a student can answer on its own?

Slides and study notes are full of fragments that read well next to their heading and not
at all in a question stem: "replaces the library for a few of these targets", "Ex: on-premise
PostgreSQL", "lakes allow you to ..." (the subject was "CloudTrail lakes"), a template type
like ``AWS::S3::Bucket``, a sentence cut at "for ex.". A stem made from one of those is
a defect however good its key, so the offline writer drops such needs, saying why.
"""

from __future__ import annotations

import re

from tutor.answer.sentences import content_terms

_DANGLING = re.compile(
    r"^(?:it|its|they|them|their|this|that|these|those|which|such|here|there|also|both)\b"
    r"|\b(?:these|those|the above|the following|the former|the latter|the same|such(?! as)|aforementioned)\b",
    re.I,
)
_CODE = re.compile(r"::|[{}<>`$|\\]|\*\*|\w+\(\)|\b\w+_\w+\b|\b[a-z]+[A-Z]\w*\b|\w+\.\w+\.\w+")
_EXAMPLE = re.compile(r"\b(?:ex|eg|e\.g|i\.e|etc|for ex|for example|vs)\s*[.:]?\s*$|\bex\s*:|\(\s*(?:ex|eg|e\.g)\b", re.I)
_SLIDE = re.compile(r"\b(?:slide|page|section|lecture|module|chapter)\s+\d+|^\d+[.)]?\s|\s\d{1,3}$", re.I)
_DANGLING_END = re.compile(r"\b(?:a|an|the|and|or|of|to|for|with|by|in|on|at|as|from|like|such as|but|than|via|into)$", re.I)
# "lakes allow you ...", "templates can be ...": the sentence's subject was "<Service> lakes", not the service.
_NOUN_SUBJECT = re.compile(
    r"^[a-z]+s\s+(?:can|could|allow|give|are|have|let|provide|support|behave|enable|help|make|must|may|will|should|do|"
    r"let|run|work|store|keep|is)\b"
)
_LIST = re.compile(r"\s[-–—:]\s|:\s*$|^[-–—:]")
MIN_TERMS = 3


def defects(need: str, sentence: str) -> list[str]:
    """Why ``need`` cannot stand as a question's requirement (empty: it can)."""
    reasons: list[str] = []
    text = need.strip()
    if _DANGLING.search(text):
        reasons.append("the need refers to something outside the sentence")
    if _CODE.search(text):
        reasons.append("the need contains code or template syntax")
    if _EXAMPLE.search(text) or _EXAMPLE.search(sentence):
        reasons.append("the need is an example fragment")
    if _SLIDE.search(text):
        reasons.append("the need carries a slide or section number")
    if _DANGLING_END.search(text.rstrip(" .,;")) or not _balanced(sentence):
        reasons.append("the sentence is cut off")
    if _NOUN_SUBJECT.match(text) or _LIST.search(text) or re.match(r"^can be used\b(?! to\b)", text):
        reasons.append("the sentence's subject is not the service")
    if len(content_terms(text)) < MIN_TERMS:
        reasons.append("the need is too short to pin down one service")
    return reasons


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]") and text.count('"') % 2 == 0
