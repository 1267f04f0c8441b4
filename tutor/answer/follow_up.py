"""Is a message a follow-up? It is when it leans on something it does not name itself.

Only a follow-up is rewritten before retrieval (:mod:`tutor.answer.condense`); a question that
names its own subject is searched as typed, whatever came before it. The rules are
linguistic, not a list of phrasings:

- an **opener** that continues the previous turn: "And Firehose?", "What about ...", "vs ...",
  "Same for SQS?" (unless what follows is a whole question of its own: "ok, and what is X?");
- an **anaphor** with no antecedent in the message: "it", "they", pronoun or determiner
  "that/this", "there" as a place, "one" as a noun ("which one", "one of them"), "the other".
  An antecedent is a subject named in an earlier clause ("If I delete objects, can I get
  them back?"); a pronoun is never bound by its own clause ("Which volume types support it?").
  Expletive "it" ("is it possible to", "how long does it take"), existential "there" and
  relative or complement "that" are not anaphors;
- **ellipsis**: a noun left out ("How many can I create?", "Which type should I use?"), a
  fragment with no verb ("Per region or per account?");
- **no subject of its own**: no service, no technical term, fewer than two content words
  once light verbs, relational nouns ("the max", "the cost") and degree words are set
  aside ("What's the passing score?", "Give me an example.").
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from tutor.answer.sentences import STOPWORDS

if TYPE_CHECKING:
    from tutor.retrieve.synonyms import ServiceCatalog


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z0-9@][\w@/.'’+-]*[A-Za-z0-9]|[A-Za-z0-9]|[,;:.!?]")
_DASH = re.compile(r"\s[-–—]\s")
_CLAUSE_BREAK = frozenset(",;:.!?") | _words(
    """
    and but or if when whenever once before after because while since unless until so though although
    without
    """
)
_SENTENCE_END = frozenset(".!?")
_AUX = _words(
    """
    is are was were be been being am do does did can could will would should shall may might must has
    have had isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't
    hasn't haven't
    """
)
_WH = _words("what what's whats which who whom whose where when why how")
_DETERMINERS = _words(
    """
    a an the my your our their its his her some any each every no this that these those
    """
)
_PREPOSITIONS = _words(
    """
    of for in on to from with by about at into onto between per under over through than like via
    """
)
_PARTICLES = _words("on off up down out back in over away")
_COMPLEMENTIZER_HOSTS = _words(
    """
    so think thought know knew heard read true sure mean means say says said ensure assume believe given
    such now
    """
)
_ACKNOWLEDGEMENTS = _words(
    """
    ok okay thanks thank you cool great nice perfect right got it i see understood that that's makes
    sense is all clear now sounds good alright awesome
    """
)
_OPENERS = ("and", "or", "but", "so", "also", "then", "vs", "versus", "plus")
_OPENER_PHRASES = ("what about", "how about", "what if", "why not", "same for", "same with", "same scenario", "same question", "and if")
_IMPERATIVES = _words(
    """
    tell explain give show list compare describe define summarize summarise help walk name
    """
)
# "is it possible to ...", "how long does it take to ...": "it" stands for what follows.
_EXPLETIVE_IT = re.compile(
    r"\b(?:is|was|isn't) it (?:still |also |even |really |ever |\w+ly )?(?:possible|true|necessary|worth|better|best|ok|okay|safe|wise|recommended|required|"
    r"normal|common|allowed|a good idea|a bad idea|bad practice|good practice)\b"
    r"|\bit(?:'s| is) (?:possible|true|necessary|worth|better|best|recommended|required|called)\b"
    r"|\bit (?:takes?|took|depends)\b|\bdoes it take\b|\bis it called\b|\bwhat is it that\b|\bwhat's it called\b",
    re.I,
)
_COMPARATIVES = _words("similar comparable equivalent")
_DIFFERENT = _words("different differ differs")  # said last in its clause: different from what?
_BOTH_SIDES = _words("and or vs versus between both")
_NOUN_MODIFIERS = _words("same very particular exact specific whole entire")
_ARGUMENT_PREPOSITIONS = _words("of with between behind about")
_IDIOMATIC_DEFINITES = _words("past future meantime moment end beginning internet world cloud console background")
_PRONOUNS = _words("it its it's itself they them their theirs themselves")
_POSSESSIVES = frozenset({"its", "their"})
_REFLEXIVES = frozenset({"itself", "themselves"})  # "the software itself": bound by its own noun
_DEMONSTRATIVES = _words("this these those that")
_FUNCTION_WORDS = _CLAUSE_BREAK | _AUX | _WH | _DETERMINERS | _PREPOSITIONS | _PARTICLES
_RELATIONAL_HEADS = _words(
    """
    type types kind kinds option options mode modes tier tiers version versions
    """
)
# Verbs that say little about a subject on their own, yet tell which side of it the turn was
# about ("How long does Kinesis *keep* records?"): they do not name a subject, but a
# follow-up carries them.
_TOPIC_VERBS = _words(
    """
    keep keeps kept support supports run runs handle handles create created require requires required
    charge charged charges pay paying billed bill apply applies allow allows store stores stored
    """
)
# Words that name no subject: light verbs, relational nouns ("the max" of what?), degree and
# evaluative words, generic nouns and units of time. Compared by their lower-case form.
_LIGHT = _TOPIC_VERBS | _words(
    """
    make makes made making take takes took go goes going went come comes need needs needed want wants
    work works happen happens happened help helps set sets change changed raise increase increased
    decrease reduce lower extend stretch pick choose prefer recommend mean means say tell explain give
    show know think see look put find try start stop turn let lets available mind matter care expect get
    got max maximum min minimum limit limits default defaults cost costs price prices pricing fee fees
    size sizes score duration length value values number amount difference differences catch downside
    downsides benefit benefits advantage advantages disadvantage alternative alternatives option options
    type types kind kinds way ways thing things something anything everything example examples part
    parts one ones version mode modes setting settings step steps point purpose reason reasons idea case
    cases choice time times second seconds minute minutes hour hours day days week weeks month months
    year years good better best bad worse worst big bigger biggest small smaller smallest large larger
    largest long longer longest short shorter shortest high higher highest low lowest fast faster
    fastest slow slower slowest quick quicker quickest quickly cheap cheaper cheapest expensive free
    typical typically usual usually possible different same other another own single every mainly really
    actually exactly still later afterwards instead old new many much more most less least far often
    soon easy hard true enough whole main common safe likely sure people person someone anyone everyone
    item items stuff thanks please okay ok lot lots bit
    """
)
# Words after which "to" starts an infinitive, not a place: "a way to avoid", "how to enable".
_INFINITIVE_HOSTS = _words(
    """
    way ways how want wants need needs able possible have has had going try trying best easiest cheapest
    fastest simplest allowed supposed like
    """
)
_PHRASE_WORDS = 5  # "What about local ones?": longer, a fragment has a clause of its own
_UNITS = _words("kb mb gb tb pb kib mib gib tib ms mb/s gb/s kb/s usd")


def is_follow_up(message: str, catalog: ServiceCatalog) -> bool:
    """True when ``message`` leans on an earlier turn for something it does not name."""
    tokens = _without_acknowledgement([t.lower() for t in _TOKEN.findall(message)], message)
    words = [t for t in tokens if t not in _CLAUSE_BREAK or t in {"and", "or", "but", "so"}]
    if not words:
        return True  # nothing but "ok!" or "thanks, why?": leans on what was said
    original = _original_case(message, tokens)
    named = bool(catalog.find(" ".join(original)))
    if _opens_a_continuation(tokens):
        rest = _after_opener(tokens)
        # "ok, and what is SageMaker Canvas?" starts afresh: a whole question naming a service.
        names_a_service = bool(catalog.find(" ".join(_original_case(message, rest))))
        return not (names_a_service and _is_whole_question(rest) and not _anaphors(rest))
    if any(not resolved for _, resolved in _anaphor_resolutions(tokens, original, catalog)):
        return True

    # A noun left out, or "the" + a noun, may be given by an earlier clause of the message:
    # "Can I add an LSI to a table, and how many are allowed?"
    def given(i: int) -> bool:
        return _antecedent_before(i, tokens, original, catalog, strength=2)

    # ... or by the subject of its own clause: "What options does Data Wrangler have?" (not
    # "Which type should I use for HPC?": HPC is what it is for, not whose type).
    def owned(i: int) -> bool:
        end = next((j for j in range(i + 3, len(tokens)) if tokens[j] in _PREPOSITIONS or tokens[j] in _CLAUSE_BREAK), len(tokens))
        return _names_a_subject(tokens[i + 2 : end], original[i + 2 : end], catalog)

    if _is_fragment(tokens) or any(not given(i) and not owned(i) for i in _elided_nouns(tokens)):
        return True
    if not _names_a_subject(tokens, original, catalog) and any(not given(i) for i in _bare_definites(tokens)):
        return True
    return not named and _subject_strength(tokens, original, catalog) < 2


def points_back(message: str, catalog: ServiceCatalog) -> bool:
    """True when ``message`` has an anaphor with no antecedent in it: "How does it differ
    from OpenSearch?" points back; "And Firehose?" replaces what it continues."""
    tokens = _without_acknowledgement([t.lower() for t in _TOKEN.findall(message)], message)
    original = _original_case(message, tokens)
    return any(not resolved for _, resolved in _anaphor_resolutions(tokens, original, catalog))


