"""The deterministic question writer: claims from the notes, distractors from the catalog.

Needs no model: a claim "need -> service" becomes a scenario stem, the service the key,
and sibling services of the same category the distractors. Every option gets an
explanation citing a chunk: the claim itself for the key, a chunk about the distractor
(what it is actually for) for the others.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from tutor.answer.citations import Citation
from tutor.answer.sentences import content_terms, split_sentences
from tutor.config import QuestionsConfig
from tutor.questions.claims import CHOOSE, DEFINITION, MENTION, SCENARIO, Claim, read_claim
from tutor.questions.question import Question
from tutor.questions.verify import dice
from tutor.retrieve.synonyms import Service
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

_PRIORITY = {SCENARIO: 0, CHOOSE: 1, DEFINITION: 2}
_CONSTRAINTS = (
    # (pattern in the note's own words, the exam's closing line for it)
    (r"\b(cost|cheap|price|pricing|lowest|budget)\w*", "MOST cost-effectively"),
    (
        r"no servers|serverless|least (?:effort|operational)|without (?:managing|maintaining|writing|building|code)|no[- ]code|no infrastructure|fully managed|minimal code|no capacity",
        "with the LEAST operational overhead",
    ),
    (r"real[- ]time|sub-second|milliseconds?|within (?:seconds|minutes)|low(?:er|est)? latency", "with the LOWEST latency"),
    (r"\b(encrypt|private|PII|sensitive|compliance|least[- ]privilege|audit|regulat)\w*", "in the MOST secure way"),
)


@dataclass
class Candidate:
    claim: Claim
    chunk: StoredChunk
    meta: dict


@dataclass
class OfflineWriter:
    ws: Workspace
    collection: str
    settings: QuestionsConfig
    kind: str = "single"
    difficulty: int = 2
    written: int = 0
    key_longest: int = 0
    _support: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # service -> (chunk id, sentence)

    def candidates(self, chunks: list[tuple[StoredChunk, dict]]) -> list[Candidate]:
        """Claims worth a question, strongest shapes first, one source file after another."""
        want = 2 if self.kind == "multi" else 1
        per_source: dict[str, list[Candidate]] = {}
        for chunk, meta in chunks:
            for sentence in split_sentences(chunk.text):
                claim = read_claim(sentence, self.ws.catalog)
                if claim and claim.shape != MENTION and len(claim.answers) == want:
                    per_source.setdefault(chunk.source, []).append(Candidate(claim, chunk, meta))
        for found in per_source.values():
            found.sort(key=lambda c: _PRIORITY[c.claim.shape])
        ordered: list[Candidate] = []
        queues = list(per_source.values())
        while any(queues):
            for queue in queues:
                if queue:
                    ordered.append(queue.pop(0))
        return ordered

    def write(self, cand: Candidate) -> Question | None:
        """One question from one claim, or None when the catalog cannot supply distractors."""
        claim, chunk = cand.claim, cand.chunk
        stem = self._stem(claim)
        distractors = self._distractors(cand, stem)
        if distractors is None:
            return None
        keys = list(claim.answers)
        n_options = self.settings.options_multi if self.kind == "multi" else self.settings.options_single
        options = _place(keys, distractors, n_options, self.written, zlib.crc32(stem.encode()))
        cited: list[str] = [chunk.id]
        explanations: list[str] = []
        key_names = " and ".join(s.short_name for s in keys)
        for service in options:
            if service in keys:
                explanations.append(f"Correct. The notes say: {_quote(claim.sentence)} [1]")
            elif service in claim.rejected:
                explanations.append(f"Incorrect. The notes prefer {key_names} over {service.short_name} here: {_quote(claim.sentence)} [1]")
            else:
                chunk_id, sentence = self._support[service.name]  # type: ignore[misc]
                if chunk_id not in cited:
                    cited.append(chunk_id)
                n = cited.index(chunk_id) + 1
                explanations.append(
                    f"Incorrect. {service.short_name}{' — ' + service.does if service.does else ''}. {_quote(sentence)} [{n}] "
                    f"This requirement calls for {key_names} [1]."
                )
        texts = [s.name for s in options]
        stored = {chunk.id: chunk, **self.ws.index(self.collection).chunks(cited[1:])}
        refs = [Citation.of(n, stored[i]) for n, i in enumerate(cited, start=1)]
        question = Question(
            id=Question.make_id(stem, texts),
            kind=self.kind,
            stem=stem,
            options=texts,
            keys=sorted(options.index(k) for k in keys),
            explanations=explanations,
            citations=refs,
            topic=chunk.heading.split(" > ")[0] or keys[0].short_name,
            domain=str(cand.meta.get("domain") or keys[0].category),
            difficulty=self.difficulty,
            source_chunks=[(i, stored[i].content_hash) for i in cited],
            collection=self.collection,
        )
        return question

    def accepted(self, key_longest: bool) -> None:
        """Count an accepted question, so option order and lengths balance over the batch."""
        self.written += 1
        self.key_longest += key_longest

    # -- pieces -------------------------------------------------------------------

    def _stem(self, claim: Claim) -> str:
        need = claim.need[0].lower() + claim.need[1:] if claim.how != "clause" or claim.shape != SCENARIO else claim.need
        scenario = {
            ("clause", SCENARIO): f"A company has the following requirement: {need[0].upper() + need[1:]}.",
            ("clause", CHOOSE): f"A data engineering team is designing a workload where {need}.",
            ("for", CHOOSE): f"A company needs an AWS solution for {need}.",
            ("to", CHOOSE): f"A company wants to {need}.",
            ("noun", DEFINITION): f"A company needs {need}.",
            ("that", DEFINITION): f"A company needs an AWS service that {need}.",
        }[(claim.how, claim.shape)]
        constraint = next((line for pattern, line in _CONSTRAINTS if re.search(pattern, claim.need, re.I)), "")
        if self.kind == "multi":
            ask = (
                "Which AWS services can each meet this requirement?"
                if claim.alternatives
                else "Which combination of AWS services meets these requirements?"
            )
            return f"{scenario} {ask} (Choose TWO.)"
        return f"{scenario} Which AWS service meets these requirements{' ' + constraint if constraint else ''}?"

    def _distractors(self, cand: Candidate, stem: str) -> list[Service] | None:
        catalog, claim = self.ws.catalog, cand.claim
        keys = set(claim.answers)
        category = {s.category for s in keys}
        in_stem = set(catalog.find(stem))
        # Services the same chunk gives as answers to a similar need are not wrong here.
        also_right = {
            s
            for sentence in split_sentences(cand.chunk.text)
            if (other := read_claim(sentence, catalog))
            and other.shape != MENTION
            and dice(content_terms(other.need), content_terms(claim.need)) >= 0.5
            for s in other.answers
        }
        siblings = [catalog.lookup(n) for k in claim.answers for n in k.siblings]
        same_category = [s for s in catalog.services.values() if s.category in category]
        in_chunk = [s for s in catalog.find(cand.chunk.text) if s.category in category]
        ordered = {
            1: [*claim.rejected, *[s for s in siblings if s and s.category not in category], *siblings, *same_category],
            2: [*claim.rejected, *sorted((s for s in siblings if s), key=lambda s: s.category not in category), *same_category],
            3: [*claim.rejected, *in_chunk, *siblings, *same_category],
        }[self.difficulty]
        need = (self.settings.options_multi if self.kind == "multi" else self.settings.options_single) - len(keys)
        pool: list[Service] = []
        for service in dict.fromkeys(s for s in ordered if s):
            if service in keys or service in in_stem or service in also_right or any(_same_family(service, k) for k in keys):
                continue
            if service not in claim.rejected and self._support_for(service) is None:
                continue  # a distractor nobody can explain from the notes is not offered
            pool.append(service)
            if len(pool) == need + 2:
                break
        if len(pool) < need:
            return None
        chosen = pool[:need]
        longest_key = max(len(k.name) for k in keys)
        if self.written and self.key_longest / self.written >= 1 / (need + len(keys)) and all(len(s.name) < longest_key for s in chosen):
            # The key has been the longest option often enough: offer a longer distractor.
            longer = next((s for s in pool[need:] if len(s.name) > longest_key), None)
            if longer:
                chosen[-1] = longer
        return chosen

    def _support_for(self, service: Service) -> tuple[str, str] | None:
        """A chunk and its sentence that say what ``service`` is for."""
        if service.name not in self._support:
            self._support[service.name] = None
            hits = self.ws.search(f"{service.short_name}: {service.does}", k=5, collection=self.collection)
            want = content_terms(service.does)
            best: tuple[float, str, str] | None = None
            for hit in hits:
                for sentence in split_sentences(hit.text):
                    if service not in self.ws.catalog.find(sentence):
                        continue
                    claim = read_claim(sentence, self.ws.catalog)
                    # Prefer "<service> is a ..." over "<service> supports ...", and both over passing mentions.
                    defines = claim is not None and claim.shape == DEFINITION and claim.answers == (service,)
                    score = dice(content_terms(sentence), want) + (0.5 + 0.5 * (claim.how == "noun") if defines else 0.0)
                    if best is None or score > best[0]:
                        best = (score, hit.chunk_id, sentence)
            if best:
                self._support[service.name] = (best[1], best[2])
        return self._support[service.name]


def _place(keys: list[Service], distractors: list[Service], n: int, index: int, seed: int) -> list[Service]:
    """Spread key positions evenly over a batch: question i puts its (first) key at i mod n."""
    others = sorted(distractors, key=lambda s: zlib.crc32(f"{seed}{s.name}".encode()))
    options: list[Service | None] = [None] * n
    options[index % n] = keys[0]
    if len(keys) > 1:
        options[(index % n + 1 + seed % (n - 1)) % n] = keys[1]
    it = iter(others)
    return [o if o is not None else next(it) for o in options]


def _same_family(a: Service, b: Service) -> bool:
    """ "EMR" and "EMR Serverless", "S3" and "S3 Glacier": one is part of the other, so offering
    both makes two options defensible."""
    x, y = a.short_name.lower().split(), b.short_name.lower().split()
    shorter, longer = sorted((x, y), key=len)
    return longer[: len(shorter)] == shorter


def _quote(sentence: str) -> str:
    return sentence if sentence.startswith(('"', "“")) else f"“{sentence}”"
