"""The exams' blueprints (corpus/blueprint.yaml): domains, weights and task statements, and
what a text is about in their terms.

How a text is tagged: each task lists ``terms`` (service names and concepts). A term found in
the text (whole words, any case) scores ``1 / the number of the exam's tasks listing it``, so
"Lake Formation" (one task) says more than "cost" (four); a task's score is the sum over its
distinct terms found. In each exam the best-scoring task tags the text when it reaches
``BlueprintConfig.min_score``. A question or card is tagged from its stem, answer, explanation
and the heading and line it cites, with one task per exam that matches, e.g.
``"DEA-C01 1.1; SAA-C03 3.5"``. A task is *covered by the notes* when at least one chunk of the
collection reaches ``min_score`` on it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import yaml

from tutor.errors import TutorError
from tutor.locations import corpus_dir
from tutor.questions.question import Question
from tutor.store.index import StoredChunk

TASK_SEPARATOR = "; "


@dataclass(frozen=True)
class Task:
    exam: str
    domain_id: str
    domain: str
    id: str
    text: str
    terms: tuple[str, ...]

    @property
    def key(self) -> str:
        """ "DEA-C01 1.2": how the bank stores the tag."""
        return f"{self.exam} {self.id}"


@dataclass(frozen=True)
class Domain:
    exam: str
    id: str
    name: str
    weight: float  # percent of the exam's scored questions
    tasks: tuple[Task, ...]


@dataclass
class Blueprint:
    exams: dict[str, tuple[Domain, ...]]
    titles: dict[str, str]
    min_score: float = 1.0

    @classmethod
    def load(cls, path: Path | None = None, min_score: float = 1.0) -> Blueprint:
        path = path or corpus_dir() / "blueprint.yaml"
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))["exams"]
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise TutorError(f"{path}: not a readable exam blueprint ({exc})") from exc
        exams: dict[str, tuple[Domain, ...]] = {}
        for exam, spec in raw.items():
            exams[exam] = tuple(
                Domain(
                    exam=exam,
                    id=str(d["id"]),
                    name=d["name"],
                    weight=float(d["weight"]),
                    tasks=tuple(
                        Task(exam=exam, domain_id=str(d["id"]), domain=d["name"], id=str(t["id"]), text=t["text"], terms=tuple(t["terms"]))
                        for t in d["tasks"]
                    ),
                )
                for d in spec["domains"]
            )
        return cls(exams, {exam: spec.get("title", exam) for exam, spec in raw.items()}, min_score)

    def __post_init__(self) -> None:
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._weights: dict[str, dict[str, float]] = {}
        for exam, domains in self.exams.items():
            tasks = [t for d in domains for t in d.tasks]
            listing: dict[str, int] = {}
            for t in tasks:
                for term in {x.lower() for x in t.terms}:
                    listing[term] = listing.get(term, 0) + 1
            self._weights[exam] = {term: 1 / n for term, n in listing.items()}
            for t in tasks:
                alternatives = "|".join(re.escape(x) for x in sorted(t.terms, key=len, reverse=True))
                self._patterns[t.key] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)

    def tasks(self, exam: str | None = None) -> list[Task]:
        return [t for e, domains in self.exams.items() if exam in (None, e) for d in domains for t in d.tasks]

    def task(self, key: str) -> Task:
        for t in self.tasks():
            if t.key == key:
                return t
        raise TutorError(f"no task {key!r} in the exam blueprint")

    def score(self, task: Task, text: str) -> float:
        found = {m.group(0).lower() for m in self._patterns[task.key].finditer(text)}
        weights = self._weights[task.exam]
        return sum(weights[f] for f in found if f in weights)

    def tag(self, text: str) -> list[Task]:
        """The best-matching task of each exam whose score reaches ``min_score``."""
        best: list[Task] = []
        for exam in self.exams:
            scored = [(self.score(t, text), t) for t in self.tasks(exam)]
            top, task = max(scored, key=lambda pair: pair[0])
            if top >= self.min_score:
                best.append(task)
        return best

    def tag_question(self, q: Question) -> str:
        """The tag stored with a question or card: one task per matching exam, "" if none."""
        return self.tag_text(question_text(q))

    def tag_text(self, text: str) -> str:
        """The tag of any text, as stored: one task per matching exam, "" if none."""
        return TASK_SEPARATOR.join(t.key for t in self.tag(text))

    def covered(self, chunks: Iterable[StoredChunk]) -> set[str]:
        """The task keys some chunk of the notes reaches ``min_score`` on (any task, not only
        its best: a chunk on encrypting a stream covers ingestion and encryption)."""
        tasks = self.tasks()
        return {t.key for c in chunks for t in tasks if self.score(t, f"{c.heading}\n{c.text}") >= self.min_score}


def question_text(q: Question) -> str:
    keys = [q.options[k] for k in q.keys if k < len(q.options)]
    cited = [f"{c.heading} {c.text if q.kind == 'card' else ''}" for c in q.citations]
    return "\n".join([q.topic, q.stem, *keys, *q.explanations[:1], *cited])


def task_keys(tag: str) -> list[str]:
    return [k for k in tag.split(TASK_SEPARATOR) if k]


@dataclass(frozen=True)
class DomainCoverage:
    """One exam domain: what the bank holds on it and how much of it the notes cover."""

    exam: str
    domain: Domain
    banked: int  # questions and cards tagged with one of its tasks
    answered: int  # reviews of those
    retention: float | None  # mean FSRS recall probability of those reviewed; None: none yet
    tasks_in_notes: int
    uncovered: tuple[Task, ...]  # its tasks no chunk of the notes is tagged with


@dataclass(frozen=True)
class TaskStat:
    """What the bank knows about one question: its tag, reviews and recall probability."""

    task: str
    answered: int
    retrievability: float | None


def coverage(blueprint: Blueprint, stats: Sequence[TaskStat], in_notes: set[str], exam: str | None = None) -> list[DomainCoverage]:
    out: list[DomainCoverage] = []
    for name, domains in blueprint.exams.items():
        if exam not in (None, name):
            continue
        for d in domains:
            keys = {t.key for t in d.tasks}
            mine = [s for s in stats if keys & set(task_keys(s.task))]
            recalls = [s.retrievability for s in mine if s.retrievability is not None]
            out.append(
                DomainCoverage(
                    exam=name,
                    domain=d,
                    banked=len(mine),
                    answered=sum(s.answered for s in mine),
                    retention=sum(recalls) / len(recalls) if recalls else None,
                    tasks_in_notes=len(keys & in_notes),
                    uncovered=tuple(t for t in d.tasks if t.key not in in_notes),
                )
            )
    return out


class Tagged(Protocol):
    """Anything tagged with exam tasks: a question, a card, a claim waiting to be written."""

    @property
    def task(self) -> str: ...


T = TypeVar("T", bound=Tagged)


def quota_order(items: Sequence[T], domains: Sequence[Domain]) -> list[T]:
    """``items`` reordered so that any prefix spreads over ``domains`` in proportion to their
    weights (largest remaining deficit first); items of no domain come last, in order."""
    queues: dict[str, list[T]] = {d.id: [] for d in domains}
    rest: list[T] = []
    prefix = f"{domains[0].exam} " if domains else ""
    for q in items:
        ids = [k.removeprefix(prefix).split(".")[0] for k in task_keys(q.task) if k.startswith(prefix)]
        (queues[ids[0]] if ids and ids[0] in queues else rest).append(q)
    total = sum(d.weight for d in domains) or 1.0
    taken = {d.id: 0 for d in domains}
    out: list[T] = []
    while any(queues.values()):
        n = len(out) + 1
        d = max((d for d in domains if queues[d.id]), key=lambda d: d.weight / total * n - taken[d.id])
        out.append(queues[d.id].pop(0))
        taken[d.id] += 1
    return out + rest


def by_domain_weights(items: Sequence[T], blueprint: Blueprint) -> list[T]:
    """``items`` in :func:`quota_order` over the domains of the exam most of them are tagged with
    (unchanged when none is tagged): a batch cut from the front follows that exam's weights."""
    exams = Counter(k.split()[0] for q in items for k in task_keys(q.task))
    return quota_order(items, blueprint.exams[exams.most_common(1)[0][0]]) if exams else list(items)
