"""What a collection talks about: its terms, word pairs and identifiers.

Retrieval always returns *something*, and a question about a service the notes never mention
("Amazon GameLift", "Route 53", "i4i.32xlarge") still scores well on its generic words. So
before answering, every name in the question must occur in the notes; a name that does not
is the strongest sign the answer is not there.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.answer.follow_up import is_function_word, is_relational_head, names_something
from tutor.answer.sentences import SENTENCE_END, STOPWORDS, content_terms
from tutor.answer.sentences import stem as _stem
from tutor.ingest.chunker import HEADING_SEPARATOR
from tutor.retrieve.synonyms import VENDOR_WORDS, without_vendor

if TYPE_CHECKING:
    from tutor.retrieve.hit import Passage
    from tutor.retrieve.synonyms import ServiceCatalog
    from tutor.store.index import StoredChunk

_WORDS = re.compile(r"[a-z0-9]+")
_IDENT = re.compile(r"[a-z0-9][a-z0-9.\-/]*[a-z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][\w.\-/]*[A-Za-z0-9]|[A-Za-z0-9]|[.?!;:,()]")
_LONG_NAME = 3  # words of a name that must be written together, not pair by pair
_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z0-9])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# "What are ECS capacity providers?", "How does Athena partition projection work?": a question that
# opens on its subject, a service and then, in lower case, the feature of it that is asked about.
_OPENS_ON_SUBJECT = re.compile(
    r"\s*(?:what|how|which)\s+(?P<aux>is|are|was|were|does|do|did)\s+(?:(?:a|an|the)\s+)?(?P<rest>.*)", re.I | re.S
)
_COPULA = frozenset({"is", "are", "was", "were"})
_DO = frozenset({"do", "does", "did"})
_FEATURE_WORDS = 2  # a feature named after its service: "concurrency scaling", "partition projection"
_CLAUSE_END = frozenset({"?", "!", ".", ",", ";", ":"})


@dataclass
class Vocabulary:
    terms: set[str] = field(default_factory=set)  # stemmed content terms, and hyphen-joined words ("minmax")
    idents: set[str] = field(default_factory=set)  # raw lowercased tokens ("i4i.32xlarge", "eu-west-1")
    pairs: set[tuple[str, str]] = field(default_factory=set)  # adjacent words, stemmed ("robust", "scaler")
    passages: dict[str, int] = field(default_factory=dict)  # content term -> how many passages use it

    @classmethod
    def from_chunks(cls, chunks: Iterable[StoredChunk | Passage]) -> Vocabulary:
        """Headings count: a slide titled "Amazon Braket" names it even if no bullet does."""
        return cls.from_texts(f"{c.heading}\n{c.text}" for c in chunks)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        vocab = cls()
        for text in texts:
            terms = content_terms(text)
            vocab.terms |= terms
            for term in terms:
                vocab.passages[term] = vocab.passages.get(term, 0) + 1
            low = text.lower()
            idents = _IDENT.findall(low)
            vocab.idents.update(idents)
            vocab.terms.update(_stem(i.replace("-", "")) for i in idents if "-" in i)  # "Min-Max" is also "MinMax"
            vocab.pairs.update(pairwise(_words(low)))
            vocab.pairs.update(pairwise(_words(_HYPHEN.sub("", low))))
        return vocab

    def save(self, path: Path, stamp: str) -> None:
        """Write beside, then swap: a reader sees the old file or the new one, never half."""
        data = {
            "stamp": stamp,
            "terms": sorted(self.terms),
            "idents": sorted(self.idents),
            "pairs": sorted(self.pairs),
            "passages": self.passages,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, stamp: str) -> Vocabulary | None:
        """The vocabulary saved under ``stamp``, else None (missing, unreadable or stale)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["stamp"] != stamp:
                return None
            return cls(set(data["terms"]), set(data["idents"]), set(map(tuple, data["pairs"])), dict(data["passages"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def has_phrase(self, phrase: str) -> bool:
        """Every adjacent pair of words occurs in the notes, in any case and number."""
        words = _words(phrase)
        if len(words) < 2:
            return self.has_word(phrase)
        forms = (words, _words(_HYPHEN.sub("", phrase)))  # "Min-Max Scaler" is also "MinMax Scaler"
        return any(all(pair in self.pairs for pair in pairwise(f)) for f in forms) or _stem("".join(words)) in self.terms

    def has_word(self, word: str) -> bool:
        low = word.lower()
        if _is_ident(low):
            return low in self.idents
        if len(low) <= 2:  # too short to be a content term: "Q" must occur as a word
            return any(low in pair for pair in self.pairs)
        terms = content_terms(word)
        if not terms or terms & self.terms or _stem(re.sub(r"[^a-z0-9]", "", low)) in self.terms:
            return True
        spaced = _CAMEL.sub(" ", word)  # "StandardScaler" is in notes that say "Standard Scaler"
        return spaced != word and self.has_phrase(spaced)

    def unknown_names(self, question: str, catalog: ServiceCatalog | None = None) -> list[str]:
        """Names in ``question`` (services, proper nouns, identifiers) the collection never uses.

        In a scenario ("A SaaS company migrates MySQL to RDS ... Which DMS migration type
        fits?") only the question's own names must be known; the setting's names (a weekday, a
        company's business, where it is moving to) need not be, unless the question names no
        service of its own: then the setting's services are its subject, and one must be known."""
        asked, setting = asked_and_setting(question, catalog)
        unknown = [u for run in asked for u in self._unknown_in(run, catalog)]
        missing = [self._unknown_in(run, catalog) for run in setting]
        if missing and all(missing):
            unknown += [u for m in missing for u in m]
        return list({u.lower(): u for u in reversed(unknown)}.values())[::-1]

    def _unknown_in(self, run: str, catalog: ServiceCatalog | None) -> list[str]:
        """The name ``run`` (one of :func:`named_runs`), or the words of it, the collection never uses."""
        words = _undoubled(run.split())
        # "Amazon Redshift Spectrum" is in notes that say "Redshift Spectrum"; a one-word
        # name stays whole: "Amazon Connect" is not in notes that only say "connections".
        if len(words) > 2:
            words = _undoubled(without_vendor(" ".join(words)).split())
        run = " ".join(words)
        # A service is known under any of its names: "KDS" asks about notes on Kinesis Data Streams.
        known = self._service_known(run, catalog)
        if known is not None:
            return [] if known else [run]
        if self._spelled_out(run, catalog):
            return []
        # "Route 53", "Compute Savings Plans": the words name one thing only together. An
        # acronym next to a word ("Glue DPU") is a qualifier, checked on its own below.
        strict = [p for p in pairwise(words) if not any(_is_acronym(w) for w in p)]
        if any(not self.has_phrase(" ".join(p)) for p in strict):
            return [run]
        return [
            w
            for w in words
            if not w.isdigit() and not self.has_word(w) and not self._service_known(w, catalog) and not self._spelled_out(w, catalog)
        ]

    def _spelled_out(self, name: str, catalog: ServiceCatalog | None) -> bool:
        """Whether the notes write ``name`` the other way: "HA" as "high availability", "Change
        Data Capture" as "CDC"."""
        return catalog is not None and any(self.has_phrase(s) if " " in s else self.has_word(s) for s in catalog.spellings(name))

    def unwritten_feature(self, question: str, passages: Iterable[Passage], catalog: ServiceCatalog) -> str | None:
        """The service and feature ``question`` opens on ("Redshift concurrency scaling") when the
        notes never write the feature's words side by side, nor all of them in one passage that
        names the service; None when they do, or the question opens otherwise.

        After "what is/are" the words up to the end of the name are the feature; after "how/what
        does" the verb is among them (see :func:`_before_the_verb`). A feature of one word must be one the notes never use: students name
        common things in their own words."""
        opening = _OPENS_ON_SUBJECT.match(question)
        if not opening:
            return None
        tokens = _TOKEN.findall(opening["rest"])
        cut = next((i for i, t in enumerate(tokens) if not _is_named(t)), len(tokens))
        name = " ".join(tokens[:cut])
        services = catalog.find(name)
        end = _feature_end(tokens, cut)
        words = tokens[cut:end]
        if opening["aux"].lower() not in _COPULA:
            words = _before_the_verb(words, tokens[end] if end < len(tokens) else "?")
        terms = content_terms(" ".join(words))
        if not services or not terms:
            return None
        if len(words) == 1 and any(self.passages.get(t) for t in terms):
            return None
        if len(words) > 1 and self.has_phrase(" ".join(words)):
            return None
        for passage in passages:
            text = f"{passage.heading}\n{passage.text}"
            if terms <= content_terms(text) and any(Vocabulary.from_texts([text]).mentions(s.name, catalog) for s in services):
                return None
        return f"{name} {' '.join(words)}"

    def mentions(self, name: str, catalog: ServiceCatalog | None = None) -> bool:
        """Whether the text uses ``name`` (one of :meth:`unknown_names`), by any of its names."""
        known = self._service_known(name, catalog)
        return known if known is not None else self.has_phrase(name) or self._spelled_out(name, catalog)

    def _service_known(self, name: str, catalog: ServiceCatalog | None) -> bool | None:
        """None when ``name`` is no catalog service, else whether the notes use any of its names."""
        service = catalog.lookup(name) if catalog else None
        if service is None:
            return None
        return any(self._has_name(n) for n in (service.name, service.short_name, *service.aliases))

    def _has_name(self, name: str) -> bool:
        """A one-word name must be written as that word ("Detective" is not in notes that say
        "detect"); a longer one as its words side by side."""
        if " " in name:
            return self.has_phrase(name)
        low = name.lower()
        return bool({low, f"{low}s", low.removesuffix("s")} & self.idents)


def named_together(name: str, passages: Iterable[Passage], catalog: ServiceCatalog) -> bool:
    """Whether the notes name the feature ``name`` asks about with its service, before or after it.

    "Glue Python" is never written as one name, but a Glue section that lists "Python shell"
    jobs holds it; "Shield Standard" is not held by a passage on Origin Shield that says
    "standard logs": the feature must be written as a name (capitalised), as the question does.
    A slide deck names the service once and its features on the slides after it: "Standard
    Step Functions" is held by a "Standard –" slide in the section of a Step Functions slide,
    when "Standard" is a name of its own there, not the first word of another ("Standard Scaler").
    """
    words = name.split()
    passages = list(passages)
    texts = [f"{p.heading}\n{p.text}" for p in passages]
    vocabularies = [Vocabulary.from_texts([text]) for text in texts]  # read once, asked of every service cut
    for cut in range(1, len(words)):
        for service, feature in ((" ".join(words[:cut]), words[cut:]), (" ".join(words[cut:]), words[:cut])):
            if catalog.lookup(service) is None:
                continue
            written = re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) + "s?" for w in feature) + r"(?![\w-])", re.I)
            naming = [p for p, vocabulary in zip(passages, vocabularies, strict=True) if vocabulary.mentions(service, catalog)]
            for passage, text in zip(passages, texts, strict=True):
                found = [m for m in written.finditer(text) if m.group()[0].isupper()]
                if found and passage in naming:
                    return True
                alone = any(_stands_alone(text, m.start(), m.end()) for m in found)
                if alone and any(_under(passage, p) for p in naming):
                    return True
    return False


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether the words at ``start:end`` are a name of their own, not beside a capitalised word."""
    before = re.search(r"([\w-]+)[ \t]+$", text[:start])
    after = re.match(r"[ \t]+([\w-]+)", text[end:])
    return not any(m and m.group(1)[0].isupper() for m in (before, after))


def _under(passage: Passage, service: Passage) -> bool:
    """Whether ``passage`` follows ``service`` in the section that holds it (a slide after it)."""
    section = service.heading.rpartition(HEADING_SEPARATOR)[0]
    return (
        bool(section)
        and passage.source == service.source
        and passage.start_line > service.end_line
        and (passage.heading == section or passage.heading.startswith(f"{section}{HEADING_SEPARATOR}"))
    )


def unwritten_names(question: str, passages: Iterable[Passage], catalog: ServiceCatalog) -> list[str]:
    """Names of three words or more in ``question`` (after the service they belong to) that no
    passage writes as one: "Origin Access Control" is not in notes that say "Origin Access
    Identity" and "access control lists", though each pair of its words is."""
    texts = [f"{p.heading}\n{p.text}" for p in passages]
    unwritten = []
    asked, setting = asked_and_setting(question, catalog)
    for run in [*asked, *setting]:
        words = without_vendor(run).split()
        if catalog.lookup(" ".join(words)):
            continue
        service = next((cut for cut in range(len(words), 0, -1) if catalog.lookup(" ".join(words[:cut]))), 0)
        # "Standard Step Functions": the qualifier may come first, the service last.
        after = next((cut for cut in range(1, len(words)) if catalog.lookup(" ".join(words[cut:]))), len(words))
        feature = words[service:after]
        # Words of one name only ("IOPS io2 Block Express" is an acronym beside a name).
        if len(feature) < _LONG_NAME or not all(w[0].isupper() and w[1:].islower() for w in feature):
            continue
        written = re.compile(r"(?<![\w-])" + r"[\s-]+".join(re.escape(w) + "s?" for w in feature) + r"(?![\w-])", re.I)
        if not any(written.search(t) for t in texts):
            unwritten.append(" ".join(feature))
    return unwritten


