"""Ingest and store faults: lost vectors, concurrent ingests, rebuild leftovers, dead servers."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from openai_server import Fault, OpenAIServer

from tutor.config import load_config
from tutor.errors import TutorError
from tutor.store.bm25 import Bm25Index
from tutor.workspace import Workspace


def test_rebuild_keeps_one_current_keyword_index(studied: Workspace, home: Path, embedder) -> None:
    old = studied.index("notes").physical
    studied.ingest([], "notes", rebuild=True)
    fresh = Workspace(load_config(home), embedder=embedder)
    index = fresh.index("notes")
    assert index.physical != old
    assert sorted(p.name for p in (home / "bm25").iterdir()) == [index.physical]  # the old folder is gone
    saved = Bm25Index.load(home / "bm25" / index.physical)
    assert saved is not None and saved.generation == index.generation()  # was saved as 0: searched = rebuilt
    stamp = (home / "bm25" / index.physical / "ids.json").stat().st_mtime_ns
    assert fresh.search("Glue job bookmarks", collection="notes")[0].source.endswith("glue.txt")
    assert (home / "bm25" / index.physical / "ids.json").stat().st_mtime_ns == stamp


def test_a_lost_vector_store_is_an_error_then_repaired(studied: Workspace, home: Path, notes_dir: Path, embedder) -> None:
    files = len(studied.index("notes").files())
    studied.index("notes").close()
    _lose_vectors(home)
    ws = Workspace(load_config(home), embedder=embedder)
    with pytest.raises(TutorError, match=r"lacks the chunks of 3 of 3 ingested files.*--rebuild"):
        ws.search("Glue job bookmarks", collection="notes")
    report = Workspace(load_config(home), embedder=embedder).ingest([notes_dir])
    assert (report.repaired, report.unchanged, report.added) == (files, 0, 0)  # was "3 unchanged"
    assert "3 repaired" in report.summary()
    again = Workspace(load_config(home), embedder=embedder)
    assert again.search("Glue job bookmarks", collection="notes")[0].source.endswith("glue.txt")
    assert again.ingest([notes_dir]).unchanged == files


def test_lost_files_are_repaired_even_when_another_folder_is_ingested(studied: Workspace, home: Path, tmp_path: Path, embedder) -> None:
    studied.index("notes").close()
    _lose_vectors(home)
    other = tmp_path / "more"
    other.mkdir()
    (other / "sqs.md").write_text("# SQS\n\n- Standard queues deliver at least once.\n")
    report = Workspace(load_config(home), embedder=embedder).ingest([other])
    assert (report.added, report.repaired) == (1, 3)


def _lose_vectors(home: Path) -> None:
    """`rm -rf $TUTOR_HOME/chroma` between two commands; chromadb keeps one client per path
    per process, so drop that too, as a new process would start without it."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    shutil.rmtree(home / "chroma")


@pytest.mark.slow
def test_cli_after_rm_rf_chroma(home: Path, notes_dir: Path) -> None:
    def tutor(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "TUTOR_HOME": str(home)}
        return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, timeout=300)

    assert tutor("ingest", str(notes_dir)).returncode == 0
    shutil.rmtree(home / "chroma")
    search = tutor("search", "Glue job bookmarks")
    assert search.returncode == 1 and "--rebuild" in search.stderr and "Traceback" not in search.stderr  # was "no matches", exit 0
    again = tutor("ingest", str(notes_dir))
    assert "3 repaired" in again.stdout, again.stdout + again.stderr  # was "3 unchanged"
    assert "glue.txt" in tutor("search", "Glue job bookmarks").stdout


@pytest.mark.slow
def test_two_ingests_into_one_collection_take_turns(home: Path, tmp_path: Path) -> None:
    """Two real `tutor ingest` processes into 'notes' (the TUI's core and a CLI, say)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        bullets = "\n".join(f"- Service {i} fact {j}: retention is {i * j} days in region {j}." for j in range(30))
        (folder / f"note{i:02}.md").write_text(f"# Topic {i}\n\n{bullets}\n")
    env = {**os.environ, "TUTOR_HOME": str(home)}
    cmd = [sys.executable, "-m", "tutor", "ingest", str(folder)]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not _committed(home) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the first ingest ended before the second started"
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, err + second.stderr
    assert "Traceback" not in err + second.stderr
    assert "another ingest of 'notes' is running; waiting" in second.stderr
    assert "30 added" in out and "30 unchanged" in second.stdout  # nothing embedded twice
    ws = Workspace(load_config(home))
    ids = ws.index("notes").vectors.get(include=[])["ids"]
    manifest = [i for row in ws.index("notes").db.execute("SELECT chunk_ids FROM files") for i in json.loads(row["chunk_ids"])]
    assert sorted(ids) == sorted(manifest)


def _committed(home: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{home / 'tutor.db'}?mode=ro", uri=True, timeout=5)) as db:
            return int(db.execute("SELECT COUNT(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("fault", [Fault.MALFORMED, Fault.EMPTY])
def test_a_malformed_embedding_reply_is_one_line(
    openai_server: OpenAIServer, home: Path, notes_dir: Path, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    monkeypatch.setenv("TUTOR_EMBEDDER", "litellm:openai/text-embedding-test")
    monkeypatch.setenv("TUTOR_API_BASE", openai_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    openai_server.queue("probe", fault, endpoint="embeddings")  # the dimension probe answers, the batch does not
    ws = Workspace(load_config(home))
    with pytest.raises(TutorError, match="sent a malformed reply") as err:
        ws.ingest([notes_dir])
    assert "\n" not in str(err.value)
    assert ws.index("notes").files() == {}  # nothing half-written


def test_symlink_loops_and_broken_links_are_reported(tmp_path: Path) -> None:
    from tutor.ingest.pipeline import discover

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "kinesis.md").write_text("# Kinesis\n\n- Records stay 24 hours.\n")
    (notes / "loop.md").symlink_to(notes / "loop.md")
    (notes / "back").symlink_to(notes)
    (notes / "gone.md").symlink_to(tmp_path / "deleted.md")
    (notes / "photo.jpg").symlink_to(tmp_path / "deleted.jpg")  # not a note: ignored, as a real .jpg is
    files, _, problems = discover([notes, notes / "loop.md"])
    assert files == [notes / "kinesis.md"]
    assert sorted((Path(p).name, reason.split(" (")[0]) for p, reason in problems) == [
        ("back", "symlink loop"),
        ("gone.md", "broken symlink"),
        ("loop.md", "symlink loop"),
        ("loop.md", "symlink loop"),
    ]  # were all skipped without a word


def test_a_big_file_reports_progress_while_it_is_embedded(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "big"
    notes.mkdir()
    bullets = "\n".join(f"- Fact {i}: shard {i} keeps records for {i} hours in region {i % 7}." for i in range(400))
    (notes / "dump.md").write_text(f"# Dump\n\n{bullets}\n")
    workspace.config.chunk.progress_chunks = 16
    events: list[tuple[str, str]] = []
    report = workspace.ingest([notes], on_progress=lambda e: events.append((e.status, e.reason)))
    parts = [reason for status, reason in events if status == "embedding"]
    assert len(parts) == -(-report.chunks // 16) and parts[-1] == f"{report.chunks} of {report.chunks} chunks"
    assert events[-1][0] == "added" and workspace.index("notes").count() == report.chunks
