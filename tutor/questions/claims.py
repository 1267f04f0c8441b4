"""Claims: "for this need, use these services (not those)", read from one sentence of notes.

Study notes state their exam facts in a few shapes, all of which name a need and an answer:

    - Analysts need occasional SQL on logs in S3 with no infrastructure -> Amazon Athena.
    - Choose Amazon Redshift over Athena for heavy, repeated BI workloads.
    - Amazon Athena is a serverless query service that runs SQL on data in Amazon S3.

The offline generator turns claims into questions, and the solver weighs the claims it
retrieves to answer a question without seeing its key: one reader for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.questions.requirement import starts_with_verb
from tutor.retrieve.synonyms import Service, ServiceCatalog

SCENARIO, CHOOSE, DEFINITION, MENTION = "scenario", "choose", "definition", "mention"

_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")
_CHOOSE = re.compile(r"^(?:choose|pick|use|prefer)\s+(?P<x>.+?)(?:\s+over\s+(?P<y>.+?))?\s+(?P<how>when|for|if|to)\s+(?P<cond>.+)$", re.I)
_OWN_SUBJECT = re.compile(r"^(?:(?:a|the) )?(?:company|customer|business|organi[sz]ation) (?:needs|wants|requires) (?:to )?", re.I)
_PARENS = re.compile(r"\([^)]*\)")
_QUOTES = "\"'“”‘’"
_NEGATION = re.compile(r"\b(not|never|cannot|can't|isn't|doesn't|does not|is not|instead of|rather than|unlike)\b", re.I)
_CONDITIONAL = re.compile(r"\b(if|unless|only when)\b", re.I)
_COMBINE = re.compile(r"\b(plus|and|with|together with|then)\b", re.I)
_DEF_VERB = re.compile(r"^(?:can\b|[a-z]+(?<!s)s\b)")  # "loads", not "access" (a noun as often)
_NOT_VERBS = {"is", "was", "has", "does", "uses", "needs", "its", "this", "costs", "charges", "bills", "keeps"}


@dataclass(frozen=True)
class Claim:
    """One sentence's answer to one need."""

    shape: str  # scenario | choose | definition | mention
    need: str  # the requirement, worded so it can follow "A company needs ..." or stand alone
    how: str  # how the need reads: "clause" | "for" | "to" | "noun" ("a ... service") | "that" (a verb phrase)
    answers: tuple[Service, ...]
    rejected: tuple[Service, ...]
    sentence: str
    alternatives: bool = False  # several answers, each enough on its own ("X, or Y")


def named_services(catalog: ServiceCatalog, text: str) -> list[Service]:
    """Services ``text`` names with their own capitalisation: "Bedrock batch inference" does not
    name AWS Batch, though the catalog's case-insensitive lookup finds "batch"."""
    return [
        s
        for s in catalog.find(text)
        if any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) for name in (s.name, s.short_name, *s.aliases))
    ]


def _clean(text: str) -> str:
    text = re.sub(r"\s+([,;:])", r"\1", re.sub(r"\s+", " ", _PARENS.sub("", text)))
    return text.strip().strip(_QUOTES).strip().rstrip(".").strip().strip(_QUOTES).strip()


def _first_clause(text: str) -> str:
    """ "X for A; choose Y for B": the need is A, the rest is another claim."""
    return text.split("; ", 1)[0].rstrip(" ,")


def read_claim(sentence: str, catalog: ServiceCatalog) -> Claim | None:
    """The claim a sentence makes, or None when it names no service in an answer position."""
    sentence = sentence.strip()
    if "->" in sentence or "→" in sentence or "=>" in sentence:
        left, right = _ARROW.split(sentence, maxsplit=1)
        return _scenario(sentence, left, right, catalog)
    if m := _CHOOSE.match(sentence):
        return _choose(sentence, m, catalog)
    return _definition(sentence, catalog)


def _scenario(sentence: str, left: str, right: str, catalog: ServiceCatalog) -> Claim | None:
    # "company needs X -> Y": the stem says the company has the requirement; the need is X.
    need, answer = _OWN_SUBJECT.sub("", _clean(left)), _clean(right)
    if not need or not answer or _CONDITIONAL.search(answer) or _NEGATION.search(answer):
        return None
    in_need = set(named_services(catalog, need))
    answers = tuple(s for s in named_services(catalog, answer) if s not in in_need)
    if not answers or len(answers) > 2:
        return None
    return Claim(SCENARIO, need, "clause", answers, (), sentence, alternatives=", or " in answer or " or " in answer)


def _choose(sentence: str, m: re.Match[str], catalog: ServiceCatalog) -> Claim | None:
    cond = _first_clause(_clean(m["cond"]))
    x = _clean(m["x"].split(", often")[0])
    in_cond = set(named_services(catalog, cond))
    named = [s for s in named_services(catalog, x) if s not in in_cond]
    if not named or _NEGATION.search(x) or re.match(r"^\S+ over\b", cond):
        return None  # "choose X for DynamoDB over DynamoDB Streams when ...": "for" was not the need's
    # "Athena with Amazon QuickSight" is a pair; "Amazon SNS, often with SQS" keeps only SNS.
    answers = tuple(named[:2]) if len(named) > 1 and _COMBINE.search(x) else (named[0],)
    rejected = tuple(s for s in named_services(catalog, m["y"] or "") if s not in answers)
    how = {"when": "clause", "if": "clause", "for": "for", "to": "to"}[m["how"].lower()]
    cond = re.sub(r"^the (?:question|requirement|scenario|exam) (?:asks for|is|needs|says)\s+", "the team needs ", cond)
    return Claim(CHOOSE, cond, how, answers, rejected, sentence)


def _definition(sentence: str, catalog: ServiceCatalog) -> Claim | None:
    """ "<Service> is a ..." / "<Service> <verb>s ...": only when the subject is exactly one service."""
    found = named_services(catalog, sentence)
    if not found or _NEGATION.search(sentence):
        return None
    subject = found[0]
    names = sorted({subject.name, subject.short_name, *subject.aliases}, key=len, reverse=True)
    for name in names:
        if sentence.lower().startswith(name.lower() + " "):
            rest = sentence[len(name) + 1 :].strip()
            break
    else:
        return Claim(MENTION, sentence, "clause", tuple(found), (), sentence)
    is_a = re.match(r"is (?:a|an|the)\b", rest) is not None
    # "<Service> permissions for ..." has no verb: the notes' shorthand, not a definition.
    verb = _DEF_VERB.match(rest) is not None and rest.split(" ", 1)[0] not in _NOT_VERBS and starts_with_verb(rest)
    named = named_services(catalog, rest)
    # A predicate naming its own subject or a same-category rival is a comparison, not a definition.
    if not (is_a or verb) or any(s == subject or s.category == subject.category for s in named):
        return Claim(MENTION, sentence, "clause", tuple(found), (), sentence)
    predicate = _first_clause(_clean(rest))
    if predicate.startswith("is "):
        predicate = predicate[3:]  # "a serverless query service that ..."
        how = "noun"
    else:
        how = "that"
    return Claim(DEFINITION, predicate, how, (subject,), (), sentence)
