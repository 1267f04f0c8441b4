"""What a collection talks about: its terms, word pairs and identifiers.

Retrieval always returns *something*, and a question about a service the notes never mention
("Amazon GameLift", "Route 53", "i4i.32xlarge") still scores well on its generic words. So
before answering, every name in the question must occur in the notes; a name that does not
is the strongest sign the answer is not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from tutor.answer.sentences import STOPWORDS, content_terms

if TYPE_CHECKING:
    from tutor.retrieve.synonyms import ServiceCatalog
    from tutor.store.index import StoredChunk

_WORDS = re.compile(r"[a-z0-9]+")
_IDENT = re.compile(r"[a-z0-9][a-z0-9.\-/]*[a-z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][\w.\-/]*[A-Za-z0-9]|[A-Za-z0-9]|[.?!;:,()]")
_VENDOR = {"amazon", "aws"}


@dataclass
class Vocabulary:
    terms: set[str] = field(default_factory=set)  # stemmed content terms
    idents: set[str] = field(default_factory=set)  # raw lowercased tokens ("i4i.32xlarge", "eu-west-1")
    pairs: set[tuple[str, str]] = field(default_factory=set)  # adjacent words ("route", "53")

    @classmethod
    def from_chunks(cls, chunks: Iterable[StoredChunk]) -> Vocabulary:
        """Headings count: a slide titled "Amazon Braket" names it even if no bullet does."""
        return cls.from_texts(f"{c.heading}\n{c.text}" for c in chunks)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        vocab = cls()
        for text in texts:
            vocab.terms |= content_terms(text)
            low = text.lower()
            vocab.idents.update(_IDENT.findall(low))
            words = _WORDS.findall(low)
            vocab.pairs.update(pairwise(words))
        return vocab

    def has_phrase(self, phrase: str) -> bool:
        words = _WORDS.findall(phrase.lower())
        return all(pair in self.pairs for pair in pairwise(words)) if len(words) > 1 else self.has_word(phrase)

    def has_word(self, word: str) -> bool:
        low = word.lower()
        if re.search(r"\d", low) and re.search(r"[a-z]", low):
            return low in self.idents
        terms = content_terms(word)
        return not terms or bool(terms & self.terms)

    def unknown_names(self, question: str, catalog: ServiceCatalog | None = None) -> list[str]:
        """Names in ``question`` (services, proper nouns, identifiers) the collection never uses."""
        unknown: list[str] = []
        for run in _named_runs(question):
            words = run.split()
            # A service is known under any of its names: "KDS" asks about notes on Kinesis Data Streams.
            known = self._service_known(run, catalog)
            if known is not None or (words[0].lower() in _VENDOR and len(words) > 1):
                if not (known if known is not None else self.has_phrase(run)):
                    unknown.append(run)
                continue
            # "Route 53", "Compute Savings Plans": the words name one thing only together. An
            # acronym next to a word ("Glue DPU") is a qualifier, checked on its own below.
            strict = [p for p in pairwise(words) if not any(_is_acronym(w) for w in p)]
            if any(not self.has_phrase(" ".join(p)) for p in strict):
                unknown.append(run)
                continue
            unknown.extend(w for w in words if not w.isdigit() and not self.has_word(w) and not self._service_known(w, catalog))
        return list(dict.fromkeys(unknown))

    def _service_known(self, name: str, catalog: ServiceCatalog | None) -> bool | None:
        """None when ``name`` is no catalog service, else whether the notes use any of its names."""
        service = catalog.lookup(name) if catalog else None
        if service is None:
            return None
        return any(self.has_phrase(n) for n in (service.name, service.short_name, *service.aliases))


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _named_runs(question: str) -> list[str]:
    """Runs of capitalised words, acronyms and identifiers, skipping sentence-initial words."""
    runs: list[list[str]] = [[]]
    initial = True
    for token in _TOKEN.findall(question):
        if token in ".?!;:,()":
            runs.append([])
            initial = token in ".?!"
            continue
        named = (
            (token[0].isupper() and not initial)
            or (token.isupper() and len(token) > 1)
            or (bool(re.search(r"\d", token)) and bool(re.search(r"[A-Za-z]", token)))
            or (token.isdigit() and bool(runs[-1]))
        )
        if named and (token.lower() not in STOPWORDS or token.lower() in _VENDOR):
            runs[-1].append(token)
        else:
            runs.append([])
        initial = False
    return [" ".join(r) for r in runs if r]
