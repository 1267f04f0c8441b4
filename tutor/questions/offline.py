"""The deterministic question writer: claims from the notes, distractors the notes disprove.

Needs no model: a claim "need -> service" becomes a scenario stem and the service the key.
Sound before plentiful: a claim is dropped when its need is a fragment (see
:mod:`tutor.questions.requirement`) or its key contradicts the section it sits in, and a
service is offered as a distractor only when the notes say what it is for and no sentence
of the notes gives it this need too ("CloudWatch alarm (or EventBridge rule)" makes
EventBridge right, not a distractor). No two options come from one family ("CloudWatch"
and "CloudWatch Logs"). Every option's explanation cites the notes: the claim for the key,
for each distractor what the notes say it is for instead.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from tutor.answer.citations import Citation
from tutor.answer.sentences import content_terms
from tutor.config import QuestionsConfig
from tutor.questions.claims import CHOOSE, DEFINITION, MENTION, SCENARIO, Claim, named_services, read_claim
from tutor.questions.question import Question, Rejection
from tutor.questions.requirement import (
    MIN_TERMS,
    VERBS,
    Spelling,
    defects,
    is_ly_adverb,
    is_verb,
    mend,
    name_case,
    starts_with_verb,
    third_person,
)
from tutor.questions.statements import Statement, statements
from tutor.questions.verify import dice, fact_of, key_longest_share, same_family
from tutor.retrieve.synonyms import VENDOR_WORDS, Service
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

_PRIORITY = {SCENARIO: 0, CHOOSE: 1, DEFINITION: 2}
_CONSTRAINTS = (
    # (pattern in the note's own words, the exam's closing words for it)
    (r"\b(cost|cheap|price|pricing|lowest|budget)\w*", "MOST cost-effectively"),
    (
        r"no servers|serverless|least (?:effort|operational|development)|without (?:managing|maintaining|writing|building|code)|"
        r"no[- ]code|no infrastructure|fully managed|minimal code|no capacity|no clusters?|not (?:manage|run) (?:a )?clusters?",
        "with the LEAST operational overhead",
    ),
    (r"real[- ]time|sub-second|milliseconds?|within (?:seconds|minutes)|low(?:er|est)? latency", "with the LOWEST latency"),
    # "latency-sensitive" is about speed, not secrets.
    (r"(?<![\w-])(encrypt|PII|sensitive|least[- ]privilege|regulat)\w*", "in the MOST secure way"),
)
LEAST_OVERHEAD = _CONSTRAINTS[1][1]
# The least-overhead cues that are about servers, which a provisioned service fails by having them.
_NO_SERVERS = re.compile(r"no servers|serverless|no infrastructure|no capacity|no clusters?|not (?:manage|run) (?:a )?clusters?", re.I)
# A sentence naming a distractor shares this much (Dice over content words) with the need: the
# notes say the distractor does it too.
ALSO_WORKS = 0.4
# A distractor whose catalog description shares this much with the need does the job too.
CATALOG_OVERLAP = 0.15
_GENERIC_TERMS = content_terms("data service services managed fully aws amazon")
# Why a difficulty-3 draft was not written: it needs what these say, and the notes lack it.
NO_SECOND = "difficulty 3 needs a second requirement, and the notes' section gives this key none"
# How a near miss's explanation starts saying what it does meet (benchmarks count them by it).
NEAR_MISS_SAYS = "meets part of this"
PREFERRED_SAYS = "The notes prefer"  # ... and how a rival the notes weigh against the key ("X over Y") starts


@dataclass
class Candidate:
    claim: Claim
    chunk: StoredChunk
    statement: Statement
    task: str = ""  # the exam task it is about (blueprint tag): batches follow the domain weights
    # The claims of its file under its heading (itself too): where a second requirement comes from.
    section: list[Candidate] = field(default_factory=list, compare=False, repr=False)

    @property
    def text(self) -> str:
        """What the question will be about: its key(s), its need and where the notes say it."""
        keys = " ".join(s.name for s in self.claim.answers)
        return f"{keys}\n{self.claim.need}\n{self.chunk.heading}\n{self.statement.quote}"


@dataclass(frozen=True)
class NearMiss:
    """A distractor that meets one of the stem's two requirements (the notes say so) and not the other."""

    service: Service
    met: Claim
    missed: Claim
    chunk_id: str  # where the notes give it ``met``
    sentence: str

    def explain(self, key_names: str, n: int) -> str:
        name = self.service.short_name
        missed = _as_also_says(self.missed)
        return (
            f"Incorrect. {name} {NEAR_MISS_SAYS}: {_quote(self.sentence)} [{n}]. But the requirement also asks "
            f"“{missed}”, which the notes give to {key_names} [1], not to {name}."
        )


