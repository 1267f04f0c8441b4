"""Incremental ingest against a real on-disk Chroma with the real embedder."""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tutor.config import load_config
from tutor.errors import ModelMismatchError
from tutor.ingest import ProgressEvent
from tutor.store.db import connect
from tutor.workspace import Workspace


def chunk_ids(ws: Workspace, name: str = "notes") -> list[str]:
    return sorted(ws.index(name).vectors.get(include=[])["ids"])


def test_ingest_then_reingest_is_a_no_op_with_stable_ids(workspace: Workspace, notes_dir: Path) -> None:
    first = workspace.ingest([notes_dir])
    assert (first.added, first.unchanged, first.failed) == (3, 0, [])
    ids = chunk_ids(workspace)
    assert len(ids) == first.chunks == workspace.index("notes").count()

    # Touching mtime changes nothing: skipping is by content hash.
    for path in notes_dir.rglob("*.*"):
        path.touch()
    again = workspace.ingest([notes_dir])
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 3, 0)
    assert chunk_ids(workspace) == ids


def test_unchanged_reingest_loads_neither_the_model_nor_chroma(workspace: Workspace, notes_dir: Path) -> None:
    workspace.ingest([notes_dir])
    fresh = Workspace(workspace.config)  # a new process, as `tutor ingest` would be
    report = fresh.ingest([notes_dir])
    assert (report.unchanged, report.chunks) == (3, 0)
    assert "embedder" not in fresh.__dict__
    assert "client" not in fresh.index("notes").__dict__


def test_changed_and_deleted_files_replace_their_chunks(workspace: Workspace, notes_dir: Path) -> None:
    workspace.ingest([notes_dir])
    kinesis = notes_dir / "kinesis.md"
    kinesis.write_text(kinesis.read_text().replace("24 hours", "one day"))
    (notes_dir / "glue.txt").unlink()
    report = workspace.ingest([notes_dir])
    assert (report.updated, report.removed, report.unchanged) == (1, 1, 1)
    sources = {m["source"] for m in workspace.index("notes").vectors.get(include=["metadatas"])["metadatas"]}
    assert sources == {str(kinesis), str(notes_dir / "sub" / "security.html")}
    texts = workspace.index("notes").vectors.get(include=["documents"])["documents"]
    assert any("one day" in t for t in texts) and not any("24 hours" in t for t in texts)
    # No duplicates: every id appears once and the manifest agrees with Chroma.
    manifest = workspace.index("notes").db.execute("SELECT chunk_ids FROM files").fetchall()
    listed = [i for row in manifest for i in json.loads(row["chunk_ids"])]
    assert sorted(listed) == chunk_ids(workspace)


