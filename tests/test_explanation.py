"""The quiz's "ask about it": a banked question explained from its own citations."""

from __future__ import annotations

import pytest

from tutor.answer.sessions import SessionStore
from tutor.errors import TutorError
from tutor.questions import Question, QuestionBank
from tutor.workspace import Workspace

LLM = "gpt-4o-mini"


@pytest.fixture
def banked(quizzable: Workspace) -> Question:
    with QuestionBank(quizzable) as bank:
        return bank.all()[0]


def test_offline_explanation_stands_on_the_questions_own_citations(quizzable: Workspace, banked: Question) -> None:
    answer = quizzable.explain(banked, session="quiz")
    assert not answer.abstained and "Not in your notes" not in answer.answer
    key = banked.options[banked.keys[0]]
    assert answer.answer.splitlines()[0].startswith(f"- **{banked.key_letters} · {key}** is the answer")
    assert [h.chunk_id for h in answer.sources] == [c.chunk_id for c in banked.citations]  # no fresh search
    assert answer.citations and not answer.invalid_citations
    # Why the key is right stands on the notes; a distractor's line may lean on the service
    # catalog, and is then shown as unverified rather than passed off as the notes'.
    assert not [s for s in answer.unverified if f"**{banked.key_letters} · {key}**" in s]
    assert all(option in answer.answer for option in banked.options)  # every option has its line


def test_the_explanation_joins_the_session_so_a_follow_up_has_its_subject(quizzable: Workspace, banked: Question) -> None:
    quizzable.explain(banked, session="quiz")
    turns = SessionStore(quizzable.config.db_path).turns("quiz")
    assert len(turns) == 1 and banked.stem in turns[0].question
    follow_up = quizzable.ask("Why not the others?", session="quiz")
    assert follow_up.query != "Why not the others?"  # it carries the question's subject


def test_a_model_explains_from_the_same_sources_and_its_citations_are_checked(quizzable: Workspace, banked: Question) -> None:
    key = banked.options[banked.keys[0]]
    reply = f"{key} is the answer because the notes say so [1]. Nothing supports this [9]."
    answer = quizzable.explain(banked, model=LLM, mock_response=reply)
    assert answer.engine == "llm" and answer.invalid_citations == [9]
    assert "[9]" not in answer.answer and [h.chunk_id for h in answer.sources] == [c.chunk_id for c in banked.citations]


def test_a_question_without_citations_is_one_clear_error(quizzable: Workspace, banked: Question) -> None:
    banked.citations = []
    with pytest.raises(TutorError, match="cites no notes"):
        quizzable.explain(banked)