@dataclass
class OfflineWriter:
    ws: Workspace
    collection: str
    settings: QuestionsConfig
    kind: str = "single"
    difficulty: int = 2
    accepted: Sequence[Question] = ()  # the batch so far (read only): balances key positions and lengths
    _support: dict[str, tuple[str, Statement] | None] = field(default_factory=dict)  # service -> (chunk id, statement)
    _spelling: Spelling = field(default_factory=Spelling)

    def candidates(self, chunks: list[StoredChunk], topic: str | None = None) -> list[Candidate]:
        """Claims worth a question (on ``topic``, if given), strongest shapes first, one file after another."""
        want = 2 if self.kind == "multi" else 1
        on_topic = _topic_filter(self.ws, topic)
        per_source: dict[str, list[Candidate]] = {}
        sections: dict[tuple[str, str], list[Candidate]] = {}
        for chunk in chunks:
            for statement in statements(chunk.text, chunk.heading, self.ws.catalog, self.ws.config.answer):
                claim = read_claim(statement.text, self.ws.catalog)
                if claim and claim.shape != MENTION and len(claim.answers) == want:
                    names = [n for s in self.ws.catalog.find(claim.need) for n in (s.short_name, *s.aliases)]
                    need = name_case(mend(claim.need), names, self._spelling)
                    section = sections.setdefault((chunk.source, chunk.heading), [])
                    cand = Candidate(replace(claim, need=need), chunk, statement, section=section)
                    section.append(cand)
                    if on_topic(claim, chunk):
                        per_source.setdefault(chunk.source, []).append(cand)
        for found in per_source.values():
            found.sort(key=lambda c: _PRIORITY[c.claim.shape])
        ordered: list[Candidate] = []
        queues = list(per_source.values())
        while any(queues):
            for queue in queues:
                if queue:
                    ordered.append(queue.pop(0))
        return ordered

    def drafts(self, candidates: list[Candidate]) -> Iterator[Question | Rejection]:
        for cand in candidates:
            yield self.write(cand)

    def write(self, cand: Candidate) -> Question | Rejection:
        """One question from one claim, or why the claim cannot make a sound one."""
        claim, chunk = cand.claim, cand.chunk
        draft = f"{' and '.join(s.short_name for s in claim.answers)} for “{claim.need[:70]}”"
        reasons = defects(claim.need, claim.sentence, self._spelling) + self._contradicts_heading(cand)
        if not reasons and len(content_terms(self.ws.catalog.beyond_common(claim.need, list(claim.answers)))) < MIN_TERMS:
            reasons.append("the need asks for what nearly every AWS service offers (encryption, IAM, monitoring)")
        if reasons:
            return Rejection(None, reasons, draft)
        second = self._second_requirement(cand) if self.difficulty == 3 and self.kind == "single" else None
        if self.difficulty == 3 and self.kind == "single" and second is None:
            return Rejection(None, [NO_SECOND], draft)
        stem = self._stem(claim, second)
        found = self._distractors(cand, stem, second)
        if found is None:
            return Rejection(None, ["too few distractors that the notes disprove"], draft)
        distractors, near = found
        keys = list(claim.answers)
        n_options = self.settings.options_multi if self.kind == "multi" else self.settings.options_single
        options = _place(keys, distractors, n_options, len(self.accepted), zlib.crc32(stem.encode()))
        cited: list[str] = [chunk.id]
        explanations: list[str] = []
        key_names = " and ".join(s.short_name for s in keys)
        for service in options:
            if service in keys:
                also = f" It also meets the second requirement: {_quote(second.statement.quote)} [1]" if second else ""
                explanations.append(f"Correct. {_notes_say(cand.statement)} [1]{also}")
            elif service in near:
                miss = near[service]
                if miss.chunk_id not in cited:
                    cited.append(miss.chunk_id)
                explanations.append(miss.explain(key_names, cited.index(miss.chunk_id) + 1))
            elif service in claim.rejected:
                explanations.append(f"Incorrect. {PREFERRED_SAYS} {key_names} over {service.short_name} here: {_quote(claim.sentence)} [1]")
            else:
                support = self._support_for(service)
                n = 0
                if support:
                    chunk_id = support[0]
                    if chunk_id not in cited:
                        cited.append(chunk_id)
                    n = cited.index(chunk_id) + 1
                explanations.append(self._why_not(service, cand, key_names, support[1] if support else None, n, second))
        texts = [s.name for s in options]
        stored = {chunk.id: chunk, **self.ws.index(self.collection).chunks(cited[1:])}
        refs = [Citation.of(n, stored[i]) for n, i in enumerate(cited, start=1)]
        return Question(
            id=Question.make_id(stem, texts),
            kind=self.kind,
            stem=stem,
            options=texts,
            keys=sorted(options.index(k) for k in keys),
            explanations=explanations,
            citations=refs,
            topic=keys[0].name,
            domain=chunk.domain or keys[0].category,
            difficulty=self.difficulty,
            source_chunks=[(i, stored[i].content_hash) for i in cited],
            collection=self.collection,
            fact=fact_of([s.name for s in keys], claim.need),
        )

    # -- pieces -------------------------------------------------------------------

    def _contradicts_heading(self, cand: Candidate) -> list[str]:
        """A definition keyed to one service inside a section about its rival ("IAM ..." under
        "Lake Formation permissions") tests the wrong fact: the section decides."""
        if cand.claim.shape != DEFINITION:
            return []
        key = cand.claim.answers[0]
        in_heading = named_services(self.ws.catalog, cand.chunk.heading)
        if key in in_heading or any(same_family(key, h) for h in in_heading):
            return []
        rivals = [h.short_name for h in in_heading if h.category == key.category]
        return [f"the key {key.short_name} contradicts the section heading ({rivals[0]})"] if rivals else []

    def _stem(self, claim: Claim, second: Candidate | None = None) -> str:
        need = _as_stem_says(claim)
        need = need[0].lower() + need[1:] if claim.how != "clause" or claim.shape != SCENARIO else need
        scenario = {
            ("clause", SCENARIO): f"A company has the following requirement: {need[0].upper() + need[1:]}.",
            ("clause", CHOOSE): f"A data engineering team is designing a workload where {need}.",
            ("for", CHOOSE): f"A company needs an AWS solution for {need}.",
            ("to", CHOOSE): f"A company wants to {need}.",
            ("noun", DEFINITION): f"A company needs {need}.",
            ("that", DEFINITION): f"A company needs an AWS service that {need}.",
        }[(claim.how, claim.shape)]
        if second is not None:
            scenario = f"{scenario} {also_needs(second.claim)}"
        closing = " and ".join(self._constraints(claim, second.claim if second else None))
        if self.kind == "multi":
            ask = (
                "Which AWS services can each meet this requirement?"
                if claim.alternatives
                else "Which combination of AWS services meets these requirements?"
            )
            return f"{scenario} {ask} (Choose TWO.)"
        return f"{scenario} Which AWS service meets these requirements{' ' + closing if closing else ''}?"

    def _constraints(self, claim: Claim, second: Claim | None = None) -> list[str]:
        """The closing words the stem asks with: difficulty 1 asks plainly, 2 adds the deciding
        constraint, 3 every constraint the notes give (in either requirement). A definition is a
        lookup ("the MOST secure way" on "supports TDE encryption" is noise), and "LEAST
        operational overhead" is only asked when the key has nothing to run (the catalog's
        serverless list)."""
        needs = [c.need for c in (claim, second) if c is not None and c.shape != DEFINITION]
        found = [line for pattern, line in _CONSTRAINTS if any(re.search(pattern, need, re.I) for need in needs)]
        if any(k.name not in self.ws.catalog.serverless for k in claim.answers):
            found = [line for line in found if line != LEAST_OVERHEAD]
        return found[: {1: 0, 2: 1, 3: 2}[self.difficulty]]

    def _meets_too(self, service: Service, cand: Candidate) -> bool:
        """The catalog says ``service`` could meet this need as well: it shares a capability the
        need asks for (DataBrew, Data Wrangler and Canvas all prepare data visually), or the
        stem asks for the least overhead and it is a service of the key's kind that can run
        serverless (Aurora Serverless v2 for a serverless relational need)."""
        claim = cand.claim
        if any(service.name in o.services for o in self.ws.catalog.shared_with(claim.need)):
            return True
        serverless = LEAST_OVERHEAD in self._constraints(claim) and self.ws.catalog.can_run_serverless(service)
        return serverless and any(service.category == k.category for k in claim.answers)

    def _distractors(
        self, cand: Candidate, stem: str, second: Candidate | None = None
    ) -> tuple[list[Service], dict[Service, NearMiss]] | None:
        """Difficulty 1: services of other categories (plainly different jobs); 2: the key's
        siblings; 3: the alternatives the notes weigh against the key first ("X over Y", the
        section's other services), which meet most of the need but not the deciding part, and
        with a ``second`` requirement a near miss: a service the notes give one of the two
        requirements and nothing gives the other."""
        catalog, claim = self.ws.catalog, cand.claim
        keys = set(claim.answers)
        category = {s.category for s in keys}
        in_stem = set(catalog.find(stem))
        siblings = [s for s in (catalog.lookup(n) for k in claim.answers for n in k.siblings) if s]
        same_category = [s for s in catalog.services.values() if s.category in category]
        in_chunk = [s for s in catalog.find(cand.chunk.text) if s.category in category]
        groups = {group_of(s) for s in keys}
        # Services of other groups: siblings' siblings first (related, so plausible), then the catalog.
        near = [catalog.lookup(n) for s in siblings for n in s.siblings]
        # The catalog's siblings are the close alternatives: a plainly-different option is none of them.
        close = {*siblings, *(s for s in catalog.services.values() if any(k.name in s.siblings for k in keys))}
        # The rest of the catalog in an order of this stem's own, so its first entries are not every question's options.
        shuffled = sorted(catalog.services.values(), key=lambda s: zlib.crc32(f"{stem}{s.name}".encode()))
        elsewhere = [s for s in dict.fromkeys([*near, *shuffled]) if s and group_of(s) not in groups and s not in close]
        ordered = {
            # Recall: jobs nothing like the key's, not even its siblings' siblings (difficulty 2's first picks).
            1: [s for s in elsewhere if s not in near],
            # A definition's rivals of the same kind often share the capability in fact, if not in the
            # notes (Aurora, DynamoDB and DocumentDB all keep copies in 3 AZs): they wait for difficulty 3.
            2: [*claim.rejected, *elsewhere]
            if claim.shape == DEFINITION
            # When the catalog says the key's own kind all meet the need too (Spark: EMR, Glue, EMR
            # Serverless), the options fall back to plainly different jobs rather than none.
            else [*claim.rejected, *sorted(siblings, key=lambda s: s.category not in category), *same_category, *elsewhere],
            3: [*claim.rejected, *in_chunk, *siblings, *same_category],
        }[self.difficulty]
        need = (self.settings.options_multi if self.kind == "multi" else self.settings.options_single) - len(keys)
        miss = self._near_miss(cand, second, in_stem) if second is not None else None
        pool: list[Service] = [miss.service] if miss else []
        for service in dict.fromkeys(ordered):
            if service in keys or service in in_stem or any(same_family(service, other) for other in [*keys, *pool]):
                continue
            if service.name in catalog.retired:
                continue  # the exams no longer ask about it: an option nobody would pick
            if service not in claim.rejected and any(
                self._meets_too(service, c) or self._also_works(service, c) for c in (cand, second) if c
            ):
                continue  # the catalog or the notes say it does this (or the second requirement) too: not a wrong answer
            pool.append(service)
            if len(pool) == need + self.settings.distractor_spares:
                break
        if len(pool) < need:
            return None
        # Of the most plausible few, those this batch has not yet offered against the same key come
        # first: five questions on one key must not share their three wrong options ("X over Y" stays).
        offered = {o for q in self.accepted if {q.options[k] for k in q.keys} & {k.name for k in keys} for o in q.options}
        chosen = sorted(pool, key=lambda s: not (miss and s == miss.service) and s not in claim.rejected and s.name in offered)[:need]
        spare = [s for s in pool if s not in chosen]
        longest_key = max(len(k.name) for k in keys)
        if key_longest_share(self.accepted) >= 1 / (need + len(keys)) and all(len(s.name) < longest_key for s in chosen):
            # The key has been the longest option often enough: offer a longer distractor.
            longer = next((s for s in spare if len(s.name) > longest_key), None)
            if longer:
                chosen[-1] = longer
        return chosen, ({miss.service: miss} if miss and miss.service in chosen else {})

    def _second_requirement(self, cand: Candidate) -> Candidate | None:
        """Another requirement the same section of the notes (file and heading) gives the same
        key(s) alone: a sound need of its own, about something else than ``cand``'s (not the same
        fact said twice). "Choose a Glue Python shell job or Lambda over ..." gives Glue a need it
        shares with Lambda: not the key's alone."""
        own = content_terms(cand.claim.need)
        for other in cand.section:
            need = other.claim.need
            named = set(named_services(self.ws.catalog, other.claim.sentence))
            if (
                other.claim.answers != cand.claim.answers
                or other.statement.quote == cand.statement.quote
                or named - {*other.claim.answers, *other.claim.rejected, *named_services(self.ws.catalog, need)}
                or dice(content_terms(need), own) >= self.settings.fact_similarity
                or defects(need, other.claim.sentence, self._spelling)
                or len(content_terms(self.ws.catalog.beyond_common(need, list(other.claim.answers)))) < MIN_TERMS
            ):
                continue
            return other
        return None

    def _near_miss(self, cand: Candidate, second: Candidate, in_stem: set[Service]) -> NearMiss | None:
        """A service of the key's kind that the notes give one of the two requirements, while
        neither the notes nor the catalog give it the other: it meets all but one constraint,
        and that one disproves it."""
        keys = set(cand.claim.answers)
        groups = {group_of(k) for k in keys}
        for met, missed in ((cand, second), (second, cand)):
            for service, chunk_id, sentence in self._given(met):
                if service in keys or service in in_stem or group_of(service) not in groups or any(same_family(service, k) for k in keys):
                    continue
                if self._meets_too(service, missed) or self._also_works(service, missed):
                    continue  # it meets both: also right
                return NearMiss(service, met.claim, missed.claim, chunk_id, sentence)
        return None

    def _given(self, cand: Candidate) -> Iterator[tuple[Service, str, str]]:
        """Services other claims of the notes give ``cand``'s need (searched by the need), with
        where: their own need says much the same (``near_miss_similarity``; a shared word or
        two, "Kafka topics" for "runs Apache Kafka", is not the same job)."""
        want = content_terms(cand.claim.need)
        for hit in self.ws.search(cand.claim.need, k=5, collection=self.collection):
            for statement in statements(hit.text, hit.heading, self.ws.catalog, self.ws.config.answer):
                claim = read_claim(statement.text, self.ws.catalog)
                if claim is None or claim.shape == MENTION or dice(content_terms(claim.need), want) < self.settings.near_miss_similarity:
                    continue
                for service in claim.answers:
                    yield service, hit.chunk_id, statement.quote

    def _why_not(
        self, service: Service, cand: Candidate, key_names: str, support: Statement | None, n: int, second: Candidate | None = None
    ) -> str:
        """Why ``service`` fails this stem: the constraint it misses, else the part of the need
        it does not do, with what the notes (cited) or the catalog say it is for instead. With a
        second requirement, what the notes do not give it of each: it may well do one of them in
        fact (DynamoDB keeps copies in 3 AZs too), the notes just give both to the key."""
        claim, name = cand.claim, service.short_name
        job = content_terms(f"{service.does} {support.text if support else ''}") | _name_terms(service)
        fails = LEAST_OVERHEAD if LEAST_OVERHEAD in self._constraints(claim, second.claim if second else None) else None
        if fails and self.kind == "multi":
            # A Choose-TWO stem asks no closing constraint: only the needs' own words about servers
            # do ("no-code" asks nothing of servers).
            said = next((m for c in (claim, second.claim if second else None) if c and (m := _NO_SERVERS.search(c.need))), None)
            fails = said[0] if said else None
        if fails and service.name in self.ws.catalog.provisioned:
            miss = f"{name} leaves servers or clusters to run, so it fails “{fails}”"
        elif second:
            # Both requirements whole, as the stem says them: a cut one reads as another requirement.
            miss = f"The notes give {name} neither “{_as_stem_says(claim)}” nor “{_as_also_says(second.claim)}”"
        else:
            phrase, turns = self._missed(claim, job)
            miss = (
                f"This requirement turns on “{phrase}”, which is not what {name} does"
                if turns
                else f"The notes do not give {name} “{phrase}”"
            )
        if support:
            instead = f"the notes give it a different job: {_quote(support.quote)} [{n}]"
        elif starts_with_verb(service.does) and _finite(service.does):
            instead = f"it {service.does}"  # "investigates the root cause ...", "continuously collects ..."
        else:
            instead = f"it is for {service.does or service.category}"
        return f"Incorrect. {miss}; {instead}. The notes give this requirement to {key_names} [1]."

    @staticmethod
    def _missed(claim: Claim, job: set[str]) -> tuple[str, bool]:
        """The words of ``claim``'s need a service doing ``job`` misses, and whether any were
        found (else the need's own first words)."""
        need = _as_stem_says(claim)
        phrase = _span(need, _words(claim.need, job | _GENERIC_TERMS))
        return phrase or _span(need, re.findall(r"[\w-]+", need)), bool(phrase)

    def _also_works(self, service: Service, cand: Candidate) -> bool:
        """Do the notes give ``service`` this need too (searched as "service + need")? Or, where the
        notes are silent, does the catalog's line on it describe the need (SageMaker Data Wrangler's
        "visual ML data preparation" for a need about visual data preparation)?"""
        want = content_terms(cand.claim.need) - _name_terms(service)
        if dice(content_terms(service.does) - _GENERIC_TERMS, want - _GENERIC_TERMS) >= CATALOG_OVERLAP:
            return True
        sentences = [cand.claim.sentence] + [
            s.text
            for hit in self.ws.search(f"{service.short_name} {cand.claim.need}", k=5, collection=self.collection)
            for s in statements(hit.text, hit.heading, self.ws.catalog, self.ws.config.answer)
        ]
        for sentence in sentences:
            if service not in self.ws.catalog.find(sentence):
                continue
            claim = read_claim(sentence, self.ws.catalog)
            if claim is not None and service in claim.rejected:
                continue  # "choose X over <service>": the notes disprove it
            if dice(content_terms(sentence) - _name_terms(service), want) >= ALSO_WORKS:
                return True
        return False

    def _support_for(self, service: Service) -> tuple[str, Statement] | None:
        """A chunk and its statement that say what ``service`` is for: a claim whose answer it is."""
        if service.name not in self._support:
            self._support[service.name] = None
            hits = self.ws.search(f"{service.short_name}: {service.does}", k=5, collection=self.collection)
            want = content_terms(service.does)
            best: tuple[float, str, Statement] | None = None
            for hit in hits:
                for statement in statements(hit.text, hit.heading, self.ws.catalog, self.ws.config.answer):
                    claim = read_claim(statement.text, self.ws.catalog)
                    if claim is None or claim.shape == MENTION or service not in claim.answers or defects(claim.need, statement.text):
                        continue
                    # Prefer "<service> is a ..." over "<service> supports ..." over scenarios.
                    defines = claim.shape == DEFINITION and claim.answers == (service,)
                    score = dice(content_terms(statement.text), want) + (0.5 + 0.5 * (claim.how == "noun") if defines else 0.0)
                    if best is None or score > best[0]:
                        best = (score, hit.chunk_id, statement)
            if best:
                self._support[service.name] = (best[1], best[2])
        return self._support[service.name]