def own_question(message: str) -> tuple[bool, bool]:
    """Past its opener, is ``message`` a whole question (or ends in one: "If I restore it,
    where ...?", "And the instance status check - what trips it?"), and has it a word of its
    own that names something? "And how long can one invocation run?": both; "Which kinds can
    it point at?": a whole question only; "What about local ones?", "And the minimum?": neither."""
    tokens = _without_acknowledgement([t.lower() for t in _TOKEN.findall(message)], message)
    rest = _after_opener(tokens) if tokens and _opens_a_continuation(tokens) else tokens
    last = _DASH.split(message)[-1]  # a dash sets the topic apart from the question on it
    main = [t.lower() for t in _TOKEN.findall(last)] if last != message else rest
    if main and main[0] in _CLAUSE_BREAK and "," in main:
        main = main[main.index(",") + 1 :]
    # "What trips that one?": a question word and a verb, though no auxiliary.
    whole = _is_whole_question(main) or len(main) >= 3 and main[0] in _WH and main[1] not in _PREPOSITIONS | {"else"}
    return whole, whole and any(names_something(t) for t in rest if t not in _PRONOUNS)


def is_noun_phrase(message: str) -> bool:
    """Past its opener, is ``message`` a short phrase with no verb or clause: "What about
    local ones?", "And with enhanced health reporting?"."""
    tokens = _without_acknowledgement([t.lower() for t in _TOKEN.findall(message)], message)
    rest = [t for t in (_after_opener(tokens) if tokens and _opens_a_continuation(tokens) else tokens) if t not in _SENTENCE_END]
    return 0 < len(rest) <= _PHRASE_WORDS and not any(t in _AUX or t in _CLAUSE_BREAK or t in _WH or t in {"i", "you", "we"} for t in rest)


