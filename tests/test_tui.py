"""The study app driven through Textual's Pilot, on a real Workspace in a tmp home.

The offline extractive engine answers, so no API key or network is needed.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar

from tutor.config import load_config
from tutor.questions import Question, QuestionBank
from tutor.tui.app import TutorApp
from tutor.tui.labels import line_range
from tutor.tui.screens.chat_screen import BUNDLED_NOTE
from tutor.tui.screens.ingest_dialog import IngestDialog
from tutor.tui.widgets.chat_message import ChatMessage
from tutor.tui.widgets.prompt_input import PromptInput
from tutor.tui.widgets.session_list import SessionList
from tutor.tui.widgets.sources_panel import SourcesPanel
from tutor.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SIZE = (80, 24)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio


async def settle(app: TutorApp, pilot) -> None:
    """Let every worker finish and the screen catch up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def ask(app: TutorApp, pilot, question: str) -> None:
    prompt = app.chat.query_one(PromptInput)
    prompt.value = question
    await pilot.press("enter")
    await settle(app, pilot)


async def open_quiz(app: TutorApp, pilot) -> Question:
    """Open the quiz screen (ctrl+t) and return the question it shows."""
    await pilot.press("ctrl+t")
    await settle(app, pilot)
    question = app.quiz.question
    assert question is not None
    return question


def wait_for_file(path: Path) -> None:
    """Runs in the core process (so it pickles by name): holds it until the test makes ``path``."""
    while not path.exists():
        time.sleep(0.01)


def panel_text(app: TutorApp) -> str:
    return str(app.chat.query_one("#source-body").render())


async def test_ask_shows_answer_with_its_sources(studied: Workspace) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "How long does Kinesis keep records by default?")
        reply = [m for m in app.chat.query(ChatMessage) if m.role == "tutor"][-1]
        assert reply.answer is not None and not reply.answer.abstained
        assert "24 hours" in reply.markdown
        cited = reply.answer.citations[0]
        assert "24 hours" in panel_text(app)
        assert app.chat.query_one(SourcesPanel).border_title.startswith(
            f"[{cited.n}] {line_range(cited.start_line, cited.end_line)} · notes/kinesis.md"
        )
        assert app.chat.status.engine == "extractive"

        reply.focus()
        await pilot.press("y")
        assert app.clipboard == reply.answer.answer


async def test_unanswerable_question_is_styled_as_not_in_notes(studied: Workspace) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "Who painted the Mona Lisa?")
        reply = app.chat.query(ChatMessage).last()
        assert reply.answer is not None and reply.answer.abstained
        assert reply.has_class("-abstained")
        assert "not in your notes" in str(reply.border_title)
        assert "not in your notes" in str(app.chat.query_one(SourcesPanel).border_title)


async def test_escape_cancels_the_answer_and_the_chat_goes_on(studied: Workspace, tmp_path: Path) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        # Hold the core process so the question is still pending when esc arrives.
        release = tmp_path / "release"
        hold = app.run_worker(app.core.run(wait_for_file, release))
        await pilot.pause()
        app.chat.query_one(PromptInput).value = "How long does Kinesis keep records?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat.status.busy == "answering…"
        await pilot.press("escape")
        assert app.chat.status.busy == "cancelling…"
        release.touch()
        await hold.wait()
        await settle(app, pilot)
        reply = app.chat.query(ChatMessage).last()
        assert reply.has_class("-failed") and "Cancelled" in reply.document.source
        assert app.chat.status.busy == ""

        await ask(app, pilot, "How many writes per second can one shard take?")
        reply = app.chat.query(ChatMessage).last()
        assert reply.answer is not None and "1,000 records" in reply.markdown


async def test_quitting_mid_answer_ends_the_core_process(studied: Workspace) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        app.chat.query_one(PromptInput).value = "How long does Kinesis keep records?"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat.status.busy == "answering…"
        assert "tutor-core" in [p.name for p in multiprocessing.active_children()]
    assert "tutor-core" not in [p.name for p in multiprocessing.active_children()]


async def test_new_session_then_resume_the_old_one(studied: Workspace) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "How long does Kinesis keep records?")
        first = app.chat.session
        assert first is not None

        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.chat.session is None and not app.chat.query(ChatMessage)
        assert app.chat.status.session == "new chat"

        await pilot.press("ctrl+o")
        await pilot.pause()
        sidebar = app.chat.query_one(SessionList)
        assert sidebar.has_focus and first in [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        sidebar.highlighted = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)].index(first)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.chat.session == first
        texts = [m.markdown for m in app.chat.query(ChatMessage)]
        assert texts[0] == "How long does Kinesis keep records?" and "24 hours" in texts[1]