def _topic_filter(ws: Workspace, topic: str | None) -> Callable[[Claim, StoredChunk], bool]:
    """Which claims are on ``topic``: those keyed to a service it names (or of that family),
    else those whose sentence or heading contains every content word of it."""
    if not topic:
        return lambda claim, chunk: True
    catalog = ws.catalog
    services = set(catalog.find(topic))
    if exact := catalog.lookup(topic.strip()):
        services.add(exact)
    words = content_terms(topic)
    if not services:
        family = {w.lower() for w in re.findall(r"\w+", topic)} - VENDOR_WORDS
        services = {s for s in catalog.services.values() if family and family <= {w.lower() for w in s.short_name.split()}}

    def on_topic(claim: Claim, chunk: StoredChunk) -> bool:
        if services:
            return any(a in services or any(same_family(a, s) and len(s.name) <= len(a.name) for s in services) for a in claim.answers)
        return bool(words) and words <= content_terms(f"{claim.sentence} {chunk.heading}")

    return on_topic


# Categories whose services do overlapping jobs: an offline definition question keeps its
# distractors outside the key's group below difficulty 3.
_GROUPS = {
    "data": ("relational-db", "nosql-db", "in-memory-db", "data-warehouse", "search"),
    "storage": ("object-storage", "file-storage", "block-storage", "data-transfer", "migration"),
    "analytics": ("analytics-query", "big-data", "etl", "bi", "streaming-ingestion"),
    "compute": ("compute", "containers", "orchestration", "messaging"),
    "operations": ("monitoring", "governance", "management"),
    "ml": ("ml", "ai-services", "genai"),
}
_GROUP_OF = {category: group for group, categories in _GROUPS.items() for category in categories}


