"""Offline evaluation: golden sets in, deterministic metrics out (see evals/README.md).

>>> run = evaluate(Workspace(), load_set(Path("evals/corpus.jsonl")))
>>> run.metrics["hit_at_k"]
"""

from tutor.evals.compare import Thresholds, check_levels, compare
from tutor.evals.golden import GoldenItem, load_set
from tutor.evals.run import Run
from tutor.evals.runner import evaluate

__all__ = ["GoldenItem", "Run", "Thresholds", "check_levels", "compare", "evaluate", "load_set"]
