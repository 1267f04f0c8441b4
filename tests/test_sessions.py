"""Sessions in SQLite, and the `tutor ask / sessions / export / models` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutor.answer.sessions import SessionStore
from tutor.cli import _register, app
from tutor.errors import TutorError
from tutor.workspace import Workspace

RETENTION = "How long does Kinesis Data Streams keep records by default?"
FOLLOW_UP = "And what's the longest I can stretch that to?"


@pytest.fixture
def ws(workspace: Workspace, notes_dir: Path) -> Workspace:
    workspace.ingest([notes_dir])
    return workspace


def test_turns_persist_and_follow_ups_use_the_session(ws: Workspace) -> None:
    first = ws.ask(RETENTION, session="kinesis")
    second = ws.ask(FOLLOW_UP, session="kinesis")  # history comes from the stored turn
    assert "Kinesis" in second.query and "365 days" in second.answer
    store = SessionStore(ws.config.db_path)
    turns = store.turns("kinesis")
    assert [t.question for t in turns] == [RETENTION, FOLLOW_UP]
    assert turns[0].answer.answer == first.answer
    assert turns[1].answer.query == second.query
    assert [c.chunk_id for c in turns[0].answer.citations] == [c.chunk_id for c in first.citations]
    assert turns[0].answer.sources[0].chunk_id == first.sources[0].chunk_id
    assert store.list_sessions() == ["kinesis"]


def test_a_cancelled_answer_is_not_kept_as_history(ws: Workspace) -> None:
    import threading

    ws.ask(RETENTION, session="kinesis")
    cancelled = threading.Event()
    cancelled.set()
    ws.ask(FOLLOW_UP, session="kinesis", cancel=cancelled)
    assert [t.question for t in SessionStore(ws.config.db_path).turns("kinesis")] == [RETENTION]


def test_markdown_export_reads_as_a_transcript(ws: Workspace) -> None:
    ws.ask(RETENTION, session="kinesis")
    text = SessionStore(ws.config.db_path).export_markdown("kinesis")
    assert text.startswith("# kinesis\n")
    assert f"## 1. {RETENTION}" in text and "24 hours" in text
    assert "kinesis.md:" in text and "extractive" in text


def test_create_rename_delete(home: Path) -> None:
    store = SessionStore(home / "tutor.db")
    assert store.create("What is Glue?") == "what-is-glue"
    assert store.create("What is Glue?") == "what-is-glue-2"
    store.rename("what-is-glue", "glue")
    with pytest.raises(TutorError, match="already exists"):
        store.rename("what-is-glue-2", "glue")
    store.delete("glue")
    assert store.list_sessions() == ["what-is-glue-2"]
    with pytest.raises(TutorError, match="no session"):
        store.export_markdown("glue")


@pytest.fixture
def cli(ws: Workspace) -> CliRunner:
    _register()
    return CliRunner()


def test_ask_json_shape(cli: CliRunner) -> None:
    result = cli.invoke(app, ["ask", RETENTION, "--json", "--session", "s1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"answer", "citations", "abstained", "unverified", "model", "query"} <= data.keys()
    assert data["model"] == "extractive" and data["abstained"] is False
    assert set(data["citations"][0]) >= {"n", "chunk_id", "source", "start_line", "end_line", "heading", "text"}


def test_ask_stdin_batch_one_object_per_line(cli: CliRunner, tmp_path: Path) -> None:
    lines = [json.dumps({"question": RETENTION, "session": "b"}), "not json", json.dumps({"question": FOLLOW_UP, "session": "b"})]
    result = cli.invoke(app, ["ask", "--json", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 3 and out[1]["line"] == 2 and "error" in out[1]
    assert "365 days" in out[2]["answer"]
    listing = cli.invoke(app, ["sessions"])
    assert listing.output.startswith("b\t2 turns")
    target = tmp_path / "b.md"
    exported = cli.invoke(app, ["export", "b", "--markdown", "-o", str(target)])
    assert exported.exit_code == 0 and "## 2. And what's the longest" in target.read_text()


def test_models_lists_the_offline_engine(cli: CliRunner) -> None:
    result = cli.invoke(app, ["models"])
    assert "* tutor/extractive" in result.output