def group_of(service: Service) -> str:
    """The kind of job ``service`` does, wider than its category (DynamoDB and Redshift: "data")."""
    return _GROUP_OF.get(service.category, service.category)


def _name_terms(service: Service) -> set[str]:
    return content_terms(" ".join([service.name, *service.aliases]))


def _place(keys: list[Service], distractors: list[Service], n: int, index: int, seed: int) -> list[Service]:
    """Spread key positions evenly over a batch: question i puts its (first) key at i mod n."""
    others = sorted(distractors, key=lambda s: zlib.crc32(f"{seed}{s.name}".encode()))
    options: list[Service | None] = [None] * n
    options[index % n] = keys[0]
    if len(keys) > 1:
        options[(index % n + 1 + seed % (n - 1)) % n] = keys[1]
    it = iter(others)
    return [o if o is not None else next(it) for o in options]


def _notes_say(statement: Statement) -> str:
    """The notes' own words for a claim, with the heading that gave a bare bullet its subject."""
    if statement.subject:
        return f"Under “{statement.subject}” the notes say: {_quote(statement.quote)}"
    return f"The notes say: {_quote(statement.quote)}"


def _words(text: str, known: set[str]) -> list[str]:
    """The words of ``text`` that say what it asks for, in reading order, as written: content
    words other than those ``known``, verbs ("supports", "allows"), filler ("your", "via") and
    who does the work ("analysts", "consumers", "servers": the need is what they need done)."""
    out: list[str] = []
    for word in re.findall(r"[\w-]+", text):
        terms = content_terms(word)
        w = word.lower()
        acronym = word.isupper() or any(c.isdigit() for c in word)  # "PII", "S3": telling however short
        if (
            terms
            and not terms & known
            and w not in out
            and w not in _FILLER
            and not is_verb(w)
            and not _doer(w)
            and (acronym or len(w) > 3)
        ):
            out.append(word if acronym else w)
    return out


