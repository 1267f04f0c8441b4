"""Flashcards from the notes' own lines: cloze deletions of numbers and term -> definition cards.

Most slide-deck notes state facts ("Retention: 24 hours by default", "Amazon Comprehend – NLP
service") without the "need -> service" claim the multiple-choice writer needs. A card keeps
such a fact as it is written, with one gap the student fills from memory:

- **cloze**: a limit, default or other number with its unit is cut out of its line
  ("Kinesis Data Streams retains records for ___ by default." / back: "24 hours");
- **definition**: a "Term – definition", "Term: definition" or "Term is a ..." line becomes
  front "Term", back the definition.

The front carries the heading path (and the lead-in line a list hangs from), so the card
reads on its own outside the notes; every card cites the one line it came from. Lines that
cannot stand alone are refused: fragments, lines pointing elsewhere ("this", "the following",
"see above"), code and template syntax.

A card is a :class:`Question` of kind ``card``: ``stem`` is the front with one ``___`` gap,
``options[0]`` fills it, ``explanations[0]`` is the cited line. So it shares the bank, its
staleness check and its FSRS schedule with the multiple-choice questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tutor.answer.citations import Citation
from tutor.config import CardsConfig
from tutor.ingest.chunker import HEADING_SEPARATOR
from tutor.ingest.outline import BULLET, Node, read_outline
from tutor.questions.blueprint import Blueprint, by_domain_weights
from tutor.questions.question import Question, Rejection
from tutor.questions.verify import fact_of
from tutor.store.index import StoredChunk

CARD = "card"
GAP = "___"
CLOZE, DEFINITION = "cloze", "definition"

_UNIT = (
    r"(?:%|percent|ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"[KMGTPE]i?B(?:/s|ps)?|[KMGT]bps|bytes?|bits?|characters?|chars?|records?|requests?|calls?|messages?|items?|"
    r"transactions?|operations?|partitions?|shards?|nodes?|replicas?|copies|objects?|files?|tables?|rows?|"
    r"columns?|connections?|consumers?|instances?|vCPUs?|tokens?|regions?|AZs?|Availability Zones?|times|x|"
    r"RCUs?|WCUs?|IOPS|retries|attempts|levels?|versions?|dimensions?|users?|accounts?|buckets?|functions?|per cent)"
)
# Spelled-out numbers only before units of time, size or copies: "one request" is not a limit.
_SPELLED_UNIT = re.compile(r"^\w+\s+(?:%|percent|seconds?|minutes?|hours?|days?|weeks?|months?|years?|copies|times|[KMGTP]i?B)\b", re.I)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
# A number with its unit ("24 hours", "1 MB per second", "99.999999999%"), or a spelled-out
# one before a unit ("seven days"); ranges ("1 to 7 days") stay whole.
_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred|thousand)"
_AMOUNT = re.compile(
    rf"(?<![\w.$/-])(?:{_NUMBER}|{_WORDS})(?:\s*(?:-|to|–|or|and)\s*{_NUMBER})?\s*{_UNIT}(?:\s+(?:per|/|a|each)\s+\w+)?(?![\w-])",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Words that make a number a fact worth remembering rather than an example.
_CUE = re.compile(
    r"\b(default|by default|up to|maximum|max|minimum|min|limit|at most|at least|no more than|retain|retention|"
    r"keeps?|lasts?|expires?|timeout|quota|per second|per shard|per partition|durability|availability|cost|"
    r"free tier|size|window|interval|between|within|only|must|can|supports?|allows?|stores?)\b",
    re.I,
)
# Lines that point elsewhere, or are a lead-in, a question or half a sentence.
_DANGLING = re.compile(
    r"^(?:it|its|this|that|these|those|they|them|there|here|which|such|also|and|or|but|so|then|same|above|below|"
    r"as (?:above|below|shown|mentioned)|see|e\.g|i\.e|etc|example|note)\b|"
    r"\b(?:the following|as follows|as shown|(?:shown|listed|see|described) (?:above|below)|previous(?:ly)? (?:slide|section)|"
    r"this (?:slide|diagram|figure|image|page))\b",
    re.I,
)
_CODE = re.compile(r"[{}<>`$\\|]|::|=>|->|\w\(\)|\w=\S|\[\w*\]|\w+\.\w+\(|^\s*#|#\w|\w_\w+_\w|\{\{")
# "Term: body" needs a space after the colon: "kms:Decrypt" and "iam:PassRole" are names.
# "appends rowsquicklySlower", "Write PerformanceFaster": a table's cells read as one line.
_RUN_TOGETHER = re.compile(r"\b[a-z]{2,}[A-Z][a-z]{2,}\b|\b[A-Z][a-z]{6,}[A-Z][a-z]{4,}\b")
_DEF_SPLIT = re.compile(r"^(?P<term>[^:–—]{2,60}?)\s*(?::\s|\s[–—-]\s)\s*(?P<body>.+)$")
_IS_A = re.compile(r"^(?P<term>[A-Z][\w/&().'’ -]{1,60}?)\s+(?:is|are)\s+(?P<body>(?:a|an|the)\s.+)$")
_NOT_TERM_START = {
    *[
        "if",
        "when",
        "for",
        "use",
        "to",
        "in",
        "on",
        "with",
        "by",
        "from",
        "every",
        "each",
        "all",
        "some",
        "most",
        "many",
        "any",
        "no",
        "not",
        "only",
        "also",
    ],
    *[
        "supports",
        "allows",
        "leverages",
        "uses",
        "provides",
        "enables",
        "offers",
        "includes",
        "requires",
        "lets",
        "gives",
        "makes",
        "helps",
        "stores",
        "runs",
    ],
    *["creates", "works", "is", "are", "has", "have", "can", "must", "should", "will", "may"],
}
# "One DNS name – ...": a feature bullet, not a term (a cloze line may start so: "One shard accepts ...").
_COUNTED = {"one", "two", "three", "four", "five"}
_LABEL = re.compile(
    r"^(?:important|reminder|note|notes|tip|tips|example|examples|e\.g|pros|cons|benefits|features|use cases?|"
    r"summary|overview|definition|why|how|what|best practices?|cheat sheet|(?:pattern|step|option|case|scenario|method|type|way|part)\s*\d+)$",
    re.I,
)
_PREPOSITIONS = {"for", "to", "on", "in", "by", "with", "at", "from", "after", "until", "within", "up", "as", "into", "over"}
_JOINERS = {"and", "or", "per", "of", "in", "by", "for", "to", "at", "from", "on", "with", "after", "before", "each", "a", "an", "the"}
_CONDITION = {"if", "unless", "whenever"}
_LABEL_WORDS = 10  # a parent bullet longer than this is a statement, not a name for its items
_PRONOUN_TERMS = {"it", "this", "that", "these", "those", "they", "there", "here", "which", "what", "why", "how", "when", "note", "example"}


@dataclass(frozen=True)
class NoteLine:
    """One statement of the notes (a bullet with its wrapped lines), where it sits, and what it hangs from."""

    text: str
    line: int
    chunk: StoredChunk
    lead_in: str = ""  # the parent bullets or "Something:" lead-in it is an item of, nearest last
    end_line: int = 0  # its last line, when a wrapped line was joined to it (0: the same as ``line``)
    under_statement: bool = False  # an item of a parent bullet that is a whole sentence, not a name

    @property
    def last_line(self) -> int:
        return max(self.line, self.end_line)


@dataclass(frozen=True)
class Card:
    """A front with one gap, what fills it, and the line that says so."""

    shape: str  # cloze | definition
    front: str
    back: str
    line: NoteLine

    @property
    def context(self) -> str:
        """The heading path and lead-in the front is read under (empty when the line stands alone)."""
        parts = [p for p in (p.replace("**", "").strip() for p in self.line.chunk.heading.split(HEADING_SEPARATOR)) if _names_a_section(p)][
            -2:
        ]
        for label in self.line.lead_in.split(" › ") if self.line.lead_in else []:
            if not parts or label.lower() != parts[-1].lower():  # a slide title repeated as a bullet
                parts.append(label)
        if parts and self.shape == DEFINITION and self.front.startswith(parts[-1]):
            parts.pop()  # "Cloud9: Cloud9 — ___" says it twice
        return " › ".join(parts)

    @property
    def fact(self) -> str:
        """What the card tests, for duplicates (see verify.same_fact): its answer and its line's other words."""
        return fact_of([_norm(self.back)], self.front.replace(GAP, " "))

    def to_question(self, collection: str, domain: str = "") -> Question:
        stem = f"{self.context}: {self.front}" if self.context else self.front
        chunk = self.line.chunk
        citation = Citation(
            chunk_id=chunk.id,
            source=chunk.source,
            start_line=self.line.line,
            end_line=self.line.last_line,
            heading=chunk.heading,
            text=self.line.text,
            n=1,
        )
        return Question(
            id=Question.make_id(stem, [self.back]),
            kind=CARD,
            stem=stem,
            options=[self.back],
            keys=[0],
            explanations=[f"{self.line.text} [1]"],
            citations=[citation],
            topic=_topic(chunk),
            domain=domain or chunk.domain,
            difficulty=1,
            source_chunks=[(chunk.id, chunk.content_hash)],
            collection=collection,
            model="offline",
            verdict={"passed": True, "shape": self.shape},
            fact=self.fact,
        )


