"""The offline engine on slide-style notes: re-asks, names as the notes write them, bullets with their heading.

Notes are written here, in the shape exported course slides take (titles on their own
line, nested bullets, "Term – definition" lines); real embedder, real Chroma.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.workspace import Workspace

SLIDES = """Section 10: Analytics

Amazon Redshift Spectrum

  • Redshift Spectrum runs SQL queries on data in S3 without loading it into Redshift.
  • Needs a running Redshift cluster; you pay per TB of S3 data scanned.
  • Spectrum external tables are defined in the Glue Data Catalog.

Feature Scaling

  • Robust Scaler
    • removes the median and scales the data by the interquartile range
    • is not thrown off by outliers
  • Min-Max Scaler – rescales every feature into the range 0 to 1.

Bedrock Guardrails

  • Policies you can combine
    • Content filters
    • Denied topics
    • Word filters
  • Denied topics stop a model talking about subjects you list.
  > Guardrails apply to both the prompt and the model's reply.
"""


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    notes = tmp_path / "slides"
    notes.mkdir()
    (notes / "analytics-slides.txt").write_text(SLIDES, encoding="utf-8")
    workspace.ingest([notes])
    return workspace


def test_asking_again_in_a_session_gets_the_same_answer(ws: Workspace) -> None:
    question = "What does Redshift Spectrum let you query without loading it?"
    first = ws.ask(question, session="s")
    again = ws.ask(question, session="s")
    assert not first.abstained and "S3" in first.answer
    assert again.answer == first.answer


def test_what_else_moves_past_what_was_said(ws: Workspace) -> None:
    first = ws.ask("What does Redshift Spectrum let you query without loading it?", session="s")
    more = ws.ask("What else should I know about Redshift Spectrum?", session="s")
    assert not more.abstained
    assert more.answer.split(" [")[0] not in first.answer  # it leads with something new


@pytest.mark.parametrize(
    "question",
    [
        "How is Redshift Spectrum billed?",
        "How is Amazon Redshift Spectrum billed?",
        "how is redshift spectrum billed?",
        "What do Robust Scalers remove from the data?",
        "What range does the MinMax Scaler rescale features into?",
    ],
)
def test_names_match_the_way_the_notes_write_them(ws: Workspace, question: str) -> None:
    answer = ws.ask(question)
    assert not answer.abstained, answer.answer


def test_a_refusal_never_offers_the_missing_name_as_a_topic(ws: Workspace) -> None:
    answer = ws.ask("How many players can an Amazon GameLift GameLift fleet host?")
    assert answer.abstained
    assert answer.answer.count("GameLift") == 1  # named once, as what is missing
    topics = answer.answer.split("Nearest topics in your notes:")[-1]
    assert "GameLift" not in topics


def test_a_bullet_is_said_with_the_bullet_it_belongs_to(ws: Workspace) -> None:
    answer = ws.ask("Which scaler removes the median and scales the data by the interquartile range?")
    assert not answer.abstained
    assert answer.answer.startswith("Robust Scaler: removes the median")


def test_a_list_of_short_items_is_said_with_its_label(ws: Workspace) -> None:
    answer = ws.ask("Which policies can you combine in Bedrock Guardrails?")
    assert not answer.abstained, answer.answer
    assert "Policies you can combine: Content filters; Denied topics; Word filters" in answer.answer


def test_a_quoted_line_is_said_without_its_quote_marker(ws: Workspace) -> None:
    answer = ws.ask("Do Bedrock Guardrails apply to the prompt or to the model's reply?")
    assert "both the prompt and the model's reply" in answer.answer
    assert ">" not in answer.answer