# -- the signals -------------------------------------------------------------


def _without_acknowledgement(tokens: list[str], message: str) -> list[str]:
    """Drop a leading "Thanks!" / "That makes sense." / "ok," that carries no question."""
    i = 0
    while i < len(tokens) and (tokens[i] in _ACKNOWLEDGEMENTS or tokens[i] in _CLAUSE_BREAK - {"and", "or", "but", "so"}):
        i += 1
    if i == 0:
        return tokens
    # Keep "that" when it starts the question itself ("That mode, what's its cutoff?").
    head = tokens[:i]
    if not any(t in {",", ".", "!", ";", ":"} for t in head) and i < len(tokens):
        return tokens
    return tokens[i:]


def _original_case(message: str, tokens: list[str]) -> list[str]:
    """The tokens as the student typed them (technical terms are told by their capitals)."""
    typed = _TOKEN.findall(message)
    lowered = [t.lower() for t in typed]
    n = len(tokens)
    for start in range(len(typed) - n + 1):
        if lowered[start : start + n] == tokens:
            return typed[start : start + n]
    return tokens


def _opens_a_continuation(tokens: list[str]) -> bool:
    text = " ".join(tokens)
    return tokens[0] in _OPENERS or any(text.startswith(p) for p in _OPENER_PHRASES)


