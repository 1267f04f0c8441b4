"""``tutor ask`` offline, cold (a new process each time) and warm (the same Workspace again).

Cold is what a student waits for at the shell: imports, opening Chroma, loading MiniLM,
one retrieval and one extractive answer. It is timed twice per question: with the data dir's
sentence vectors cleared (the first ask about those passages after an ingest: every candidate
sentence is embedded) and again right after (an earlier process embedded them; see
tutor/embed/cache.py). Warm is the next question in ``tutor chat``.
Prints medians of wall and CPU seconds (CPU is what the process itself spent: on a shared
machine wall time also counts other processes), with the load average.

``--baseline DIR`` also times cold asks from another checkout (``git worktree add DIR main``),
alternating run by run with this one, so both see the same load: on a busy machine that
difference is the number to trust. Each checkout gets its own data dir (the corpus is
indexed by path), made and indexed before timing.

    .venv/bin/python benchmarks/ask_latency.py [--home DIR] [--runs 5] [--baseline DIR]

Target (issue 12): cold offline ask <= 2 s on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
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


def cold(checkout: Path, home: Path, question: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``tutor ask`` in a new process, run from ``checkout``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "tutor", "ask", question, "--json"],
        cwd=checkout,
        env={**os.environ, "TUTOR_HOME": str(home)},
        check=True,
        capture_output=True,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def forget_sentences(home: Path) -> None:
    """Empty the data dir's sentence-vector cache (a checkout without one has no table)."""
    with sqlite3.connect(home / "tutor.db") as db:
        try:
            db.execute("DELETE FROM text_vectors")
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise


def medians(runs: list[tuple[float, float]]) -> str:
    return f"median wall {statistics.median(w for w, _ in runs):.2f} s, CPU {statistics.median(c for _, c in runs):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="data dir with the corpus ingested; default: a new temp dir")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout to time the same way, interleaved")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="tutor-latency-"))
    from tutor.config import load_config
    from tutor.workspace import Workspace

    ws = Workspace(load_config(home))
    ws.ensure_corpus()  # not timed: the first ask of a fresh data dir also indexes the corpus
    checkouts = {"this checkout": (ROOT, home)}
    if args.baseline:
        checkouts["baseline " + str(args.baseline)] = (args.baseline.resolve(), home.with_name(f"{home.name}-baseline"))
    for checkout, data in checkouts.values():
        cold(checkout, data, QUESTIONS[0])  # indexes a baseline's corpus, and warms the disk cache
    runs: dict[str, list[tuple[float, float]]] = {
        f"{name}, {when}": [] for name in checkouts for when in ("new sentences", "seen sentences")
    }
    load_before = os.getloadavg()
    for i in range(args.runs):
        for name, (checkout, data) in checkouts.items():
            forget_sentences(data)
            runs[f"{name}, new sentences"].append(cold(checkout, data, QUESTIONS[i % len(QUESTIONS)]))
            runs[f"{name}, seen sentences"].append(cold(checkout, data, QUESTIONS[i % len(QUESTIONS)]))
    ws.ask(QUESTIONS[0])
    warm = []
    for i in range(args.runs):
        started, cpu = time.monotonic(), time.process_time()
        ws.ask(QUESTIONS[(i + 1) % len(QUESTIONS)])
        warm.append((time.monotonic() - started, time.process_time() - cpu))
    load = os.getloadavg()
    print(
        f"tutor ask, offline extractive engine, {args.runs} runs, load average (1 min) {load_before[0]:.2f} before, "
        f"{load[0]:.2f} after, on {os.cpu_count()} cores"
    )
    for name, timed in runs.items():
        print(f"cold (new process), {name}: {medians(timed)}")
    print(
        f"warm (same Workspace): median wall {statistics.median(w for w, _ in warm):.3f} s, CPU {statistics.median(c for _, c in warm):.3f} s"
    )


if __name__ == "__main__":
    main()
