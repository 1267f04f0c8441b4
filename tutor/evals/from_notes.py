"""A golden set from the student's own notes, written as the JSONL of evals/README.md for the
student to read, edit and run.

Offline (no model, or a local engine) the items are the collection's flashcards turned into
(question, key facts, evidence line) triples: a cloze card "Kinesis Data Streams keeps records
for ___ by default." asks "… keeps records for what by default?" with the gap's text as the
key fact; a definition card "Shard — ___" asks "What is Shard?" (under its heading) with the
definition's two rarest content words as key facts.

With a generative model the items are written RAGAS-testset style (:func:`synthesise`): seed
chunks spread over the collection; for each, a single-hop "fact" question from that chunk, or a
multi-hop "scenario" question from it and its nearest chunk in another section, each with key
facts and the evidence lines that state them. The model's item is not trusted: every evidence
quote must be a line of the note it cites, and every key fact must occur in those lines, or the
item is dropped (with the reason counted). A provider fault stops the run and is reported as
such, never as something missing from the notes.

The evidence is given by line numbers, so no note text is copied beyond the question itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from tutor.answer.sentences import content_terms
from tutor.errors import TutorError
from tutor.evals import metrics as m
from tutor.evals.text import tokens
from tutor.llm.models import LOCAL_PREFIX
from tutor.llm.prompts import render_prompt
from tutor.llm.structured import BrokenReply, complete_structured
from tutor.questions.cards import CLOZE, GAP, Card, CardWriter, NoteLine, note_lines
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

FACT, SCENARIO = "fact", "scenario"
# Why a model's item was dropped (the counts the CLI prints).
BROKEN = "the model returned broken JSON"
NOT_IN_CHUNK = "an evidence quote is not a line of the note it cites"
NO_SUCH_NOTE = "evidence cites a note number that was not given"
FACT_NOT_IN_EVIDENCE = "a key fact is not in its evidence lines"
ONE_CHUNK = "a scenario question that uses one note only"
GIVEN_AWAY = "the question states its own key facts"
DUPLICATE = "the same question twice"


class DraftEvidence(BaseModel):
    source: int = Field(ge=1)  # the [n] of the note
    quote: str = Field(min_length=3)  # line(s) copied from that note


class DraftEvalItem(BaseModel):
    """The JSON shape the model must reply with."""

    kind: Literal["fact", "scenario"] = "fact"
    question: str = Field(min_length=10)
    key_facts: list[str] = Field(min_length=1, max_length=4)
    evidence: list[DraftEvidence] = Field(min_length=1)
    reference: str = ""


@dataclass
class Synthesis:
    """What ``--from-notes`` wrote, how, and what it left out and why."""

    items: list[dict[str, Any]]
    model: str  # "offline" for cards
    asked: int = 0  # model requests made (seeds tried)
    dropped: Counter[str] = field(default_factory=Counter)
    fault: str = ""  # the provider's one-line error, when it stopped the run

    def summary(self) -> str:
        how = "from your notes' flashcards" if self.model == "offline" else f"by {self.model} from {self.asked} passages of your notes"
        text = f"{len(self.items)} questions {how}"
        if self.dropped:
            text += "; dropped: " + ", ".join(f"{n} {why}" for why, n in self.dropped.most_common())
        return text


def synthesise(ws: Workspace, collection: str, n: int, model: str | None = None) -> Synthesis:
    """Up to ``n`` eval items over the collection: by ``model`` when it is a generative remote
    model, else from the flashcards. Raises :class:`TutorError` when the provider fails before
    any item is written (the fault, never "nothing in your notes")."""
    if not model or model.startswith(LOCAL_PREFIX):
        return Synthesis(from_cards(ws, collection, n), "offline")
    result = _from_model(ws, collection, n, model)
    if result.fault and not result.items:
        raise TutorError(f"no questions written: {result.fault}")
    return result


def from_cards(ws: Workspace, collection: str, n: int) -> list[dict[str, Any]]:
    """Up to ``n`` eval items from the collection's cards, spread evenly over them."""
    cards = CardWriter(collection, ws.config.cards).candidates(ws.index(collection).all())
    picked: list[Card] = []
    seen: set[str] = set()
    step = max(1.0, len(cards) / n) if n else 1.0
    i = 0.0
    while len(picked) < n and int(i) < len(cards):
        card = cards[int(i)]
        if card.back.lower() not in seen:  # the same answer twice would be one question twice
            seen.add(card.back.lower())
            picked.append(card)
        i += step
    return [item(card, f"from-notes-{k:03d}") for k, card in enumerate(picked, start=1)]


def item(card: Card, item_id: str) -> dict[str, Any]:
    context = card.context
    if card.shape == CLOZE:
        asked = re.sub(r"[.;:]+$", "", card.front.replace(GAP, "what"))
        question = f"{context}: {asked}?" if context else f"{asked}?"
        key_facts = [card.back]
    else:
        term = card.front.split(" — ")[0]
        question = f"What is {term}" + (f" ({context})?" if context else "?")
        in_term = content_terms(term)
        words = {w.strip(".,;:()\"'") for w in card.back.split()}
        # The two longest content words the term does not already give away.
        rare = sorted((w for w in words if len(w) > 3 and content_terms(w) and not content_terms(w) & in_term), key=lambda w: (-len(w), w))
        key_facts = rare[:2] or [card.back]
    return {
        "id": item_id,
        "kind": "fact",
        "question": question,
        "key_facts": [f.strip(".,;:()") for f in key_facts],
        "source": card.line.chunk.source,
        "start_line": card.line.line,
        "end_line": card.line.last_line,
        "reference": None,
    }