def test_bad_input_is_reported_per_file_and_the_rest_ingests(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("# S3\n\n- S3 Glacier Deep Archive retrieval takes up to 12 hours.\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin.txt").write_bytes("Redshift co\u00fbt \u2013 RA3 nodes\n".encode("cp1252"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    report = workspace.ingest([folder, tmp_path / "missing-folder"])
    reasons = dict(report.failed)
    assert report.added == 2  # good.md and the cp1252 file
    assert reasons[str(folder / "empty.txt")] == "empty file"
    assert "binary" in reasons[str(folder / "binary.txt")]
    assert "PDF" in reasons[str(folder / "broken.pdf")]
    assert reasons[str(tmp_path / "missing-folder")] == "no such file or folder"


def test_interrupted_ingest_keeps_committed_files_and_resumes(workspace: Workspace, notes_dir: Path) -> None:
    seen: list[ProgressEvent] = []

    def stop_after_first(event: ProgressEvent) -> None:
        seen.append(event)
        if len(seen) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        workspace.ingest([notes_dir], on_progress=stop_after_first)
    committed = workspace.index("notes").files()
    assert list(committed) == [seen[0].path]

    resumed = workspace.ingest([notes_dir])
    assert (resumed.added, resumed.unchanged) == (2, 1)
    # Search works right away: the BM25 index caught up with the interrupted run.
    assert workspace.search("job bookmarks", collection="notes")[0].source.endswith("glue.txt")


def test_other_embedder_is_refused_until_rebuild(workspace: Workspace, notes_dir: Path, home: Path) -> None:
    workspace.ingest([notes_dir])
    db = connect(load_config(home).db_path)
    db.execute("UPDATE collections SET embed_model = 'some-other-model', dim = 768 WHERE name = 'notes'")
    fresh = Workspace(load_config(home), embedder=workspace.embedder)
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        fresh.search("kinesis", collection="notes")
    report = fresh.ingest([], "notes", rebuild=True)
    assert report.added == 3  # everything the collection held, re-embedded
    assert fresh.search("How long are Kinesis records kept?", collection="notes")[0].source.endswith("kinesis.md")
    names = [c.name for c in fresh.index("notes").client.list_collections()]
    assert len([n for n in names if n.startswith("tutor-notes-")]) == 1  # the old one is gone


def test_an_embedder_passed_in_is_recorded_as_itself(home: Path, notes_dir: Path) -> None:
    """Any llama-index embedder fits Workspace(embedder=...); the collection records that model,
    not the configured one, so the configured MiniLM later refuses its 8-d vectors."""
    from llama_index.core.embeddings import MockEmbedding

    with Workspace(load_config(home), embedder=MockEmbedding(embed_dim=8)) as other:
        assert other.ingest([notes_dir]).added == 3
        assert other.embed_identity == ("unknown", 8) and other.search("kinesis", collection="notes")
    with Workspace(load_config(home)) as configured, pytest.raises(ModelMismatchError, match="unknown \\(8-d\\)"):
        configured.search("kinesis", collection="notes")


def test_kill_9_mid_ingest_loses_nothing_committed(home: Path, tmp_path: Path) -> None:
    """A real `tutor ingest` process killed with SIGKILL, then run again."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        bullets = "\n".join(f"- Service {i} fact {j}: retention is {i * j} days in region {j}." for j in range(30))
        (folder / f"note{i:02}.md").write_text(f"# Topic {i}\n\n{bullets}\n")
    env = {**os.environ, "TUTOR_HOME": str(home)}
    log = tmp_path / "ingest.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "tutor", "ingest", str(folder)], env=env, stderr=err, stdout=err)
    db_path = home / "tutor.db"

    def committed() -> int:
        # Read-only and migration-free, so polling never competes with the ingest for a write lock.
        try:
            with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)) as db:
                return db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        except sqlite3.Error:  # no database or no schema yet
            return 0

    deadline = time.monotonic() + 240
    while committed() < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"ingest ended by itself ({proc.returncode}): {log.read_text()[-500:]}"
    assert committed() >= 2, "the ingest never committed a file"

    ws = Workspace(load_config(home))
    before = ws.index("notes").files()
    assert 2 <= len(before) < 40
    report = ws.ingest([folder])
    assert report.unchanged == len(before)
    assert report.added == 40 - len(before)
    ids = ws.index("notes").vectors.get(include=[])["ids"]
    assert (
        len(ids)
        == len(set(ids))
        == sum(len(json.loads(r["chunk_ids"])) for r in ws.index("notes").db.execute("SELECT chunk_ids FROM files"))
    )


def test_a_file_s_chunks_come_back_in_reading_order_and_only_its_own(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "deck"
    notes.mkdir()
    slides = "".join(f"SLIDE {n} TITLE\n- bullet {n} says a thing of its own about shards\n\n" for n in range(1, 8))
    (notes / "deck.txt").write_text(slides, encoding="utf-8")
    (notes / "other.txt").write_text("OTHER\n- nothing about the deck\n", encoding="utf-8")
    workspace.ingest([notes])
    chunks = workspace.index("notes").in_file(str(notes / "deck.txt"))
    assert [c.start_line for c in chunks] == sorted(c.start_line for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks))) and len(chunks) >= 7
    assert {c.source for c in chunks} == {str(notes / "deck.txt")}
