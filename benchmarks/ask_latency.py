"""``tutor ask`` offline, cold (a new process each time) and warm (the same Workspace again).

Cold is what a student waits for at the shell: imports, opening Chroma, loading MiniLM,
one retrieval and one extractive answer. Warm is the next question in ``tutor chat``.
Prints medians of wall and CPU seconds (CPU is what the process itself spent: on a shared
machine wall time also counts other processes), with the load average.

    .venv/bin/python benchmarks/ask_latency.py [--home DIR] [--runs 5]

Target (issue 12): cold offline ask <= 2 s on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "How long does Kinesis keep records by default?",
    "What is the maximum size of an SQS message?",
    "Which DynamoDB capacity mode suits unpredictable traffic?",
]


def cold(home: Path, question: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "tutor", "ask", question, "--json"],
        cwd=ROOT,
        env={**os.environ, "TUTOR_HOME": str(home)},
        check=True,
        capture_output=True,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="data dir with the corpus ingested; default: a new temp dir")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="tutor-latency-"))
    from tutor.config import load_config
    from tutor.workspace import Workspace

    ws = Workspace(load_config(home))
    ws.ensure_corpus()  # not timed: the first ask of a fresh data dir also indexes the corpus
    cold(home, QUESTIONS[0])  # warm the disk cache
    runs = [cold(home, QUESTIONS[i % len(QUESTIONS)]) for i in range(args.runs)]
    ws.ask(QUESTIONS[0])
    warm = []
    for i in range(args.runs):
        started = time.monotonic()
        ws.ask(QUESTIONS[(i + 1) % len(QUESTIONS)])
        warm.append(time.monotonic() - started)
    load = os.getloadavg()
    print(f"tutor ask, offline extractive engine, {args.runs} runs, load average {load[0]:.2f} {load[1]:.2f} on {os.cpu_count()} cores")
    print(
        f"cold (new process): median wall {statistics.median(w for w, _ in runs):.2f} s, CPU {statistics.median(c for _, c in runs):.2f} s"
    )
    print(f"warm (same Workspace): median wall {statistics.median(warm):.3f} s")


if __name__ == "__main__":
    main()
