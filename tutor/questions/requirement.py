"""Is a need, read from one sentence of notes, a requirement a student can answer on its own?

Slides and study notes are full of fragments that read well next to their heading and not
at all in a question stem: "replaces the library for a few of these targets", "Ex: on-premise
PostgreSQL", "lakes allow you to ..." (the subject was "CloudTrail lakes"), a template type
like ``AWS::S3::Bucket``, a sentence cut at "for ex.". A stem made from one of those is
a defect however good its key, so the offline writer drops such needs, saying why.

A need must also be a clause, not a list: "applications, EC2 instances and AWS services" names
things and asks for nothing. With no tagger at hand, a small lexicon of the verbs notes use
(in any inflection) tells a clause from a list of nouns, and a "that ..." predicate from a
predicate the notes wrote without a verb ("a service that permissions for ...").
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tutor.answer.sentences import content_terms

_DANGLING = re.compile(
    r"^(?:it|its|they|them|their|this|that|these|those|which|such|here|there|also|both)\b"
    r"|\b(?:these|those|the above|the following|the former|the latter|the same|such(?! as)|aforementioned)\b",
    re.I,
)
_CODE = re.compile(r"::|[{}<>`$|\\]|\*\*|\w+\(\)|\b\w+_\w+\b|\b[a-z]+[A-Z]\w*\b|\w+\.\w+\.\w+|\b[a-z]+:[a-z]+\b|\b\w+(?:-\w+){3,}")
_EXAMPLE = re.compile(r"\b(?:ex|eg|e\.g|i\.e|etc|for ex|for example|vs)\s*[.:]?\s*$|\b(?:ex|e\.g)\.?\s*:|\(\s*(?:ex|eg|e\.g)\b", re.I)
# "when need to run", "if fails to deliver": the notes' shorthand drops the clause's subject; so
# does a need that starts "Need to ..." or "Want ..." (a verb's base form no service is the subject of).
_NO_SUBJECT = re.compile(
    r"\b(?:when|if|because|unless|once)\s+(?:need|needs|want|wants|fails|is|are|has|have|can)\b|^(?:need|want|wish|prefer)\b", re.I
)
# "for huge loads with little bandwidth": a phrase that says what a need is about, not a requirement
# (a fronted phrase ends at its comma: "With no servers, run SQL on logs" has its clause).
_PHRASE_START = re.compile(r"^(?:for|with|without|in|on|at|of|by|from|via|during|under|over)(?![\w-])[^,]*$", re.I)
# "you don't want to tune clusters at all": what the team will not do, and nothing it needs done, so
# every service without clusters meets it (a comma, "but" or "and wants" may add what it does need).
_ONLY_NOT_WANTED = re.compile(
    r"^(?:you|we|the (?:team|company|customer)) (?:(?:do|does) not|don['’]t|doesn['’]t) (?:want|need|wish) to\b"
    r"(?![^,;]*\b(?:but|while|whereas|and (?:still )?(?:wants?|needs?|must|requires?))\b)[^,;]*$",
    re.I,
)
# "..., only changes", "..., fully managed": one or two words after the last comma are an aside of
# the notes, not a clause or a list's last item (those take an "and").
_ASIDE_WORDS = 2
# Two notes run together ("... rules. if fails ...") or a label with its list ("following: a, b").
_RUN_ON = re.compile(r"\.\s+[a-z]|\w:\s|;|\s/\s")
_SLIDE = re.compile(r"\b(?:slide|page|section|lecture|module|chapter)\s+\d+|^\d+[.)]?\s|\s\d{1,3}$", re.I)
_DANGLING_END = re.compile(r"\b(?:a|an|the|and|or|of|to|for|with|by|in|on|at|as|from|like|such as|but|than|via|into)$", re.I)
# "lakes allow you ...", "templates can be ...": the sentence's subject was "<Service> lakes", not the service.
_NOUN_SUBJECT = re.compile(
    r"^[a-z]+s\s+(?:can|could|allow|give|are|have|let|provide|support|behave|enable|help|make|must|may|will|should|do|"
    r"let|run|work|store|keep|is)\b"
)
_LIST = re.compile(r"\s[-–—:]\s|:\s*$|^[-–—:]")
MIN_TERMS = 3
# "dont want to manage": a contraction typed without its apostrophe (too short for the spell checker).
_NO_APOSTROPHE = re.compile(r"\b(?:do|does|did|ca|could|wo|would|should|is|are|was|were|has|have)nt\b", re.I)
# Verbs study notes describe services with, in the base form; inflections are derived (see is_verb).
VERBS = frozenset(
    """
    access accept add aggregate alert allow analyse analyze apply archive assign audit authenticate authorize automate
    back balance batch become block build buffer cache call capture catalog change charge check choose clean collect
    combine compare compress compute configure connect consume contain control convert copy create crawl deduplicate
    define delete deliver deploy describe detect discover distribute do enable encrypt enforce ensure evaluate execute
    expose extract fail filter find fit forward generate get give govern grant handle help host identify import improve
    index infer ingest inspect integrate invoke isolate join keep label launch let limit load lock log look maintain make
    manage mask migrate minimize model monitor mount move need normalise normalize notify offer offload orchestrate
    partition pay perform persist poll prepare prevent process produce profile protect provide provision publish pull
    push put query queue read receive record recover reduce register remove render replace replicate report request
    require reserve resize restore retain retrieve return reuse rotate route run save scale scan schedule search secure
    select send serve set share ship shift sign simplify speed split start stop store stream subscribe summarize support
    sync synchronize tag take test track train transcribe transfer transform translate trigger tune turn update upgrade
    upload use validate verify view visualize wait watch work write measure separate respect preserve promote include
    grow emit export accelerate adapt attach avoid bill broadcast cancel cleanse compile correlate decouple delegate
    denormalize detach embed enrich estimate exchange expire federate fetch flag forecast format hold implement inject
    leverage list map match merge mirror observe open optimize pause predict propagate purge reach rebalance recommend
    redact refresh reject release rename repair replay resolve respond restrict resume review rewrite roll sample
    scrape sort span spin stage investigate centralize centralise standardize submit suspend swap throttle truncate unify unload unlock vary version warn wrap
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
_AUXILIARIES = frozenset("is are was were be been has have had can could will would should may might must does do".split())  # noqa: SIM905
# Adverbs a verb may carry ("you only need", "and still want", "automatically replicates"): the
# short ones by name, the rest by "-ly" in a word longer than "only" that is no verb or noun.
_ADVERBS = frozenset("always never only often also still even just first then".split())  # noqa: SIM905
_NOT_ADVERBS = frozenset("apply supply reply rely multiply comply family assembly anomaly".split()) | {v for v in VERBS if v.endswith("ly")}  # noqa: SIM905
_ADVERB_MIN = 4
ADVERB = rf"(?:{'|'.join(sorted(_ADVERBS))}|(?!(?:{'|'.join(sorted(_NOT_ADVERBS))})\b)\w{{{_ADVERB_MIN - 1},}}ly)"
# A list of qualities or of examples of one thing is a requirement: "higher throughput, faster
# failover and ...", "graph relationships such as fraud rings, social networks and ...".
_QUALITIES = re.compile(
    r"\bsuch as\b|\bup to \d|\b(?:higher|lower|faster|cheaper|larger|smaller|better|greater|longer|shorter|simpler|more|less|fewer)\b",
    re.I,
)
_LIST_SHAPE = re.compile(r",.*\b(?:and|or)\b|,.*,")
# "logs all recording API actions": a second verb where the object should start. The -ing forms
# that do stand before a noun ("all incoming records") are adjectives, not a doubled verb.
_DOUBLED_VERB = re.compile(r"\b(\w+s)\s+(?:all|every|each|any)\s+(\w+ing)\b", re.I)
_ING_ADJECTIVES = frozenset(
    """existing incoming outgoing running pending remaining streaming matching missing underlying following upcoming
    ongoing corresponding changing growing failing expiring evolving""".split()  # noqa: SIM905 (a word list reads better as words)
)
# "to S3 bucket": a named thing's singular, countable noun with no article — the notes' telegraphic
# shorthand (a destination is a thing; "in JSON format", "from CloudTrail activity" read fine).
_BARE_NOUN = re.compile(
    r"\b(?:to|into|onto)\s+(?:[A-Z][\w-]*|[a-z]*\d[\w-]*)(?:\s+(?:[A-Z][\w-]*|[a-z]*\d[\w-]*))*\s+([a-z]{3,})\b"
    r"(?=\s*$|\s*[,.;)]|\s+(?:and|or|to|in|on|from|with|for|via|using)\b)"
)
# "with predefined template": a word that counts things before a singular head noun with
# no article (the phrase ends there: "multiple availability zones" has its plural head noun).
_COUNTED = re.compile(
    r"\b(?P<before>\w+\s+)?(?:pre-?built|ready-?made|pre-?defined|multiple|several|many|various|numerous)\s+(?P<noun>[a-z]{3,})(?![\w-])"
    r"(?=\s*$|\s*[,.;)]|\s+(?:and|or|to|in|on|from|with|for|via|using|of|that|which)\b)"
)
_DETERMINERS = frozenset("a an the its their his her our this that each every one".split())  # noqa: SIM905
# "your images set": a collective noun after a plural is a "set of images" the notes shortened.
_PLURAL_SET = re.compile(r"\b(?:a|an|the|your|its|their|of|on|in)\s+[a-z]+[^s\W]s\s+(?:set|list|collection)\b")


