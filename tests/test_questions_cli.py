"""`tutor generate | quiz | exam | export-anki | bank` driven through typer with answers on stdin."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutor.cli import _register, app
from tutor.errors import TutorError
from tutor.questions import Question, QuestionBank, generate
from tutor.questions.question import LETTERS
from tutor.workspace import Workspace

_register()


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def _wrong(q: Question) -> str:
    return LETTERS[(q.keys[0] + 1) % len(q.options)]


@pytest.fixture
def banked(qws: Workspace) -> list[Question]:
    return generate(qws, n=3, collection="notes").accepted


def test_generate_json(qws: Workspace) -> None:
    out = json.loads(run("generate", "-n", "2", "--collection", "notes", "--json").stdout)
    assert len(out["accepted"]) == 2 and all(q["verdict"]["passed"] for q in out["accepted"])
    assert len(QuestionBank(qws).all()) == 2


def test_quiz_grades_answers_from_stdin(qws: Workspace, banked: list[Question]) -> None:
    first, second = QuestionBank(qws).due(2)
    result = run("quiz", "-n", "2", "--collection", "notes", input=f"Z\n{first.key_letters}\n{_wrong(second)}\n")
    assert "answer with option letters" in result.stdout  # "Z" is not an option: asked again
    assert "correct" in result.stdout and f"wrong — the answer is {second.key_letters}" in result.stdout
    assert "1/2 correct" in result.stdout and "Progress by topic" in result.stdout
    reviews = QuestionBank(qws).reviews()
    assert [(r["question_id"], r["correct"]) for r in reviews] == [(first.id, 1), (second.id, 0)]


def test_quiz_stops_on_q(qws: Workspace, banked: list[Question]) -> None:
    result = run("quiz", "-n", "3", "--collection", "notes", input="q\n")
    assert "0/0 correct" in result.stdout
    assert QuestionBank(qws).reviews() == []


def test_exam_flags_reviews_and_debriefs(qws: Workspace, banked: list[Question]) -> None:
    qs = QuestionBank(qws).due(3)
    # Pass 1: answer and flag Q1, skip Q2, answer Q3 wrong. Review: keep Q1's answer, answer Q2.
    answers = f"{qs[0].key_letters}!\n\n{_wrong(qs[2])}\n{qs[0].key_letters}\n{qs[1].key_letters}\n"
    result = run("exam", "-n", "3", "--minutes", "30", "--collection", "notes", input=answers)
    assert "[flagged]" in result.stdout and "2 flagged or unanswered" in result.stdout
    assert "Score: 2/3" in result.stdout and "By domain" in result.stdout
    assert qs[2].stem[:40] in result.stdout.split("Score:")[1]  # the missed question is debriefed
    assert {r["mode"] for r in QuestionBank(qws).reviews()} == {"exam"}


def test_exam_time_limit(qws: Workspace, banked: list[Question]) -> None:
    result = run("exam", "-n", "2", "--minutes", "0", "--collection", "notes", input="")
    assert "time is up" in result.stdout and "Score: 0/2" in result.stdout and "unanswered 2" in result.stdout


def test_exports(qws: Workspace, banked: list[Question], tmp_path: Path) -> None:
    deck = tmp_path / "bank.apkg"
    assert "wrote 3 question(s)" in run("export-anki", str(deck)).stdout
    assert zipfile.is_zipfile(deck)
    data = json.loads(run("bank", "export", "--json").stdout)
    assert {d["id"] for d in data} == {q.id for q in banked}
    md = tmp_path / "bank.md"
    run("bank", "export", "--markdown", "-o", str(md))
    assert md.read_text().count("**Answer:") == 3
    assert "3 question(s), 0 stale" in run("bank", "list").stdout
    with pytest.raises(TutorError, match="one of --json or --markdown"):
        run("bank", "export", "--json", "--markdown")
    with pytest.raises(TutorError, match=".apkg"):
        run("export-anki", str(tmp_path / "bank.zip"))