def _doer(word: str) -> bool:
    """ "analysts", "consumers", "users": the plural agent noun of a verb of the lexicon (who does
    the work; "ledgers" and "clusters" are things)."""
    return word.endswith(("ers", "ors", "sts")) and any(s in VERBS for s in (word[:-3], word[:-3] + "e", word[:-2] + "e"))


_FILLER = frozenset(
    [
        # prepositions and modals BM25's stop list keeps: "(reprocessed, after and from)" says nothing
        "after",
        "before",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "with",
        "without",
        "within",
        "between",
        "through",
        "during",
        "across",
        "upon",
        "must",
        "should",
        "your",
        "you",
        "via",
        "about",
        "customers",
        "developers",
        "users",
        "easily",
        "efficiently",
        "highly",
        "valuable",
        "main",
        "multiple",
        "different",
        "built-in",
        "any",
        "all",
        "set",
        "way",
        "ways",
        "lets",
        "makes",
        "tool",
        "system",
        "service",
        "services",
        "solution",
        "data",
    ]
)


_ALSO = {
    "that": "The service must also be one that {}.",
    "noun": "The service must also be {}.",
    "for": "The solution must also suit {}.",
    "to": "The company also wants to {}.",
    # As the notes wrote it, capitals and all ("Kafka workload with spiky traffic ..."): a
    # requirement after a colon may be a noun phrase, as the first one is.
    "clause": "It also has this requirement: {}.",
}