def note_lines(chunk: StoredChunk) -> Iterator[NoteLine]:
    """The chunk's statements with their line numbers in the file (the chunk's first line when
    the file cannot be read line for line, e.g. a PDF), read as an outline
    (:func:`tutor.ingest.outline.read_outline`): a wrapped line is joined to its bullet, and each
    bullet knows the parent bullets it is an item of ("EventBridge (formerly CloudWatch Events)"
    > "Schema – ..."), so its card names them."""
    numbers, lines = _placed(chunk)
    yield from _statements(read_outline("\n".join(lines)), chunk, numbers, [])


def _placed(chunk: StoredChunk) -> tuple[list[int], list[str]]:
    """Each line of the chunk's text with its line number in the file, and with the file's indentation:
    the chunker keeps a bullet's indentation but not a plain line's, and a wrapped line is told by it."""
    file_lines = _file_lines(chunk)
    numbers: list[int] = []
    lines: list[str] = []
    cursor = chunk.start_line
    for raw in chunk.text.splitlines():
        text = _spaces(BULLET.sub("", raw.strip()))
        found = next((n for n in range(cursor, min(chunk.end_line, len(file_lines)) + 1) if text and text in _spaces(file_lines[n - 1])), 0)
        cursor = found or cursor
        numbers.append(found or chunk.start_line)
        shown = file_lines[found - 1] if found else raw
        lines.append(shown[: len(shown) - len(shown.lstrip())] + raw.lstrip())
    return numbers, lines


