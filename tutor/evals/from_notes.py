"""A golden set from the student's own notes: flashcards turned into (question, key facts,
evidence line) triples, written as the JSONL of evals/README.md for the student to read,
edit and run.

A cloze card "Kinesis Data Streams keeps records for ___ by default." asks "… keeps records
for what by default?" with the gap's text as the key fact; a definition card "Shard — ___"
asks "What is Shard?" (under its heading) with the definition's two rarest content words as
key facts. The evidence is the card's cited line, by line numbers, so no note text is copied
beyond the question itself. Cards are taken evenly across the collection's files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tutor.answer.sentences import content_terms
from tutor.questions.cards import CLOZE, GAP, Card, CardWriter
from tutor.workspace import Workspace


def synthesise(ws: Workspace, collection: str, n: int) -> list[dict[str, Any]]:
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
        "end_line": card.line.line,
        "reference": None,
    }


def write(items: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path
