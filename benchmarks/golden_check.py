"""Check a golden set against its notes: every key fact must be in the lines that answer it.

A key fact counts as present when it occurs, after the folding ``key_fact_recall`` uses, in the
item's line range or in that range's section title (the nearest short, unindented, non-bullet
line above it: slide notes often name the service only in the title). Every ``also`` span must
hold every key fact on its own. With ``--also`` it lists, per item, other lines of the notes that
hold all its key facts: candidates for ``also`` spans, to keep by hand when they restate the subject.

    .venv/bin/python benchmarks/golden_check.py [--set evals/shared_notes.jsonl] [--root ../shared] [--also]

Exit status 1 when a fact is missing, so a set can be re-checked after its notes change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tutor.evals.golden import GoldenItem, Span, load_set, resolve_source  # noqa: E402
from tutor.evals.text import contains_phrase, tokens  # noqa: E402

TITLE_MAX_CHARS = 60


def title_above(lines: list[str], start: int) -> str:
    for line in reversed(lines[: start - 1]):
        bare = line.strip()
        if bare and not line[:1].isspace() and not bare.startswith(("-", "•", "|", "*")) and len(line) < TITLE_MAX_CHARS:
            return line
    return ""


def has(text: str, fact: str) -> bool:
    return contains_phrase(tokens(text), tokens(fact))


def problems(item: GoldenItem, read: dict[str, list[str]]) -> list[str]:
    out = []
    for n, span in enumerate(item.spans):
        lines = read[span.source]
        text = "\n".join(lines[span.start_line - 1 : span.end_line])
        title = title_above(lines, span.start_line) if n == 0 else ""
        where = f"{'' if n == 0 else 'also '}{span.source}:{span.start_line}-{span.end_line}"
        out += [f"{item.id}: {fact!r} not in {where}" for fact in item.key_facts if not (has(text, fact) or has(title, fact))]
    return out


def also_candidates(item: GoldenItem, read: dict[str, list[str]]) -> list[str]:
    known = [Span(s.source, s.start_line - 2, s.end_line + 2) for s in item.spans]
    found = []
    for source, lines in read.items():
        for number, line in enumerate(lines, start=1):
            if all(has(line, fact) for fact in item.key_facts) and not any(k.matches(source, number, number) for k in known):
                found.append(f"{source}:{number}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=REPO / "evals" / "shared_notes.jsonl")
    parser.add_argument("--root", type=Path, help="Folder the set's sources are relative to (default: ../shared beside the checkout).")
    parser.add_argument("--also", action="store_true", help="List candidate also-spans too.")
    args = parser.parse_args()
    roots = [args.root] if args.root else [p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()]
    items = [i for i in load_set(args.set, roots) if i.span is not None and i.key_facts]
    read = {}
    for source in {s.source for i in items for s in i.spans}:
        path = resolve_source(source, [*roots, args.set.parent, args.set.parent.parent])
        assert path is not None  # load_set resolved it
        read[source] = path.read_text(encoding="utf-8", errors="replace").splitlines()
    missing = [p for item in items for p in problems(item, read)]
    print("\n".join(missing) or f"{len(items)} items: every key fact is in its lines")
    if args.also:
        for item in items:
            if found := also_candidates(item, read):
                print(f"{item.id} {item.key_facts}: {', '.join(found[:8])}")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
