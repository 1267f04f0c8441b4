"""The database layer: migrations owned by their packages, applied once under a write lock,
imports that flow one way, and connections that are closed by whoever opened them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tutor.answer.sessions import SESSIONS
from tutor.errors import TutorError
from tutor.llm.cache import CACHE
from tutor.questions.bank import BANK
from tutor.store.db import STORE, connect
from tutor.store.migrations import Migrations
from tutor.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


def test_store_imports_nothing_above_it() -> None:
    out = _python("import sys, json, tutor.store.db, tutor.store.index; print(json.dumps(sorted(sys.modules)))")
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout))
    above = {"tutor.questions", "tutor.answer", "tutor.workspace", "tutor.evals", "tutor.llm", "fsrs", "litellm"}
    assert not loaded & above, sorted(loaded & above)


def test_ingest_command_loads_only_its_own_module() -> None:
    code = "import sys, json; from tutor.cli import _register; _register(sys.argv[1:]); print(json.dumps(sorted(sys.modules)))"
    out = _python(code, "--home", "/nonexistent", "ingest", "notes/")
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout))
    assert "tutor.cli.ingest" in loaded
    assert not loaded & {"fsrs", "genanki", "tutor.questions", "tutor.evals", "tutor.cli.questions", "litellm"}


def test_every_command_is_mapped_to_its_module() -> None:
    from tutor.cli import COMMAND_MODULES, _register, app

    _register()  # no command named: every module registers
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups if g.name}
    assert names == set(COMMAND_MODULES)


def test_migrations_apply_once_and_record_their_names(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with closing(connect(path, STORE, SESSIONS, BANK, CACHE)) as db:
        names = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == sorted(n for m in (STORE, SESSIONS, BANK, CACHE) for n, _ in m)
    assert {"collections", "files", "sessions", "turns", "questions", "llm_cache"} <= tables
    assert all(not m.pending(sqlite3.connect(path)) for m in (STORE, SESSIONS, BANK, CACHE))


def test_a_failing_migration_rolls_back_and_leaves_no_record(tmp_path: Path) -> None:
    broken = Migrations("test.broken")

    @broken
    def m901_half(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        connect(tmp_path / "t.db", broken)
    with closing(sqlite3.connect(tmp_path / "t.db")) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
        assert broken.pending(db) == ["m901_half"]


def test_not_a_database_is_one_line_and_not_a_lock(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TutorError, match="not a tutor database"):
        connect(path, STORE)


# Several processes open one brand-new data dir at the same instant, as two `tutor ingest`
# (or the TUI's core and a CLI command) do on first use.
_RACE = """
import sys, time
from tutor.store.db import STORE, connect
from tutor.answer.sessions import SESSIONS
from tutor.questions.bank import BANK
from tutor.llm.cache import CACHE
start = float(sys.argv[2])
while time.time() < start:
    pass
connect(__import__("pathlib").Path(sys.argv[1]), STORE, SESSIONS, BANK, CACHE).close()
"""


@pytest.mark.slow
def test_processes_racing_on_a_new_database_all_succeed(tmp_path: Path) -> None:
    import time

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_ in range(5):
        path = tmp_path / f"race{round_}.db"
        start = time.time() + 3.0  # every process is past its imports before the gun
        procs = [
            subprocess.Popen([sys.executable, "-c", _RACE, str(path), str(start)], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errors
        with closing(sqlite3.connect(path)) as db:
            names = [row[0] for row in db.execute("SELECT name FROM _migrations")]
        assert len(names) == len(set(names)) == sum(1 for m in (STORE, SESSIONS, BANK, CACHE) for _ in m)


def _open_db_files(path: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd).startswith(str(path)))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts descriptors through /proc")
def test_workspace_closes_what_it_opened(workspace: Workspace, notes_dir: Path) -> None:
    before = _open_db_files(workspace.config.db_path)
    workspace.ingest([notes_dir])
    assert workspace.search("How long does Kinesis keep records?")
    workspace.collections()
    workspace.response_cache.get("no such key")
    assert _open_db_files(workspace.config.db_path) > before
    workspace.close()
    assert _open_db_files(workspace.config.db_path) == before
