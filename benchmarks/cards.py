"""Flashcards, blueprint coverage and the from-notes eval set, on ../shared/notes and corpus/.

    .venv/bin/python benchmarks/cards.py [--notes DIR] [--home DIR] [--sample 40] [--seed 13] [--from-notes 80] [--only cards|eval]

Prints, per note set:
- cards: candidate cards, cards delivered into a fresh bank (`generate --kind card`), cards per
  10 KB of notes, the share rejected as duplicates and the residual near-duplicate rate (two
  delivered cards whose fronts and backs each share >= 60 % of their content words, Jaccard);
- a fixed random sample (``--seed``, 13 unless given) of ``--sample`` cards to read by hand against
  benchmarks/cards_rubric.md (written to <home>/sample-<set>.md);
- blueprint coverage per exam: tasks the notes cover, and delivered cards per domain;
- the from-notes eval set against the hand-written one (evals/shared_notes.jsonl,
  evals/corpus.jsonl): retrieval hit@k, MRR and nDCG per engine setting (k, fusion, dense or
  BM25 only), and the Spearman rank correlation of the two sets' per-setting scores.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser()
    # ../shared/notes from the main checkout, ../../shared/notes from a worktree
    shared = next((p / "shared" / "notes" for p in (REPO.parent, REPO.parent.parent) if (p / "shared" / "notes").is_dir()), None)
    parser.add_argument("--notes", type=Path, default=Path(os.environ.get("TUTOR_SHARED_NOTES", shared or "../shared/notes")))
    parser.add_argument("--home", type=Path, default=Path("/tmp/cards-bench-home"))
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13, help="Seed of the hand-reading sample (a new seed: cards not read before).")
    parser.add_argument("--from-notes", type=int, default=80)
    parser.add_argument("--only", choices=("cards", "eval"), help="Only the cards and coverage part, or only the eval correlation.")
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
    for name, files in (("notes", notes_files), ("corpus", corpus_files)):
        if args.only != "eval":
            cards_report(ws, name, files, args.sample, args.seed, args.home, blueprint)
    if args.only == "cards":
        return
    correlation(ws, "notes", REPO / "evals" / "shared_notes.jsonl", [args.notes.parent], args.from_notes, args.home)
    correlation(ws, "corpus", REPO / "evals" / "corpus.jsonl", [REPO], args.from_notes, args.home)


if __name__ == "__main__":
    main()
