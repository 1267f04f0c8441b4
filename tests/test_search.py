"""Hybrid retrieval through the Python API and the CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.config import RetrieveConfig
from tutor.retrieve.hybrid import fuse
from tutor.workspace import Workspace

TUTOR = [sys.executable, "-m", "tutor"]


@pytest.fixture
def indexed(workspace: Workspace, notes_dir: Path) -> Workspace:
    workspace.ingest([notes_dir])
    return workspace


@pytest.mark.parametrize(
    ("query", "expected_file", "expected_text"),
    [
        ("how long does kinesis keep data by default", "kinesis.md", "24 hours"),
        ("DPU vCPU memory", "glue.txt", "4 vCPUs"),
        ("rotate encryption keys automatically", "security.html", "rotated automatically"),
        ("serverless SQL billed per TB scanned", "glue.txt", "per TB scanned"),
    ],
)
def test_top_hit(indexed: Workspace, query: str, expected_file: str, expected_text: str) -> None:
    top = indexed.search(query, collection="notes")[0]
    assert top.source.endswith(expected_file)
    assert expected_text in top.text
    assert top.rank == 1 and top.score > 0


def test_hits_carry_citable_metadata(indexed: Workspace, notes_dir: Path) -> None:
    hit = next(h for h in indexed.search("enhanced fan-out consumers", collection="notes") if "fan-out" in h.text)
    lines = (notes_dir / "kinesis.md").read_text().splitlines()
    assert "fan-out" in "\n".join(lines[hit.start_line - 1 : hit.end_line])
    assert hit.heading == "Kinesis notes > Kinesis Data Streams > Shards"


def test_source_glob_filters(indexed: Workspace) -> None:
    hits = indexed.search("encryption", collection="notes", source_glob="*.txt")
    assert hits and all(h.source.endswith(".txt") for h in hits)


def test_alias_expansion_from_service_catalog(indexed: Workspace) -> None:
    assert "Kinesis Data Streams" in indexed.catalog.expand("What is KDS retention?")


def test_abbreviation_expansion_both_ways(indexed: Workspace) -> None:
    """ "HA" finds notes that write "high availability", "change data capture" notes that write "CDC"."""
    assert "high availability" in indexed.catalog.expand("How many primary nodes does EMR need for HA?")
    assert indexed.catalog.expand("Which DMS task does Change-Data Capture?").endswith("(CDC)")
    assert indexed.catalog.expand("what is ha?") == "what is ha?"  # an abbreviation only as written


def test_llama_index_pipelines_get_our_retriever_and_embedder(indexed: Workspace, embedder) -> None:
    """Through llama-index's own interfaces: a query over our hybrid search, an index over our vectors."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    from tutor.llamaindex import LlamaIndexEmbedding, LlamaIndexRetriever

    nodes = LlamaIndexRetriever(indexed.retriever("notes"), k=3).retrieve("how long does kinesis keep data by default")
    assert len(nodes) == 3 and "24 hours" in nodes[0].node.get_content()
    assert nodes[0].node.metadata["source"].endswith("kinesis.md") and nodes[0].node.metadata["start_line"] >= 1
    texts = ["Kinesis Data Streams keeps records for 24 hours.", "A Glue DPU provides 4 vCPUs and 16 GB of memory."]
    index = VectorStoreIndex([TextNode(text=t) for t in texts], embed_model=LlamaIndexEmbedding(embedder))
    assert index.as_retriever(similarity_top_k=1).retrieve("How much memory does a DPU have?")[0].node.get_content() == texts[1]


def run_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_HOME": str(home)}
    return subprocess.run([*TUTOR, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300)


def test_cli_json_and_stdin_batch(home: Path, notes_dir: Path) -> None:
    ingest = run_cli(home, "ingest", str(notes_dir))
    assert ingest.returncode == 0, ingest.stderr
    assert "3 added" in ingest.stdout

    out = run_cli(home, "search", "kinesis retention", "--json", "-k", "2")
    hits = json.loads(out.stdout)
    assert len(hits) == 2
    assert {"rank", "chunk_id", "source", "start_line", "end_line", "heading", "text", "score"} <= set(hits[0])

    batch = run_cli(home, "search", "-", "-k", "1", stdin="athena pricing\nglue crawlers\n")
    rows = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [r[0]["source"].endswith("glue.txt") for r in rows] == [True, True]


def test_cli_errors_are_one_line(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("")
    out = run_cli(home, "ingest", str(empty))
    assert out.returncode == 2
    assert "empty file" in out.stderr
    missing = run_cli(home, "search", "anything", "--collection", "nope")
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "no collection 'nope'" in missing.stderr


def test_fusion_by_scores_and_by_ranks() -> None:
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]
    keyword = [("c", 12.0)]  # a single keyword match is the best keyword match
    by_scores = fuse([(1.0, dense), (1.0, keyword)], RetrieveConfig(fusion="scores"))
    assert by_scores == pytest.approx({"a": 1.0, "b": 0.5, "c": 1.0})
    by_ranks = fuse([(1.0, dense), (2.0, keyword)], RetrieveConfig(fusion="rrf", rrf_k=60))
    assert by_ranks == pytest.approx({"a": 1 / 61, "b": 1 / 62, "c": 1 / 63 + 2 / 61})