def _statements(nodes: list[Node], chunk: StoredChunk, numbers: list[int], labels: list[str]) -> Iterator[NoteLine]:
    """The nodes' statements in reading order; ``labels`` are what their open parents name ("" for
    a parent that names nothing), outermost first."""
    for node in nodes:
        text = _spaces(node.text)
        # An item of a parent that names nothing (a whole sentence) has only its own words to go by.
        under_statement = bool(node.bullet and labels and not labels[-1])
        if text.endswith(":") and len(text) <= 80:
            label = "" if _DANGLING.search(text) else text.rstrip(":").strip()
        else:
            label = _label(text)
            lead_in = " › ".join([p for p in labels if p][-2:]) if node.bullet and not under_statement else ""
            end = numbers[node.end] if node.end != node.line else 0
            yield NoteLine(text, numbers[node.line], chunk, lead_in, end_line=end, under_statement=under_statement)
        yield from _statements(node.children, chunk, numbers, [*labels, label])


def _label(text: str) -> str:
    """What a parent bullet names for the items under it: the term of a "Term: ..." or "X is a ..." line, else
    the line itself when short ("export", "EventBridge (formerly CloudWatch Events)"), else nothing."""
    m = _DEF_SPLIT.match(text) or _IS_A.match(text)  # "Logs: ...", "Amazon DAX is a ... cache"
    if m and _names_a_section(m["term"]) and len(m["term"].split()) <= 5:
        return m["term"].strip()
    short = len(re.findall(r"\w+", text)) <= _LABEL_WORDS and not _DANGLING.match(text)
    return text if short and not text.endswith((".", "?")) else ""


