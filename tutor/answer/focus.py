"""What a question asks for besides its subject: whether it wants a number, and which end of a range.

"How big can a Lambda container image be?" asks for a quantity: a sentence with no number
in it ("the runtime interface client in your container image ...") does not answer it, however
many of its words it shares.
"""

from __future__ import annotations

import re

# "How long ...", "the maximum ...", "how many days ...": the answer is a number (or "no limit").
_WANTS_QUANTITY = re.compile(
    r"\bhow\s+(?:big|large|long|many|much|fast|often|far|high|low|small|old|soon|quickly|frequently)\b"
    r"|\b(?:max|maximum|minimum|largest|biggest|longest|smallest|shortest|highest|lowest|fewest)\b"
    r"|\b(?:price|priced|cost|costs|charge|charges|discount)\s+(?:per|of|for)\b"
    r"|\bwhat\s+(?:is|'s|’s|are)\s+the\s+(?:size|limit|quota|duration|timeout|rate|throughput|price|cost)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"(?<![\w.-])\d|\b(?:daily|hourly|weekly|monthly|yearly|annually|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"ninety|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|twice|double|triple|half|"
    r"unlimited|infinite|indefinitely|forever|no\s+(?:limit|maximum|max|cap))\b"
    # "well under a minute", "a few hours": a duration without a digit.
    r"|\b(?:an?|a\s+few|several)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)


# Which end of a range a question asks for, and how a sentence states that end.
_ASKS_MAX = re.compile(
    r"\b(?:max|maximum|longest|largest|biggest|highest|most|stretch|raise|increase|extend)\b"
    r"|\bhow\s+(?:high|long|big|large|many|much)\s+can\b",
    re.I,
)
_ASKS_MIN = re.compile(r"\b(?:minimum|shortest|smallest|lowest|least|fewest)\b|\bhow\s+(?:low|short|small)\b", re.I)
_STATES_MAX = re.compile(
    r"\b(?:up\s+to|at\s+most|maximum|max|limit|cap|no\s+more\s+than|as\s+(?:high|long|large|much|many)\s+as)\b"
    r"|\b(?:raised|increased|extended|set|configured|scale[sd]?|goes?)\s+(?:up\s+)?to\b|\bto\s+(?:a\s+maximum\s+of\s+)?\d",
    re.I,
)
# "the exact hourly price", "how much does Polly charge": an amount ("a 180-day minimum charge" is not).
_ASKS_MONEY = re.compile(r"\b(?:price|priced|pricing|discount)\b|\bhow\s+much\b.*\b(?:cost|costs|charge|charges|pay|billed)\b", re.I)
_STATES_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:%|percent\b|usd\b|dollars?\b|cents?\b)|\bfree\b", re.I)
_STATES_MIN = re.compile(r"\b(?:at\s+least|minimum|min|as\s+(?:low|short|little)\s+as|down\s+to|no\s+less\s+than)\b|\bfrom\s+\d", re.I)


# "..., and how do I fix it?", "... and what is it under the hood?": a second question in the same one.
_SECOND_PART = re.compile(
    r",?\s+(?:and|or|but)\s+(?=(?:how|what|which|who|when|where|why|is|are|does|do|can|should)\b)"
    r"|\?\s+(?=[A-Z])",
    re.I,
)


# "the difference between annotations and metadata", "Avro versus Parquet": two things compared.
_COMPARED = re.compile(
    r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)(?=\s+(?:on|in|for|of|when|with|at|to)\b|[?,.;]|$)"
    r"|(?P<c>\b[\w-]+(?:\s+[\w-]+)?)\s+(?:vs\.?|versus)\s+(?P<d>[\w-]+(?:\s+[\w-]+)?)",
    re.I,
)


def question_parts(question: str) -> list[str]:
    """The questions asked in ``question``: "What is AppSync, and which data sources does it plug
    into?" -> its two halves; a one-part question -> ``[question]``. "and" between two names
    ("Kinesis and SQS") does not split: only "and" before a question word does, or two things
    compared ("the difference between A and B", "A versus B": the question about each)."""
    parts = [p.strip(" ,?") for p in _SECOND_PART.split(question)]
    parts = [p for p in parts if len(p.split()) >= 2]
    if len(parts) > 1:
        return parts
    compared = _COMPARED.search(question)
    if compared:
        start, end = compared.span()
        return [question[:start] + side + question[end:] for side in [g for g in compared.groups() if g]]
    return [question]


def wants_quantity(question: str) -> bool:
    """Does ``question`` ask for a number: a size, a limit, a duration, a price?"""
    return bool(_WANTS_QUANTITY.search(question))


def states_quantity(text: str) -> bool:
    """Does ``text`` give a number (in digits or words, or "no limit")? The 3 of "S3" is none."""
    return bool(_QUANTITY.search(text))


def answers_quantity(question: str, text: str, *, end: bool = True) -> bool:
    """Does ``text`` give the number ``question`` asks for: a number at all, an amount of
    money for a price, and for "the longest" / "the minimum" the matching end of a range
    ("can be raised to 365 days"; with ``end=False`` any number will do: "29 seconds" answers
    "how long can it run?" though it does not say "at most")?"""
    if not states_quantity(text):
        return False
    if _ASKS_MONEY.search(question) and not _STATES_MONEY.search(text):
        return False  # "billed per hour" or "5 Gbps" is no price
    if not end:
        return True
    if _ASKS_MAX.search(question):
        return bool(_STATES_MAX.search(text))
    if _ASKS_MIN.search(question):
        return bool(_STATES_MIN.search(text))
    return True
