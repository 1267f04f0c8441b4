"""What a question asks about its subject, and whether any answering unit says it.

Every name in "What types of EC2 placement groups are there?" is in notes that mention EC2
and, once, ECS task placement; "Fargate and EC2 launch types" scores well on "EC2" and
"types". The vocabulary check passes and the relevance floor too: what is missing is the
point of the question. So when the question asks about its subject with a word the notes
barely use ("placement": one passage), some unit that would answer must say one of the
things asked: a unit relevant on its own, or one of the first few from a passage that names
the subject ("Task placement" in a passage on ECS never named EC2). A word the notes use
often is no such sign: students and notes name common things differently. But a word the
rare one qualifies in the question is not said by a unit that writes it with another word
in that place: "Deployment Group" says nothing of "placement groups".

Likewise a question that asks for a number needs a unit that gives one, but only the part of
it that asks for the number: in "Which metric shows how many copies run?" it is the name.
And the number must be the asked service's own: notes that give Aurora's default retention
period, or MemoryDB's largest cluster, do not answer the same question about RDS or Redshift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise, product
from typing import TYPE_CHECKING

from tutor.answer.extractive import rank_sentences
from tutor.answer.focus import ASKING_DEGREES, EXTREMES, answers_quantity, question_parts, states_money, wants_count, wants_quantity
from tutor.answer.follow_up import names_something
from tutor.answer.sections import written_names
from tutor.answer.sentences import content_terms
from tutor.answer.vocabulary import Vocabulary, named_runs
from tutor.retrieve.synonyms import without_vendor

if TYPE_CHECKING:
    from collections.abc import Callable

    from tutor.answer.extractive import Candidate
    from tutor.answer.scoring import SentenceScorer
    from tutor.answer.sections import Sections
    from tutor.config import AnswerConfig
    from tutor.retrieve import Hit
    from tutor.retrieve.synonyms import ServiceCatalog

_WORD = re.compile(r"[A-Za-z0-9][\w.\-/]*[A-Za-z0-9]|[A-Za-z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][\w-]*|[^\w\s]")  # words and the punctuation between them
# Words that ask for the number rather than say what it is of: focus's asking words, and the nouns of it.
_MEASURE_WORD = re.compile(rf"{ASKING_DEGREES}|{EXTREMES}|default|size|number|limit|time|duration|amount|total|most|least", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# "What's the largest message size I can configure?": how far a setting goes. A default the notes
# say "can be raised", and not to what, is where it starts ("Default max message size ~1 MB: can
# be raised with a custom configuration"): no answer to that.
_ASKS_HOW_FAR = re.compile(rf"\b(?:{EXTREMES})\b.*\b(?:configure|set|raise|increase)\b", re.I)
_DEFAULT = re.compile(r"\bdefault\b", re.I)
_RAISABLE_DEFAULT = re.compile(r"\bdefault\b.*\bcan\s+be\s+(?:raised|increased|extended)\b(?!\s+(?:up\s+)?to\b)", re.I)
_ASKS_BILLING = re.compile(
    r"\bhow\s+(?:is|are|does|do)\s+(?:[\w@-]+\s+){1,6}?(?:billed|charged|priced|charge|bill)\b|\bpricing\s+work\b", re.I
)
_BILLING_WORDS = frozenset(content_terms("charge charged billed bill pay pays price pricing cost costs free"))
# "How many buckets can one account create?", "... per Region", "one API Gateway account": a quota,
# counted over that scope.
_SCOPE = re.compile(r"\b(?:per|each|every|one|an?)\s+(?-i:(?:[A-Z][\w-]*\s+){0,3})(account|region)\b", re.I)
# "Which option ...?", "Which CloudWatch metric ...?": the answer is a thing, not a value.
_WHICH_THING = re.compile(r"\s*which\s+(?!(?:is|are|was|were|one|ones)\b)[a-z]", re.I)
# "What's the deduplication interval ...?", "What default TTL does ...?", "... throttle limit by default?":
# settings whose value is a number.
_ASKS_SETTING = re.compile(
    r"\bwhat(?:'s|’s|\s+is|\s+are)\s+the\s+(?:[\w-]+\s+){0,3}?(?:ttl|timeout|interval|retention\s+period)\b"
    r"|\bdefault\s+(?:ttl|timeout|interval|retention|limit|quota)\b|\b(?:limit|quota)\s+by\s+default\b",
    re.I,
)


def asks_for_a_number(question: str) -> bool:
    """Whether some part of ``question`` asks for a size, a limit, a duration or a price.

    Not when the number only describes the thing asked for: "Which metric shows how many
    copies of a function run at once?", "A company needs the lowest recovery time ... Which
    option do the notes recommend?" are answered by a name."""
    for part in question_parts(question):
        asking = _SENTENCE.split(part.strip())[-1]
        if (wants_quantity(part) or _ASKS_SETTING.search(part)) and not _WHICH_THING.match(asking):
            return True
    return False


