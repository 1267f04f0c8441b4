"""Ingest and store faults: lost vectors, concurrent ingests, rebuild leftovers, dead servers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
