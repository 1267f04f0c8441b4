"""Reading slide decks: a 100-slide deck read, chunked and ingested; a 300-slide deck's time and memory.

    .venv/bin/python benchmarks/formats.py [--runs 5]

The decks are built with python-pptx (tests/note_files.py): every slide a title, five bullets
(one nested), speaker notes, and a table on every tenth slide. Reading runs in a child
process per run, which reports its resident memory after the imports and its peak while reading. When `markitdown` is importable
(it is not a dependency: PYTHONPATH=DIR of a `pip install --target DIR 'markitdown[pptx]'`),
its conversion of the same deck is timed beside ours.

Targets (2 cores): 100 slides read + chunked <= 2 s, ingested (embedded, stored) <= 10 s;
300 slides read + chunked <= 5 s, adding <= 200 MB to the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from note_files import make_deck  # noqa: E402

from tutor.config import load_config  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

# Run in a child: read and chunk one deck, print seconds and chunk count as JSON.
_READ = """
import json, sys, time
sys.path.insert(0, {repo!r})
started = time.perf_counter()
from pathlib import Path
from tutor.config import load_config
from tutor.embed import load_tokenizer
from tutor.ingest.chunker import chunk_source
from tutor.ingest.readers import read_source
import pptx, pptx.enum.shapes
config = load_config({home!r})
tokenizer = load_tokenizer(2048)  # loaded here, not in the reader's time
count = lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)
def status(key):  # kB fields of /proc/self/status, as MB
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(key + ":")) / 1024
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to what is resident now
imported, before = time.perf_counter(), status("VmRSS")
source = read_source(Path({path!r}), config.chunk.max_file_bytes, config.chunk.max_package_bytes)
read = time.perf_counter()
chunks = chunk_source(source, config.chunk.max_tokens, config.chunk.min_tokens, count)
done = time.perf_counter()
print(json.dumps({{"import": imported - started, "read": read - imported, "chunk": done - read, "chunks": len(chunks),
                  "slides": len(set(c.page for c in chunks)), "rss_before": before,
                  "bullets": sum(l.lstrip().startswith("- ") for l in source.lines), "nested": sum(l.startswith("  - ") for l in source.lines), "rss_peak": status("VmHWM")}}))
"""

_MARKITDOWN = """
import json, sys, time
started = time.perf_counter()
from markitdown import MarkItDown
md = MarkItDown(enable_plugins=False)
imported = time.perf_counter()
text = md.convert({path!r}).text_content
done = time.perf_counter()
lines = text.splitlines()
print(json.dumps({{"import": imported - started, "read": done - imported, "slides": text.count("<!-- Slide number:"),
                  "bullets": sum(l.lstrip()[:2] in ("- ", "* ") for l in lines), "nested": sum(l[:1] == " " and l.lstrip()[:2] in ("- ", "* ") for l in lines)}}))
"""


def deck_spec(slides: int) -> list[dict[str, object]]:
    spec: list[dict[str, object]] = []
    for n in range(1, slides + 1):
        slide: dict[str, object] = {
            "title": f"Topic {n}: Amazon Kinesis shard limits and retention, part {n}",
            "bullets": [
                f"Each shard in stream {n} accepts 1 MB/s or 1,000 records per second of writes.",
                (1, f"Reads are 2 MB/s per shard, shared by classic consumers of stream {n}."),
                "Enhanced fan-out gives every registered consumer its own 2 MB/s per shard.",
                "Retention defaults to 24 hours and can be raised to 365 days.",
                f"Resharding splits or merges shards; plan capacity for topic {n}.",
            ],
            "notes": f"Speaker notes for slide {n}: remind students that PutRecords batches up to 500 records "
            "and that throttled producers should retry with exponential backoff and jitter.",
        }
        if n % 10 == 0:
            slide["table"] = [
                ["Service", "Default retention", "Maximum"],
                ["Kinesis Data Streams", "24 hours", "365 days"],
                ["MSK", "7 days", "unlimited"],
            ]
        spec.append(slide)
    return spec


def child(code: str) -> dict[str, float]:
    """What a fresh Python process printed as JSON: times, counts and its own peak RSS."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        deck100 = make_deck(root / "deck100.pptx", deck_spec(100))
        deck300 = make_deck(root / "deck300.pptx", deck_spec(300))
        built_s = time.perf_counter() - started
        mb = deck100.stat().st_size / 1e6

        reads = [child(_READ.format(repo=str(REPO), home=str(root / "home"), path=str(deck100))) for _ in range(args.runs)]
        ws = Workspace(load_config(root / "home"))
        _ = ws.embedder  # the model load is not ingest time
        ingests, cpus = [], []
        for run in range(max(2, args.runs // 2)):  # the first also opens Chroma
            started, cpu = time.perf_counter(), time.process_time()
            report = ws.ingest([deck100], f"bench{run}")
            ingests.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            if report.failed:
                sys.exit(f"ingest failed: {report.failed}")
        big = child(_READ.format(repo=str(REPO), home=str(root / "home"), path=str(deck300)))

        try:
            import markitdown  # noqa: F401

            theirs = [child(_MARKITDOWN.format(path=str(deck100))) for _ in range(args.runs)]
        except ImportError:
            theirs = []

    print(f"decks built with python-pptx in {built_s:.1f} s (100 slides: {mb:.2f} MB)")
    print(
        f"100 slides, read:            median {median(r['read'] for r in reads):.2f} s  "
        f"(+ chunk {median(r['chunk'] for r in reads):.2f} s; imports {median(r['import'] for r in reads):.2f} s)  "
        f"{reads[0]['chunks']:.0f} chunks on {reads[0]['slides']:.0f} slides, "
        f"{reads[0]['bullets']:.0f} bullets ({reads[0]['nested']:.0f} nested)  target read + chunk <= 2 s"
    )
    print(
        f"100 slides, tutor ingest:    median {median(ingests):.2f} s wall, {median(cpus):.2f} s CPU over {len(ingests)} runs "
        f"(read, chunk, embed, store; model loaded before)  target <= 10 s"
    )
    print(
        f"300 slides, read + chunk:    {big['read'] + big['chunk']:.2f} s, peak RSS {big['rss_peak']:.0f} MB "
        f"(+{big['rss_peak'] - big['rss_before']:.0f} MB over the imports; {big['chunks']:.0f} chunks on {big['slides']:.0f} slides)"
        "  target <= 5 s, <= +200 MB"
    )
    if theirs:
        print(
            f"markitdown, 100 slides:      median {median(t['read'] for t in theirs):.2f} s convert "
            f"(imports {median(t['import'] for t in theirs):.2f} s), {theirs[0]['slides']:.0f} slide markers, "
            f"{theirs[0]['bullets']:.0f} bullets ({theirs[0]['nested']:.0f} nested)"
        )
    else:
        print("markitdown, 100 slides:      not installed (optional, see the docstring)")
    print(f"(machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
