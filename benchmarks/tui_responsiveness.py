"""Does the UI ever freeze while the tutor answers or ingests? Goal: no frame blocked > 100 ms.

Drives the real app headless with Pilot on a tmp home: asks questions (the offline engine;
the core process starts with the app and is still loading its libraries and embedder when
the first one is asked), then ingests a folder of corpus notes through the ingest dialog.
A 10 ms timer on the UI loop records the gap between its ticks; a gap much longer than
10 ms is time the event loop could not draw or take keys.

Wall-clock gaps also count time the OS gave to other processes, so each phase also shows
numbers that do not depend on the machine's load: the most CPU the UI thread itself spent
inside one gap (work the app did on the UI thread instead of drawing) and the longest
garbage collection in the UI process (it stops every thread of the process).
Usage: python benchmarks/tui_responsiveness.py [N_FILES]
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.config import load_config  # noqa: E402
from tutor.tui.app import TutorApp  # noqa: E402
from tutor.tui.screens.ingest_dialog import IngestDialog  # noqa: E402
from tutor.tui.widgets.prompt_input import PromptInput  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

TICK_S = 0.01
FROZEN_MS = 100
QUESTIONS = [
    "How long does Kinesis Data Streams keep records by default?",
    "How many writes per second does one shard accept?",
    "When should I choose MSK over Kinesis?",
]


class Gaps:
    """The intervals between ticks of a UI timer, grouped by what the app was doing."""

    def __init__(self) -> None:
        self.phase = "idle"
        self.by_phase: dict[str, list[float]] = {}
        self.cpu_by_phase: dict[str, list[float]] = {}  # UI-thread CPU seconds within each interval
        self.gc_by_phase: dict[str, list[float]] = {}
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._gc_start = 0.0
        gc.callbacks.append(self._gc)

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.by_phase.setdefault(self.phase, []).append(now - self._last)
        self.cpu_by_phase.setdefault(self.phase, []).append(cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu

    def _gc(self, event: str, info: dict[str, int]) -> None:
        if event == "start":
            self._gc_start = time.perf_counter()
        else:
            self.gc_by_phase.setdefault(self.phase, []).append(time.perf_counter() - self._gc_start)


async def run(n_files: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="tutor-tui-bench-"))
    folder = root / "more-notes"
    folder.mkdir()
    for path in sorted((REPO / "corpus").glob("*.md"))[:n_files]:
        shutil.copy(path, folder)
    # Notes exist, so no first-run corpus indexing; ingested by another process, so the app's
    # process starts as `tutor chat` does, with no model, vector store or LLM library loaded.
    env = {**os.environ, "TUTOR_HOME": str(root / "home")}
    subprocess.run(
        [sys.executable, "-m", "tutor", "ingest", str(REPO / "corpus" / "kinesis-data-streams.md")],
        env=env,
        check=True,
        capture_output=True,
    )
    ws = Workspace(load_config(root / "home"))

    app = TutorApp(ws)
    load_before = os.getloadavg()
    async with app.run_test(size=(80, 24)) as pilot:
        gaps = Gaps()
        app.set_interval(TICK_S, gaps.tick)
        await pilot.pause(0.5)
        gaps.phase = "answering"
        for question in QUESTIONS:
            app.chat.query_one(PromptInput).value = question
            await pilot.press("enter")
            await app.workers.wait_for_complete()
        gaps.phase = "ingesting"
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, IngestDialog)
        dialog.query_one("#path").value = str(folder)
        await pilot.press("enter")
        while dialog.running:
            await pilot.pause(0.05)
        gaps.phase = "idle"
        summary = str(dialog.query_one("#ingest-status").render())
    shutil.rmtree(root, ignore_errors=True)

    print(f"{len(QUESTIONS)} questions, then ingest of {n_files} files: {summary}")
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print(
        f"{'phase':<10} {'ticks':>6} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {f'>{FROZEN_MS} ms':>8} {'max UI cpu ms':>14} {'max gc ms':>10}"
    )
    for phase in ("answering", "ingesting"):
        ms = sorted(g * 1000 for g in gaps.by_phase.get(phase, [0.0]))
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        frozen = sum(g > FROZEN_MS for g in ms)
        cpu = max(gaps.cpu_by_phase.get(phase, [0.0])) * 1000
        pause = max(gaps.gc_by_phase.get(phase, [0.0])) * 1000
        print(f"{phase:<10} {len(ms):>6} {statistics.median(ms):>10.1f} {p99:>8.1f} {ms[-1]:>8.1f} {frozen:>8} {cpu:>14.1f} {pause:>10.1f}")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 8))