def _after_opener(tokens: list[str]) -> list[str]:
    text = " ".join(tokens)
    skip = next((len(p.split()) for p in _OPENER_PHRASES if text.startswith(p)), 1)
    rest = tokens[skip:]
    while rest and rest[0] in {",", "and", "so", "then", "also"}:
        rest = rest[1:]
    return rest


def _is_whole_question(tokens: list[str]) -> bool:
    return bool(tokens) and (tokens[0] in _WH or tokens[0] in _AUX or tokens[0] in _IMPERATIVES) and any(t in _AUX for t in tokens)


def _anaphors(tokens: list[str]) -> list[int]:
    return [i for i, _ in _anaphor_resolutions(tokens, tokens, None)]


def _anaphor_resolutions(tokens: list[str], original: list[str], catalog: ServiceCatalog | None) -> list[tuple[int, bool]]:
    """(position, has an antecedent in the message) for each anaphor."""
    text = " ".join(tokens)
    expletive_spans = [m.span() for m in _EXPLETIVE_IT.finditer(text)]
    starts = _char_starts(tokens)
    out: list[tuple[int, bool]] = []
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in _PRONOUNS:
            if tok.startswith("it") and any(a <= starts[i] < b for a, b in expletive_spans):
                continue
            # A possessive may be bound in its own clause ("Where does Config store its
            # snapshots?"); another pronoun may not ("Which volume types support it?").
            bound = _antecedent_before(i, tokens, original, catalog, same_clause=tok in _POSSESSIVES | _REFLEXIVES)
            out.append((i, bound))
        elif tok in _DEMONSTRATIVES:
            kind = _demonstrative_kind(tokens, i)
            if kind == "determiner":
                repeated = _head_noun(tokens, i + 1) in tokens[:i]  # "a KMS key ... once that (same) key is deleted"
                out.append((i, repeated or _antecedent_before(i, tokens, original, catalog)))
            elif kind == "pronoun":
                out.append((i, _antecedent_before(i, tokens, original, catalog)))
        elif tok == "there":
            existential = nxt in _AUX or prev in _AUX or nxt in {"'s", "any"}
            if not existential:
                out.append((i, _antecedent_before(i, tokens, original, catalog)))
        elif tok in {"one", "ones"}:
            if _one_is_a_noun(tokens, i):
                # "Which one should it pick?" after a sentence that named the kind of thing
                # ("a scaler in Data Wrangler"); "legitimate ones" after "fraudulent transactions".
                # "one of them" picks from a set the message must list itself. "The SCRAM one"
                # picks by its own word from a set said earlier: that word is no antecedent.
                partitive = i + 1 < len(tokens) and tokens[i + 1] == "of"
                picked = i - 2 if i >= 2 and tokens[i - 2] == "the" and prev not in _FUNCTION_WORDS else i
                named_before = not partitive and _antecedent_before(picked, tokens, original, catalog, same_clause=True, strength=2)
                out.append((i, named_before or _alternatives_listed(tokens, original, catalog)))
        elif tok in _COMPARATIVES and nxt not in {"to", "as", "with"}:
            out.append((i, False))  # "a similar cap": similar to what was said
        elif tok in _DIFFERENT and (nxt in _CLAUSE_BREAK or nxt == ""):
            # "How is Pipe different?": from what was said, unless the message names both sides.
            out.append((i, bool(_BOTH_SIDES & set(tokens[:i]))))
        elif tok == "other" and prev == "the" or tok == "same" and (nxt in _CLAUSE_BREAK or nxt == ""):
            out.append((i, False))
    return out


