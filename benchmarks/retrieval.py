"""Retrieval quality: our pipeline against llama-index defaults and plain BM25, side by side.

Two sets: evals/corpus.jsonl over corpus/, and benchmarks/shared_notes_retrieval.jsonl over
the shared notes (``--notes DIR`` or $TUTOR_SHARED_NOTES, default ../shared/notes). All three
systems get the same query (a follow-up is prefixed with the question before it), the same
embedder (MiniLM) and k; a hit is a chunk overlapping the expected lines, or another span the
item lists (``also``: a place that restates every key fact); "primary span only" ignores those.

    .venv/bin/python benchmarks/retrieval.py [--notes DIR] [--k 5] [--misses]

Targets: hit@5 >= 0.95, MRR >= 0.85 at <= 5,000 context chars per query; beat both baselines.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import bm25s  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tutor.config import load_config  # noqa: E402
from tutor.embed import MiniLMEmbedding  # noqa: E402
from tutor.evals import metrics as m  # noqa: E402
from tutor.evals.golden import GoldenItem, load_set  # noqa: E402
from tutor.retrieve.hit import Passage  # noqa: E402
from tutor.store.bm25 import tokenize  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

Search = Callable[[str, int], list[Passage]]


def ours(files: list[Path], embedder: MiniLMEmbedding, home: Path) -> Search:
    ws = Workspace(load_config(home), embedder=embedder)
    ws.ingest(files, "bench")
    return lambda query, k: ws.search(query, k=k, collection="bench")


def default_nodes(files: list[Path]) -> list[Passage]:
    """llama-index's default SentenceSplitter (1024 tokens, 200 overlap) over whole files."""
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    chunks = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for node in SentenceSplitter().get_nodes_from_documents([Document(text=text, metadata={"source": str(path)})]):
            start = text.count("\n", 0, node.start_char_idx) + 1
            end = text.count("\n", 0, node.end_char_idx) + 1
            chunks.append(Passage(node.node_id, str(path), start, end, "", node.get_content()))
    return chunks


def llama_defaults(nodes: list[Passage], embedder: MiniLMEmbedding) -> Search:
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    from tutor.llamaindex import LlamaIndexEmbedding

    by_id = {c.chunk_id: c for c in nodes}
    index = VectorStoreIndex([TextNode(id_=c.chunk_id, text=c.text) for c in nodes], embed_model=LlamaIndexEmbedding(embedder))

    def search(query: str, k: int) -> list[Passage]:
        return [by_id[n.node.node_id] for n in index.as_retriever(similarity_top_k=k).retrieve(query)]

    return search


def plain_bm25(nodes: list[Passage]) -> Search:
    retriever = bm25s.BM25()
    retriever.index(tokenize([c.text for c in nodes]), show_progress=False)

    def search(query: str, k: int) -> list[Passage]:
        docs, scores = retriever.retrieve(tokenize([query]), k=min(k, len(nodes)), show_progress=False)
        return [nodes[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    return search


@dataclass
class Score:
    hit: float
    mrr: float
    mrr_primary: float  # counting only each item's primary span, not the places that restate it
    chars: float
    ms: float
    misses: list[tuple[GoldenItem, list[Passage]]]


def score(search: Search, items: list[GoldenItem], k: int) -> Score:
    hits, rrs, primary, chars, misses = [], [], [], [], []
    started = time.perf_counter()
    for item in items:
        got = search(item.search_query, k)
        assert item.span is not None
        flags = m.relevance(got, item.spans)
        hits.append(m.hit_at_k(flags, k))
        rrs.append(m.reciprocal_rank(flags))
        primary.append(m.reciprocal_rank(m.relevance(got, [item.span])))
        chars.append(m.context_chars(got))
        if rrs[-1] < 1:
            misses.append((item, got))
    ms = (time.perf_counter() - started) * 1000 / len(items)
    n = len(items)
    return Score(sum(hits) / n, sum(rrs) / n, sum(primary) / n, sum(chars) / n, ms, misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=Path, default=Path(os.environ.get("TUTOR_SHARED_NOTES", REPO.parent / "shared" / "notes")))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="Print every question our pipeline does not rank first.")
    args = parser.parse_args()

    sets = {"corpus/": (REPO / "evals" / "corpus.jsonl", sorted((REPO / "corpus").glob("*.md")), [REPO])}
    shared = REPO / "benchmarks" / "shared_notes_retrieval.jsonl"
    if args.notes.is_dir():
        sets["shared notes"] = (shared, sorted(p for p in args.notes.glob("*.txt")), [args.notes])
    else:
        print(f"(no shared notes at {args.notes}: skipping that set)")

    console = Console()
    embedder = MiniLMEmbedding()
    table = Table(title=f"retrieval, k={args.k}")
    for column in ("set", "system", "questions", f"hit@{args.k}", "MRR", "MRR, primary span only", "context chars/query", "ms/query"):
        table.add_column(column, justify="left" if column in ("set", "system") else "right")
    for name, (set_path, files, roots) in sets.items():
        items = [i for i in load_set(set_path, roots) if i.span is not None]
        nodes = default_nodes(files)
        with tempfile.TemporaryDirectory() as home:
            systems = {
                "tutor (hybrid)": ours(files, embedder, Path(home)),
                "llama-index defaults": llama_defaults(nodes, embedder),
                "plain BM25": plain_bm25(nodes),
            }
            results = {system: score(search, items, args.k) for system, search in systems.items()}
        for system, r in results.items():
            table.add_row(
                name, system, str(len(items)), f"{r.hit:.3f}", f"{r.mrr:.3f}", f"{r.mrr_primary:.3f}", f"{r.chars:,.0f}", f"{r.ms:.1f}"
            )
        table.add_section()
        if args.misses:
            console.print(f"[bold]{name}: questions our pipeline does not rank first[/]")
            for item, got in results["tutor (hybrid)"].misses:
                span = item.span
                console.print(f"- {item.id}: want {Path(span.source).name}:{span.start_line}-{span.end_line} | {item.search_query[:90]}")
                console.print("  got " + ", ".join(f"{Path(c.source).name}:{c.start_line}-{c.end_line}" for c in got))
    console.print(table)


if __name__ == "__main__":
    main()