async def test_quiz_question_then_its_explanation(quizzable: Workspace) -> None:
    app = TutorApp(quizzable)
    async with app.run_test(size=SIZE) as pilot:
        question = await open_quiz(app, pilot)
        wrong = next(i for i in range(len(question.options)) if i not in question.keys)
        await pilot.press(*["down"] * wrong, "space", "s")
        await settle(app, pilot)

        explanation = app.quiz.query_one("#explanation").source
        assert "Not quite" in explanation and question.explanations[wrong] in explanation
        assert "(your pick)" in explanation
        assert "score 0/1" in str(app.quiz.query_one("#score").render())
        assert QuestionBank(quizzable).reviews(question.id)[0]["correct"] == 0


async def test_quiz_flags_and_retires_the_question_on_screen(quizzable: Workspace) -> None:
    app = TutorApp(quizzable)
    async with app.run_test(size=SIZE) as pilot:
        question = await open_quiz(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert QuestionBank(quizzable).get(question.id).flagged
        await pilot.press("x")
        await settle(app, pilot)
        bank = QuestionBank(quizzable)
        assert bank.get(question.id).retired and question.id not in {q.id for q in bank.due(10)}
        assert app.quiz.question is None or app.quiz.question.id != question.id


async def test_ask_about_a_quiz_question_explains_it_from_its_citations(quizzable: Workspace) -> None:
    app = TutorApp(quizzable)
    async with app.run_test(size=SIZE) as pilot:
        question = await open_quiz(app, pilot)
        await pilot.press("space", "s", "a")
        await settle(app, pilot)
        assert app.screen is app.chat
        context, asked, reply = app.chat.query(ChatMessage)
        assert context.role == "context" and question.stem in context.markdown
        assert asked.markdown == f"Why is {question.key_letters} the answer?"
        assert reply.answer is not None and not reply.answer.abstained and reply.answer.citations
        assert f"{question.options[question.keys[0]]}** is the answer" in reply.markdown
        assert [h.chunk_id for h in reply.answer.sources] == [c.chunk_id for c in question.citations]
        assert app.chat.session is not None  # the explanation opened a session a follow-up continues


async def test_escape_leaves_the_sources_for_the_prompt(studied: Workspace) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "How long does Kinesis keep records?")
        await pilot.press("up", "right_square_bracket")
        await pilot.pause()
        assert isinstance(app.focused, ChatMessage)
        assert "Input" in [b.binding.description for b in app.screen.active_bindings.values() if b.enabled]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, PromptInput)


async def test_only_an_answer_from_the_bundled_notes_says_so(studied: Workspace, home: Path) -> None:
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await ask(app, pilot, "How long does Kinesis keep records?")
        assert BUNDLED_NOTE not in app.chat.query(ChatMessage).last().markdown  # the student's own notes
    with Workspace(load_config(home / "fresh")) as empty:  # nothing ingested: answers come from the corpus
        fresh = TutorApp(empty)
        async with fresh.run_test(size=SIZE):
            assert await fresh.chat._from_bundled_notes()


async def test_ingest_a_folder_from_the_dialog(studied: Workspace, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "sqs.md").write_text("# SQS\n\n- SQS FIFO queues deliver each message exactly once, in order.\n", encoding="utf-8")
    app = TutorApp(studied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        dialog = app.screen
        assert isinstance(dialog, IngestDialog)
        dialog.query_one("#path", Input).value = str(extra)
        await pilot.press("enter")
        while dialog.running:  # (the folder tree keeps a worker alive, so wait for this one)
            await pilot.pause(0.05)
        assert "1 added" in str(dialog.query_one("#ingest-status").render())
        assert dialog.query_one(ProgressBar).percentage == 1.0
        await pilot.press("escape")
        assert app.screen is app.chat
    assert str(extra / "sqs.md") in studied.index("notes").files()


async def test_quiz_flashcard_reveals_its_back_and_takes_a_rating(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    from fsrs import Rating

    from tutor.questions import generate

    ingest_note("sqs.txt", "Amazon SQS\n\n  • A message can be delayed for up to 15 minutes with a delivery delay.\n")
    card = generate(workspace, n=1, kind="card").accepted[0]
    app = TutorApp(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.quiz.question is not None and app.quiz.question.id == card.id
        assert "15 minutes" not in app.quiz.query_one("#stem").source  # the gap hides it
        await pilot.press("3")  # a rating before the reveal does nothing
        await settle(app, pilot)
        assert QuestionBank(workspace).reviews() == []
        await pilot.press("s")
        await settle(app, pilot)
        back = app.quiz.query_one("#explanation").source
        assert "**15 minutes**" in back and "sqs.txt · line 3" in back
        await pilot.press("4")
        await settle(app, pilot)
        assert [r["rating"] for r in QuestionBank(workspace).reviews()] == [int(Rating.Easy)]