def _head_noun(tokens: list[str], i: int) -> str:
    """The noun a determiner introduces: "that same region" -> "region"."""
    while i < len(tokens) - 1 and tokens[i] in _NOUN_MODIFIERS:
        i += 1
    return tokens[i] if i < len(tokens) else ""


def _char_starts(tokens: list[str]) -> list[int]:
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t) + 1
    return starts


def _demonstrative_kind(tokens: list[str], i: int) -> str:
    """ "determiner" (that mode), "pronoun" (stretch that; is that ...), or "" (a service that ...)."""
    tok = tokens[i]
    prev = tokens[i - 1] if i else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok == "this" and nxt in {"year", "week", "month", "time"}:
        return ""
    if nxt in _CLAUSE_BREAK or nxt == "" or nxt in _PARTICLES and tok == "that":
        return "pronoun" if prev not in _COMPLEMENTIZER_HOSTS else ""
    if tok == "that":
        if prev in _COMPLEMENTIZER_HOSTS:
            return ""
        if prev and prev not in _AUX and prev not in _PREPOSITIONS and prev not in _CLAUSE_BREAK and prev not in _WH:
            return ""  # after a noun or verb: "data that is stored", "I think that"
        if nxt in _AUX or nxt in _PRONOUNS or nxt in {"i", "you", "we"}:
            return "pronoun"
        return "determiner"
    if nxt in _AUX or nxt in _PREPOSITIONS or nxt in {"i", "you", "we"} or nxt in _LIGHT and nxt not in _RELATIONAL_HEADS:
        return "pronoun"  # "does this apply", "is this likely"
    return "determiner"


def _one_is_a_noun(tokens: list[str], i: int) -> bool:
    """ "which one", "the other one", "one of them": a noun; "one shard", "no one": not anaphoric."""
    prev = tokens[i - 1] if i else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    after = tokens[i + 2] if i + 2 < len(tokens) else ""
    if prev in {"no", "any", "every", "some", "than"} or tokens[i] == "one" and nxt in {"another", "to", "by"} or prev == "by":
        return False
    if nxt == "of":
        return after in {"them", "these", "those", "it"}
    if prev in {"which", "the", "that", "this", "a", "good", "other", "second", "first", "third", "last", "same"}:
        return True
    return nxt in _CLAUSE_BREAK or nxt == "" or nxt in _AUX


def _alternatives_listed(tokens: list[str], original: list[str], catalog: ServiceCatalog | None) -> bool:
    """ "Which one is better, Aurora or Redshift?": the options are named, so "one" is too."""
    if "or" not in tokens and "vs" not in tokens and "versus" not in tokens:
        return False
    if catalog is not None and len(catalog.find(" ".join(original))) >= 2:
        return True
    return sum(is_technical(w) for w in original) >= 2


def _antecedent_before(
    i: int, tokens: list[str], original: list[str], catalog: ServiceCatalog | None, *, same_clause: bool = False, strength: int = 1
) -> bool:
    """A subject named before position ``i`` (see :func:`_subject_strength`): in an earlier
    clause, or in its own if ``same_clause``."""
    start = i
    while not same_clause and start > 0 and tokens[start - 1] not in _CLAUSE_BREAK:
        start -= 1
    if start == 0:
        return False
    return _subject_strength(tokens[:start], original[:start], catalog) >= strength


def _elided_nouns(tokens: list[str]) -> list[int]:
    """Where a noun is left out: "How many can I create?" (many what?), "Which type should I use?"."""
    return [
        i
        for i in range(len(tokens) - 2)
        if (tokens[i] == "how" and tokens[i + 1] == "many" or tokens[i] in {"which", "what"} and tokens[i + 1] in _RELATIONAL_HEADS)
        and tokens[i + 2] in _AUX
    ]