@dataclass(frozen=True)
class Evidence:
    """What the checks read besides the question and its ranked units: the retrieved passages,
    what the notes write, and how to read them (the section a passage sits in, units re-ranked
    for one part of a two-part question)."""

    hits: list[Hit]
    vocabulary: Vocabulary
    catalog: ServiceCatalog
    settings: AnswerConfig
    sections: Sections
    scorer: SentenceScorer


def asks_how_billed(question: str) -> bool:
    """Whether ``question`` asks how a service is billed ("How is Athena billed?", "How does
    Origin Shield pricing work?"): only a unit that says what it charges for answers it."""
    return bool(_ASKS_BILLING.search(question))


def says_how_billed(question: str, ranked: list[Candidate], evidence: Evidence) -> bool:
    """Whether a unit that would answer ``question`` says how the service it asks about charges
    (in words, or by an amount: "$5 per TB scanned")."""

    def says(c: Candidate, _hit: Hit | None) -> bool:
        return bool(_BILLING_WORDS & content_terms(c.text)) or states_money(c.text)

    return _a_unit_says(question, ranked, evidence, says)


def asked_terms(question: str, vocabulary: Vocabulary) -> set[str]:
    """Stemmed words that name what ``question`` asks about its subject and the notes use.

    The subject (its named runs) and words naming nothing ("types", "itself") are left out."""
    subject = set().union(*(content_terms(run) for run in named_runs(question)))
    words = [w for w in _WORD.findall(question) if names_something(w.lower()) and not w.lower().endswith(("self", "selves"))]
    terms = set().union(*(content_terms(w) for w in words)) - subject
    return {t for t in terms if vocabulary.passages.get(t, 0)}


def misses_specifics(question: str, ranked: list[Candidate], evidence: Evidence) -> bool:
    """True when ``question`` asks about its subject with a word the notes barely use, and
    no unit that would answer (``ranked``, from the evidence's hits) says anything it asks about."""
    hits, vocabulary, catalog, settings = evidence.hits, evidence.vocabulary, evidence.catalog, evidence.settings
    asked = asked_terms(question, vocabulary)
    if not any(vocabulary.passages[t] <= settings.specific_passages for t in asked):
        return False
    subject = named_runs(question)
    about = {h.rank for h in hits if not subject or any(Vocabulary.from_chunks([h]).mentions(s, catalog) for s in subject)}
    answering = [c for c in ranked if c.relevance >= settings.min_relevance]
    answering += [c for c in ranked[: settings.max_sentences] if c.n in about]
    qualifiers = _qualifiers(question, asked, {t for t in asked if vocabulary.passages[t] <= settings.specific_passages})
    pinned = rare_terms(question, vocabulary, catalog, settings)
    return not any(_says(asked, qualifiers, c) or pinned and pinned <= content_terms(c.text) for c in answering)


def rare_terms(question: str, vocabulary: Vocabulary, catalog: ServiceCatalog, settings: AnswerConfig) -> set[str]:
    """The words of the terms ``question`` asks about (no service) that the notes barely use: "F1",
    "MCU". The unit that names one is the notes' whole say on it, and a rare question word only how
    it was asked ("how much compute is one MCU", "how do you compute F1"). A service has many
    sides: "EC2" in two passages says nothing of its placement groups."""
    named = set().union(*(content_terms(run) for run in named_runs(question) if not catalog.find(run)))
    return {t for t in named if 0 < vocabulary.passages.get(t, 0) <= settings.specific_passages}


