"""Notes ingested by another process are known at once: vocabulary, BM25 and vectors follow the
collection's generation (the TUI's core process and a CLI ingest are different processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tutor.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
QUESTION = "What does Amazon Braket run quantum circuits on?"


def test_notes_another_process_ingests_are_found_without_a_restart(workspace: Workspace, notes_dir: Path, tmp_path: Path) -> None:
    workspace.ingest([notes_dir])
    before = workspace.ask(QUESTION)
    assert before.abstained and "Braket" in before.answer

    braket = tmp_path / "braket.md"
    braket.write_text("# Amazon Braket\n\n- Amazon Braket runs quantum circuits on simulators and on quantum hardware.\n", encoding="utf-8")
    env = {**os.environ, "TUTOR_HOME": str(workspace.config.home)}
    subprocess.run([sys.executable, "-m", "tutor", "ingest", str(braket)], cwd=REPO, env=env, check=True, capture_output=True)

    after = workspace.ask(QUESTION)
    assert not after.abstained, after.answer
    assert after.sources[0].source.endswith("braket.md")  # found by similarity too, not only by keyword
    assert after.answer.startswith("Amazon Braket runs quantum circuits")


def test_the_saved_vocabulary_serves_only_its_generation(workspace: Workspace, notes_dir: Path, tmp_path: Path) -> None:
    """A cold start reads the vocabulary its collection's generation saved; a later ingest makes it stale."""
    from tutor.answer.vocabulary import Vocabulary

    workspace.ingest([notes_dir])
    built = workspace.vocabulary("notes")
    index = workspace.index("notes")
    path, stamp = workspace.config.vocabulary_dir / "notes.json", f"{index.physical}@{index.generation()}"
    assert Vocabulary.load(path, stamp) == built and Vocabulary.load(path, f"{index.physical}@0") is None

    braket = tmp_path / "braket.md"
    braket.write_text("# Amazon Braket\n\n- Amazon Braket runs quantum circuits on simulators.\n", encoding="utf-8")
    with Workspace(workspace.config, embedder=workspace.embedder) as other:
        other.ingest([braket])
        assert other.vocabulary("notes").has_word("Braket")
    assert Vocabulary.load(path, stamp) is None  # the file now holds the newer generation
    assert workspace.vocabulary("notes").has_word("Braket")


def test_an_ingest_saves_the_vocabulary_of_the_generation_it_made(workspace: Workspace, notes_dir: Path) -> None:
    """The first ask after an ingest (in another process) reads the vocabulary, not every chunk."""
    from tutor.answer.vocabulary import Vocabulary

    def saved() -> Vocabulary | None:
        index = workspace.index("notes")
        return Vocabulary.load(workspace.config.vocabulary_dir / "notes.json", f"{index.physical}@{index.generation()}")

    workspace.ingest([notes_dir])
    first = saved()
    assert first is not None and first == Vocabulary.from_chunks(workspace.index("notes").all())

    removed = sorted(notes_dir.iterdir())[0]
    removed.unlink()
    workspace.ingest([notes_dir])  # a removal changes the collection too
    assert (after := saved()) is not None and after != first

    workspace.ingest([notes_dir], rebuild=True)  # a new physical collection
    assert saved() == after
