"""What a question asks for besides its subject: a number (and which end of a range), or a list.

"How big can a Lambda container image be?" asks for a quantity: a sentence with no number
in it ("the image must hold the runtime interface client ...") does not answer it, however
many of its words it shares; nor does "a 24-hour lifetime" answer "how many consumers?", or
"13 edge locations" "what's the maximum execution time?". "Which states can a CloudWatch
alarm be in?" asks for a list: the bullet that lists them ("Alarm States - ALARM, OK, INSUFFICIENT_DATA") answers it, not the one
that repeats its words ("... each time an alarm moves to another state, CloudWatch ...").

Nor is every number in a sentence the one asked for: "objects larger than 5 GB use multipart
upload" is a threshold, no maximum object size; "set it to 6x the Lambda timeout" is advice, no
maximum; the 53 of "Route 53" counts nothing.
"""

from __future__ import annotations

import re

from tutor.answer.sentences import content_terms, stem

# "How long ...", "the maximum ...", "how many days ...": the answer is a number (or "no limit").
ASKING_DEGREES = "big|large|long|many|much|fast|often|far|high|low|small|old|soon|quickly|frequently"  # after "how"
EXTREMES = "max|maximum|minimum|largest|biggest|longest|smallest|shortest|highest|lowest|fewest"
_WANTS_QUANTITY = re.compile(
    rf"\bhow\s+(?:{ASKING_DEGREES})\b"
    rf"|\b(?:{EXTREMES})\b"
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
_STATES_MONEY = re.compile(r"[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(?:%|percent\b|usd\b|dollars?\b|cents?\b)|\bfree\b", re.I)
_STATES_MIN = re.compile(r"\b(?:at\s+least|minimum|min|as\s+(?:low|short|little)\s+as|down\s+to|no\s+less\s+than)\b|\bfrom\s+\d", re.I)


# "What kinds of keys ...", "Which data stores can ...", "Which two services ...": the answer names
# several things: the plural among the words after "which"/"what" (or "kinds of"), right before
# its verb or subject ("Which service fits?" asks for one: "fits" is its verb, no plural).
_KINDS_OF = re.compile(r"\b(?:which|what)\s+(?:kinds|types|sorts|categories|classes|forms)\s+of\s+((?:[\w-]+\s+){0,4})", re.I)
_WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,4})", re.I)
_VERB = re.compile(
    r"do|does|did|is|are|was|were|be|can|could|will|would|should|has|have|had|may|might|must|i|you|we|they|it|there|apply|exist", re.I
)
_PLURAL = re.compile(r"[a-z][\w-]*[a-z][^\Wsiu]s")  # "stores", "formats"; not "class", "status", "basis"
_ITEM_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


# "Which service fits?", "What S3 feature should it turn on?": the answer is a name.
_WANTS_NAME = re.compile(
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:services?|features?|capabilit(?:y|ies)|options?|tools?|techniques?|"
    r"blueprints?|load\s+balancers?|endpoints?|class(?:es)?|modes?|approach(?:es)?)\b(?!\s+(?:is|are)\b)",
    re.I,
)


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


_STATEMENT_END = re.compile(r"(?<=[.!])(?<!e\.g\.)(?<!i\.e\.)(?<!vs\.)\s+(?=[A-Z])")


def setting(question: str) -> str:
    """The statements a scenario sets its scene with, before what it asks ("" for a plain question):
    "An insurer needs to pull key-value pairs out of forms ... Which services should it combine?"
    -> its first sentence."""
    sentences = _STATEMENT_END.split(question.strip())
    return " ".join(sentences[:-1]) if len(sentences) > 1 and question.rstrip().endswith("?") else ""


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


# What a number measures, when the question says: "how long", "the maximum execution time",
# "how many days" ask for a duration; "how many consumers" for a count of things, which a
# duration or a size ("a 24-hour lifetime", "2 MiB per second") does not give.
_DIGITS = r"(?<![\w.-])\d[\d,.]*(?:\s*(?:-|–|to)\s*\d[\d,.]*)?\s*-?\s*"  # "15", "7-30", "1,000 -"
_IN_WORDS = (
    r"\b(?:an?|a\s+few|several|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|ninety|hundred)[\s-]+"
)
_TIME_UNIT = r"(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?|years?|yrs?)"
_TIME_WORD = r"(?:milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?)"
_SIZE_UNIT = r"(?:bytes?|[kmgtp]i?b|kilobytes?|megabytes?|gigabytes?|terabytes?|petabytes?)"
# "how many read replicas can ...", "the maximum number of attributes in ...": the words after it,
# up to the verb or a preposition.
_ASKS_COUNT = re.compile(r"\b(?:how\s+many|(?:max|maximum|minimum|default)\s+number\s+of)\s+(?P<what>[^?,.;:]*)", re.I)
_BETWEEN = re.compile(r"and|or|but|that|which|per|each|every|across|within|on|in|at|of|for|to|from|by|with", re.I)


