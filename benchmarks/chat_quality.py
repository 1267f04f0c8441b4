"""Chat quality on both note sets: key facts, wrong abstentions, follow-ups, retrieval, latency.

Two sets, each ingested into its own fresh data dir: evals/corpus.jsonl over corpus/ (our clean
notes) and evals/shared_notes.jsonl over the shared student notes (``--notes DIR`` or
$TUTOR_SHARED_NOTES, default ../shared/notes). Every question goes through the eval harness
(tutor/evals: the same path as ``tutor ask``), by default each in its own session with its
recorded history; then all of them share one session and the whole set is asked twice in it,
as a student chatting for an afternoon would. Also timed: a cold ``python -m tutor ask`` (a
fresh process, warm disk, median of 3 after one untimed run) and the warm in-process median.

    .venv/bin/python benchmarks/chat_quality.py [--only corpus|notes] [--no-same-session]
        [--engine tutor/extractive] [--set FILE --notes DIR] [--limit N] [--home DIR]
        [--split dev|held|all] [--kind KIND ...] [--no-cold]

``--split`` cuts the notes set by a hash of each item's id: read failures on ``dev`` (~2/3),
report ``held`` (~1/3) too, to see whether a fix generalises beyond the items it was read on.

Prints one table with both sets side by side and the load average; writes the numbers (and
each pass as a ``tutor eval`` run file, for ``tutor eval compare``) to benchmarks/results/.

Targets (issue #12), on both sets: every key fact >= 0.85, wrong "Not in your notes" <= 5 %,
correct abstention >= 90 %, follow-up cites the right passage >= 85 %, hit@5 >= 0.95 and
MRR >= 0.85 (fact + scenario), cold ask <= 2 s; the shared session loses <= 2 points.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.config import load_config  # noqa: E402
from tutor.embed import MiniLMEmbedding  # noqa: E402
from tutor.evals import metrics as m  # noqa: E402
from tutor.evals.golden import GoldenItem, load_set, resolve_source  # noqa: E402
from tutor.evals.run import QuestionResult, Run  # noqa: E402
from tutor.evals.runner import evaluate, evaluate_once, run_config, summarise  # noqa: E402
from tutor.workspace import CORPUS_COLLECTION, NOTES_COLLECTION, Workspace  # noqa: E402

ANSWERABLE = ("fact", "scenario", "follow-up")


@dataclass
class NoteSet:
    name: str
    set_path: Path
    files: list[Path]  # what to ingest; empty: every file the set points at
    roots: list[Path]  # where the set's sources resolve
    collection: str


def default_notes() -> Path:
    """$TUTOR_SHARED_NOTES, else the first ``shared/notes`` beside the checkout or its parent (worktrees)."""
    if env := os.environ.get("TUTOR_SHARED_NOTES"):
        return Path(env)
    candidates = [REPO.parent / "shared" / "notes", REPO.parent.parent / "shared" / "notes"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def note_sets(args: argparse.Namespace) -> list[NoteSet]:
    sets = []
    if args.only in (None, "corpus"):
        sets.append(NoteSet("corpus", REPO / "evals" / "corpus.jsonl", [REPO / "corpus"], [REPO], CORPUS_COLLECTION))
    if args.only in (None, "notes"):
        if args.notes.is_dir():
            sets.append(NoteSet("notes", args.set, [], [args.notes.parent, args.notes], NOTES_COLLECTION))
        else:
            print(f"(no shared notes at {args.notes}: skipping that set)")
    return sets


def split_of(item_id: str) -> str:
    """ "held" for about a third of the items (by a hash of the id, so it never moves), else "dev".

    Failures are read on dev only; held-out numbers show whether a fix generalises.
    """
    return "held" if hashlib.sha256(item_id.encode()).digest()[0] % 3 == 0 else "dev"


def chosen(items: list[GoldenItem], split: str, kinds: list[str] | None) -> list[GoldenItem]:
    return [i for i in items if (split == "all" or split_of(i.id) == split) and (not kinds or i.kind in kinds)]


def evenly(items: list[GoldenItem], limit: int | None) -> list[GoldenItem]:
    """``limit`` items spread over the whole set (it is ordered by file and kind)."""
    if not limit or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


# -- the table's numbers, from the harness's per-question scores ----------------------


def of_kind(results: list[QuestionResult], *kinds: str) -> list[QuestionResult]:
    return [r for r in results if r.kind in kinds]


def count(results: list[QuestionResult], metric: str) -> tuple[int, int]:
    """(questions scoring 1 on ``metric``, questions it applies to)."""
    scored = [r.scores.get(metric) for r in results]
    present = [s for s in scored if s is not None]
    return sum(s == 1.0 for s in present), len(present)


def numbers(results: list[QuestionResult]) -> dict[str, Any]:
    """Every row of the table for one pass over one set."""
    out: dict[str, Any] = {}
    for label, kinds in (("all", ANSWERABLE), *((kind, (kind,)) for kind in ANSWERABLE)):
        part = summarise(of_kind(results, *kinds))
        out[f"all_key_facts.{label}"] = part["all_key_facts"]
        out[f"key_fact_recall.{label}"] = part["key_fact_recall"]
        out[f"abstention_wrong.{label}"] = part["abstention_wrong"]
        out[f"n.{label}"] = len(of_kind(results, *kinds))
    unanswerable = of_kind(results, "unanswerable")
    out["abstention_correct"] = (sum(bool(r.abstained) for r in unanswerable), len(unanswerable))
    out["followup_cites_right"] = count(of_kind(results, "follow-up"), "citation_recall")
    for label, kinds in (("fact+scenario", ("fact", "scenario")), ("scenario", ("scenario",))):
        part = summarise(of_kind(results, *kinds))
        out[f"hit_at_k.{label}"], out[f"mrr.{label}"] = part["hit_at_k"], part["mrr"]
    latencies = [r.latency_s for r in results]
    out["warm_ask_p50_s"] = m.percentile(latencies, 50)
    return out


def cold_ask(home: Path, collection: str, question: str, engine: str, runs: int = 3) -> float:
    """Median seconds of a fresh ``python -m tutor ask`` process, after one untimed run warms the disk
    (and, after the set was asked, with its sentence vectors in the data dir: benchmarks/ask_latency.py
    also times the first ask about passages no process embedded yet)."""
    env = {**os.environ, "TUTOR_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "tutor", "ask", question, "-c", collection, "-m", engine, "--json"]
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode:
            raise SystemExit(f"cold ask failed: {done.stderr.strip().splitlines()[-1:]}")
        if i:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(note_set: NoteSet, args: argparse.Namespace, embedder: MiniLMEmbedding, home: Path, out_dir: Path) -> dict[str, Any]:
    split = args.split if note_set.name == "notes" else "all"  # the corpus set is ours: always whole
    every = load_set(note_set.set_path, note_set.roots)
    items = evenly(chosen(every, split, args.kind), args.limit)
    ws = Workspace(load_config(home), embedder=embedder)
    # Every file the set points at, whatever was chosen: unanswerable items point at none, and
    # `--kind unanswerable` over an empty collection would abstain on everything.
    files = note_set.files or sorted({f for i in every for s in i.spans if (f := resolve_source(s.source, note_set.roots))})
    started = time.perf_counter()
    ws.ingest(files, note_set.collection)
    print(f"[{note_set.name}] ingested {len(files)} path(s) in {time.perf_counter() - started:.0f} s; {len(items)} questions")
    k = ws.config.retrieve.k

    def progress(done: int, total: int, _: str) -> None:
        if done % 50 == 0 or done == total:
            print(f"  [{note_set.name}] {done}/{total}", flush=True)

    separate = evaluate(ws, items, sets=[note_set.set_path], collection=note_set.collection, k=k, model=args.engine, on_progress=progress)
    separate.save(out_dir / f"{note_set.name}-separate.json")
    result: dict[str, Any] = {"questions": len(items), "k": k, "engine": separate.config["engine"], "separate": numbers(separate.questions)}
    if args.same_session:
        passes = []
        for n in (1, 2):
            print(f"  [{note_set.name}] shared session, pass {n}")
            results, used = evaluate_once(ws, items, collection=note_set.collection, k=k, model=args.engine, session="bench-shared")
            config = run_config(ws, [note_set.set_path], note_set.collection, k, 1, None, used)
            Run(id=f"{separate.id}-shared{n}", created=separate.created, config=config, metrics=summarise(results), questions=results).save(
                out_dir / f"{note_set.name}-shared-pass{n}.json"
            )
            passes.append(numbers(results))
        result["shared"] = {"pass1": passes[0], "pass2": passes[1]}
    question = next((i.question for i in items if i.kind == "fact"), items[0].question)
    result["cold_ask_s"] = cold_ask(home, note_set.collection, question, args.engine) if args.cold else None
    return result


# -- output ------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}" if value >= 0.995 or value == 0 else f"{value:.1%}"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def of(pair: tuple[int, int]) -> str:
    n, total = pair
    return f"{n}/{total}" if total else "-"


def rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    s = result["separate"]
    out = [
        ("questions (answerable: fact/scenario/follow-up)", f"{s['n.all']}: {s['n.fact']}/{s['n.scenario']}/{s['n.follow-up']}"),
        ("answer holds every key fact", ratio(s["all_key_facts.all"])),
        *((f"  {kind}", ratio(s[f"all_key_facts.{kind}"])) for kind in ANSWERABLE),
        ("key-fact recall (share of facts)", ratio(s["key_fact_recall.all"])),
        ('wrong "Not in your notes" (answerable)', pct(s["abstention_wrong.all"])),
        *((f"  {kind}", pct(s[f"abstention_wrong.{kind}"])) for kind in ANSWERABLE),
        ("correct abstention (unanswerable)", of(s["abstention_correct"])),
        ("follow-up cites the right passage", of(s["followup_cites_right"])),
        (f"hit@{result['k']} / MRR (fact + scenario)", f"{ratio(s['hit_at_k.fact+scenario'])} / {ratio(s['mrr.fact+scenario'])}"),
        (f"hit@{result['k']} / MRR (scenario)", f"{ratio(s['hit_at_k.scenario'])} / {ratio(s['mrr.scenario'])}"),
        ("cold `tutor ask` (median of 3, sentences seen)", "-" if result["cold_ask_s"] is None else f"{result['cold_ask_s']:.2f} s"),
        ("warm ask (median, in-process)", f"{s['warm_ask_p50_s']:.2f} s"),
    ]
    if "shared" in result:
        one, two = result["shared"]["pass1"]["all_key_facts.all"], result["shared"]["pass2"]["all_key_facts.all"]
        base = s["all_key_facts.all"]
        out += [
            ("one shared session: every key fact, pass 1 / 2", f"{ratio(one)} / {ratio(two)}"),
            (
                "  change vs own sessions (points, worse pass)",
                f"{100 * (min(one, two) - base):+.1f}" if None not in (base, one, two) else "-",
            ),
            (
                '  wrong "Not in your notes", pass 1 / 2',
                f"{pct(result['shared']['pass1']['abstention_wrong.all'])} / {pct(result['shared']['pass2']['abstention_wrong.all'])}",
            ),
        ]
    return out


def print_table(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    table = {name: rows(r) for name, r in results.items()}
    labels = [label for label, _ in table[names[0]]]
    width = max(len(label) for label in labels) + 2
    cols = [max(len(name), *(len(v) for _, v in table[name])) + 2 for name in names]
    print("\n" + "".ljust(width) + "".join(name.rjust(c) for name, c in zip(names, cols, strict=True)))
    for i, label in enumerate(labels):
        print(label.ljust(width) + "".join(table[name][i][1].rjust(c) for name, c in zip(names, cols, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("corpus", "notes"), help="Measure one set only.")
    parser.add_argument("--notes", type=Path, default=default_notes(), help="Folder of the notes the notes set is about.")
    parser.add_argument("--set", type=Path, default=REPO / "evals" / "shared_notes.jsonl", help="Golden set over --notes.")
    parser.add_argument("--engine", default="tutor/extractive", help="Model string for answers (default: the offline engine).")
    parser.add_argument(
        "--same-session", action=argparse.BooleanOptionalAction, default=True, help="Also ask the set twice in one shared session."
    )
    parser.add_argument("--limit", type=int, help="Only N questions per set, spread evenly (for a quick look).")
    parser.add_argument(
        "--split", choices=("dev", "held", "all"), default="all", help="Notes set only: items by a hash of their id, dev ~2/3, held ~1/3."
    )
    parser.add_argument("--cold", action=argparse.BooleanOptionalAction, default=True, help="Also time a cold `tutor ask`.")
    parser.add_argument(
        "--kind", action="append", choices=("fact", "scenario", "follow-up", "unanswerable"), help="Only these kinds (repeatable)."
    )
    parser.add_argument("--home", type=Path, help="Keep the data dirs here (default: fresh temp dirs, removed after).")
    args = parser.parse_args()

    load = os.getloadavg()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out_dir = REPO / "benchmarks" / "results" / f"chat_quality-{stamp}"
    out_dir.mkdir(parents=True, exist_ok=True)
    base = args.home or Path(tempfile.mkdtemp(prefix="tutor-chat-quality-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed run still removes its temp dirs
    embedder = MiniLMEmbedding()
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    try:
        for note_set in note_sets(args):
            home = base / note_set.name
            shutil.rmtree(home, ignore_errors=True)  # fresh: nothing cached from an earlier run
            results[note_set.name] = measure(note_set, args, embedder, home, out_dir)
    finally:
        if not args.home:
            shutil.rmtree(base, ignore_errors=True)
    if not results:
        raise SystemExit("nothing to measure")
    after = os.getloadavg()
    print_table(results)
    print(f"\nengine {args.engine}; {time.perf_counter() - started:.0f} s; load average {load[0]:.2f} before, {after[0]:.2f} after")
    summary = {
        "created": stamp,
        "engine": args.engine,
        "git_commit": json.loads((out_dir / f"{next(iter(results))}-separate.json").read_text())["config"]["git_commit"],
        "load_average": {"before": load, "after": after},
        "sets": results,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"wrote {out_dir.relative_to(REPO)}/summary.json (and each pass's run file)")


if __name__ == "__main__":
    main()
