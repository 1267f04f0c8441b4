"""Quality of offline question generation on the corpus and on the shared notes: prints the numbers.

    .venv/bin/python benchmarks/questions.py [--set corpus|notes|both] [-n 40] [--multi 8]
        [--notes DIR] [--home DIR] [--dump PREFIX]

Per set: an un-topiced run of ``-n`` single and ``--multi`` Choose-TWO questions, then one
small run per topic in ``TOPICS`` (one of them absent from every note set). Reports yield
(asked / delivered), why drafts were rejected, duplicates on the fact tested (key + need)
among accepted questions, topic spread, key position and option-length bias, and time per
draft. Then ``--per-difficulty`` single questions at each of difficulty 1, 2 and 3 (each on
an empty bank): how many stems differ from the same fact's at difficulty 1, what the stems
ask beyond their first requirement (closing constraints, a second requirement), and how near
the distractors are (the key's category, its kind of job, near misses the notes show meeting
one requirement). ``--dump PREFIX`` writes PREFIX-<set>.json so a person can read and grade the items.
``--home`` keeps the indexes between runs (its question bank is emptied).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.config import load_config  # noqa: E402
from tutor.errors import TutorError  # noqa: E402
from tutor.questions import QuestionBank, generate  # noqa: E402
from tutor.questions.blueprint import Blueprint, task_keys  # noqa: E402
from tutor.questions.generation import GenerationReport, reason_class  # noqa: E402
from tutor.questions.offline import NEAR_MISS_SAYS, PREFERRED_SAYS, group_of, stem_constraints  # noqa: E402
from tutor.questions.question import Question  # noqa: E402
from tutor.questions.verify import fact_of, key_is_longest, same_fact  # noqa: E402
from tutor.workspace import Workspace  # noqa: E402

TOPICS = ("Amazon Kinesis", "AWS Glue", "Amazon S3", "IAM", "Amazon Braket")


def fact_duplicates(questions: list[Question], threshold: float) -> int:
    """Questions testing a fact an earlier one already tests (same keys, similar need)."""
    seen: list[str] = []
    dups = 0
    for q in questions:
        fact = q.fact or fact_of([q.options[k] for k in q.keys], q.stem)
        dups += any(same_fact(fact, other, threshold) for other in seen)
        seen.append(fact)
    return dups


def run(ws: Workspace, collection: str, n: int, multi: int) -> tuple[list[Question], list[tuple[str, int, GenerationReport | str]]]:
    runs: list[tuple[str, int, GenerationReport | str]] = []
    for label, topic, count, kind in [
        ("single", None, n, "single"),
        ("multi", None, multi, "multi"),
        *[(f"topic {t!r}", t, 3, "single") for t in TOPICS],
    ]:
        if not count:
            continue
        try:
            runs.append((label, count, generate(ws, topic=topic, n=count, kind=kind, collection=collection)))
        except TutorError as exc:
            runs.append((label, count, str(exc)))
    accepted = [q for _, _, r in runs if isinstance(r, GenerationReport) for q in r.accepted]
    return accepted, runs


def report(
    name: str, accepted: list[Question], runs: list[tuple[str, int, GenerationReport | str]], elapsed: float, threshold: float
) -> None:
    print(f"\n== {name} ==")
    asked = sum(count for _, count, _ in runs)
    drafts = sum(len(r.accepted) + len(r.rejected) for _, _, r in runs if isinstance(r, GenerationReport))
    print(
        f"yield: delivered {len(accepted)} of {asked} asked; {drafts} drafts in {elapsed:.0f}s ({elapsed / max(1, drafts):.2f}s per draft)"
    )
    for label, count, r in runs:
        if isinstance(r, str):
            print(f"  {label}: 0/{count} — {r}")
        else:
            names = sorted({q.topic for q in r.accepted})
            print(f"  {label}: {len(r.accepted)}/{count} (rejected {len(r.rejected)}) topics {names[:6]}")
            for line in r.shortfall()[1:]:
                print(f"      {line}")
    reasons = Counter(
        reason_class(x) for _, _, r in runs if isinstance(r, GenerationReport) for rejection in r.rejected for x in rejection.reasons
    )
    print(f"rejection reasons: {reasons.most_common(8)}")
    dups = fact_duplicates(accepted, threshold)
    print(f"duplicates on the fact tested among accepted: {dups}/{len(accepted)} = {dups / max(1, len(accepted)):.1%}")
    untopiced = [q for label, _, r in runs if isinstance(r, GenerationReport) and not r.topic for q in r.accepted]
    exams = Counter(k.split()[0] for q in untopiced for k in task_keys(q.task))
    if exams:
        exam = exams.most_common(1)[0][0]
        blueprint = Blueprint.load()
        shares = Counter(k.split()[1].split(".")[0] for q in untopiced for k in task_keys(q.task) if k.startswith(exam + " "))
        total = sum(shares.values()) or 1
        weights = ", ".join(f"{d.id} {shares[d.id] / total:.0%} (weight {d.weight:.0f}%)" for d in blueprint.exams[exam])
        print(f"domains (no-topic runs, {exam}, {total} of {len(untopiced)} tagged): {weights}")
    topics = Counter(q.topic for q in accepted)
    print(f"topic spread: {len(topics)} topics over {len(accepted)} questions; most common {topics.most_common(3)}")
    singles = [q for q in accepted if q.kind == "single"]
    if singles:
        positions = Counter("ABCDE"[q.keys[0]] for q in singles)
        longest = sum(map(key_is_longest, singles)) / len(singles)
        key_len = statistics.mean(len(q.options[q.keys[0]]) for q in singles)
        other_len = statistics.mean(len(o) for q in singles for i, o in enumerate(q.options) if i not in q.keys)
        print(f"key position (single): {dict(sorted(positions.items()))}; key longest {longest:.1%} (chance 25%)")
        print(f"mean option length: key {key_len:.1f} chars vs distractor {other_len:.1f}")


def difficulties(ws: Workspace, bank: QuestionBank, collection: str, n: int) -> dict[int, list[Question]]:
    """``n`` single questions at each difficulty, each run on an empty bank (the same fact at
    another difficulty is a duplicate otherwise)."""
    out: dict[int, list[Question]] = {}
    for d in (1, 2, 3):
        bank.db.execute("DELETE FROM questions")
        bank.db.commit()
        r = generate(ws, n=n, kind="single", difficulty=d, collection=collection)
        out[d] = r.accepted
        reasons = Counter(reason_class(x) for rejection in r.rejected for x in rejection.reasons)
        print(f"  difficulty {d}: {len(r.accepted)}/{n} (rejected {len(r.rejected)}) top reasons {reasons.most_common(3)}")
    return out


def report_difficulties(ws: Workspace, by_difficulty: dict[int, list[Question]]) -> None:
    easy = {q.fact: q for q in by_difficulty[1]}
    for d, questions in by_difficulty.items():
        if not questions:
            continue
        same_fact = [q for q in questions if q.fact in easy]
        differ = sum(q.stem != easy[q.fact].stem for q in same_fact)
        options_differ = sum(set(q.options) != set(easy[q.fact].options) for q in same_fact)
        asks = Counter(stem_constraints(q.stem) for q in questions)
        category = group = related = total = 0
        for q in questions:
            keys = [k for k in (ws.catalog.lookup(q.options[i]) for i in q.keys) if k]
            # The catalog's siblings and their siblings: related jobs, plausible if not the same kind.
            near = {n for k in keys for sib in k.siblings for n in (sib, *getattr(ws.catalog.lookup(sib), "siblings", ()))}
            for i, option in enumerate(q.options):
                s = ws.catalog.lookup(option)
                if i in q.keys or s is None:
                    continue
                total += 1
                category += any(k.category == s.category for k in keys)
                group += any(group_of(k) == group_of(s) for k in keys)
                related += s.name in near
        near_misses = sum(any(NEAR_MISS_SAYS in e for e in q.explanations) for q in questions)
        weighed = sum(any(e.startswith(f"Incorrect. {PREFERRED_SAYS}") for e in q.explanations) for q in questions)
        print(
            f"  difficulty {d}: on the same fact as at difficulty 1, stems differ {differ}/{len(same_fact)}, "
            f"options {options_differ}/{len(same_fact)}; "
            f"asks beyond the first requirement {dict(sorted(asks.items()))}; distractors of the key's category "
            f"{category / max(1, total):.0%}, of its kind {group / max(1, total):.0%}, related {related / max(1, total):.0%}; "
            f"items with a rival the notes weigh against the key (X over Y) {weighed}/{len(questions)}, "
            f"with a near miss meeting one of two requirements {near_misses}/{len(questions)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=("corpus", "notes", "both"), default="both")
    parser.add_argument("-n", type=int, default=40, help="single-answer questions per set (no topic)")
    parser.add_argument("--multi", type=int, default=8, help="'Choose TWO' questions per set (no topic)")
    parser.add_argument("--notes", type=Path, default=Path(os.environ.get("TUTOR_SHARED_NOTES", REPO.parent / "shared" / "notes")))
    parser.add_argument("--home", type=Path, help="keep indexes in this data dir between runs")
    parser.add_argument("--dump", type=str, help="write accepted questions to DUMP-<set>.json")
    parser.add_argument("--per-difficulty", type=int, default=20, help="single questions per difficulty (0: skip)")
    args = parser.parse_args()
    if args.set != "corpus" and not args.notes.is_dir():
        parser.error(f"{args.notes}: no such notes folder (pass --notes DIR or set TUTOR_SHARED_NOTES)")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(load_config(args.home or Path(tmp)))
        bank = QuestionBank(ws)
        for name in ("corpus", "notes") if args.set == "both" else (args.set,):
            bank.db.execute("DELETE FROM questions")
            bank.db.commit()
            t0 = time.perf_counter()
            if name == "corpus":
                ws.ensure_corpus()
            else:
                ws.ingest([args.notes], "shared")
            print(f"indexed {name} in {time.perf_counter() - t0:.1f}s")
            t0 = time.perf_counter()
            accepted, runs = run(ws, "corpus" if name == "corpus" else "shared", args.n, args.multi)
            report(name, accepted, runs, time.perf_counter() - t0, ws.config.questions.fact_similarity)
            if args.dump:
                path = Path(f"{args.dump}-{name}.json")
                path.write_text(json.dumps([q.to_dict() for q in accepted], indent=1, ensure_ascii=False))
                print(f"wrote {len(accepted)} questions to {path}")
            if args.per_difficulty:
                print(f"per difficulty ({name}, {args.per_difficulty} asked at each):")
                by_difficulty = difficulties(ws, bank, "corpus" if name == "corpus" else "shared", args.per_difficulty)
                report_difficulties(ws, by_difficulty)
                if args.dump:
                    path = Path(f"{args.dump}-{name}-difficulty.json")
                    path.write_text(
                        json.dumps({d: [q.to_dict() for q in qs] for d, qs in by_difficulty.items()}, indent=1, ensure_ascii=False)
                    )
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
