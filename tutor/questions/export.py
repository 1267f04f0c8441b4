"""The bank out of tutor: JSON (everything), Markdown (to read) and Anki decks (genanki)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import genanki

from tutor.errors import TutorError
from tutor.questions.cards import CARD, GAP
from tutor.questions.question import LETTERS, Question, cite

# Fixed ids: re-exporting updates the student's existing Anki deck instead of adding a twin.
_MODEL_ID = 1_607_392_319
_DECK_ID = 2_059_400_110

_MODEL = genanki.Model(
    _MODEL_ID,
    "tutor exam question",
    fields=[{"name": "Question"}, {"name": "Options"}, {"name": "Answer"}, {"name": "Explanations"}, {"name": "Sources"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Question}}<br><br>{{Options}}",
            "afmt": "{{FrontSide}}<hr id=answer><b>{{Answer}}</b><br><br>{{Explanations}}<br><small>{{Sources}}</small>",
        }
    ],
)


# Anki's own cloze note type, so cards review like any other cloze note (one gap, {{c1::...}}).
_CLOZE_MODEL = genanki.Model(
    _MODEL_ID + 1,
    "tutor flashcard (cloze)",
    fields=[{"name": "Text"}, {"name": "Source"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br><br><small>{{Source}}</small>"}],
    model_type=genanki.Model.CLOZE,
)


def cloze_text(q: Question) -> str:
    """A card's front with its gap as an Anki cloze deletion: "kept for {{c1::24 hours}}"."""
    before, _, after = q.stem.partition(GAP)
    return f"{html.escape(before)}{{{{c1::{html.escape(q.options[0])}}}}}{html.escape(after)}"


def to_json(questions: list[Question]) -> str:
    return json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=2)


def to_markdown(questions: list[Question]) -> str:
    return "# Question bank\n\n" + "\n".join(q.to_markdown() for q in questions)


def to_anki(questions: list[Question], path: Path, deck_name: str = "tutor questions") -> int:
    """Write an .apkg; returns how many notes it holds."""
    if path.suffix != ".apkg":
        raise TutorError(f"{path}: an Anki export needs a .apkg file name")
    deck = genanki.Deck(_DECK_ID, deck_name)
    for q in questions:
        tags = [t.replace(" ", "_") for t in (q.domain, q.task) if t]
        if q.kind == CARD:
            source = "<br>".join(html.escape(f"{cite(c)}: {c.text}") for c in q.citations)
            deck.add_note(genanki.Note(model=_CLOZE_MODEL, fields=[cloze_text(q), source], guid=genanki.guid_for(q.id), tags=tags))
            continue
        fields = [
            html.escape(q.stem),
            "<br>".join(f"{LETTERS[i]}. {html.escape(o)}" for i, o in enumerate(q.options)),
            q.key_letters,
            "<br>".join(f"{LETTERS[i]}: {html.escape(e)}" for i, e in enumerate(q.explanations)),
            "<br>".join(html.escape(cite(c)) for c in q.citations),
        ]
        deck.add_note(genanki.Note(model=_MODEL, fields=fields, guid=genanki.guid_for(q.id), tags=tags))
    try:
        genanki.Package(deck).write_to_file(str(path))
    except OSError as exc:
        raise TutorError(f"{path}: cannot write ({exc.strerror})") from exc
    return len(questions)
