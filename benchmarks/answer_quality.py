"""Offline answer quality on the golden eval set: key facts, abstention, citation validity.

Ingests the bundled corpus once into a data dir (default: a fresh temp dir; pass --home to
reuse one), answers every question in evals/corpus.jsonl with the extractive engine (the
follow-ups with their recorded history), plus the 20 held-out unanswerable questions in
benchmarks/answer_unanswerable.jsonl, and prints:

- key-fact recall: share of expected key facts the answer contains (a fact counts when all
  its content words and numbers are in the answer, or it appears verbatim);
- abstention on unanswerable questions, and wrong abstentions on answerable ones;
- citation validity: printed [n] that resolve to a retrieved chunk, and unverified sentences;
- a sweep of the abstention threshold (``answer.min_relevance``) to show how it was chosen.

    .venv/bin/python benchmarks/answer_quality.py [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutor.answer.extractive import rank_sentences  # noqa: E402
from tutor.answer.pipeline import condense  # noqa: E402
from tutor.answer.sentences import content_terms  # noqa: E402
from tutor.config import load_config  # noqa: E402
from tutor.workspace import CORPUS_COLLECTION, Workspace  # noqa: E402  (first: it orders the core imports)


def load_questions() -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "evals/corpus.jsonl").open() if line.strip()]
    extra = ROOT / "benchmarks/answer_unanswerable.jsonl"
    rows += [{**json.loads(line), "kind": "held-out", "key_facts": []} for line in extra.open() if line.strip()]
    return rows


def contains(fact: str, answer: str) -> bool:
    return fact.lower() in answer.lower() or content_terms(fact) <= content_terms(answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="data dir to (re)use; default: a new temp dir")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="tutor-answer-"))
    ws = Workspace(load_config(home))
    ws.ensure_corpus()
    settings = ws.config.answer
    rows = load_questions()

    per_kind: dict[str, dict[str, float]] = {}
    signals = []  # (answerable, unknown names?, best score) for the threshold sweep
    cited = resolved = unverified = sentences = 0
    started = time.monotonic()
    for row in rows:
        history = [(h["question"], h["answer"]) for h in row.get("history") or []]
        answer = ws.ask(row["question"], history=history, collection=CORPUS_COLLECTION)
        answerable = row["kind"] not in ("unanswerable", "held-out")
        stats = per_kind.setdefault(row["kind"], {"n": 0, "facts": 0, "found": 0, "all": 0, "abstained": 0})
        stats["n"] += 1
        stats["abstained"] += answer.abstained
        found = sum(contains(f, answer.answer) for f in row["key_facts"]) if not answer.abstained else 0
        stats["facts"] += len(row["key_facts"])
        stats["found"] += found
        stats["all"] += found == len(row["key_facts"]) and not answer.abstained
        ids = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
        cited += len(ids)
        resolved += sum(1 for n in ids if any(h.rank == n for h in answer.sources) and any(c.n == n for c in answer.citations))
        unverified += len(answer.unverified)
        sentences += len(re.findall(r"\[\d+\][.!?]?", answer.answer))
        query = condense(ws, row["question"], history, "tutor/extractive")
        hits = ws.search(query, collection=CORPUS_COLLECTION)
        ranked = rank_sentences(ws.scorer, query, hits, settings)
        unknown = bool(ws.vocabulary(CORPUS_COLLECTION).unknown_names(query, ws.catalog))
        signals.append((answerable, unknown, max((c.relevance for c in ranked), default=0.0)))
    elapsed = time.monotonic() - started

    print(
        f"answer quality, extractive engine, {len(rows)} questions, k={settings.k or ws.config.retrieve.k}, "
        f"min_relevance={settings.min_relevance}, {elapsed / len(rows):.2f} s/question\n"
    )
    print(f"{'kind':<14}{'n':>4}{'key facts':>12}{'all facts':>11}{'abstained':>11}")
    for kind, s in per_kind.items():
        recall = f"{s['found'] / s['facts']:.1%}" if s["facts"] else "-"
        every = f"{s['all'] / s['n']:.1%}" if s["facts"] else "-"
        print(f"{kind:<14}{int(s['n']):>4}{recall:>12}{every:>11}{s['abstained'] / s['n']:>11.1%}")
    answerable = [s for k, s in per_kind.items() if k not in ("unanswerable", "held-out")]
    facts = sum(s["facts"] for s in answerable)
    print(f"\nkey-fact recall (answerable): {sum(s['found'] for s in answerable) / facts:.1%} of {int(facts)} facts")
    print(f"wrong abstentions (answerable): {sum(s['abstained'] for s in answerable) / sum(s['n'] for s in answerable):.1%}")
    for kind in ("unanswerable", "held-out"):
        if kind in per_kind:
            s = per_kind[kind]
            print(f"abstention on {kind}: {s['abstained'] / s['n']:.1%} of {int(s['n'])}")
    print(f"citations that resolve: {resolved}/{cited} ({resolved / max(cited, 1):.1%}); unverified sentences: {unverified}/{sentences}")

    print("\nthreshold sweep (unknown names always abstain):")
    print(f"{'min_relevance':>14}{'abstain unans.':>16}{'abstain held-out':>18}{'wrong abstain':>15}")
    kinds = [row["kind"] for row in rows]
    for t in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):

        def rate(select: str, t: float = t) -> float:
            chosen = [(u, s) for (a, u, s), k in zip(signals, kinds, strict=True) if (k == select if select != "answerable" else a)]
            return sum(u or s < t for u, s in chosen) / max(len(chosen), 1)

        print(f"{t:>14.2f}{rate('unanswerable'):>16.1%}{rate('held-out'):>18.1%}{rate('answerable'):>15.1%}")


if __name__ == "__main__":
    main()