def _third_person_verb(verb: str) -> str:
    """ "store" -> "stores", "push" -> "pushes", "copy" -> "copies"."""
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    return verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + "s"


# "can notify via email": a verb that needs an object, followed at once by how or where (the
# notes' shorthand left out whom or what). Only verbs that are never nouns ("store with ..." is
# "a key-value store with ..."), and not the participle ("users are notified via email").
_NEEDS_OBJECT = "notify inform encrypt decrypt send grant give provide ingest collect mount".split()  # noqa: SIM905
_NO_OBJECT = re.compile(
    r"\b(?:"
    + "|".join(f"{v}|{_third_person_verb(v)}|{v[:-1] if v.endswith('e') else v}ing" for v in _NEEDS_OBJECT)
    + rf")(?: {ADVERB})? (?:via|by(?! default)|to|into|through|using|with|over|from)\b",
    re.I,
)
# "can be rolled back from a snapshot": the need says what is done to the service, not what it does.
_PASSIVE_START = re.compile(r"^can be (?!used\b)\w+(?:ed|en)\b")
# Shorthand a stem cannot spell out for certain, so a need with it is dropped: a number fused with a
# unit ("3h", "5min"; not "1st" or "4xx"), a symbol for a word ("a = b", "a + b"; not "C++"), an adverb in
# capitals for emphasis ("ONLY"), and steps strung on a bare "then" ("run job then Lambda then
# wait"; "..., then ..." and "and then" are English).
_FUSED_UNIT = re.compile(r"\b\d+(?!(?:st|nd|rd|th|x+)\b)[a-z]{1,3}\b")
_SYMBOL = re.compile(r"\s(?:=|\+|~|->|=>)\s|(?<=\w)=(?=\w)")
_BARE_THEN = re.compile(r"(?<![,;])(?<!\band)(?<!\bfirst) then\b")
_CONDITION = re.compile(r"\b(?:if|when|once|after)\b[^,;]* then\b", re.I)  # "when a job fails then ...": a condition's then


