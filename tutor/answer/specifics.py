"""What a question asks about its subject, and whether any answering unit says it.

Every name in "What types of EC2 placement groups are there?" is in notes that mention EC2
and, once, ECS task placement; "Fargate and EC2 launch types" scores well on "EC2" and
"types". The vocabulary check passes and the relevance floor too: what is missing is the
point of the question. So when the question asks about its subject with a word the notes
barely use ("placement": one passage), some unit that would answer must say one of the
things asked: a unit relevant on its own, or one of the first few from a passage that names
the subject ("Task placement" in a passage on ECS never named EC2). A word the notes use
often is no such sign: students and notes name common things differently.

Likewise a question that asks for a number needs a unit that gives one, but only the part of
it that asks for the number: in "Which metric shows how many copies run?" it is the name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tutor.answer.focus import question_parts, wants_quantity
from tutor.answer.follow_up import names_something
from tutor.answer.sentences import content_terms
from tutor.answer.vocabulary import Vocabulary, named_runs

if TYPE_CHECKING:
    from tutor.answer.extractive import Candidate
    from tutor.config import AnswerConfig
    from tutor.retrieve import Hit
    from tutor.retrieve.synonyms import ServiceCatalog

_WORD = re.compile(r"[A-Za-z0-9][\w.\-/]*[A-Za-z0-9]|[A-Za-z0-9]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# "Which option ...?", "Which CloudWatch metric ...?": the answer is a thing, not a value.
_WHICH_THING = re.compile(r"\s*which\s+(?!(?:is|are|was|were|one|ones)\b)[a-z]", re.I)


def asks_for_a_number(question: str) -> bool:
    """Whether some part of ``question`` asks for a size, a limit, a duration or a price.

    Not when the number only describes the thing asked for: "Which metric shows how many
    copies of a function run at once?", "A company needs the lowest recovery time ... Which
    option do the notes recommend?" are answered by a name."""
    for part in question_parts(question):
        asking = _SENTENCE.split(part.strip())[-1]
        if wants_quantity(part) and not _WHICH_THING.match(asking):
            return True
    return False


def asked_terms(question: str, vocabulary: Vocabulary) -> set[str]:
    """Stemmed words that name what ``question`` asks about its subject and the notes use.

    The subject (its named runs) and words naming nothing ("types", "itself") are left out."""
    subject = set().union(*(content_terms(run) for run in named_runs(question)))
    words = [w for w in _WORD.findall(question) if names_something(w.lower()) and not w.lower().endswith(("self", "selves"))]
    terms = set().union(*(content_terms(w) for w in words)) - subject
    return {t for t in terms if vocabulary.passages.get(t, 0)}


def misses_specifics(
    question: str,
    ranked: list[Candidate],
    hits: list[Hit],
    vocabulary: Vocabulary,
    catalog: ServiceCatalog,
    settings: AnswerConfig,
) -> bool:
    """True when ``question`` asks about its subject with a word the notes barely use, and
    no unit that would answer (``ranked``, from ``hits``) says anything it asks about."""
    asked = asked_terms(question, vocabulary)
    if not any(vocabulary.passages[t] <= settings.specific_passages for t in asked):
        return False
    subject = named_runs(question)
    about = {h.rank for h in hits if not subject or any(Vocabulary.from_chunks([h]).mentions(s, catalog) for s in subject)}
    answering = [c for c in ranked if c.relevance >= settings.min_relevance]
    answering += [c for c in ranked[: settings.max_sentences] if c.n in about]
    return not any(asked & content_terms(c.text) for c in answering)