def _the_extreme(extremes: str, nouns: str) -> str:
    """ "the maximum execution time", "what's the default memory": an extreme (or "the") and,
    within two words, a noun of what is measured."""
    return rf"\b(?:max|maximum|minimum|{extremes}|default|what(?:'s|’s|\s+is|\s+are)\s+the)\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b"


_ASKS_DURATION = re.compile(
    r"\bhow\s+(?:long|often|frequently|old|far\s+back)\b|"
    + _the_extreme("longest|shortest", "time|duration|timeout|ttl|interval|period|lifetime|age"),
    re.I,
)
_ASKS_SIZE = re.compile(
    _the_extreme("largest|biggest|smallest", "size|memory|storage|ram|disk") + r"|\bhow\s+much\s+(?:data|storage|memory|ram|disk|space)\b",
    re.I,
)
_STATES_DURATION = re.compile(
    rf"{_DIGITS}{_TIME_UNIT}\b|{_IN_WORDS}{_TIME_WORD}\b"
    r"|\b(?:single|double)-digit\s+milliseconds?\b|\bsub-(?:second|millisecond)\b"
    r"|\b(?:daily|hourly|weekly|monthly|yearly|annually|unlimited|indefinitely|forever|no\s+(?:limit|maximum|max|cap|expiry|expiration))\b",
    re.I,
)
# "6 times the function's timeout", "x 1.45": a duration or a size said relative to another.
_STATES_MULTIPLE = re.compile(r"(?<![\w.-])\d[\d,.]*\s*(?:x\b|times\b)|(?<!\w)[x×*]\s*\d|\b(?:twice|double|triple)\b", re.I)
_ASKS_DEFAULT = re.compile(r"\bdefault\b|\bout\s+of\s+the\s+box\b", re.I)
_STATES_SIZE = re.compile(rf"{_DIGITS}{_SIZE_UNIT}\b", re.I)
# "objects greater than 5 GB use multipart upload", "runs longer than 15 min": a threshold that
# says when something applies, not the size or duration asked about ("no more than 15 min" is a maximum).
_THRESHOLD = re.compile(
    rf"(?<!\bno\s)(?<!\bnot\s)\b(?:greater|more|larger|bigger|longer|higher)\s+than\s+{_DIGITS}(?:{_TIME_UNIT}|{_SIZE_UNIT})\b",
    re.I,
)
# "Route 53", "Pattern 1", "Postgres 15": a number that ends a name counts nothing.
_NAMED_NUMBER = re.compile(r"\b(?!(?:Max|Maximum|Min|Minimum|Up|Limit|Quota|About|Over|Under|Only)\b)[A-Z][A-Za-z]+\s+\d+\b(?![\w.-])")
# ... but a verb that opens a bullet ("Supports 15 read replicas", "Has 3 copies") names nothing:
# a third-person verb at the start of a line or after the label a unit is given ("Aurora: ").
_OPENING_VERB = re.compile(r"(?m)(?:^|(?<=: ))(?:Has|Holds|[A-Z][a-z]*[a-z][^\Wsiu]s)(?=\s+\d)")
_STATES_AMOUNT_OF_TEXT = re.compile(rf"{_DIGITS}(?:tokens|characters|chars|words)\b|\b(?:unlimited|no\s+(?:limit|maximum|max|cap))\b", re.I)


def _measures(question: str) -> list[tuple[str, str]]:
    """What the numbers ``question`` asks for measure: ("duration", ""), ("size", ""), or
    ("count", what is counted: "replicas" for "how many read replicas can ...")."""
    out = []
    for count in _ASKS_COUNT.finditer(question):
        words = count["what"].split()[:4]
        if not words or _ends_a_name(words[0]):
            out.append(("count", ""))  # "how many are allowed", "how many of them": the subject's
            continue
        # The counted thing is the last word before the verb: "how many Lambda executions can".
        head = next((w for w, after in zip(words, [*words[1:], ""], strict=True) if not after or _ends_a_name(after)), words[-1])
        if re.fullmatch(_TIME_WORD, head, re.I):
            out.append(("duration", ""))  # "how many days"
        elif re.fullmatch(_SIZE_UNIT, head, re.I):
            out.append(("size", ""))  # "how many GB"
        else:
            out.append(("count", head))
    if _ASKS_DURATION.search(question):
        out.append(("duration", ""))
    if _ASKS_SIZE.search(question):
        out.append(("size", ""))
    return out


def _ends_a_name(word: str) -> bool:
    """A verb or a preposition: where the name of what is counted ends ("replicas | can")."""
    return bool(_VERB.fullmatch(word) or _BETWEEN.fullmatch(word))