def also_needs(claim: Claim) -> str:
    """A second requirement said after the first one's stem sentence."""
    return _ALSO[claim.how].format(_as_also_says(claim))


def stem_constraints(stem: str) -> int:
    """What a stem asks beyond its first requirement: closing constraints and a second requirement."""
    second = any(f" {line.split('{}')[0]}" in stem for line in _ALSO.values())
    return sum(line in stem for _, line in _CONSTRAINTS) + second


def _as_stem_says(claim: Claim) -> str:
    """The need in the words the stem uses: those starting "A company ..." speak of the company,
    the one about "A data engineering team ..." of the team."""
    return third_person(claim.need, "the team" if (claim.how, claim.shape) == ("clause", CHOOSE) else "the company")


def _as_also_says(claim: Claim) -> str:
    """A second requirement in the words the stem adds it with: "It also has ..." is the company's."""
    return third_person(claim.need)


def _span(need: str, missed: list[str]) -> str:
    """The words of ``need`` from the first one a wrong option misses, at least ``_SPAN_MIN_WORDS``
    and about ``_SPAN_WORDS`` long, cut at a comma where that leaves enough: the constraint
    said as the notes say it, not as a word list. The cut is at a phrase's end, never inside
    one ("RPO near 1" says a different requirement than "RPO near 1 second")."""
    tokens = need.split()
    hits = [i for i, t in enumerate(tokens) if re.sub(r"[^\w-]", "", t) in missed or re.sub(r"[^\w-]", "", t).lower() in missed]
    if not hits:
        return ""
    first = start = hits[0]
    # Begin where the phrase begins: at its list's first item ("developers, | scientists"), its
    # adverb ("highly | available") or its "at" ("at | least 3,500").
    while start > 0 and (
        (tokens[start - 1].endswith(",") and _in_list(tokens, start))
        or (is_ly_adverb(tokens[start - 1]) and start == first)
        or (tokens[start - 1].lower() == "at" and tokens[start].lower() in ("least", "most"))
    ):
        start -= 1
    end = max(i for i in hits if i < first + _SPAN_WORDS) + 1
    # "reprocessed after a" says nothing yet: go on to the third word that is not a small one.
    while end < min(len(tokens), start + _SPAN_WORDS) and sum(t.lower() not in _SPAN_EDGE for t in tokens[start:end]) < _SPAN_MIN_WORDS:
        end += 1
    if end < min(len(tokens), start + _SPAN_WORDS) and tokens[end].lower().strip(".,;") not in _SPAN_EDGE:
        end += 1  # "credentials for a Glue" -> "... a Glue job": the word that completes the phrase
    comma = next(
        (
            i + 1
            for i in range(start, end - 1)
            if tokens[i].endswith((",", ";")) and i + 1 - start >= _SPAN_MIN_WORDS and _phrase_end(tokens, i + 1)
        ),
        None,
    )
    end = comma or end
    while end < len(tokens) and (tokens[end].lower() not in _PHRASE_STARTS or _open(tokens, end)) and not _phrase_end(tokens, end):
        end += 1  # inside a phrase: on to its end
    while end - 1 > start and tokens[end - 1].lower().strip(".,;") in _SPAN_EDGE:
        end -= 1
    return " ".join(tokens[start:end]).strip(" .,;:")