def _qualifiers(question: str, asked: set[str], rare: set[str]) -> dict[str, list[tuple[str, int]]]:
    """Each asked term -> the rare asked words written next to it, and on which side
    ("placement groups": "group" -> [("placement", -1)]): the word that tells which groups."""
    words = [content_terms(w) & asked for w in _WORD.findall(question)]
    out: dict[str, list[tuple[str, int]]] = {}
    for left, right in pairwise(words):
        for term, beside, side in [*((a, b, 1) for a, b in product(left, right)), *((b, a, -1) for a, b in product(left, right))]:
            if beside in rare and beside != term:
                out.setdefault(term, []).append((beside, side))
    return out


def _says(asked: set[str], qualifiers: dict[str, list[tuple[str, int]]], unit: Candidate) -> bool:
    """Whether ``unit`` says something asked: an asked word, unless the unit writes it only
    with another word where the question has a rare one ("Deployment Group" says nothing of
    "placement groups", a bare "groups" might) and neither it nor the heading or bullet it
    sits under uses the question's word."""
    terms = content_terms(unit.text)
    near = terms | content_terms(f"{unit.context}\n{unit.subject}")
    for term in asked & terms:
        missing = [side for word, side in qualifiers.get(term, []) if word not in near]
        if not any(_written_with_another(unit.text, term, side) for side in missing):
            return True
    return False


def _written_with_another(text: str, term: str, side: int) -> bool:
    """Whether every ``term`` in ``text`` has a content word right beside it on ``side``."""
    tokens = _TOKEN.findall(text)
    found = [i for i, token in enumerate(tokens) if term in content_terms(token)]
    return bool(found) and all(0 <= i + side < len(tokens) and content_terms(tokens[i + side]) for i in found)


def gives_the_number(question: str, ranked: list[Candidate], evidence: Evidence) -> bool:
    """Whether a unit that would answer (``ranked``, for ``question``) gives the number it asks
    for, of the service it asks about; for a two-part question, one part's own best units will do
    ("How long can an API Gateway integration run, and how big a body will it take?").

    A unit is the service's when it or its heading names it, or, under a heading that names no
    service, its passage does, or, in a passage that names none, its section was opened with it
    (:mod:`tutor.answer.sections`: "LOB HANDLING" on a slide after "AWS DMS"). A unit under
    another service's heading ("Clusters may have up to 500 nodes" under MemoryDB) gives that
    one's numbers, not the one asked ("How many nodes can a Redshift cluster have?"); so does one
    that names only others, in a passage that never names the service asked ("maximum message
    size: 10 MB" on SES, asked of SNS), if it writes them as names ("cheapest for batch" is no
    AWS Batch). The unit must also say what the number is of, in a word of the question ("query
    results are kept 24 hours" answers nothing about Redshift's snapshots), and a default it says
    can be raised is not how far one can configure it. A name for one part of a service
    ("Lambda@Edge") must be in the unit's passage too. A question that names no catalog service
    needs a passage that names what it does name ("AppSync"), if anything."""
    if _gives(question, ranked, evidence):
        return True
    parts = question_parts(question)
    return len(parts) > 1 and any(_gives(p, rank_sentences(evidence.scorer, p, evidence.hits, evidence.settings), evidence) for p in parts)