def asked_and_setting(question: str, catalog: ServiceCatalog | None) -> tuple[list[str], list[str]]:
    """The names ``question`` asks about, and the services of its setting of which one must be known.

    A scenario sets the scene in statements, then asks: "A company's Redshift dashboards slow
    down every Monday. ... Which feature?". The statements' names that are no service are
    setting; their services are too when the question names one ("... to RDS. Which DMS
    migration type fits?"), else they are its subject. Any other question asks about all it names.
    ``catalog.find`` on the question part decides whether it names a service of its own."""
    sentences = SENTENCE_END.split(question.strip())
    stated = next((i for i, s in enumerate(sentences) if s.endswith("?")), len(sentences))
    if catalog is None or not 0 < stated < len(sentences):
        return named_runs(question), []
    asked = " ".join(sentences[stated:])
    if catalog.find(asked):
        return named_runs(asked), []
    # A service is one of the catalog's, or any name the vendor's: "Amazon GameLift".
    setting = [run for run in named_runs(" ".join(sentences[:stated])) if catalog.find(run) or without_vendor(run) != run]
    return named_runs(asked), setting


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORDS.findall(text.lower())]


def _undoubled(words: list[str]) -> list[str]:
    """ "Redshift Spectrum Redshift Spectrum" (a name and its expansion side by side) is one name."""
    half = len(words) // 2
    if half and len(words) % 2 == 0 and [w.lower() for w in words[:half]] == [w.lower() for w in words[half:]]:
        return words[:half]
    return words


