"""Shared fixtures: real files in tmp dirs, a real on-disk Chroma, the real embedder.

The embedder is loaded once per session (it is the slow part) and shared by every
Workspace the tests build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.pop("TUTOR_CHROMA_URL", None)
os.environ.pop("TUTOR_MODEL", None)

from openai_server import OpenAIServer

from tutor.config import load_config
from tutor.embed import MiniLMEmbedding
from tutor.workspace import NOTES_COLLECTION, Workspace

REPO = Path(__file__).resolve().parents[1]

NOTES = {
    "kinesis.md": """---
title: Kinesis notes
exams: [DEA-C01]
---
# Kinesis Data Streams

## Retention
- Kinesis Data Streams keeps records for 24 hours by default.
- Retention can be raised to 365 days with long-term retention.

## Shards
- Each shard accepts 1 MB/s or 1,000 records per second of writes.
- Each shard serves 2 MB/s of reads shared by all classic consumers.
- Enhanced fan-out gives every registered consumer its own 2 MB/s per shard.
""",
    "glue.txt": """Section 3: Processing

AWS Glue

• Glue job bookmarks track data already processed so reruns skip old files.
• A DPU provides 4 vCPUs and 16 GB of memory.
• Crawlers infer schemas and write tables to the Data Catalog.

12

Amazon Athena

• Athena is serverless SQL over data in S3, billed per TB scanned.
• Partitioning and columnar formats such as Parquet reduce the data scanned.
""",
    "sub/security.html": """<html><head><style>p {color: red}</style></head><body>
<h1>Security</h1><h2>KMS</h2>
<p>AWS KMS customer managed keys can be rotated automatically every year.</p>
<ul><li>Envelope encryption uses a data key encrypted by a KMS key.</li></ul>
<script>var x = 1;</script></body></html>""",
}


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedding:
    return MiniLMEmbedding()


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """An OpenAI-compatible server on 127.0.0.1 (tests/openai_server.py), one per test."""
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def openai_env(openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> OpenAIServer:
    """Point tutor (and child processes) at ``openai_server`` through litellm's OpenAI client."""
    monkeypatch.setenv("TUTOR_MODEL", f"openai/{openai_server.model}")
    monkeypatch.setenv("TUTOR_API_BASE", openai_server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    return openai_server


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("TUTOR_HOME", str(path))
    return path


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    for name, text in NOTES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def workspace(home: Path, embedder: MiniLMEmbedding) -> Iterator[Workspace]:
    with Workspace(load_config(home), embedder=embedder) as ws:  # share the session's loaded model
        yield ws


@pytest.fixture
def ingest_note(workspace: Workspace, tmp_path: Path) -> Callable[..., Path]:
    """``ingest_note(name, text, collection="notes")``: write one note file into a folder of its
    own under tmp_path, ingest that folder into ``workspace``, return the file's path."""

    def ingest(name: str, text: str, collection: str = NOTES_COLLECTION) -> Path:
        folder = tmp_path / "ingested"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        workspace.ingest([folder], collection)
        return folder / name

    return ingest


QUESTION_NOTES = ("choosing-a-streaming-service.md", "amazon-athena.md", "amazon-data-firehose.md", "amazon-msk.md", "amazon-emr.md")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedding) -> tuple[Path, Path]:
    """(data dir with the notes ingested into 'notes', the notes dir), built once per run
    and copied by each test that needs it."""
    root = tmp_path_factory.getbasetemp() / "questions-seed"
    notes, home = root / "notes", root / "home"
    if not (root / "done").exists():
        shutil.rmtree(root, ignore_errors=True)
        notes.mkdir(parents=True)
        home.mkdir()
        for name in QUESTION_NOTES:
            shutil.copy(REPO / "corpus" / name, notes / name)
        with Workspace(load_config(home), embedder=embedder) as ws:
            ws.ingest([notes])
        (root / "done").touch()
    return home, notes


@pytest.fixture
def qws(seeded: tuple[Path, Path], tmp_path: Path, embedder: MiniLMEmbedding, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    home = tmp_path / "home"
    shutil.copytree(seeded[0], home)
    monkeypatch.setenv("TUTOR_HOME", str(home))
    with Workspace(load_config(home), embedder=embedder) as ws:
        yield ws


@pytest.fixture
def studied(workspace: Workspace, notes_dir: Path) -> Workspace:
    """A workspace whose notes are the small test notes."""
    workspace.ingest([notes_dir])
    return workspace


@pytest.fixture
def quizzable(workspace: Workspace) -> Workspace:
    """Notes rich enough for the offline writer, and one real generated question in the bank."""
    from tutor.questions import generate

    # From a path as long as the one the snapshot was taken at (/work/main/corpus/...), wherever the
    # repository is cloned: the note's path is part of what the chat shows and wraps.
    notes = Path("/tmp/tsnap/corpus")
    notes.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "corpus" / "kinesis-data-streams.md", notes / "kinesis-data-streams.md")
    workspace.ingest([notes / "kinesis-data-streams.md"])
    assert generate(workspace, n=1).accepted
    return workspace