def _spaces(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _file_lines(chunk: StoredChunk) -> list[str]:
    path = Path(chunk.source)
    if path.suffix.lower() not in (".md", ".txt", ".markdown") or not path.is_file():
        return []
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def read_cards(line: NoteLine, settings: CardsConfig) -> tuple[list[Card], list[str]]:
    """The cards one line gives, or why it gives none."""
    text = line.text.strip()
    words = len(text.split())
    if words < settings.min_words:
        return [], ["a fragment"]
    if words > settings.max_words:
        return [], ["too long for a card"]
    if _CODE.search(text):
        return [], ["code or template syntax"]
    if _RUN_TOGETHER.search(text):
        return [], ["table cells run together"]
    if text.endswith("?"):
        return [], ["a question, not a fact"]
    if text.endswith(("…", "...")):
        return [], ["cut off (ends with an ellipsis)"]
    cards = [c for c in (_definition(line, settings), _cloze(line)) if c is not None]
    if not cards:
        return [], ["no number or definition to ask about"]
    dangling = _DANGLING.search(text)
    if dangling:
        return [], [f"points elsewhere ({dangling.group(0).strip()!r})"]
    return cards, []


def _cloze(line: NoteLine) -> Card | None:
    text = line.text
    amounts = [
        m
        for m in _AMOUNT.finditer(text)
        if not _YEAR.fullmatch(m.group(0).split()[0]) and (m.group(0)[0].isdigit() or _SPELLED_UNIT.match(m.group(0)))
    ]
    if not amounts or not _CUE.search(text):
        return None
    first = text.split()[0]
    second = text.split()[1].lower() if len(text.split()) > 1 else ""
    participle = first.lower().endswith("ed") and second in _PREPOSITIONS  # "Enabled for ...", not "Enhanced fan-out"
    if not line.lead_in and (first[0].islower() or first.lower() in _NOT_TERM_START or first.lower().endswith("ly") or participle):
        return None  # a continuation or a predicate without its subject
    # The amount nearest after a cue word ("up to 365 days"), else the first.
    cue_ends = [m.end() for m in _CUE.finditer(text)]
    best = min(amounts, key=lambda m: min((m.start() - e for e in cue_ends if e <= m.start()), default=10_000))
    answer = best.group(0).strip()
    number, unit = (answer.split() + [""])[:2]
    follows = re.match(r"\s+([A-Za-z]+)", text[best.end() :])
    compound = len(answer.split()) == 2 and unit.isalpha() and unit.islower() and not unit.endswith("s") and unit not in ("percent", "x")
    if compound and follows and number.lower() not in ("1", "one") and follows.group(1).lower() not in _JOINERS:
        return None  # "at most 3 partition indexes": the unit is half of a compound noun
    front = (text[: best.start()] + GAP + text[best.end() :]).strip()
    if len(front.replace(GAP, "").split()) < 4 or (front.startswith(GAP) and not line.lead_in):
        return None  # "___ TTL for cache": whose?
    if re.search(rf"(?<![\w.]){re.escape(answer)}(?![\w-])", front, re.I):
        return None  # "up to ___; ... costs two WCUs per 1 KB": the answer stands next to its gap
    return Card(CLOZE, _sentence(front), answer, line)


def _definition(line: NoteLine, settings: CardsConfig) -> Card | None:
    text = line.text.rstrip()
    m = _DEF_SPLIT.match(text) or _IS_A.match(text)
    if not m or line.under_statement:
        return None  # under a sentence, "Term – ..." is a case of what the sentence says, not a definition
    term, body = m["term"].strip().strip("\"'“”"), m["body"].strip()
    term_words = term.split()
    if not 1 <= len(term_words) <= settings.max_term_words or term.lower() in _PRONOUN_TERMS:
        return None
    if not (term[0].isupper() or term[0].isdigit()) or term.endswith((",", ";")) or _DANGLING.match(term):
        return None
    body_words = body.split()
    if not settings.min_definition_words <= len(body_words) <= settings.max_definition_words or _DANGLING.match(body):
        return None
    if sum(w[0].islower() for w in body_words) < 2:
        return None  # a title or a list of names, not a definition
    first = term_words[0].lower()
    if len(term_words) == 1 and not line.lead_in and term.lower().endswith(("ed", "ing", "ly")):
        return None  # "Ordered", "Stratified": a kind of something the line does not name
    if len(term_words) == 1 and term[1:].islower() and not line.lead_in and not _owner(line.chunk):
        return None  # "Encryption", "Credentials" under a long heading: whose?
    if first in _NOT_TERM_START or first in _COUNTED or _LABEL.match(term):
        return None  # a condition, an instruction, a quantifier or a slide label, not a term
    if body_words[0].lower() in _CONDITION:
        return None  # "Push model – If the caller waits for it": when to use it, not what it is
    if term.count("(") != term.count(")") or body.rstrip(".").endswith(("etc", "…")):
        return None  # split inside parentheses, or a list of examples rather than a definition
    if body.endswith(("…", "...")) or term.lower() in body.lower().split(":")[0].split(" ")[:1]:
        return None
    return Card(DEFINITION, f"{term} — {GAP}", _sentence(body), line)


def _names_a_section(heading: str) -> bool:
    """A heading that names something ("Amazon SQS", "Limits and defaults"), not a sentence a
    slide deck promoted to a title ("All this speed has a price")."""
    return bool(heading) and len(re.findall(r"\w+", heading)) <= 7 and not _DANGLING.match(heading)


def _owner(chunk: StoredChunk) -> str:
    """The section a one-word term belongs to, when its heading is short enough to be a name."""
    parts = [p for p in chunk.heading.split(HEADING_SEPARATOR) if _names_a_section(p)]
    return parts[-1] if parts and len(parts[-1].split()) <= 4 else ""


def _sentence(text: str) -> str:
    text = text.strip().rstrip(";,")
    return text if text.endswith((".", "!", ")", GAP)) or not text else text + "."


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _topic(chunk: StoredChunk) -> str:
    """The section a card belongs to: the last heading that names something, else the file."""
    parts = [p for p in chunk.heading.split(HEADING_SEPARATOR) if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else Path(chunk.source).stem)


@dataclass
class CardWriter:
    """Cards from chunks, taking the files in turn so a short batch is not all from the first."""

    collection: str
    settings: CardsConfig

    def candidates(self, chunks: Iterable[StoredChunk]) -> list[Card]:
        per_source: dict[str, list[Card]] = {}
        for card in cards_from(chunks, self.settings)[0]:
            per_source.setdefault(card.line.chunk.source, []).append(card)
        queues = list(per_source.values())
        ordered: list[Card] = []
        while any(queues):
            ordered += [queue.pop(0) for queue in queues if queue]
        return ordered

    def drafts(self, cards: Iterable[Card], blueprint: Blueprint, topic: str | None = None) -> list[Question]:
        """The cards as bank entries tagged with exam tasks; without a topic, ordered so that a
        batch spreads over the domains of the exam they match most by its domain weights."""
        drafts = [card.to_question(self.collection) for card in cards]
        for q in drafts:
            q.task = blueprint.tag_question(q)
        return drafts if topic else by_domain_weights(drafts, blueprint)


def cards_from(chunks: Iterable[StoredChunk], settings: CardsConfig) -> tuple[list[Card], list[Rejection]]:
    """Every card the chunks give, in reading order, and the lines that gave none but had a
    number or a separator in them (the near misses worth reporting)."""
    cards: list[Card] = []
    missed: list[Rejection] = []
    for chunk in chunks:
        for line in note_lines(chunk):
            found, reasons = read_cards(line, settings)
            cards += found
            if reasons and reasons != ["no number or definition to ask about"] and reasons != ["a fragment"]:
                missed.append(Rejection(None, reasons, draft=line.text))
    return cards, missed