class Spelling:
    """Typos in a need ("recieving", "followng"): a stem must not copy them. Only the two
    slips fingers make count — two neighbouring letters swapped, or one inner letter left
    out — and only when the dictionary lacks the word and the fix is a common word, so
    jargon ("analytics", "sharding", "kinesis") and British spellings are left alone. The
    dictionary loads on first use (about 0.3 s); the caller owns the instance."""

    def __init__(self) -> None:
        self._checker: Any = None
        self._vocabulary: list[str] | None = None  # common words, sorted: what a clipped word is the start of

    def _loaded(self) -> Any:
        if self._checker is None:
            from spellchecker import SpellChecker

            self._checker = SpellChecker(distance=1)
        return self._checker

    def misspelt(self, text: str) -> list[str]:
        checker = self._loaded()
        words = re.findall(r"(?<![\w'’-])[a-z]{5,}(?![\w'’-])", text)
        out: list[str] = []
        for w in checker.unknown(words):
            fix = checker.correction(w)
            if fix and checker.word_frequency[fix] >= _COMMON_WORD and _slip(w, fix):
                out.append(w)
        return out

    def countable(self, noun: str, share: float = 0.0) -> bool:
        """``noun`` is a singular that English often says in the plural ("bucket", "table"),
        not a mass noun ("storage", "encryption", "replication") that needs no article: its
        plural is at least ``share`` (default ``_COUNT_PLURAL_SHARE``) as common."""
        frequency = self._loaded().word_frequency
        w = noun.lower()
        plural = w + "es" if w.endswith(("sh", "ch", "x", "s")) else w[:-1] + "ies" if re.search(r"[^aeiou]y$", w) else w + "s"
        return not w.endswith("s") and frequency[w] > 0 and frequency[plural] >= (share or _COUNT_PLURAL_SHARE) * frequency[w]

    def clipped(self, text: str) -> list[str]:
        """Words of ``text`` the notes cut short ("auth", "repo", "config"): lower case, not in
        the dictionary, and the start of a common word at least ``_CLIP_LETTERS`` letters longer.
        Jargon the dictionary lacks is whole ("serverless", "sharding") or starts no such word."""
        frequency = self._loaded().word_frequency
        if self._vocabulary is None:
            self._vocabulary = sorted(w for w, n in frequency.items() if n >= _COMMON_CLIP and w.isalpha())
        out: list[str] = []
        for w in re.findall(rf"(?<![\w'’/.-])[a-z]{{{_CLIP_MIN},{_CLIP_MAX}}}(?![\w'’/-])", text):
            if frequency[w] > 0:
                continue
            at = bisect.bisect_left(self._vocabulary, w)
            while at < len(self._vocabulary) and self._vocabulary[at].startswith(w):
                if len(self._vocabulary[at]) >= len(w) + _CLIP_LETTERS:
                    out.append(w)
                    break
                at += 1
        return out

    def english(self, word: str) -> bool:
        """``word`` (lower case) is a word of the dictionary ("lambda", "batch"; not "sqs", "ec2")."""
        return bool(self._loaded().word_frequency[word.lower()] > 0)