def _from_model(ws: Workspace, collection: str, n: int, model: str) -> Synthesis:
    settings = ws.config.eval
    result = Synthesis([], model)
    seen: set[str] = set()
    scenario_every = round(1 / settings.from_notes_scenario_share) if settings.from_notes_scenario_share > 0 else 0
    for seed in _seeds(ws.index(collection).all(), settings.from_notes_min_words, n * settings.from_notes_seeds_per_item):
        if len(result.items) >= n:
            break
        kind = SCENARIO if scenario_every and len(result.items) % scenario_every == scenario_every - 1 else FACT
        notes = [seed, *(_neighbour(ws, collection, seed) if kind == SCENARIO else [])]
        result.asked += 1
        try:
            draft = complete_structured(
                _messages(notes, kind), DraftEvalItem, settings=ws.config.llm, model=model, attempts=ws.config.questions.max_attempts
            )
        except BrokenReply:
            result.dropped[BROKEN] += 1
            continue
        except TutorError as exc:  # the provider is down or refusing: asking again per seed would not help
            result.fault = str(exc)
            break
        checked = verified(draft, notes)
        if isinstance(checked, str):
            result.dropped[checked] += 1
            continue
        folded = " ".join(tokens(draft.question))
        if folded in seen:
            result.dropped[DUPLICATE] += 1
            continue
        seen.add(folded)
        checked["id"] = f"from-notes-{len(result.items) + 1:03d}"
        result.items.append(checked)
    return result


def verified(draft: DraftEvalItem, notes: list[StoredChunk]) -> dict[str, Any] | str:
    """The draft as an eval item whose evidence lines are the notes' own, or why it cannot be one."""
    cited: dict[int, list[NoteLine]] = {}
    for evidence in draft.evidence:
        if evidence.source > len(notes):
            return NO_SUCH_NOTE
        lines = _quoted(evidence.quote, notes[evidence.source - 1])
        if not lines:
            return NOT_IN_CHUNK
        cited.setdefault(evidence.source, []).extend(lines)
    facts = [f.strip() for f in draft.key_facts if f.strip()]
    said = " ".join(line.text for lines in cited.values() for line in lines)
    if not facts or any(m.all_key_facts(said, [f]) != 1.0 for f in facts):
        return FACT_NOT_IN_EVIDENCE
    if m.all_key_facts(draft.question, facts) == 1.0:
        return GIVEN_AWAY
    if draft.kind == SCENARIO and len(cited) < 2:
        return ONE_CHUNK
    # The note holding most key facts is the item's span; the others are listed as hops.
    spans = sorted(cited.items(), key=lambda kv: -sum(m.all_key_facts(" ".join(x.text for x in kv[1]), [f]) == 1.0 for f in facts))
    (first, lines), others = spans[0], spans[1:]
    return {
        "id": "",
        "kind": draft.kind,
        "question": draft.question.strip(),
        "key_facts": facts,
        "source": notes[first - 1].source,
        "start_line": min(x.line for x in lines),
        "end_line": max(x.last_line for x in lines),
        "reference": draft.reference.strip() or None,
        "hops": [
            {"source": notes[n - 1].source, "start_line": min(x.line for x in ls), "end_line": max(x.last_line for x in ls)}
            for n, ls in others
        ],
    }


def _quoted(quote: str, chunk: StoredChunk) -> list[NoteLine]:
    """The chunk's statements the quote copies (one, or several when it spans lines)."""
    wanted = _fold(quote)
    found = []
    for line in note_lines(chunk):
        have = _fold(line.text)
        if have and (wanted in have or (have in wanted and len(have.split()) >= 3)):
            found.append(line)
    return found


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w%./+-]+", " ", text.lower().replace("’", "'")).split())


def _seeds(chunks: list[StoredChunk], min_words: int, n: int) -> list[StoredChunk]:
    """Up to ``n`` chunks with something to ask about, spread evenly over the collection's files."""
    usable = [c for c in chunks if len(c.text.split()) >= min_words]
    if len(usable) <= n:
        return usable
    step = len(usable) / n
    return [usable[int(i * step)] for i in range(n)]


def _neighbour(ws: Workspace, collection: str, seed: StoredChunk) -> list[StoredChunk]:
    """The chunk nearest the seed from another section: a second passage the scenario must combine
    (RAGAS links chunks by shared entities; our hybrid search on the seed finds the same kind)."""
    hits = ws.search(f"{seed.heading}\n{seed.text}", k=6, collection=collection)
    other = next((h.chunk_id for h in hits if h.chunk_id != seed.id and h.heading != seed.heading), None)
    if other is None:
        return []
    stored = ws.index(collection).chunks([other])
    return [stored[other]] if other in stored else []


def _messages(notes: list[StoredChunk], kind: str) -> list[dict[str, str]]:
    numbered = "\n\n".join(f"[{n}] {c.heading}\n{c.text}" for n, c in enumerate(notes, start=1))
    return [
        {"role": "system", "content": render_prompt("eval_item_system")},
        {"role": "user", "content": render_prompt("eval_item_user", sources=numbered, kind=kind if len(notes) > 1 else FACT)},
    ]


def write(items: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path
