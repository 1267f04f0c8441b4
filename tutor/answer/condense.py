"""Follow-ups become standalone queries before retrieval.

"And how long can I stretch that?" retrieves nothing useful on its own. With a real model
configured the condense prompt rewrites it; offline, the turn it leans on lends it its
subject: the services and the words that name something, not the value it asked for
("default", "max") nor every word it had. Only a follow-up (:func:`is_follow_up`) is
rewritten; a question that names its own subject is searched as typed.

The subject a follow-up inherits is carried on through a chain of follow-ups without
growing: "What is the default visibility timeout of an SQS queue?" -> "What's the max?" ->
"And the minimum?" searches the last one with the first one's subject only.

How much of the subject a follow-up needs depends on what it says itself. A whole question
with words of its own ("And how long can one invocation run?" after a Lambda container
image) takes the earlier turn's names only (services, technical terms): its other words are
what the student has moved away from. A pronoun ("Which resources can it point at?") stands
for the whole subject, and a fragment ("What about local ones?" after "How many global
secondary indexes ...?") also asks again what the earlier turn asked: how many.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tutor.answer.focus import wants_quantity
from tutor.answer.follow_up import is_follow_up, is_noun_phrase, is_technical, own_question, points_back, topic_word

if TYPE_CHECKING:
    from tutor.retrieve.synonyms import ServiceCatalog

_WORD = re.compile(r"[A-Za-z0-9][\w./+-]*[A-Za-z0-9]|[A-Za-z0-9]")
_CARRIED = re.compile(r"^(?P<question>.*\?)\s+\((?P<subject>[^()]*)\)$", re.S)


def rewrite(question: str, previous: list[str], catalog: ServiceCatalog) -> str:
    """``question``, and in brackets the subject of the turn it leans on if it is a follow-up.

    ``previous`` are the earlier questions of the conversation, oldest first.
    """
    if not previous or not is_follow_up(question, catalog):
        return question
    own = {w.lower() for w in _WORD.findall(question)}
    # "And Firehose?" puts its own service in place of the earlier one; in "How does it
    # differ from OpenSearch?" the earlier one is "it".
    pointing = points_back(question, catalog)
    swaps_service = bool(catalog.find(question)) and not pointing
    names_only = own_question(question)[1] and not pointing
    carried = [
        (term, is_service)
        for term, is_service in _topic(previous, catalog)
        if not (is_service and swaps_service)
        and not {w.lower() for w in _WORD.findall(term)} <= own
        and (is_service or not names_only or is_technical(term) or term[:1].isupper())
    ]
    ask = "" if not is_noun_phrase(question) or wants_quantity(question) else _quantity_ask(previous[-1])
    # Each service, then the other words, apart: "(SageMaker Data Wrangler; Robust Scaler)"
    # must not read as one name "Data Wrangler Robust Scaler" the notes never wrote.
    services = [term for term, is_service in carried if is_service and catalog.lookup(term) is not None]
    words = " ".join(term for term, _ in carried if term not in services)
    parts = [*([ask] if ask else []), *services, *([words] if words else [])]
    return f"{question} ({'; '.join(parts)})" if parts else question


def carried(query: str) -> tuple[str, str]:
    """``(question, subject)`` of a query :func:`rewrite` made; ``(query, "")`` for any other."""
    match = _CARRIED.match(query)
    return (match["question"], match["subject"]) if match else (query, "")


def _quantity_ask(question: str) -> str:
    """The words by which ``question`` asks for a number ("How many", "What's the maximum"), or ""."""
    words = question.split()
    return next((" ".join(words[:n]) for n in range(1, 6) if wants_quantity(" ".join(words[:n]))), "")


def subject(text: str, catalog: ServiceCatalog) -> list[tuple[str, bool]]:
    """(term, is a service) for what ``text`` is about: its services, then the words that
    name something, in the order written; a service's own words are not repeated."""
    services = catalog.find(text)
    rest = text
    for name in sorted({n for s in services for n in (s.name, s.short_name, *s.aliases)}, key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", rest, flags=re.I)
    words = [w for w in _WORD.findall(rest) if topic_word(w.lower())]
    # "Kinesis" alone names no one service, but it is a service's word: "And Firehose?" drops it.
    brands = {w for s in catalog.services.values() for n in (s.name, *s.aliases) for w in _WORD.findall(n) if w[:1].isupper()}
    return [(s.short_name, True) for s in services] + [(w, w in brands) for w in dict.fromkeys(words)]


def _topic(previous: list[str], catalog: ServiceCatalog) -> list[tuple[str, bool]]:
    """The subject of the latest turn; a follow-up turn has the one it inherited (with its
    own service in place of the inherited one, if it named one)."""
    topic: list[tuple[str, bool]] = []
    for question in previous:
        own = subject(question, catalog)
        if topic and is_follow_up(question, catalog):
            own_services = [t for t in own if t[1]]
            topic = own_services + [t for t in topic if not (t[1] and own_services)]
        else:
            topic = own
    return topic
