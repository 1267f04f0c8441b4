"""Two `tutor ingest` processes started at once on an empty data dir, N times.

Both must succeed (the second may wait for the first): the first-use migrations run under one
write lock and a collection's ingest is serialised. Prints each trial's exit codes and the
manifest's file count, then how many trials were clean.

    .venv/bin/python benchmarks/concurrent_ingest.py [--trials 10] [--notes corpus]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def trial(notes: Path, root: Path) -> tuple[list[int], int, list[str]]:
    home = root / "home"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "TUTOR_HOME": str(home), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "tutor", "ingest", str(notes), "--collection", "notes"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    with closing(sqlite3.connect(home / "tutor.db")) as db:
        files = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    errors = [err.strip().splitlines()[-1] for (_, err), p in zip(outs, procs, strict=True) if p.returncode and err.strip()]
    return [p.returncode for p in procs], files, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--notes", type=Path, default=None, help="a folder of notes (default: 5 corpus files)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        notes = args.notes
        if notes is None:
            notes = root / "notes"
            notes.mkdir()
            for path in sorted((REPO / "corpus").glob("*.md"))[:5]:
                shutil.copy(path, notes / path.name)
        expected = sum(1 for p in notes.rglob("*") if p.is_file())
        clean = 0
        for i in range(args.trials):
            started = time.monotonic()
            codes, files, errors = trial(notes, root)
            ok = codes == [0, 0] and files == expected
            clean += ok
            print(
                f"trial {i + 1}: exit codes {codes}, {files}/{expected} files in the manifest, {time.monotonic() - started:.1f} s"
                + ("" if ok else f"  FAILED {errors}")
            )
    print(f"\n{clean}/{args.trials} trials: both ingests succeeded and every file is indexed once (load average {os.getloadavg()[0]:.1f})")
    sys.exit(0 if clean == args.trials else 1)


if __name__ == "__main__":
    main()
