"""Compare two runs and hold runs to ``evals/thresholds.toml``.

Two kinds of limits: how much a metric may get worse between two runs (``[max_drop]`` for
metrics where higher is better, ``[max_rise]`` for the others), and absolute levels a single
run must reach (``[floor]`` / ``[ceiling]``), which CI checks on the offline default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tutor.errors import TutorError
from tutor.evals.run import BY_NAME, METRICS, QuestionResult, Run
from tutor.locations import corpus_dir

SECTIONS = ("max_drop", "max_rise", "floor", "ceiling")


@dataclass
class Thresholds:
    max_drop: dict[str, float] = field(default_factory=dict)
    max_rise: dict[str, float] = field(default_factory=dict)
    floor: dict[str, float] = field(default_factory=dict)
    ceiling: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Thresholds:
        path = path or default_thresholds()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise TutorError(f"{path}: no thresholds file") from exc
        except tomllib.TOMLDecodeError as exc:
            raise TutorError(f"{path}: not valid TOML ({exc})") from exc
        for section, values in data.items():
            if section not in SECTIONS:
                raise TutorError(f"{path}: unknown section [{section}] (use {', '.join(SECTIONS)})")
            unknown = sorted(set(values) - set(BY_NAME))
            if unknown:
                raise TutorError(f"{path}: [{section}] names unknown metrics: {', '.join(unknown)}")
        return cls(**{s: {k: float(v) for k, v in data.get(s, {}).items()} for s in SECTIONS})


def default_thresholds() -> Path:
    return corpus_dir().parent / "evals" / "thresholds.toml"


@dataclass
class Delta:
    metric: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def worse_by(self) -> float:
        """How much worse ``after`` is, in the metric's own direction (negative = better)."""
        if self.change is None:
            return 0.0
        return -self.change if BY_NAME[self.metric].higher_is_better else self.change


@dataclass
class Comparison:
    deltas: list[Delta]
    worse: list[tuple[QuestionResult, QuestionResult]]  # (before, after) for questions whose quality fell
    violations: list[str]


def compare(before: Run, after: Run, thresholds: Thresholds) -> Comparison:
    deltas = [Delta(m.name, before.metrics.get(m.name), after.metrics.get(m.name)) for m in METRICS]
    deltas = [d for d in deltas if d.before is not None or d.after is not None]
    violations = []
    for d in deltas:
        limit = (thresholds.max_drop if BY_NAME[d.metric].higher_is_better else thresholds.max_rise).get(d.metric)
        if limit is not None and d.worse_by > limit + 1e-9:
            violations.append(f"{d.metric} got worse by {d.worse_by:.4g} ({d.before:.4g} -> {d.after:.4g}), allowed {limit:g}")
    old = {q.id: q for q in before.questions}
    worse = [(old[q.id], q) for q in after.questions if q.id in old and q.quality < old[q.id].quality - 1e-9]
    worse.sort(key=lambda pair: (pair[1].quality - pair[0].quality, pair[1].id))
    return Comparison(deltas, worse, violations)


def check_levels(run: Run, thresholds: Thresholds) -> list[str]:
    """Floors and ceilings a single run must meet; a metric the run did not measure is skipped."""
    problems = []
    for name, floor in thresholds.floor.items():
        value = run.metrics.get(name)
        if value is not None and value < floor:
            problems.append(f"{name} = {value:.4g} is below the floor {floor:g}")
    for name, ceiling in thresholds.ceiling.items():
        value = run.metrics.get(name)
        if value is not None and value > ceiling:
            problems.append(f"{name} = {value:.4g} is above the ceiling {ceiling:g}")
    return problems
