"""Golden-set loading, run comparison and thresholds, the judge, and an end-to-end run on a tiny set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tutor.errors import TutorError
from tutor.evals.compare import Thresholds, check_levels, compare
from tutor.evals.golden import load_set
from tutor.evals.judge import Judge, parse_grade
from tutor.evals.report import markdown
from tutor.evals.run import QuestionResult, Run
from tutor.evals.runner import evaluate
from tutor.workspace import Workspace

TINY = [
    {
        "id": "kds-retention",
        "kind": "fact",
        "question": "How long does Kinesis keep records by default?",
        "key_facts": ["24 hours"],
        "source": "notes/kinesis.md",
        "evidence": "Kinesis Data Streams keeps records for 24 hours by default.",
        "reference": "Kinesis keeps records for 24 hours by default.",
        "also": [{"source": "notes/kinesis.md", "evidence": "# Kinesis Data Streams"}],
    },
    {
        "id": "kds-max",
        "kind": "follow-up",
        "question": "And how far can that be raised?",
        "history": [{"question": "How long does Kinesis keep records by default?", "answer": "24 hours."}],
        "key_facts": ["365 days"],
        "source": "notes/kinesis.md",
        "evidence": "Retention can be raised to 365 days",
        "reference": "Up to 365 days with long-term retention.",
    },
    {
        "id": "dpu",
        "kind": "fact",
        "question": "How many vCPUs and how much memory is a Glue DPU?",
        "key_facts": ["4 vCPUs", "16 GB"],
        "source": "notes/glue.txt",
        "start_line": 6,
        "end_line": 6,
        "reference": "A DPU is 4 vCPUs and 16 GB of memory.",
        "also": [{"source": "notes/glue.txt", "start_line": 5, "end_line": 6}],
    },
    {
        "id": "nope",
        "kind": "unanswerable",
        "question": "What is the price of an Amazon Chime meeting?",
        "key_facts": [],
        "source": None,
        "evidence": None,
        "reference": None,
    },
]


def write_set(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def tiny_set(notes_dir: Path) -> Path:
    return write_set(notes_dir.parent / "tiny.jsonl", TINY)


# -- golden sets -------------------------------------------------------------------


def test_load_set_locates_evidence(tiny_set: Path) -> None:
    items = {i.id: i for i in load_set(tiny_set)}
    assert (items["kds-retention"].span.start_line, items["kds-retention"].span.end_line) == (8, 8)
    assert [(s.start_line, s.end_line) for s in items["kds-retention"].spans] == [(8, 8), (5, 5)]
    assert items["kds-max"].history == [("How long does Kinesis keep records by default?", "24 hours.")]
    assert items["dpu"].span.start_line == 6  # given as lines, kept as is
    assert [(s.start_line, s.end_line) for s in items["dpu"].spans] == [(6, 6), (5, 6)]
    assert items["nope"].span is None and not items["nope"].answerable


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({**TINY[0], "evidence": "Kinesis keeps nothing."}, "no longer in"),
        ({**TINY[0], "source": "notes/missing.md"}, "source file not found"),
        ({**TINY[0], "kind": "trivia"}, "kind must be one of"),
        ({**TINY[0], "evidence": None}, "needs evidence"),
        ({**TINY[0], "also": [{"source": "notes/kinesis.md", "evidence": "Kinesis keeps nothing."}]}, "no longer in"),
        ({**TINY[2], "end_line": 999}, "not inside"),
        ({**TINY[2], "start_line": 2, "end_line": 2}, "blank"),
        ({**TINY[2], "also": [{"source": "notes/glue.txt", "start_line": 90}]}, "not inside"),
        ({**TINY[2], "source": "notes/missing.txt"}, "source file not found"),
    ],
)
def test_load_set_rejects_broken_items(notes_dir: Path, row: dict, message: str) -> None:
    path = write_set(notes_dir.parent / "bad.jsonl", [row])
    with pytest.raises(TutorError, match=message):
        load_set(path)


def test_load_set_rejects_duplicate_ids_and_bad_json(notes_dir: Path) -> None:
    with pytest.raises(TutorError, match="duplicate id"):
        load_set(write_set(notes_dir.parent / "dup.jsonl", [TINY[3], TINY[3]]))
    bad = notes_dir.parent / "broken.jsonl"
    bad.write_text('{"id": "x", "question": \n', encoding="utf-8")
    with pytest.raises(TutorError, match=r"broken.jsonl:1: not a valid eval item"):
        load_set(bad)


def test_shipped_corpus_set_is_valid() -> None:
    items = load_set(Path(__file__).resolve().parents[1] / "evals" / "corpus.jsonl")
    kinds = [i.kind for i in items]
    assert len(items) >= 100 and kinds.count("unanswerable") >= 15 and kinds.count("follow-up") >= 10
    assert all(i.span is not None for i in items if i.answerable)


# -- compare and thresholds --------------------------------------------------------------


def question(qid: str, mrr: float, kind: str = "fact", abstained: bool | None = None) -> QuestionResult:
    return QuestionResult(qid, kind, "q?", "q?", {}, [], None, abstained, [], {"mrr": mrr}, 0.01)


def run_with(metrics: dict, questions: list[QuestionResult]) -> Run:
    return Run("r", "now", {}, metrics, questions)


def test_compare_reports_deltas_worse_questions_and_violations() -> None:
    before = run_with(
        {"hit_at_k": 0.95, "mrr": 0.80, "context_chars": 2000.0, "abstention_wrong": 0.0},
        [question("a", 1.0), question("b", 0.5), question("c", 0.5)],
    )
    after = run_with(
        {"hit_at_k": 0.94, "mrr": 0.70, "context_chars": 2600.0, "abstention_wrong": 0.0},
        [question("a", 0.25), question("b", 1.0), question("c", 0.5)],
    )
    limits = Thresholds(max_drop={"hit_at_k": 0.02, "mrr": 0.05}, max_rise={"context_chars": 500})
    result = compare(before, after, limits)
    deltas = {d.metric: d for d in result.deltas}
    assert deltas["mrr"].change == pytest.approx(-0.10)
    assert deltas["context_chars"].worse_by == pytest.approx(600)
    assert [new.id for _, new in result.worse] == ["a"]
    assert len(result.violations) == 2
    assert result.violations[0].startswith("mrr got worse by 0.1")
    assert result.violations[1].startswith("context_chars got worse by 600")


def test_compare_passes_within_limits_and_on_improvement() -> None:
    before = run_with({"mrr": 0.80, "context_chars": 3000.0}, [question("a", 0.5)])
    after = run_with({"mrr": 0.79, "context_chars": 2000.0}, [question("a", 1.0)])
    result = compare(before, after, Thresholds(max_drop={"mrr": 0.02}, max_rise={"context_chars": 0}))
    assert result.violations == [] and result.worse == []


def test_floors_and_ceilings() -> None:
    run = run_with({"hit_at_k": 0.9, "context_chars": 5200.0, "faithfulness": None}, [])
    limits = Thresholds(floor={"hit_at_k": 0.95, "faithfulness": 0.8}, ceiling={"context_chars": 5000})
    assert check_levels(run, limits) == ["hit_at_k = 0.9 is below the floor 0.95", "context_chars = 5200 is above the ceiling 5000"]


def test_thresholds_file_is_checked(tmp_path: Path) -> None:
    assert Thresholds.load().floor  # the shipped file parses and has floors
    bad = tmp_path / "t.toml"
    bad.write_text("[max_drop]\nhit_rate = 0.1\n")
    with pytest.raises(TutorError, match="unknown metrics: hit_rate"):
        Thresholds.load(bad)
    bad.write_text("[limits]\n")
    with pytest.raises(TutorError, match="unknown section"):
        Thresholds.load(bad)


def test_quality_ranks_abstentions() -> None:
    assert question("u", 0.0, kind="unanswerable", abstained=True).quality == 1.0
    assert question("u", 0.0, kind="unanswerable", abstained=False).quality == 0.0
    assert question("a", 1.0, abstained=True).quality == 0.0
    assert question("a", 0.5).quality == 0.5


# -- judge -----------------------------------------------------------------------------


def test_parse_grade() -> None:
    assert parse_grade('Sure: {"correctness": 1.4, "faithfulness": 0.5, "reason": "ok"}') == {
        "correctness": 1.0,
        "faithfulness": 0.5,
        "reason": "ok",
    }
    assert "error" in parse_grade("I think it is fine.")


def test_judge_goes_through_litellm(workspace: Workspace, tiny_set: Path, notes_dir: Path) -> None:
    item = load_set(tiny_set)[0]
    reply = '{"correctness": 0.75, "faithfulness": 1, "reason": "mostly right"}'
    judge = Judge("openai/gpt-4o-mini", workspace.config, extra={"mock_response": reply})
    grade = judge.grade(item, "Kinesis keeps records for 24 hours [1].", ["Kinesis Data Streams keeps records for 24 hours."])
    assert grade == {"correctness": 0.75, "faithfulness": 1.0, "reason": "mostly right"}


# -- end to end --------------------------------------------------------------------------


def test_evaluate_tiny_set(workspace: Workspace, notes_dir: Path, tiny_set: Path) -> None:
    workspace.ingest([notes_dir])
    items = load_set(tiny_set)
    run = evaluate(workspace, items, sets=[tiny_set], collection="notes", k=3, repeat=2)
    by_id = {q.id: q for q in run.questions}
    assert by_id["kds-retention"].scores["hit_at_k"] == 1.0
    assert by_id["dpu"].scores["mrr"] == 1.0
    assert "mrr" not in by_id["nope"].scores  # no expected span for an unanswerable question
    assert run.metrics["hit_at_k"] == 1.0
    assert 0 < run.metrics["context_chars"] < 3 * 1000
    assert run.config["k"] == 3 and run.config["embedder"] == workspace.embed_model_id
    assert run.config["chunking"]["max_tokens"] == workspace.config.chunk.max_tokens
    # Deterministic: the two passes agree on everything but latency.
    assert all(s["min"] == s["max"] for name, s in run.spread.items() if not name.startswith("latency"))
    if run.config["engine"] != "retrieval-only":
        assert run.metrics["key_fact_recall"] is not None and run.metrics["abstention_correct"] is not None
    text = markdown(run, 2)
    assert "## Worst 2 questions" in text and "**Retrieved:**" in text
    # A repeated run's metrics table has a spread column, filled for every measured metric.
    hit_row = next(line for line in text.splitlines() if line.startswith("| hit@"))
    assert hit_row.count("|") == 4 and "100.0%–100.0%" in hit_row, hit_row


def test_evaluate_in_one_shared_session(workspace: Workspace, notes_dir: Path, tiny_set: Path) -> None:
    from tutor.answer.sessions import SessionStore
    from tutor.evals.runner import evaluate_once

    workspace.ingest([notes_dir])
    items = load_set(tiny_set)
    results, _ = evaluate_once(workspace, items, collection="notes", k=3, session="shared")
    asked = [turn.question for turn in SessionStore(workspace.config.db_path).turns("shared")]
    # Every question lands in the one session, a follow-up right after its own earlier turn.
    assert asked == [items[0].question, items[1].history[0][0], items[1].question, items[2].question, items[3].question]
    assert [r.id for r in results] == [i.id for i in items]
    assert all(r.scores["all_key_facts"] in (0.0, 1.0) for r in results if r.kind != "unanswerable")


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """The real `tutor` entry point, in-process: (exit code, stdout, stderr)."""
    from tutor.cli import main

    monkeypatch.setattr(sys, "argv", ["tutor", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def test_cli_eval_and_compare(
    home: Path, notes_dir: Path, tiny_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli(*args: str) -> tuple[int, str, str]:
        return run_cli(capsys, monkeypatch, *args)

    assert cli("ingest", str(notes_dir))[0] == 0
    code, out, err = cli("eval", "--set", str(tiny_set), "--collection", "notes", "--json", "--report", str(tmp_path / "a"))
    assert code == 0, err
    data = json.loads(out)
    assert data["metrics"]["hit_at_k"] == 1.0 and len(data["questions"]) == 4
    assert (tmp_path / "a" / "report.md").read_text().startswith("# Eval run")

    # A later run that got worse: compare must list the question and fail on the threshold.
    worse = json.loads((tmp_path / "a" / "run.json").read_text())
    worse["metrics"]["mrr"] -= 0.5
    worse["questions"][0]["scores"]["mrr"] = 0.0
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "run.json").write_text(json.dumps(worse))
    code, out, err = cli("eval", "compare", str(tmp_path / "a"), str(tmp_path / "a" / "run.json"))
    assert code == 0, out + err
    code, out, _ = cli("eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 1
    assert "kds-retention" in out and "regression" in out and "mrr" in out

    code, _, err = cli("eval", "--set", str(tmp_path / "nope.jsonl"))
    assert code == 1 and err.strip().startswith("error:") and "no such eval set" in err
