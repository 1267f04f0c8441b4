"""Sentences and content words: the units the extractive engine and citation checks score.

Study notes are mostly bullets of one or two sentences; a bullet is split further only at
sentence ends, so a cited unit is always something the student can find in the file.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from tutor.ingest.outline import BULLET, QUOTE

_STEMMER = Stemmer.Stemmer("english")
STOPWORDS = frozenset(STOPWORDS_EN) | {
    "aws",
    "amazon",
    "use",
    "used",
    "using",
    "can",
    "does",
    "do",
    "what",
    "which",
    "how",
    "much",
    "many",
    "i",
    "my",
    "me",
    "we",
    "you",
    "am",
    "pm",
    "should",
    "would",
    "could",
    "get",
    "one",
    "also",
    "s",
    "way",
}
# Where a sentence ends: after . ! or ?, before a capital, bracket or quote; "e.g. Kinesis" goes on.
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)(?<!vs\.)\s+(?=[A-Z(\"'])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*[A-Za-z0-9]|\d[\d,.]*\d|\d|[A-Za-z]")
_NUMBER = re.compile(r"\d[\d,.]*")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


def split_sentences(text: str) -> list[str]:
    """Bullets and sentences of a chunk, without bullet markers or heading lines."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("---"):
            continue
        line = BULLET.sub("", QUOTE.sub("", line))
        out.extend(s.strip() for s in SENTENCE_END.split(line) if len(s.split()) >= 3)
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def content_terms(text: str) -> set[str]:
    """Stemmed content words and normalised numbers ("1,000" -> "1000"): what overlap counts."""
    terms: set[str] = set()
    for raw in _WORD.findall(text):
        word = raw.lower().rstrip(".")
        if _NUMBER.fullmatch(word):
            terms.add(word.replace(",", ""))
        elif word not in STOPWORDS and len(word) > 1:
            terms.add(stem(word))
            # "gp3-based" / "eu-west-3": the parts count too, and "Geo-proximity" is "geoproximity"
            if "-" in word:
                terms.update(stem(p) for p in word.split("-") if p and p not in STOPWORDS)
                terms.add(stem(word.replace("-", "")))
            # "StandardScaler" / "JVMMemoryPressure": the words a name is written together from
            if _CAMEL.search(raw):
                terms.update(stem(p.lower()) for p in _CAMEL_PART.findall(raw) if len(p) > 1 and p.lower() not in STOPWORDS)
    return terms
