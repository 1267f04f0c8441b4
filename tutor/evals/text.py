"""Text normalisation for judge-free answer scoring.

Key facts are matched as phrases after folding case, unicode, punctuation, number formats
("1,000" == "1000", "three" == "3") and plural/verb endings; support of a sentence by a chunk
is the share of the sentence's content words found in the chunk. Deliberately independent of
the answer engine's own checks, so the evaluator does not grade its own homework.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_STEMMER = Stemmer.Stemmer("english")
_STOP = frozenset(STOPWORDS_EN)
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z0-9]+")
_CITATION = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _NUMBER_WORDS.get(word) or _STEMMER.stemWord(word)


def tokens(text: str) -> list[str]:
    """Folded, stemmed tokens: lowercase, accents dropped, punctuation as spaces, numbers unified."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _THOUSANDS.sub("", text)
    return [_stem(t) for t in _TOKEN.findall(text)]


def contains_phrase(haystack: list[str], needle: list[str]) -> bool:
    """``needle`` occurs as a contiguous token run in ``haystack``."""
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def content_words(text: str) -> set[str]:
    return {t for t in tokens(strip_citations(text)) if t not in _STOP}


def strip_citations(text: str) -> str:
    return _CITATION.sub(" ", text)


def citation_numbers(text: str) -> list[int]:
    """Every ``[n]`` in order, duplicates kept."""
    return [int(n) for n in _CITATION.findall(text)]


def sentences(text: str) -> list[str]:
    """Answer sentences worth scoring: lines and sentence ends, without markdown decoration."""
    out = []
    for part in _SENTENCE_END.split(text):
        part = part.strip().lstrip("-*•> ").strip()
        if part and not part.startswith("#") and content_words(part):
            out.append(part)
    return out


def support(sentence: str, evidence: str) -> float:
    """Share of the sentence's content words found in ``evidence``; a missing number counts double,
    because numbers are what an unsupported answer gets wrong."""
    words = content_words(sentence)
    if not words:
        return 1.0
    have = content_words(evidence)
    weight = {w: 2.0 if w[:1].isdigit() else 1.0 for w in words}
    return sum(weight[w] for w in words if w in have) / sum(weight.values())