def _gives(question: str, ranked: list[Candidate], evidence: Evidence) -> bool:
    about = _about(question)
    # Only a count is a quota: "how long to copy a snapshot to a Region" asks nothing per Region.
    scope = set().union(*(content_terms(m) for m in _SCOPE.findall(question))) if wants_count(question) else set()
    how_far = bool(_ASKS_HOW_FAR.search(question)) and not _DEFAULT.search(question)
    pinned = rare_terms(question, evidence.vocabulary, evidence.catalog, evidence.settings)

    def says(c: Candidate, hit: Hit | None) -> bool:
        # A number in a unit not close to the question on its own ("... within a 5-minute
        # interval", asked for a size) is some other number of the service.
        if not answers_quantity(question, c.text, end=False):
            return False
        if how_far and _RAISABLE_DEFAULT.search(c.text):
            return False
        said = content_terms(f"{c.text}\n{c.context}\n{c.subject}")
        # "query results are kept 24 hours" is Redshift's, but no number of its snapshots; a term
        # the notes barely name is what its own line's number is of ("MCU = 1 vCPU and 4 GiB").
        if hit and about and not about & said and not (pinned and pinned <= said):
            return False
        # "the first bucket replicates to a second bucket" counts no buckets an account may have: a quota is
        # given with the account or Region it is counted over.
        return not hit or scope <= said | content_terms(hit.heading)

    return _a_unit_says(question, ranked, evidence, says)


def _a_unit_says(question: str, ranked: list[Candidate], evidence: Evidence, says: Callable[[Candidate, Hit | None], bool]) -> bool:
    """Whether a unit close enough to ``question`` ``says`` what it asks, of the service it asks about."""
    catalog, settings = evidence.catalog, evidence.settings
    asked = _services(catalog, question)
    part = _part_of_a_service(question, catalog)
    by_rank = {h.rank: h for h in evidence.hits}
    for c in ranked[: settings.max_sentences]:
        if c.relevance < settings.min_relevance:
            continue
        hit = by_rank.get(c.n)
        if says(c, hit) and (hit is None or _owned(question, asked, part, c, hit, catalog, evidence.sections)):
            return True
    return False


def _owned(question: str, asked: set[str], part: set[str], c: Candidate, hit: Hit, catalog: ServiceCatalog, sections: Sections) -> bool:
    """Whether unit ``c`` (of passage ``hit``) is about the ``asked`` services of ``question`` and their ``part``."""
    # Lambda's timeout is not Lambda@Edge's: a passage that never says "Edge" is about the rest of Lambda.
    if not part <= content_terms(f"{hit.heading}\n{hit.text}\n{c.context}"):
        return False
    if not asked:
        # "the maximum size of an AppSync response": a name the catalog does not know is still the
        # subject, and "no response size limits" under API Gateway is not about it.
        named = named_runs(question)
        return not named or any(Vocabulary.from_chunks([hit]).mentions(n, catalog) for n in named)
    if asked & _services(catalog, f"{hit.heading}\n{c.text}"):
        return True
    # Under another service's heading the number is that service's; else the passage tells
    # ("... comes with 50 GB, depending on the EC2 instance class" in a passage on DMS), and
    # a passage that names none is its section's.
    if written_names(catalog, hit.heading):  # "Producer batch limits" is no AWS Batch heading
        return False
    if asked & _services(catalog, hit.text):
        return True
    return not written_names(catalog, hit.text) and bool(asked & sections.subject(hit))


def _about(question: str) -> set[str]:
    """The words of ``question`` that say what its number is of: not its subject, not how it asks."""
    subject = set().union(*(content_terms(run) for run in named_runs(question)))
    words = [w for w in _WORD.findall(question) if not _MEASURE_WORD.fullmatch(w)]
    return set().union(*(content_terms(w) for w in words)) - subject


def _part_of_a_service(question: str, catalog: ServiceCatalog) -> set[str]:
    """The words that make a name in ``question`` one part of a service ("Lambda@Edge", "Glue
    DPU", "Aurora Replicas": "edge", "dpu", "replica"), beyond any name the catalog knows it by."""
    words: set[str] = set()
    for run in named_runs(question):
        found = catalog.find(run)
        if not found or catalog.lookup(run) or catalog.lookup(without_vendor(run)):
            continue
        names = (n for s in found for n in (s.name, *s.aliases))
        words |= content_terms(run) - set().union(*(content_terms(n) for n in names))
    return words


def _services(catalog: ServiceCatalog, text: str) -> set[str]:
    return {s.name for s in catalog.find(text)}