_SPAN_WORDS = 8
_SPAN_MIN_WORDS = 3


def _in_list(tokens: list[str], i: int) -> bool:
    """``tokens[i]`` is inside a list, after one of its commas and before or at its "and"/"or"
    ("billing, | shipping | and analytics"; items of up to ``_LIST_ITEMS`` words, the last one no
    verb): no phrase ends there."""
    if not any(t.endswith(",") for t in tokens[max(0, i - _LIST_ITEMS) : i]):
        return False
    run = 0
    for j, t in enumerate(tokens[i:], start=i):
        if t.lower() in ("and", "or"):
            return not _predicate(tokens, j + 1)
        run = 0 if t.endswith(",") else run + 1
        if run > _LIST_ITEMS or t.endswith((";", ".")):
            return False
    return False


def _phrase_end(tokens: list[str], i: int) -> bool:
    """A phrase ends before ``tokens[i]``: after a comma, semicolon or bracket that ends no list
    item, nor an adjective of a noun still to come ("a simpler, | AWS-native API")."""
    before = tokens[i - 2].lower() if i > 1 else ""
    return tokens[i - 1].endswith((",", ";", ")")) and not _in_list(tokens, i) and before not in ("a", "an", "the")


def _predicate(tokens: list[str], i: int) -> bool:
    """``tokens[i]`` starts a predicate: a verb with words after it ("loads them"; a last "sets" is a noun)."""
    return i + 1 < len(tokens) and is_verb(tokens[i])


