"""Shared fixtures: real files in tmp dirs, a real on-disk Chroma, the real embedder.

The embedder is loaded once per session (it is the slow part) and shared by every
Workspace the tests build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.pop("TUTOR_CHROMA_URL", None)
os.environ.pop("TUTOR_MODEL", None)

from tutor.config import load_config  # noqa: E402
from tutor.embed import MiniLMEmbedding  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

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
def workspace(home: Path, embedder: MiniLMEmbedding) -> Workspace:
    ws = Workspace(load_config(home))
    ws.__dict__["embedder"] = embedder  # share the session's loaded model (a cached_property)
    return ws