def _states_measure(measure: str, counted: str, text: str, relative: bool) -> bool:
    """Whether ``text`` gives a number of ``measure`` (of ``counted``); a multiple of another
    quantity only if ``relative`` will do."""
    multiple = relative and bool(_STATES_MULTIPLE.search(text))
    if measure == "duration":
        return multiple or bool(_STATES_DURATION.search(text))
    if measure == "size":
        return multiple or bool(_STATES_SIZE.search(text) or _STATES_AMOUNT_OF_TEXT.search(text))
    # A count: some number that is not a duration, a size or an amount of money, of the thing counted.
    terms = content_terms(text)
    names = {stem(counted.lower()), stem(counted.lower().removesuffix("s"))} if counted else set()
    if names and not names & terms:
        return False
    for pattern in (_STATES_DURATION, _STATES_SIZE, _STATES_MONEY):
        text = pattern.sub(" ", text)
    return states_quantity(_NAMED_NUMBER.sub(" ", _OPENING_VERB.sub(lambda m: m[0].lower(), text)))


def wants_quantity(question: str) -> bool:
    """Does ``question`` ask for a number: a size, a limit, a duration, a price?"""
    return bool(_WANTS_QUANTITY.search(question))


def wants_count(question: str) -> bool:
    """Does ``question`` ask how many of something ("how many buckets", "maximum number of")?"""
    return bool(_ASKS_COUNT.search(question))


def states_money(text: str) -> bool:
    """Does ``text`` give an amount of money ("$5 per TB", "free")?"""
    return bool(_STATES_MONEY.search(text))


def states_quantity(text: str) -> bool:
    """Does ``text`` give a number (in digits or words, or "no limit")? The 3 of "S3" is none."""
    return bool(_QUANTITY.search(text))


def answers_quantity(question: str, text: str, *, end: bool = True) -> bool:
    """Does ``text`` give the number ``question`` asks for: a number at all, an amount of
    money for a price, and for "the longest" / "the minimum" the matching end of a range
    ("can be raised to 365 days"; with ``end=False`` any number will do: "29 seconds" answers
    "how long can it run?" though it does not say "at most"); for the default, a unit that says it is one?"""
    if not _ASKS_MIN.search(question):  # "larger than 5 GB" is the smallest that needs it, no maximum
        text = _THRESHOLD.sub(" ", text)
    if not states_quantity(text):
        return False
    if _ASKS_MONEY.search(question) and not _STATES_MONEY.search(text):
        return False  # "billed per hour" or "5 Gbps" is no price
    measures = _measures(question)
    # "Set it to 6x the Lambda timeout" is advice, not the default a queue comes with, nor its maximum.
    relative = not (_ASKS_DEFAULT.search(question) or _ASKS_MAX.search(question))
    if measures and not any(_states_measure(m, counted, text, relative) for m, counted in measures):
        return False  # "a 24-hour lifetime" is no number of consumers
    if not end:
        return True
    if _ASKS_DEFAULT.search(question) and not _ASKS_MAX.search(question):
        return bool(_ASKS_DEFAULT.search(text))  # "24 hours by default", not how far it can be extended
    if _ASKS_MAX.search(question):
        return bool(_STATES_MAX.search(text))
    if _ASKS_MIN.search(question):
        return bool(_STATES_MIN.search(text))
    return True


def listed(question: str) -> str | None:
    """What ``question`` asks several of ("Which data stores can ...?" -> "stores"; "What kinds of
    KMS keys ...?" -> "keys"; "" when it does not say), or ``None`` when it asks for one thing.
    A capitalised plural is a name ("Which Step Functions feature ..."), not what is listed."""
    kinds = _KINDS_OF.search(question)
    for match in [kinds] if kinds else _WHICH.finditer(question):
        words = str(match.group(1)).split()
        for word, after in zip(words, words[1:], strict=False):
            if _PLURAL.fullmatch(word) and not _VERB.fullmatch(word) and _VERB.fullmatch(after):
                return word
    return "" if kinds else None


def wants_list(question: str) -> bool:
    """Does ``question`` ask for several things ("Which formats ...?", "What kinds of ...?")?"""
    return listed(question) is not None


def states_list(text: str, item_words: int) -> bool:
    """Does ``text`` list things: items joined by "; " (a bullet said with its sub-bullets), or
    at least three items between commas (or a last "and" / "or"), three of them of at most
    ``item_words`` words ("accepts PNG, JPEG, and PDF files"; not "Apart from the tiers,
    JSON and YAML files ...")?"""
    body = text.split(": ", 1)[-1]
    if len([p for p in body.split("; ") if p.strip()]) >= 2:
        return True
    if body.count(",") < 2:
        return False
    items = [i for i in _ITEM_SEPARATOR.split(body) if i.strip()]
    return sum(len(i.split()) <= item_words for i in items) >= 3


def wants_name(question: str) -> bool:
    """Does ``question`` ask which service, feature or option fits (its answer is a name)?"""
    return bool(_WANTS_NAME.search(question))
