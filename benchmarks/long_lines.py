"""Chunking time and peak memory for one file that is a single long line (a pasted dump).

    .venv/bin/python benchmarks/long_lines.py [--mb 1 5 20]

Chunking must grow linearly with the line: the old word splitter re-counted the growing
piece per word (1 MB took 53 s). Prints the median of 3 runs per size and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.embed import MINILM_MAX_TOKENS, load_tokenizer  # noqa: E402
from tutor.ingest.chunker import chunk_source  # noqa: E402
from tutor.ingest.readers import read_source  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, nargs="+", default=[1, 5, 20])
    args = parser.parse_args()
    tokenizer = load_tokenizer(MINILM_MAX_TOKENS * 8)

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    words = ["Kinesis", "shard", "retention", "24", "hours", "enhanced", "fan-out", "consumer", "2MB/s", "per", "shard"]
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            path = Path(tmp) / "dump.txt"
            target = int(mb * 1_000_000)
            parts, size, i = [], 0, 0
            while size < target:
                word = f"{words[i % len(words)]}{i % 1009}"
                parts.append(word)
                size += len(word) + 1
                i += 1
            path.write_text(" ".join(parts) + "\n", encoding="utf-8")
            times, chunks = [], 0
            for _ in range(3):
                started = time.perf_counter()
                chunks = len(chunk_source(read_source(path, 25_000_000), 160, 40, count))
                times.append(time.perf_counter() - started)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{mb:5.1f} MB one line: {statistics.median(times):6.2f} s median of 3, {chunks} chunks, peak RSS {peak:.0f} MB")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