def _bare_definites(tokens: list[str]) -> list[int]:
    """ "Does the standby serve reads?": "the" + one noun points at something given earlier;
    "the learning rate" (a term of two words), "the problem with X" (its argument given) or
    "in the past" (an idiom) does not."""
    out = []
    for i in range(len(tokens) - 1):
        if tokens[i] != "the" or not names_something(tokens[i + 1]) or tokens[i + 1] in _IDIOMATIC_DEFINITES:
            continue
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        if after not in _ARGUMENT_PREPOSITIONS and (not names_something(after) or after in _REFLEXIVES):
            out.append(i)
    return out


def _names_a_subject(tokens: list[str], original: list[str], catalog: ServiceCatalog | None) -> bool:
    """A service, a technical term or a proper name ("Kinesis shard", "Data Wrangler")."""
    if catalog is not None and catalog.find(" ".join(original)):
        return True
    return any(is_technical(w) for w in original[1:]) or any(_is_name(w, prev) for prev, w in itertools.pairwise(original))


def _is_fragment(tokens: list[str]) -> bool:
    """A short message with no verb to speak of: "Per region or per account?"."""
    words = [t for t in tokens if t not in _CLAUSE_BREAK]
    if len(words) > 6 or any(t in _AUX for t in tokens):
        return False
    return words[0] not in _WH and words[0] not in _IMPERATIVES


def _subject_strength(tokens: list[str], original: list[str], catalog: ServiceCatalog | None) -> int:
    """2 for a service or technical term, else the number of content words that name something."""
    if catalog is not None and catalog.find(" ".join(original)):
        return 2
    if any(is_technical(w) or _is_name(w, prev) for prev, w in itertools.pairwise(original)):
        return 2
    if original and is_technical(original[0]) and original[0].isupper():
        return 2
    return sum(1 for i, t in enumerate(tokens) if names_something(t) and not _is_verbal(tokens, i))


def _is_verbal(tokens: list[str], i: int) -> bool:
    """A verb by its place: after "a way to", "how to", "need to" (an infinitive), or an
    -ing form right after one ("a way to avoid paying ...")."""
    if i >= 2 and tokens[i - 1] == "to" and tokens[i - 2] in _INFINITIVE_HOSTS:
        return True
    return i >= 1 and tokens[i].endswith("ing") and _is_verbal(tokens, i - 1)


def topic_word(token: str) -> bool:
    """A word a follow-up may carry from the turn it leans on (see :mod:`tutor.answer.condense`)."""
    return names_something(token) or token.lower() in _TOPIC_VERBS


def names_something(token: str) -> bool:
    """A content word that names a thing: not a function word, a light verb, a relational
    noun ("max", "cost"), a degree word ("longest") or a number."""
    word = token.strip("'’").removesuffix("'s")
    if len(word) < 2 or word in STOPWORDS or word in _LIGHT or word in _UNITS or word in _FUNCTION_WORDS:
        return False
    return not word.replace(",", "").replace(".", "").isdigit()


def is_function_word(token: str) -> bool:
    """ "from", "over", "the", "up": a word that names nothing and is no verb either."""
    return token.lower() in _FUNCTION_WORDS or token.lower() in STOPWORDS


def is_relational_head(token: str) -> bool:
    """ "type", "mode", "tier": a noun that names a thing with the word before it ("cluster mode")."""
    return token.lower() in _RELATIONAL_HEADS


def _is_name(word: str, prev: str) -> bool:
    """A capitalised word inside a sentence is a proper name: "What does Amazon Polly do?"."""
    return word[:1].isupper() and word not in {"I", "A"} and prev not in _SENTENCE_END and word.lower() not in _UNITS


def is_technical(word: str) -> bool:
    """ "RPO", "gp3", "SageMaker", "k-means": a term, not an English word. "I", "MB", "OK" are not."""
    if word.lower() in _UNITS or word in {"I", "OK", "A"} or len(word) < 2:
        return False
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    has_digit = any(c.isdigit() for c in word)
    return (
        has_digit or any(c.isupper() for c in word[1:]) or (word.isupper() and len(word) >= 2) or ("-" in word and not word.startswith("-"))
    )