_COUNT_PLURAL_SHARE = 0.12  # plural/singular frequency: "buckets" 0.22, "queues" 0.13; "replications" 0.11, "storages" 0
# After a word that counts things the noun is meant as countable: a rarer plural still says so
# ("transformations" 0.10); a mass noun has none ("data", "storage", "access" 0).
_COUNTED_PLURAL_SHARE = 0.05


def _slip(word: str, fix: str) -> bool:
    """``word`` is ``fix`` with two neighbouring letters swapped or one inner letter dropped."""
    if len(word) == len(fix):
        diff = [i for i in range(len(word)) if word[i] != fix[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == fix[diff[1]] and word[diff[1]] == fix[diff[0]]
    return len(fix) == len(word) + 1 and any(fix[:i] + fix[i + 1 :] == word for i in range(1, len(fix) - 1))


# A clipped word is 4-6 letters ("env", "app" are too short to tell from names) and starts a common
# word ("authentication", "repository") 3 letters longer.
_CLIP_MIN, _CLIP_MAX, _CLIP_LETTERS, _COMMON_CLIP = 4, 6, 3, 300
_COMMON_WORD = 200  # occurrences in the spell checker's frequency list: "receiving" 20,143, "kinesics" 50


def defects(need: str, sentence: str, spelling: Spelling | None = None) -> list[str]:
    """Why ``need`` cannot stand as a question's requirement (empty: it can)."""
    reasons: list[str] = []
    text = need.strip()
    if (spelling and spelling.misspelt(text)) or _NO_APOSTROPHE.search(text):
        reasons.append("the need copies a misspelt word")
    if _DANGLING.search(text):
        reasons.append("the need refers to something outside the sentence")
    if _CODE.search(text):
        reasons.append("the need contains code or template syntax")
    if _EXAMPLE.search(text) or _EXAMPLE.search(sentence):
        reasons.append("the need is an example fragment")
    if _SLIDE.search(text):
        reasons.append("the need carries a slide or section number")
    if _DANGLING_END.search(text.rstrip(" .,;")) or not _balanced(sentence):
        reasons.append("the sentence is cut off")
    if _NOUN_SUBJECT.match(text) or _LIST.search(text) or re.match(r"^can be used\b(?! to\b)", text):
        reasons.append("the sentence's subject is not the service")
    # Without a verb a need says only what it is about ("cheap nightly Spark"): it takes a word more.
    if len(content_terms(text)) < MIN_TERMS + (0 if has_verb(text) else 1):
        reasons.append("the need is too short to pin down one service")
    if _NO_SUBJECT.search(text):
        reasons.append("the need copies a clause without its subject")
    if _ONLY_NOT_WANTED.match(text):
        reasons.append("the need only says what is not wanted, not what is needed")
    if _PHRASE_START.match(text):
        reasons.append("the need is a phrase, not a requirement (it starts with a preposition)")
    if _aside(text):
        reasons.append("the need ends in an aside after a comma")
    if _RUN_ON.search(text):
        reasons.append("the need runs several notes together")
    if not has_verb(text) and _LIST_SHAPE.search(text) and not _QUALITIES.search(text):
        reasons.append("the need is a list of nouns, not a requirement")
    if _PASSIVE_START.match(text):
        reasons.append("the need says what is done to the service, not what it does")
    if _NO_OBJECT.search(text):
        reasons.append("the need's verb has no object (whom or what it acts on)")
    if _doubled_verb(text) or _PLURAL_SET.search(text) or (spelling and (_bare_noun(text, spelling) or _counted_singular(text, spelling))):
        reasons.append("the need copies the notes' shorthand (a doubled verb, a missing article)")
    if (
        _FUSED_UNIT.search(text)
        or _SYMBOL.search(text)
        or (_BARE_THEN.search(text) and not _CONDITION.search(text))
        or _emphasis(text)
        or (spelling and spelling.clipped(text))
    ):
        reasons.append("the need copies the notes' shorthand (a clipped word, a symbol, a bare 'then')")
    return reasons


def mend(need: str) -> str:
    """The notes' abbreviations spelt out ("w/o code" "without code", "on prem" "on-premises",
    "&" "and"), and a list the notes wrote with commas alone gets its "and": a list of names
    ("moves files between NFS, SMB, S3"; the last items, each a name of a few words and no
    verb), or of predicates each starting with a verb of the service ("verifies data, encrypts
    it"). A need with an "and" of its own is left alone: its commas may part clauses."""
    for pattern, word in _ABBREVIATIONS:
        need = re.sub(pattern, word, need)
    parts = need.split(", ")
    tail = 0
    for part in reversed(parts[1:]):
        if len(part.split()) > _LIST_ITEM_WORDS or not part[:1].isupper() or has_verb(part):
            break
        tail += 1
    predicates = len(parts) > 1 and all(_finite_start(part) for part in parts)
    if not (tail or predicates) or re.search(r"\b(?:and|or)\b", need):  # a list that has its "and" elsewhere is not this one
        return need
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


_LIST_ITEM_WORDS = 3
# Shorthand a stem spells out; each means one thing wherever it stands.
_ABBREVIATIONS = (
    (r"(?<![\w/])w/o(?![\w/])", "without"),
    (r"(?<![\w/])w/(?=\s)", "with"),
    (r"\bon[- ]prem\b", "on-premises"),
    (r"\s&\s", " and "),
    (r"(?<=\d )hrs\b", "hours"),
    (r"(?<=\d )mins\b", "minutes"),
)


def _finite_start(part: str) -> bool:
    """ "encrypts in transit": a predicate whose first word is a verb in the third person."""
    first = part.split(" ", 1)[0]
    return first.endswith("s") and not first.endswith("ss") and is_verb(first)


def third_person(need: str, who: str = "the company") -> str:
    """ "maintains copies of your data", "helps you automate ...", "accounts that you create":
    notes speak to the reader, a stem about ``who`` does not. The first "your"/"you" becomes
    ``who``, later ones "its"/"it", "yourself" "itself"; a "you" that is its clause's subject
    takes its verb in the third person ("you store" -> "the company stores"; "you can", "you do
    not" and a verb joined on by and/but, "... and need ...", agree too). A "you" whose role
    the lexicon cannot tell ("you own ...") leaves the need as written."""
    seen = False
    agreed: list[str] = []  # the verbs made to agree with ``who``

    def swap(m: re.Match[str]) -> str:
        nonlocal seen
        said, seen = seen, True
        if m["self"]:
            return "itself"
        if m["your"]:
            out = "its" if said else f"{who}'s"
        elif m["object"]:
            return f"{m['object']} {'it' if said else who}"
        else:
            adverb, verb, rest = m["adverb"] or "", m["verb"], ""
            if verb.lower() not in _SUBJECT_VERBS and adverb.strip().lower() in _SUBJECT_VERBS:
                adverb, verb, rest = "", adverb.strip(), f" {verb}"  # "you apply ...": no adverb after all
            if verb.lower() not in _SUBJECT_VERBS:
                return m[0]  # its role unknown: the check below keeps the need as written
            agreed.append(_agree(verb))
            out = f"{'it' if said else who}{adverb} {agreed[-1]}{rest}"
        return out[0].upper() + out[1:] if m[0][0].isupper() else out

    out = _YOU.sub(swap, need)
    if agreed:  # "the company prefers X and do not want Y", "creates and centrally manage": joined verbs agree too
        # Only in the clause the agreed verb is in: "... a queue where workers poll and need retries" stays.
        out = "".join(
            _JOINED.sub(lambda m: f"{m[1]}{_agree(m[2])}", part) if any(re.search(rf"\b{re.escape(v)}\b", part) for v in agreed) else part
            for part in _CLAUSE.split(out)
        )
        for verb in agreed:
            joined = rf"(\b{re.escape(verb)} (?:and|or) (?:{ADVERB} )?)([a-z]+)\b"
            out = re.sub(joined, lambda m: m[1] + (_agree(m[2]) if m[2] in _SUBJECT_VERBS else m[2]), out)
    return need if re.search(r"\byou\b", out, re.I) else out


def _agree(verb: str) -> str:
    return verb if verb.lower() in _MODALS else _AGREE.get(verb.lower()) or _third_person_verb(verb)


# "helps you automate": the reader is the object (the next verb stays bare); "your"; "you" + verb:
# the subject (only verbs of the lexicon, the auxiliaries and the modals are read as its verb).
_YOU = re.compile(
    r"\b(?P<object>enables|allows|helps|lets|gives|makes|for|to|without) you\b|\b(?P<your>your)\b|\b(?P<self>yourself)\b"
    rf"|\byou(?P<adverb>(?: {ADVERB})?) (?P<verb>[a-z]+(?:n[’']t)?)(?![\w’'-])",
    re.I,
)
_CLAUSE = re.compile(r"(\b(?:where|which|who|that|when|while|because|if)\b|;)")
_MODALS = frozenset("can could will would should must may might".split())  # noqa: SIM905
_AGREE = {"are": "is", "were": "was", "have": "has", "do": "does", "go": "goes", "don't": "doesn't", "don’t": "doesn’t"}
# A second verb of the same subject: only those never an infinitive's second half ("to copy and move").
_JOINED = re.compile(rf"(\b(?:and|but|or) (?:{ADVERB} )?)(do|don't|don’t|want|need|prefer|wish|have)(?= )")
# Verbs a reader is the subject of in notes, beyond the lexicon's ("you want", "you own").
_SUBJECT_VERBS = VERBS | _MODALS | _AGREE.keys() | frozenset("want wish prefer plan expect own know".split())  # noqa: SIM905


def _aside(text: str) -> bool:
    *before, tail = text.rstrip(" .").split(", ")
    # "a short, stateless transformation": after an article the comma parts two adjectives of one noun.
    open_phrase = bool(before) and re.search(r"\b(?:a|an|the) \S+$", before[-1], re.I) is not None
    return (
        bool(before)
        and not open_phrase
        and len(tail.split()) <= _ASIDE_WORDS
        and not re.match(r"(?:and|or)\b", tail)
        and not tail[:1].isupper()
    )


def _emphasis(text: str) -> bool:
    return any(is_adverb(w.lower()) or w in ("NOT", "NO") for w in re.findall(r"\b[A-Z]{2,}\b", text))


def _doubled_verb(text: str) -> bool:
    m = _DOUBLED_VERB.search(text)
    return m is not None and is_verb(m.group(1)) and is_verb(m.group(2)) and m.group(2).lower() not in _ING_ADJECTIVES


def _bare_noun(text: str, spelling: Spelling) -> bool:
    # A verb's base form after a name is a reduced clause ("into SQL run on Redshift"), not a noun.
    return any(spelling.countable(m.group(1)) and m.group(1) not in VERBS for m in _BARE_NOUN.finditer(text))


def _counted_singular(text: str, spelling: Spelling) -> bool:
    return any(
        (m["before"] or "").strip().lower() not in _DETERMINERS and spelling.countable(m["noun"], _COUNTED_PLURAL_SHARE)
        for m in _COUNTED.finditer(text)
    )


# "triggers lambda on ...": a lower-case name as the object of a verb that starts a service.
_STARTS = r"(?:trigger|invoke|call)(?:s|ed|ing)?"


def name_case(need: str, names: list[str], spelling: Spelling) -> str:
    """The catalog's capitals for a service name ``need`` writes in lower case, where the
    notes' own words show it means the service: a name that is no English word ("sqs", "ec2")
    anywhere, one that is ("lambda", "transcribe", "batch") only as the object of
    trigger/invoke/call with nothing after it that makes it an adjective ("invokes lambda for
    each upload", not "triggers batch jobs"). Even a section that capitalises the service elsewhere
    does not say "continuous automatic backup" means AWS Backup."""
    for name in sorted(names, key=len, reverse=True):
        low = name.lower()
        if name == low or " " in name:
            continue
        if spelling.english(low):
            after = r"(?=\s*$|\s*[,.;)]|\s+(?:on|when|to|for|with|in|from|via|and|or|after|if)\b)"
            pattern = rf"\b({_STARTS} (?:the |an? )?){re.escape(low)}{after}"
        else:
            pattern = rf"(?<![\w-])()({re.escape(low)})(?![\w-])"
        need = re.sub(pattern, rf"\g<1>{name}", need)  # catalog names have no backslashes
    return need


def is_adverb(word: str) -> bool:
    """ "always", "then", "automatically": a word a verb may carry (not "apply" or "anomaly")."""
    return word.lower() in _ADVERBS or is_ly_adverb(word)


def is_ly_adverb(word: str) -> bool:
    """ "easily", "centrally": an adverb by its ending (not "only", "fly" or "supply")."""
    return re.fullmatch(ADVERB, word.lower()) is not None and word.lower() not in _ADVERBS


def is_verb(word: str) -> bool:
    """``word`` is a form of a verb of the lexicon ("loads", "stored", "making", "copies")."""
    w = word.lower().strip(".,;:()\"'")
    if w in VERBS or w in _AUXILIARIES:
        return True
    if len(w) <= 3:
        return False
    # Each ending takes off only what it adds: "connectors" is no "connect" + "ors", "users" no "use" + "rs".
    if w.endswith("ies"):
        stems = [w[:-1], w[:-3] + "y"]  # "ties", "copies"
    elif w.endswith("es"):
        stems = [w[:-1], w[:-2]]  # "stores", "pushes"
    elif w.endswith("s"):
        stems = [w[:-1]]
    elif w.endswith("ied"):
        stems = [w[:-3] + "y"]  # "copied"
    elif w.endswith("ed"):
        stems = [w[:-1], w[:-2]]  # "stored", "loaded"
    elif w.endswith("ing"):
        stems = [w[:-3], w[:-3] + "e"]  # "loading", "storing"
    else:
        return False
    doubled = w[:-2] if w.endswith("ed") else w[:-3] if w.endswith("ing") else ""
    if len(w) > 5 and len(doubled) > 2 and doubled[-1] == doubled[-2]:
        stems.append(doubled[:-1])  # "running" -> "run", "mapped" -> "map"
    return any(s in VERBS for s in stems)


def starts_with_verb(text: str) -> bool:
    """ "loads data ...", "automatically replicates ...": a predicate a "that" can introduce."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)[:2]
    if len(words) == 2 and is_adverb(words[0]):
        words = words[1:]
    return bool(words) and is_verb(words[0])


def has_verb(text: str) -> bool:
    """A clause has a verb: a finite one, an infinitive ("to load") or a participle of the lexicon."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return any(is_verb(w) for w in words) or re.search(r"\bto [a-z]+", text) is not None


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]") and text.count('"') % 2 == 0
