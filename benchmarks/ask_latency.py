"""``tutor ask`` offline, cold (a new process each time, warm disk) and warm (the same Workspace again).

Cold is what a student waits for at the shell: imports, opening Chroma, loading MiniLM, one
retrieval and one extractive answer. The notes are a copy of corpus/ in their own data dir
(the ``notes`` collection), and each question is timed in three cold cases, in this order:

- after ingest: the first ask after ``tutor ingest`` (another process) changed the notes; its
  passages are new to every ask, as notes just written are: the data dir's sentence vectors are
  emptied before that ingest (so whatever the ingest itself stores there is kept);
- cache cleared: the sentence vectors emptied again (the first ask about passages no process
  has read, in a collection already asked about);
- seen: right after: an earlier process embedded those sentences (see tutor/embed/cache.py).

Warm is the next question in ``tutor chat``. Prints medians of wall and CPU seconds (CPU is what
the process itself spent: on a shared machine wall time also counts other processes), with the
load average, and how many of the modules an ask imports come from compiled bytecode: where
Python may not write .pyc files (PYTHONDONTWRITEBYTECODE) and the install did not compile them,
every process compiles them again (~1 s of a cold ask on 2 cores; ``make install`` compiles them).

``--baseline DIR`` also times cold asks from another checkout (``git worktree add --detach DIR
main``), alternating run by run with this one, so both see the same load: on a busy machine
that difference is the number to trust. Each checkout gets its own data dir and copy of the notes.

    .venv/bin/python benchmarks/ask_latency.py [--home DIR] [--runs 5] [--baseline DIR]

Target (issue 12): cold offline ask <= 2 s on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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
CASES = ("after ingest", "cache cleared", "seen")

# What an ask imports; each module's bytecode is looked for where this interpreter would read it.
_BYTECODE = """
import importlib.util, os, sys
import tutor.cli.ask, tutor.answer.pipeline, tutor.embed.minilm, chromadb
files = [f for m in list(sys.modules.values()) if (f := getattr(m, "__file__", None)) and f.endswith(".py")]
print(sum(os.path.exists(importlib.util.cache_from_source(f)) for f in files), len(files))
"""


def tutor(checkout: Path, home: Path, *args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``python -m tutor ...`` in a new process, run from ``checkout``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=checkout,
        env={**os.environ, "TUTOR_HOME": str(home)},
        check=True,
        capture_output=True,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bytecode(checkout: Path) -> str:
    out = subprocess.run([sys.executable, "-c", _BYTECODE], cwd=checkout, check=True, capture_output=True, text=True)
    compiled, total = map(int, out.stdout.split())
    return f"{compiled} of {total} imported modules have bytecode on disk"


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
    parser.add_argument("--home", type=Path, help="folder for the data dirs and notes; default: a new temp dir")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout to time the same way, interleaved")
    args = parser.parse_args()
    work = args.home or Path(tempfile.mkdtemp(prefix="tutor-latency-"))
    checkouts = {"this checkout": ROOT}
    if args.baseline:
        checkouts["baseline " + str(args.baseline)] = args.baseline.resolve()
    homes: dict[str, tuple[Path, Path, Path]] = {}
    for i, (name, checkout) in enumerate(checkouts.items()):
        home, notes = work / f"home-{i}", work / f"notes-{i}"
        if not notes.exists():
            shutil.copytree(ROOT / "corpus", notes, ignore=shutil.ignore_patterns("*.yaml"))
        edited = sorted(notes.glob("*.md"))[0]  # the file each run changes before its ingest
        tutor(checkout, home, "ingest", str(notes))  # not timed; also warms the disk cache
        tutor(checkout, home, "ask", QUESTIONS[0], "--json")
        homes[name] = (checkout, home, edited)
    runs: dict[str, list[tuple[float, float]]] = {f"{name}, {case}": [] for name in checkouts for case in CASES}
    load_before = os.getloadavg()
    for i in range(args.runs):
        question = QUESTIONS[i % len(QUESTIONS)]
        for name, (checkout, home, edited) in homes.items():
            with edited.open("a", encoding="utf-8") as f:
                f.write(f"\nRevised in benchmark run {i}, so the ingest has a file to update.\n")
            forget_sentences(home)  # before the ingest: what it stores there itself is kept
            tutor(checkout, home, "ingest", str(edited.parent))
            for case in CASES:
                if case == "cache cleared":
                    forget_sentences(home)
                runs[f"{name}, {case}"].append(tutor(checkout, home, "ask", question, "--json"))
    from tutor.config import load_config
    from tutor.workspace import Workspace

    ws = Workspace(load_config(homes["this checkout"][1]))
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
    for name, checkout in checkouts.items():
        print(f"{name}: {bytecode(checkout)}")
    for name, timed in runs.items():
        print(f"cold (new process), {name}: {medians(timed)}")
    print(
        f"warm (same Workspace): median wall {statistics.median(w for w, _ in warm):.3f} s, CPU {statistics.median(c for _, c in warm):.3f} s"
    )
    if not args.home:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