def _is_named(token: str) -> bool:
    """A word of a name: capitalised, an acronym or an identifier ("gp3")."""
    return token[0].isupper() or _is_ident(token)


def _is_ident(token: str) -> bool:
    """Digits and letters in one word: "gp3", "c5.xlarge", "S3"."""
    return bool(re.search(r"\d", token)) and bool(re.search(r"[A-Za-z]", token))


def _before_the_verb(words: list[str], after: str) -> list[str]:
    """The feature's words (two at most) of a "how/what does <service> ..." question, up to its
    verb, where the verb can be told: the word the feature stopped at ("S3 replication | work?",
    "the DynamoDB adaptive capacity feature | do?"), a word after a plural ("SQS consumers | receive
    messages"), a third word ("Redshift concurrency scaling | add capacity"), a last word that is
    no plural object ("an SNS FIFO topic | guarantee?"). None when the verb may be the first word
    ("SQS | compare to SNS", "SQS | process messages"): a verb is no feature the notes miss."""
    if after not in _CLAUSE_END and (not is_function_word(after) or after.lower() in _DO):
        return words[:_FEATURE_WORDS]
    plural = next((i for i, w in enumerate(words[:-1]) if _plural(w)), None)
    if plural is not None:
        return words[: min(plural + 1, _FEATURE_WORDS)]
    if len(words) > _FEATURE_WORDS:
        return words[:_FEATURE_WORDS]
    return words[:1] if len(words) == _FEATURE_WORDS and not _plural(words[1]) and after in _CLAUSE_END else []


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _feature_end(tokens: list[str], start: int) -> int:
    """Where the lower-case name of a feature that starts at ``start`` ends: at a word that names
    nothing, unless it heads the name ("cluster mode"), or at an "-ed" or "-ly" word, unless one
    of the name follows ("managed node groups", not "... used for")."""
    end = start
    while end < len(tokens):
        token = tokens[end]
        naming = bool(re.fullmatch(r"[a-z][\w-]*", token)) and names_something(token)
        if end > start and is_relational_head(token):
            return end + 1
        if not naming:
            return end
        if token.endswith(("ed", "ly")) and not (end + 1 < len(tokens) and _feature_end(tokens, end + 1) > end + 1):
            return end
        end += 1
    return end


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def named_runs(question: str) -> list[str]:
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
            or _is_ident(token)
            or (token.isdigit() and bool(runs[-1]))
        )
        if named and (token.lower() not in STOPWORDS or token.lower() in VENDOR_WORDS):
            runs[-1].append(token)
        else:
            runs.append([])
        initial = False
    return [" ".join(r) for r in runs if r]
