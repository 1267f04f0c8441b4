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
    assert "Score: 700 / 1000" in result.stdout and "FAIL, the pass line is 720" in result.stdout  # 2 of 3 on 100-1000
    assert "2/3 correct" in result.stdout and "By domain" in result.stdout
    review = result.stdout.split("Review")[-1]
    assert qs[2].stem[:40] in review and f"why {_wrong(qs[2])} is wrong" in review  # the missed question, with why
    assert "answer D: Correct" not in review and "right answer: " in review and ": Correct." not in review
    assert {r["mode"] for r in QuestionBank(qws).reviews()} == {"exam"}


def test_exam_time_limit(qws: Workspace, banked: list[Question]) -> None:
    result = run("exam", "-n", "2", "--minutes", "0", "--collection", "notes", input="")
    assert "time is up" in result.stdout and "Score: 100 / 1000" in result.stdout and "0/2 correct, 2 unanswered" in result.stdout


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


def test_generate_says_why_it_delivered_fewer(qws: Workspace) -> None:
    result = run("generate", "--topic", "Amazon Braket", "-n", "2", "--collection", "notes")
    assert result.exit_code == 1
    assert "delivered 0 of 2" in result.output and "no facts on 'Amazon Braket' in the notes" in result.output
    assert QuestionBank(qws).all() == []
    many = run("generate", "-n", "500", "--collection", "notes", "--json")
    out = json.loads(many.stdout)
    assert many.exit_code == 1 and out["shortfall"][0] == f"delivered {len(out['accepted'])} of 500 question(s)"
    assert any("ran out of facts" in line for line in out["shortfall"]), out["shortfall"]


def test_quiz_serves_only_the_collection_asked_for(qws: Workspace, banked: list[Question]) -> None:
    bank = QuestionBank(qws)
    other = Question.from_dict({**banked[0].to_dict(), "id": "qother", "collection": "other", "stem": "Other collection?"})
    bank.add(other)
    result = run("quiz", "-n", "3", "--collection", "notes", input="q\n" * 3)
    assert banked[0].stem[:40] in result.stdout and "Other collection?" not in result.stdout
    assert [q.id for q in bank.all(collection="other")] == ["qother"]


def test_choose_two_takes_exactly_two_letters(qws: Workspace) -> None:
    q = generate(qws, n=1, kind="multi", collection="notes").accepted[0]
    one = LETTERS[q.keys[0]]
    result = run("quiz", "-n", "1", "--collection", "notes", input=f"{one}\n{q.key_letters}\n")
    assert "exactly 2 letters" in result.stdout and "1/1 correct" in result.stdout
    assert [r["chosen"] for r in QuestionBank(qws).reviews()] == [json.dumps(q.keys)]


def test_quiz_flags_and_retires(qws: Workspace, banked: list[Question]) -> None:
    first, second = QuestionBank(qws).due(2)
    result = run("quiz", "-n", "2", "--collection", "notes", input=f"f\n{first.key_letters}\nx\n")
    assert f"flagged {first.id}" in result.stdout and f"retired {second.id}" in result.stdout
    bank = QuestionBank(qws)
    assert bank.get(first.id).flagged and not bank.get(first.id).retired and bank.get(second.id).retired
    assert second.id not in {q.id for q in bank.due(10)}
    assert [r["question_id"] for r in bank.reviews()] == [first.id]  # retiring is not an answer
    assert "1 question(s)" in run("bank", "list", "--flagged").stdout
    run("bank", "retire", first.id)
    assert QuestionBank(qws).get(first.id).retired
    with pytest.raises(TutorError, match="no question 'nope'"):
        run("bank", "flag", "nope")
