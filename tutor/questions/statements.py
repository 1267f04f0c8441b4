"""Statements: a chunk's bullets rebuilt as sentences a question can be written from.

Slides rarely repeat their subject: under "AWS Glue DataBrew" a bullet reads "visual data
preparation tool to clean and normalize data", under "Amazon Data Firehose" it reads "loads
streaming data into S3". Read alone, neither names a service, so neither gives a claim. The
answer layer already reads a chunk as an outline (:func:`tutor.answer.units.answer_units`:
each unit knows the parent bullet or slide title it sits under); here a unit whose subject
*is* one service and whose own words are a predicate without a subject gets that subject
back: "Amazon Data Firehose loads streaming data into S3", "AWS Glue DataBrew cleans and
normalizes data without code". Anything else is left in the notes' words, and the claim
reader and :mod:`tutor.questions.requirement` judge it as before.

The rebuilt text is what the claim reader reads; the explanation quotes the notes' own words
(``quote``) and names the heading they sat under, so nothing the notes did not write is
shown as a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.answer.sentences import split_sentences
from tutor.answer.units import answer_units
from tutor.config import AnswerConfig
from tutor.ingest.chunker import HEADING_SEPARATOR
from tutor.ingest.outline import BULLET, is_bullet
from tutor.questions.claims import MENTION, read_claim
from tutor.questions.requirement import VERBS, is_adverb, is_verb
from tutor.retrieve.synonyms import Service, ServiceCatalog

_ARTICLE = re.compile(r"^(?:a|an|the)\s", re.I)
# A noun phrase that says what the service does: "tool to clean ...", "store that keeps ...".
_NOUN_CLAUSE = re.compile(r"\b(?:that|which|for|used (?:to|for)|to)\s+(\w+)", re.I)
_PARENS = re.compile(r"\s*\([^)]*\)?")
# Starts no predicate can have: a conjunction, a pronoun, an example, a label.
_START_WORDS = re.compile(
    r"^(?:if|when|where|while|because|since|unless|it|it[’']s|its|there|they|this|that|these|those|you|we|e\.g|eg|ex|i\.e|"
    r"see|note|also|and|or|but|so|then|not|no|only|each|every|all|some|any|many|most|more|less|than|as|via|with|without|"
    r"from|to|for|in|on|at|by|of|up|vs)\b",
    re.I,
)
# Base forms that read as nouns at the start of a bullet ("block level storage", "compute and
# storage", "catalog / metadata"): never rebuilt as "<Service> can ...".
_NOUNISH_WORDS = frozenset(
    [
        "block",
        "compute",
        "catalog",
        "partition",
        "batch",
        "index",
        "log",
        "tag",
        "model",
        "profile",
        "stream",
        "record",
        "cache",
        "queue",
        "label",
        "report",
        "store",
        "test",
        "format",
        "version",
        "sample",
        "stage",
        "process",
        "set",
        "list",
        "map",
        "match",
        "view",
        "work",
        "key",
        "support",
        "request",
        "schedule",
        "search",
        "share",
        "scale",
        "control",
        "change",
        "charge",
        "help",
        "host",
        "lock",
        "look",
        "offer",
        "pay",
        "return",
        "route",
        "scan",
        "secure",
        "select",
        "speed",
        "split",
        "start",
        "stop",
        "sync",
        "take",
        "trigger",
        "watch",
        "flag",
        "hold",
        "mirror",
        "pause",
        "release",
        "review",
        "sort",
        "export",
        "import",
        "forecast",
        "estimate",
        "exchange",
        "filter",
        "fit",
        "forward",
        "limit",
        "load",
        "mask",
        "move",
        "transfer",
        "upgrade",
        "update",
        "upload",
        "archive",
        "audit",
        "alert",
        "back",
        "balance",
        "buffer",
    ]
)


_VERB_ONLY = VERBS - _NOUNISH_WORDS


@dataclass(frozen=True)
class Statement:
    text: str  # a sentence the claim reader can read
    quote: str  # the notes' own words it was made from
    subject: str = ""  # the heading or parent bullet whose service it was given ("" = its own)


def statements(text: str, heading: str, catalog: ServiceCatalog, settings: AnswerConfig) -> list[Statement]:
    """A chunk's units (its ``text`` under ``heading``), each a sentence; bare predicates get
    the service they sit under."""
    out: list[Statement] = []
    titles = _titles(text, catalog, settings.label_words)
    slide = heading.split(HEADING_SEPARATOR)[-1].strip() if heading else ""
    # An answer says a bullet with its short children as one unit; a question asks about one
    # child at a time, under that bullet as its subject: no grouping here.
    top = min((_indent(line) for line in text.splitlines() if is_bullet(line)), default=0)
    for unit in answer_units(text, heading, settings.model_copy(update={"group_words": 0})):
        subject = unit.subject
        at = text.find(unit.own[:40])
        if subject == slide and titles:
            # A title line inside the chunk ("Serverless Application Repository") is nearer
            # than the slide's heading: the paragraph after it is about that service.
            before = [t for pos, t in titles if pos < at]
            subject = before[-1] if before and at >= 0 else subject
        line = text[text.rfind("\n", 0, at) + 1 : at] if at >= 0 else ""
        if subject == slide and BULLET.match(line.strip() + " ") and _indent(line) > top:
            # Deeper than the chunk's own bullets with no parent here: its parent ("Robust
            # Scaler", a concept) was cut off into the chunk before, not the slide's service.
            subject = ""
        for sentence in split_sentences(unit.own) or [unit.own]:
            out.append(rebuild(sentence, subject, catalog))
    return list({s.text: s for s in out}.values())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _titles(text: str, catalog: ServiceCatalog, label_words: int) -> list[tuple[int, str]]:
    """Lines of ``text`` that are a service's name alone (a title the chunker kept inside the
    chunk), with their offsets."""
    found: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        plain = line.strip()
        if plain and not is_bullet(plain) and len(plain.split()) <= label_words and _subject_service(plain, catalog):
            found.append((offset, plain))
        offset += len(line)
    return found


def rebuild(sentence: str, subject: str, catalog: ServiceCatalog) -> Statement:
    """``sentence`` with ``subject``'s service put back when it is a predicate without one."""
    sentence = sentence.strip()
    service = _subject_service(subject, catalog)
    claim = read_claim(sentence, catalog)
    body = sentence.rstrip(" .;")
    if (
        service is None
        or (claim is not None and claim.shape != MENTION)
        or service in catalog.find(body)  # it names its subject: a statement of its own, or a mention
        or not body[:1].islower()  # a capitalised start is a subject of its own
        or ";" in body  # a list of bullets joined by the outline reader
        or _START_WORDS.match(body)
    ):
        return Statement(sentence, sentence)
    words = body.split()
    lead = 1 if len(words) > 1 and is_adverb(words[0]) else 0
    verb, after = words[lead].lower(), (words[lead + 1].lower() if len(words) > lead + 1 else "")
    compound = after in {"based", "driven", "like", "style", "wide", "level"}  # "poll based options": an adjective
    if is_verb(verb) and not verb.endswith(("ed", "ing")) and not compound:
        if verb.endswith("s") and not verb.endswith("ss"):  # "loads data ..." -> "Firehose loads data ..."
            return Statement(f"{service.name} {body}.", sentence, subject)
        if verb in _VERB_ONLY and not (is_verb(after) and after.endswith("s")):
            return Statement(f"{service.name} can {body}.", sentence, subject)  # "copy data ..." -> "DataSync can copy data ..."
        return Statement(sentence, sentence)
    plain = _PARENS.sub("", body)
    marker = next((m for m in _NOUN_CLAUSE.finditer(plain) if not m.group(0).lower().startswith("to ") or is_verb(m.group(1))), None)
    head = plain[: marker.start()].split() if marker else []
    if (
        marker
        and 0 < len(head) <= 6
        and "," not in " ".join(head)
        and not verb.endswith(("ed", "ing"))
        and not any(is_verb(w) and w.endswith("s") for w in head)
        and not _plural(_head_noun(head))
    ):
        noun = body if _ARTICLE.match(body) else f"{'an' if body[0] in 'aeiou' else 'a'} {body}"
        return Statement(f"{service.name} is {noun}.", sentence, subject)  # "tool to clean ..." -> "X is a tool to clean ..."
    return Statement(sentence, sentence)


def _head_noun(head: list[str]) -> str:
    """The noun an article would go with: "permissions" in "permissions enforced for ...", where a
    participle after it starts a clause of its own, else the last word ("tool" of "tool to ...")."""
    return head[-2] if len(head) > 1 and head[-1].lower().endswith("ed") else head[-1]


def _plural(word: str) -> bool:
    w = word.lower().strip(",")
    return w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _subject_service(subject: str, catalog: ServiceCatalog) -> Service | None:
    """The service ``subject`` is, exactly ("Amazon S3", "AWS SAM (Serverless Application
    Model)"), not one it merely mentions ("Lambda invocation methods")."""
    name = re.sub(r"\s*\([^)]*\)", "", subject).strip(" :–—-")
    return catalog.lookup(name) if name else None
