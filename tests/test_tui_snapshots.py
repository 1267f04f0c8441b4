"""Snapshots of every screen at 80x24 (``pytest --snapshot-update`` accepts a deliberate change).

Paths show relative to the repo or as ``folder/file``, the offline engine costs nothing and
no clock is drawn, so the pictures are the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui import SIZE
from textual.widgets import Input

from tutor.tui.app import TutorApp
from tutor.tui.widgets.chat_message import ChatMessage
from tutor.tui.widgets.prompt_input import PromptInput
from tutor.workspace import Workspace


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _steady(pilot) -> None:
    """A blinking cursor would be on in one picture and off in the next."""
    for screen in (pilot.app.screen, pilot.app.chat):
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


def _pressing(*keys: str):
    async def run(pilot) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        await _steady(pilot)

    return run


def _asking(question: str, *keys: str):
    async def run(pilot) -> None:
        pilot.app.chat.query_one(PromptInput).value = question
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)
        await _steady(pilot)

    return run


def _quizzing(*keys: str):
    async def run(pilot) -> None:
        await pilot.press("ctrl+t")
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return run


def test_chat_answer_with_sources(snap_compare, studied: Workspace) -> None:
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=_asking("How many writes can a Kinesis shard take?"))


def test_chat_second_citation_selected(snap_compare, studied: Workspace) -> None:
    # Two parts, two passages: the answer cites [1] and [2], and "]" twice selects [2].
    run = _asking("How many writes can a Kinesis shard take, and how long does it keep records?", "up", "]", "]")
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=run)


def test_chat_light_theme(snap_compare, studied: Workspace) -> None:
    app = TutorApp(studied)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE, run_before=_asking("How long does Kinesis keep records?", "up"))


def test_chat_not_in_your_notes(snap_compare, studied: Workspace) -> None:
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=_asking("Who painted the Mona Lisa?"))


def test_chat_sessions_sidebar(snap_compare, studied: Workspace) -> None:
    run = _asking("How long does Kinesis keep records?", "ctrl+o")
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=run)


def test_model_picker(snap_compare, studied: Workspace) -> None:
    studied.config.llm.model = "openai/gpt-4o-mini"  # listed, never called
    studied.config.llm.fallbacks = ["anthropic/claude-3-5-haiku-latest"]
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=_pressing("f2"))


def test_ingest_dialog(snap_compare, studied: Workspace, notes_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(notes_dir)  # the folder picker starts in the working dir
    assert snap_compare(TutorApp(studied), terminal_size=SIZE, run_before=_pressing("ctrl+l"))


def test_quiz_question(snap_compare, quizzable: Workspace) -> None:
    assert snap_compare(TutorApp(quizzable), terminal_size=SIZE, run_before=_quizzing())


def test_quiz_explanation(snap_compare, quizzable: Workspace) -> None:
    assert snap_compare(TutorApp(quizzable), terminal_size=SIZE, run_before=_quizzing("down", "space", "s"))


def test_progress(snap_compare, quizzable: Workspace) -> None:
    assert snap_compare(TutorApp(quizzable), terminal_size=SIZE, run_before=_quizzing("down", "space", "s", "ctrl+r"))


def _explaining(*keys: str):
    """Answer in the quiz, then "ask about it": the explanation travels quiz -> app -> chat as
    messages before its worker starts, so wait for the answer itself, not just idle workers."""

    async def run(pilot) -> None:
        await _quizzing(*keys)(pilot)
        for _ in range(600):  # bounded: 60 s
            if any(m.role == "tutor" and m.answer is not None for m in pilot.app.chat.query(ChatMessage)):
                break
            await pilot.pause(0.1)
        else:
            raise AssertionError("the explanation never arrived in the chat")
        await _settle(pilot)
        await _steady(pilot)

    return run


def test_chat_explains_a_quiz_question(snap_compare, quizzable: Workspace) -> None:
    """The quiz's "ask about it": the question, then its explanation from its own citations."""
    assert snap_compare(TutorApp(quizzable), terminal_size=SIZE, run_before=_explaining("space", "s", "a"))


def test_chat_wide_sources_title_keeps_the_lines(snap_compare, studied: Workspace) -> None:
    run = _asking("How many writes can a Kinesis shard take?", "up")
    assert snap_compare(TutorApp(studied), terminal_size=(120, 40), run_before=run)