def _open(tokens: list[str], i: int) -> bool:
    """The words before ``tokens[i]`` leave their phrase open: a list goes on, they end on an
    adverb ("to quickly | and cheaply load"), an "and" joins a noun, not a predicate ("data
    quality | and consistency", not "... | and loads it"), or an infinitive or agent follows."""
    last, word = tokens[i - 1].lower(), tokens[i].lower()
    if word in ("and", "or") and i + 1 < len(tokens) and (not _predicate(tokens, i + 1) or is_verb(last)):
        return True  # nouns joined, or verbs sharing one object ("process or analyze data")
    if word == "to" and i + 1 < len(tokens) and is_verb(tokens[i + 1]):
        return True  # an infinitive completes what comes before ("used | to automate", "easy | to analyze")
    if word == "by" and last.endswith(("ed", "en", "wn")):
        return True  # a participle's agent ("provided | by AWS")
    return _in_list(tokens, i) or is_ly_adverb(last)


_LIST_ITEMS = 3  # a list's items, in words: "billing, shipping and analytics"
# Words that start a new phrase: a span may end before them ("as" goes on one: "known as", "such as").
_PHRASE_STARTS = frozenset(
    "and or but with without for to in on at by from via into onto within across over under through per using "  # noqa: SIM905
    "that which who when while where whenever so than instead rather".split()
)
_SPAN_EDGE = frozenset("a an the and or of to for with by in on at as from after before that which is are be can".split())  # noqa: SIM905


def _finite(text: str) -> bool:
    """ "collects ...", "continuously collects ...": a predicate that reads after "it"."""
    words = text.split()[:2]
    verb = words[1] if len(words) > 1 and words[0].endswith("ly") else words[0] if words else ""
    return verb.endswith("s") and not verb.endswith("ss")


def _quote(sentence: str) -> str:
    return sentence if sentence.startswith(('"', "“")) else f"“{sentence}”"
