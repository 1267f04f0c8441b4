"""Follow-ups become standalone queries before retrieval.

"And how long can I stretch that?" retrieves nothing useful on its own. With a real model
configured the condense prompt rewrites it; offline, the previous questions lend it their
service names and topic words when the new message leans on them (pronouns, "and ...",
"what about ...", or just very few content words).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tutor.answer.sentences import STOPWORDS, content_terms

if TYPE_CHECKING:
    from tutor.retrieve.synonyms import ServiceCatalog

_LEANS = re.compile(
    r"\b(it|its|that|this|those|these|they|them|their|there|one|ones|same|above|previous)\b|^\s*(and|or|but|so|also|what about|how about|then)\b",
    re.I,
)
_SHORT = 5  # a message with fewer content words than this is read as a follow-up
_WORD = re.compile(r"[A-Za-z][\w.\-]*[A-Za-z0-9]|\d[\d,.]*")


def leans_on_history(question: str) -> bool:
    return bool(_LEANS.search(question)) or len(content_terms(question)) < _SHORT


def rewrite(question: str, previous: list[str], catalog: ServiceCatalog) -> str:
    """``question`` plus the services and topic words of the latest earlier question it leans on."""
    if not previous or not leans_on_history(question):
        return question
    own_terms = content_terms(question)
    own_services = catalog.find(question)
    carried: list[str] = []
    for earlier in reversed(previous):
        services = catalog.find(earlier)
        if not own_services:
            carried += [s.short_name for s in services]
        carried += [w for w in _WORD.findall(earlier) if w.lower() not in STOPWORDS and not content_terms(w) <= own_terms]
        if services:
            break  # the latest question that names a service sets the topic
    words = [w for w in dict.fromkeys(carried) if content_terms(w)]
    return f"{question} ({' '.join(words)})" if words else question
