"""Ingest and store faults: lost vectors, concurrent ingests, rebuild leftovers, dead servers."""

from __future__ import annotations

from pathlib import Path

from tutor.config import load_config
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
