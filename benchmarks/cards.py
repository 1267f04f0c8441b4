"""Flashcards, blueprint coverage and the from-notes eval set, on ../shared/notes and corpus/.

    .venv/bin/python benchmarks/cards.py [--notes DIR] [--home DIR] [--sample 40] [--seed 13] [--from-notes 80]
        [--answer-hand 80] [--answer-notes 60] [--only cards|eval|answers]

Prints, per note set:
- cards: candidate cards, cards delivered into a fresh bank (`generate --kind card`), cards per
  10 KB of notes, the share rejected as duplicates and the residual near-duplicate rate (two
  delivered cards whose fronts and backs each share >= 60 % of their content words, Jaccard);
- a fixed random sample (``--seed``, 13 unless given) of ``--sample`` cards to read by hand against
  benchmarks/cards_rubric.md (written to <home>/sample-<set>.md);
- blueprint coverage per exam: tasks the notes cover, and delivered cards per domain;
- the from-notes eval set against the hand-written one (evals/shared_notes.jsonl,
  evals/corpus.jsonl): retrieval hit@k, MRR and nDCG per engine setting (k, fusion, dense or
  BM25 only), and the Spearman rank correlation of the two sets' per-setting scores;
- the same for the answer metrics (every key fact, key-fact recall) over four engine settings
  (k 3/5/8 with score fusion, k 5 with rank fusion; k 1 as a control) on a sample of each set (``--answer-hand``
  hand-written items with key facts, ``--answer-notes`` from-notes items), answered by the
  offline extractive engine through the eval harness; and, per pair of settings, whether the
  hand-written set's difference is real (a paired bootstrap 95 % interval over its questions
  excludes 0) and whether the from-notes set orders the pair the same way.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.answer.sentences import content_terms  # noqa: E402
from tutor.config import load_config  # noqa: E402
from tutor.evals import metrics as m  # noqa: E402
from tutor.evals.from_notes import synthesise, write  # noqa: E402
from tutor.evals.golden import GoldenItem, load_set  # noqa: E402
from tutor.evals.runner import evaluate_once  # noqa: E402
from tutor.questions import QuestionBank, generate  # noqa: E402
from tutor.questions.blueprint import Blueprint, task_keys  # noqa: E402
from tutor.questions.cards import cards_from  # noqa: E402
from tutor.questions.verify import jaccard  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

# (label, k, fusion, dense weight, bm25 weight)
SETTINGS = [
    ("k=1 scores", 1, "scores", 1.0, 1.0),
    ("k=3 scores", 3, "scores", 1.0, 1.0),
    ("k=5 scores", 5, "scores", 1.0, 1.0),
    ("k=10 scores", 10, "scores", 1.0, 1.0),
    ("k=1 rrf", 1, "rrf", 1.0, 1.0),
    ("k=3 rrf", 3, "rrf", 1.0, 1.0),
    ("k=5 rrf", 5, "rrf", 1.0, 1.0),
    ("k=10 rrf", 10, "rrf", 1.0, 1.0),
    ("k=5 dense only", 5, "scores", 1.0, 0.0),
    ("k=5 bm25 only", 5, "scores", 0.0, 1.0),
]
# (label, k, fusion): what a student would compare with `tutor eval -k` and the fusion setting; k=1
# is a control whose loss is large enough to be real, to see whether the from-notes set notices.
ANSWER_SETTINGS = [
    ("k=3 scores", 3, "scores"),
    ("k=5 scores", 5, "scores"),
    ("k=8 scores", 8, "scores"),
    ("k=5 rrf", 5, "rrf"),
    ("k=1 scores", 1, "scores"),
]
ANSWER_METRICS = ("all_key_facts", "key_fact_recall")


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(xs: list[float]) -> list[float]:
        order = sorted(range(len(xs)), key=lambda i: xs[i])
        out = [0.0] * len(xs)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
                j += 1
            for t in range(i, j + 1):
                out[order[t]] = (i + j) / 2
            i = j + 1
        return out

    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else 0.0


def retrieval_scores(ws: Workspace, items: list[GoldenItem], collection: str, k: int) -> dict[str, float]:
    flags_all, recall = [], []
    for item in items:
        if item.span is None:
            continue
        hits = ws.search(item.search_query, k=k, collection=collection)
        flags_all.append(m.relevance(hits, item.spans))
        recall.append(m.evidence_recall(hits, item.spans))
    n = len(flags_all)
    return {
        "hit@k": sum(m.hit_at_k(f, k) for f in flags_all) / n,
        "mrr": sum(m.reciprocal_rank(f) for f in flags_all) / n,
        "ndcg": sum(m.ndcg_at_k(f, k) for f in flags_all) / n,
        "evidence": sum(recall) / n,
    }


def cards_report(ws: Workspace, name: str, files: list[Path], sample: int, seed: int, home: Path, blueprint: Blueprint) -> None:
    size = sum(p.stat().st_size for p in files)
    chunks = ws.index(name).all()
    candidates, _ = cards_from(chunks, ws.config.cards)
    bank = QuestionBank(ws)
    bank.db.execute("DELETE FROM questions WHERE collection = ?", (name,))
    bank.db.commit()
    report = generate(ws, n=100_000, kind="card", collection=name, bank=bank)
    delivered = report.accepted
    dupes = sum(1 for r in report.rejected if any("duplicate" in x for x in r.reasons))
    # Near-duplicates: another delivered card whose front AND back share >= 60 % of their content words.
    sides = [(content_terms(q.stem), content_terms(q.options[0])) for q in delivered]
    near = sum(
        1
        for i, (f, b) in enumerate(sides)
        if any(jaccard(f, g) >= 0.6 and jaccard(b, c) >= 0.6 for j, (g, c) in enumerate(sides) if j != i)
    )
    shapes = Counter(q.verdict.get("shape") for q in delivered)
    print(f"\n## {name}: {len(files)} files, {size / 1024:.0f} KB")
    print(
        f"candidate cards {len(candidates)}, delivered {len(delivered)} ({dict(shapes)}), per 10 KB {len(delivered) / (size / 10240):.1f}"
    )
    print(
        f"rejected as duplicates {dupes} ({dupes / max(1, len(candidates)):.1%} of candidates); near-duplicates among delivered {near / max(1, len(delivered)):.1%}"
    )
    rng = random.Random(seed)
    picked = rng.sample(delivered, min(sample, len(delivered)))
    out = home / f"sample-{name}.md"
    out.write_text(
        "".join(
            f"{i}. [{q.verdict.get('shape')}] {q.stem}\n   -> {q.options[0]}\n   ({Path(q.citations[0].source).name}:{q.citations[0].start_line}-{q.citations[0].end_line})\n"
            for i, q in enumerate(picked, 1)
        ),
        encoding="utf-8",
    )
    print(f"hand-reading sample: {out}")
    covered = blueprint.covered(chunks)
    print("blueprint coverage (tasks in the notes / tasks; delivered cards per domain):")
    per_domain = Counter(k.rsplit(".", 1)[0] for q in delivered for k in task_keys(q.task))
    untagged = sum(1 for q in delivered if not q.task)
    for exam, domains in blueprint.exams.items():
        tasks = blueprint.tasks(exam)
        in_notes = sum(t.key in covered for t in tasks)
        cells = ", ".join(f"D{d.id} {per_domain[f'{exam} {d.id}']}" for d in domains)
        missing = " ".join(t.id for t in tasks if t.key not in covered) or "-"
        print(f"  {exam}: {in_notes}/{len(tasks)} tasks; cards {cells}; missing: {missing}")
    print(f"  cards tagged with no task: {untagged} ({untagged / max(1, len(delivered)):.1%})")


def correlation(ws: Workspace, name: str, golden: Path, roots: list[Path], n: int, home: Path) -> None:
    hand = [i for i in load_set(golden, roots) if i.span is not None]
    synth_path = write(synthesise(ws, name, n).items, home / f"{name}-from-notes.jsonl")
    synth = load_set(synth_path)
    print(f"\nfrom-notes set ({len(synth)} items) vs {golden.name} ({len(hand)} answerable) on {name}:")
    print(f"{'setting':<16} {'hand hit@k':>10} {'hand MRR':>9} {'hand nDCG':>9} | {'notes hit@k':>11} {'notes MRR':>9} {'notes nDCG':>10}")
    retrieve = ws.config.retrieve
    rows = []
    for label, k, fusion, dense, bm25 in SETTINGS:
        retrieve.fusion, retrieve.dense_weight, retrieve.bm25_weight = fusion, dense, bm25  # type: ignore[assignment]
        a, b = retrieval_scores(ws, hand, name, k), retrieval_scores(ws, synth, name, k)
        rows.append((a, b))
        print(
            f"{label:<16} {a['hit@k']:>10.3f} {a['mrr']:>9.3f} {a['ndcg']:>9.3f} | {b['hit@k']:>11.3f} {b['mrr']:>9.3f} {b['ndcg']:>10.3f}"
        )
    retrieve.fusion, retrieve.dense_weight, retrieve.bm25_weight = "scores", 1.0, 1.0
    for metric in ("hit@k", "mrr", "ndcg"):
        rho = spearman([a[metric] for a, _ in rows], [b[metric] for _, b in rows])
        # Among settings with the same k only (what a student compares: fusion, weights)
        same_k = [i for i, s in enumerate(SETTINGS) if s[1] == 5]
        rho5 = spearman([rows[i][0][metric] for i in same_k], [rows[i][1][metric] for i in same_k])
        print(f"Spearman {metric}: all {len(rows)} settings {rho:+.2f}; the {len(same_k)} k=5 settings {rho5:+.2f}")


def answer_scores(ws: Workspace, items: list[GoldenItem], collection: str, k: int) -> dict[str, list[float]]:
    """Per-question answer scores from the eval harness (offline extractive engine)."""
    results, _ = evaluate_once(ws, items, collection=collection, k=k)
    return {metric: [float(r.scores.get(metric) or 0.0) for r in results] for metric in ANSWER_METRICS}


def paired_interval(a: list[float], b: list[float], rng: random.Random, rounds: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of mean(a - b) over the same questions."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    means = sorted(sum(rng.choices(diffs, k=len(diffs))) / len(diffs) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def answer_correlation(ws: Workspace, name: str, golden: Path, roots: list[Path], hand_n: int, notes_n: int, home: Path) -> None:
    rng = random.Random(13)
    hand_all = [i for i in load_set(golden, roots) if i.answerable and i.key_facts]
    hand = rng.sample(hand_all, min(hand_n, len(hand_all)))
    synth = load_set(write(synthesise(ws, name, notes_n).items, home / f"{name}-from-notes-answers.jsonl"))
    print(f"\nanswer metrics, from-notes set ({len(synth)} items) vs {golden.name} (sample of {len(hand)} with key facts) on {name}:")
    print(f"{'setting':<12} {'hand all':>8} {'hand recall':>11} | {'notes all':>9} {'notes recall':>12} | seconds")
    retrieve = ws.config.retrieve
    per: list[tuple[dict[str, list[float]], dict[str, list[float]]]] = []
    for label, k, fusion in ANSWER_SETTINGS:
        retrieve.fusion = fusion  # type: ignore[assignment]
        started = time.perf_counter()
        a, b = answer_scores(ws, hand, name, k), answer_scores(ws, synth, name, k)
        per.append((a, b))
        avg = {
            key: sum(v) / len(v)
            for key, v in (
                ("ha", a["all_key_facts"]),
                ("hr", a["key_fact_recall"]),
                ("na", b["all_key_facts"]),
                ("nr", b["key_fact_recall"]),
            )
        }
        print(
            f"{label:<12} {avg['ha']:>8.3f} {avg['hr']:>11.3f} | {avg['na']:>9.3f} {avg['nr']:>12.3f} | {time.perf_counter() - started:.0f}"
        )
    retrieve.fusion = "scores"
    for metric in ANSWER_METRICS:
        hand_means = [sum(a[metric]) / len(a[metric]) for a, _ in per]
        notes_means = [sum(b[metric]) / len(b[metric]) for _, b in per]
        tied = len(set(hand_means)) == 1 or len(set(notes_means)) == 1
        rho = "undefined (a set scores every setting the same)" if tied else f"{spearman(hand_means, notes_means):+.2f}"
        print(f"Spearman {metric} over the {len(per)} settings: {rho}")
        real = agree = same_sign = seen = false_alarm = 0
        for i in range(len(per)):
            for j in range(i + 1, len(per)):
                low, high = paired_interval(per[i][0][metric], per[j][0][metric], rng)
                n_low, n_high = paired_interval(per[i][1][metric], per[j][1][metric], rng)
                hand_diff, notes_diff = hand_means[i] - hand_means[j], notes_means[i] - notes_means[j]
                sign = (hand_diff > 0) == (notes_diff > 0) if hand_diff and notes_diff else hand_diff == notes_diff
                same_sign += sign
                hand_real, notes_real = low > 0 or high < 0, n_low > 0 or n_high < 0
                real += hand_real
                agree += hand_real and sign
                seen += hand_real and notes_real and sign  # the student, with only the from-notes set, would see it
                false_alarm += notes_real and not hand_real
                print(
                    f"  {ANSWER_SETTINGS[i][0]} vs {ANSWER_SETTINGS[j][0]}: hand {hand_diff:+.3f} [{low:+.3f}, {high:+.3f}],"
                    f" notes {notes_diff:+.3f} [{n_low:+.3f}, {n_high:+.3f}]"
                )
        pairs = len(per) * (len(per) - 1) // 2
        print(
            f"  {metric}: same order on {same_sign}/{pairs} pairs; hand-set differences outside noise {real}: the from-notes set"
            f" orders {agree} the same way and calls {seen} real itself; it calls {false_alarm} real that the hand set does not"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    # ../shared/notes from the main checkout, ../../shared/notes from a worktree
    shared = next((p / "shared" / "notes" for p in (REPO.parent, REPO.parent.parent) if (p / "shared" / "notes").is_dir()), None)
    parser.add_argument("--notes", type=Path, default=Path(os.environ.get("TUTOR_SHARED_NOTES", shared or "../shared/notes")))
    parser.add_argument("--home", type=Path, default=Path("/tmp/cards-bench-home"))
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13, help="Seed of the hand-reading sample (a new seed: cards not read before).")
    parser.add_argument("--from-notes", type=int, default=80)
    parser.add_argument("--answer-hand", type=int, default=80, help="Hand-written items (with key facts) in the answer-metric comparison.")
    parser.add_argument("--answer-notes", type=int, default=60, help="From-notes items in the answer-metric comparison.")
    parser.add_argument(
        "--only",
        choices=("cards", "eval", "answers"),
        help="Only the cards and coverage, the retrieval correlation, or the answer correlation.",
    )
    parser.add_argument("--sets", choices=("notes", "corpus"), nargs="+", default=["notes", "corpus"], help="Note sets to measure.")
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    ws = Workspace(load_config(args.home))
    blueprint = Blueprint.load(min_score=ws.config.blueprint.min_score)
    notes_files = sorted(p for p in args.notes.glob("*.txt"))
    if not notes_files:
        raise SystemExit(f"{args.notes}: no .txt notes (pass --notes DIR)")
    corpus_files = sorted((REPO / "corpus").glob("*.md"))
    ws.ingest(notes_files, "notes")
    ws.ingest(corpus_files, "corpus")
    sets = (
        ("notes", notes_files, REPO / "evals" / "shared_notes.jsonl", [args.notes.parent]),
        ("corpus", corpus_files, REPO / "evals" / "corpus.jsonl", [REPO]),
    )
    sets = tuple(s for s in sets if s[0] in args.sets)
    for name, files, _, _ in sets:
        if args.only in (None, "cards"):
            cards_report(ws, name, files, args.sample, args.seed, args.home, blueprint)
    for name, _, golden, roots in sets:
        if args.only in (None, "eval"):
            correlation(ws, name, golden, roots, args.from_notes, args.home)
    for name, _, golden, roots in sets:
        if args.only in (None, "answers"):
            answer_correlation(ws, name, golden, roots, args.answer_hand, args.answer_notes, args.home)


if __name__ == "__main__":
    main()
