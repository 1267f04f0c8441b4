"""Quality of offline question generation over the bundled corpus: prints the numbers.

    .venv/bin/python benchmarks/questions.py [-n 60] [--multi 10] [--dump questions.json]

Uses a throwaway data dir, indexes corpus/ (about a minute on 2 cores), generates
questions with the offline writer and reports: share passing verification, duplicate
rate, topic spread, key position and option-length bias, and time per question.
``--dump`` writes the accepted questions so a person can read and judge the keys.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.config import load_config
from tutor.questions import QuestionBank, generate
from tutor.questions.verify import jaccard, key_is_longest, stem_terms
from tutor.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=60, help="single-answer questions to generate")
    parser.add_argument("--multi", type=int, default=10, help="'Choose TWO' questions to generate")
    parser.add_argument("--dump", type=Path, help="write accepted questions here as JSON")
    parser.add_argument("--home", type=Path, help="reuse this data dir's corpus index (its question bank is emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(load_config(args.home or tmp))
        QuestionBank(ws).db.execute("DELETE FROM questions")
        t0 = time.perf_counter()
        ws.ensure_corpus()
        print(f"indexed corpus in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        single = generate(ws, n=args.n, kind="single", collection="corpus")
        multi = generate(ws, n=args.multi, kind="multi", collection="corpus") if args.multi else None
        elapsed = time.perf_counter() - t0
    reports = [r for r in (single, multi) if r]
    accepted = [q for r in reports for q in r.accepted]
    rejected = [(q, reasons) for r in reports for q, reasons in r.rejected]
    duplicates = [x for x in rejected if any("duplicate" in r for r in x[1])]
    verified = len(accepted) + len(rejected) - len(duplicates)
    print(
        f"\ngenerated {len(accepted)} questions ({len(single.accepted)} single, {len(multi.accepted) if multi else 0} multi) "
        f"in {elapsed:.1f}s ({elapsed / max(1, len(accepted) + len(rejected)):.2f}s per draft)"
    )
    print(f"solver: {Counter(q.verdict.get('solve', {}).get('method') for q in accepted)}")
    print(f"verification pass rate: {len(accepted)}/{verified} = {len(accepted) / max(1, verified):.1%}")
    for q, reasons in rejected:
        if q is not None and (q, reasons) not in duplicates:
            print(f"  rejected {q.id}: {'; '.join(reasons)} | {q.stem[:90]}")
    near = [(a.id, b.id) for a, b in itertools.combinations(accepted, 2) if jaccard(stem_terms(a.stem), stem_terms(b.stem)) >= 0.5]
    print(
        f"duplicate drafts rejected: {len(duplicates)}; near-duplicate pairs among accepted (stem Jaccard >= 0.5): {len(near)} {near[:5]}"
    )
    topics = Counter(q.topic for q in accepted)
    domains = Counter(q.domain for q in accepted)
    print(f"topic spread: {len(topics)} topics over {len(accepted)} questions; most common {topics.most_common(1)}")
    print(f"domains: {dict(domains)}")
    singles = [q for q in accepted if q.kind == "single"]
    positions = Counter("ABCDE"[q.keys[0]] for q in singles)
    print(f"key position (single): {dict(sorted(positions.items()))}")
    longest = sum(map(key_is_longest, singles)) / max(1, len(singles))
    shortest = sum(len(q.options[q.keys[0]]) == min(map(len, q.options)) for q in singles) / max(1, len(singles))
    key_len = statistics.mean(len(q.options[q.keys[0]]) for q in singles) if singles else 0
    other_len = statistics.mean(len(o) for q in singles for i, o in enumerate(q.options) if i not in q.keys) if singles else 0
    print(
        f"option length (single): key longest {longest:.1%}, key shortest {shortest:.1%} (chance 25%); "
        f"mean key {key_len:.1f} chars vs distractor {other_len:.1f}"
    )
    if args.dump:
        args.dump.write_text(json.dumps([q.to_dict() for q in accepted], indent=1, ensure_ascii=False))
        print(f"wrote {len(accepted)} questions to {args.dump}")


if __name__ == "__main__":
    main()
