"""Offline question generation, verification, the bank (stale marking, FSRS) and exports.

One small set of real corpus notes is ingested once per session; each test works on a
copy of that data dir, so banks never leak between tests.
"""

from __future__ import annotations

import itertools
import json
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tutor.questions import QuestionBank, generate, verify
from tutor.questions.claims import CHOOSE, DEFINITION, SCENARIO, read_claim
from tutor.questions.export import to_anki, to_json, to_markdown
from tutor.questions.offline import OfflineWriter
from tutor.questions.question import Question, parse_choice
from tutor.questions.requirement import defects
from tutor.questions.verify import check_structure, key_is_longest, same_fact, same_family
from tutor.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


# -- claims ------------------------------------------------------------------------------


def test_claims_read_the_three_shapes(qws: Workspace) -> None:
    cat = qws.catalog
    scenario = read_claim("Existing on-premises Kafka applications move to AWS -> Amazon MSK.", cat)
    assert scenario and scenario.shape == SCENARIO and [s.short_name for s in scenario.answers] == ["MSK"]
    choose = read_claim("Choose Amazon Redshift over Athena for heavy, repeated BI workloads with many concurrent users.", cat)
    assert choose and choose.shape == CHOOSE
    assert [s.short_name for s in choose.answers] == ["Redshift"] and [s.short_name for s in choose.rejected] == ["Athena"]
    assert choose.need.startswith("heavy, repeated BI workloads")
    definition = read_claim("Amazon Athena is a serverless, interactive query service that runs standard SQL on data in Amazon S3.", cat)
    assert definition and definition.shape == DEFINITION and definition.need.startswith("a serverless, interactive query")
    assert read_claim("Amazon SQS is not a stream: once a consumer deletes a message it is gone.", cat) is None
    assert read_claim("Partitioning reduces the data scanned.", cat) is None


def test_parse_choice() -> None:
    assert parse_choice("b", 4) == [1]
    assert parse_choice("A, c", 5) == [0, 2]
    assert parse_choice("E", 4) is None
    assert parse_choice("", 4) is None


# -- offline generation --------------------------------------------------------------------


def test_offline_generation_writes_verified_cited_questions(qws: Workspace) -> None:
    report = generate(qws, n=6, collection="notes")
    assert len(report.accepted) == 6
    for q in report.accepted:
        assert len(q.options) == 4 and len(q.keys) == 1 and len(q.explanations) == 4
        assert q.verdict["passed"] and q.verdict["structure"] and q.verdict["grounding"]
        assert q.verdict["solve"]["chosen"] == q.keys and q.verdict["solve"]["method"] == "ask"
        assert "Which AWS service" in q.stem and q.topic and q.domain
        cited = {c.n: c for c in q.citations}
        key_ref = cited[1]
        assert key_ref.chunk_id == q.source_chunks[0][0]
        assert q.options[q.keys[0]].split()[-1] in key_ref.text  # the key is named in the chunk it cites
        assert all("[" in e for e in q.explanations)
        assert sum("Correct." in e for e in q.explanations) == 1
    # Keys spread over positions, and the key is not systematically the longest option.
    assert len({q.keys[0] for q in report.accepted}) >= 3
    assert report.key_longest_share <= qws.config.questions.key_longest_max_share
    bank = QuestionBank(qws)
    assert {q.id for q in bank.all()} == {q.id for q in report.accepted}
    assert bank.get(report.accepted[0].id).verdict == report.accepted[0].verdict


def test_regenerating_does_not_duplicate_bank_questions(qws: Workspace) -> None:
    first = generate(qws, n=4, collection="notes")
    second = generate(qws, n=4, collection="notes")
    stems = [q.stem for q in first.accepted + second.accepted]
    assert len(stems) == len(set(stems))
    bank = QuestionBank(qws)
    copy = Question.from_dict(first.accepted[0].to_dict())
    assert bank.duplicate_of(copy, qws.config.questions.duplicate_similarity) == copy.id


def test_choose_two_questions(qws: Workspace) -> None:
    report = generate(qws, n=2, kind="multi", collection="notes")
    assert report.accepted
    for q in report.accepted:
        assert "(Choose TWO.)" in q.stem and len(q.options) == 5 and len(q.keys) == 2
        assert q.verdict["passed"]


def test_topic_focuses_generation(qws: Workspace) -> None:
    report = generate(qws, topic="Apache Kafka", n=2, collection="notes")
    assert report.accepted and any("MSK" in q.options[q.keys[0]] for q in report.accepted)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda q: q.keys.__setitem__(0, (q.keys[0] + 1) % 4), "independent solve picked"),
        (lambda q: q.keys.__setitem__(0, (q.keys[0] + 1) % 4), "named as an answer for this need"),
        (lambda q: q.options.__setitem__(q.keys[0] - 1, q.options[q.keys[0]]), "near-duplicates"),
        (lambda q: q.keys.append(9), "out of range"),
        (lambda q: q.options.pop(), "3 options"),
        # A model's draft may offer a service the exams no longer ask about.
        (lambda q: q.options.__setitem__((q.keys[0] + 1) % 4, "AWS Snowmobile"), "discontinued service"),
    ],
)
def test_verification_rejects_broken_questions(qws: Workspace, mutate, reason: str) -> None:
    q = generate(qws, n=1, collection="notes").accepted[0]
    assert verify(qws, q, "notes") == []
    mutate(q)
    reasons = verify(qws, q, "notes")
    assert any(reason in r for r in reasons), reasons
    assert q.verdict["passed"] is False


def test_key_longest_is_measured(qws: Workspace) -> None:
    q = generate(qws, n=1, collection="notes").accepted[0]
    q.options[q.keys[0]] = q.options[q.keys[0]] + " with a much longer and more detailed description"
    assert key_is_longest(q)
    assert check_structure(q, qws.config.questions, qws.catalog) == []


# -- soundness: stems, distractors, facts, difficulty ------------------------------------------


@pytest.mark.parametrize(
    ("need", "reason"),
    [
        ("replaces the old connector for a few of these targets", "refers to something outside"),
        ("requirement: AWS::Glue::Crawler with a schedule", "code or template syntax"),
        ("Ex: an on-premises Oracle database", "example fragment"),
        ("works with static and dynamic content (for ex.", "cut off"),
        ("buckets allow you to keep objects for years", "subject is not the service"),
        ("templates can be written in HCL", "subject is not the service"),
        ("serves slide 14 content fast", "slide or section number"),
        ("buckets", "too short"),
    ],
)
def test_fragments_never_become_stems(need: str, reason: str) -> None:
    assert any(reason in r for r in defects(need, need)), defects(need, need)


def test_complete_requirements_pass() -> None:
    for need in (
        "Analysts need occasional SQL on logs in S3 with no infrastructure",
        "handles data types like strings, numbers and lists",
        "logs account activity",
    ):
        assert defects(need, need) == [], need


def test_offline_options_are_sound(qws: Workspace) -> None:
    report = generate(qws, n=8, collection="notes")
    assert report.accepted
    for q in report.accepted:
        services = [qws.catalog.lookup(o) for o in q.options]
        assert all(services)
        assert not any(same_family(a, b) for a, b in itertools.combinations(services, 2)), q.options  # type: ignore[arg-type]
        assert q.topic in q.options  # the topic names the key's service, not a heading
        assert q.fact.startswith(q.options[q.keys[0]] + " | ")
        for i, e in enumerate(q.explanations):
            assert e.startswith("Correct." if i in q.keys else "Incorrect.")
    facts = [q.fact for q in report.accepted]
    assert not any(same_fact(a, b, qws.config.questions.fact_similarity) for a, b in itertools.combinations(facts, 2))


def test_the_same_fact_at_another_difficulty_is_a_duplicate(qws: Workspace) -> None:
    first = generate(qws, n=3, collection="notes", difficulty=2).accepted
    again = generate(qws, n=3, collection="notes", difficulty=3)
    known = {q.fact for q in first}
    assert not any(q.fact in known for q in again.accepted)
    assert any("duplicate" in r for rejection in again.rejected for r in rejection.reasons)


def test_difficulty_changes_the_distractors(qws: Workspace) -> None:
    writer = {d: OfflineWriter(qws, "notes", qws.config.questions, difficulty=d) for d in (1, 3)}
    chunks = qws.index("notes").all()
    # A "choose X over Y" claim whose section gives its key a second requirement (difficulty 3 asks both).
    cand, hard = next((c, q) for c in writer[1].candidates(chunks) if c.claim.rejected and isinstance(q := writer[3].write(c), Question))
    easy = writer[1].write(cand)
    assert isinstance(easy, Question) and isinstance(hard, Question)
    key = cand.claim.answers[0]
    easy_wrong = [qws.catalog.lookup(o) for i, o in enumerate(easy.options) if i not in easy.keys]
    assert all(s is not None and s.category != key.category for s in easy_wrong), easy.options  # plainly different jobs
    assert cand.claim.rejected[0].name in hard.options  # the near miss the notes weigh against the key
    assert easy.options != hard.options


def test_questions_on_one_key_do_not_share_their_wrong_options(qws: Workspace) -> None:
    batch: list[Question] = []
    writer = OfflineWriter(qws, "notes", qws.config.questions, accepted=batch)
    by_key: dict[str, list[Question]] = {}
    for cand in writer.candidates(qws.index("notes").all()):
        q = writer.write(cand)
        if isinstance(q, Question):
            batch.append(q)
            by_key.setdefault(q.options[q.keys[0]], []).append(q)
    repeated = [qs for qs in by_key.values() if len(qs) >= 2]
    assert repeated, sorted(by_key)
    for first, second, *_ in repeated:
        wrong = [{o for i, o in enumerate(q.options) if i not in q.keys} for q in (first, second)]
        assert wrong[0] != wrong[1], (first.stem, second.stem, wrong)


def test_topic_filter_keeps_to_the_subject(qws: Workspace) -> None:
    report = generate(qws, topic="Amazon Athena", n=2, collection="notes")
    assert report.accepted and all("Athena" in q.topic for q in report.accepted)
    none = generate(qws, topic="Amazon Braket", n=1, collection="notes")
    assert not none.accepted and none.facts == 0 and "no facts on 'Amazon Braket'" in none.shortfall()[1]


# -- bank: stale, FSRS, progress -----------------------------------------------------------


def test_changed_source_chunk_marks_question_stale(qws: Workspace) -> None:
    report = generate(qws, n=3, collection="notes")
    bank = QuestionBank(qws)
    target = report.accepted[0]
    source = Path(target.citations[0].source)
    # Same path as ingested: rewrite the file in place (it lives in the module's notes copy),
    # then restore it so other tests see the original.
    original = source.read_text(encoding="utf-8")
    try:
        source.write_text(original.replace(target.citations[0].text.splitlines()[0], "- This bullet was rewritten."), encoding="utf-8")
        qws.ingest([source], "notes")
        assert bank.mark_stale() >= 1
        assert bank.get(target.id).stale
        assert target.id not in {q.id for q in bank.due(10)}
        assert any(not q.stale for q in bank.all())
    finally:
        source.write_text(original, encoding="utf-8")


def test_grading_schedules_with_fsrs_and_logs_reviews(qws: Workspace) -> None:
    report = generate(qws, n=3, collection="notes")
    bank = QuestionBank(qws)
    right, wrong, fresh = report.accepted
    g1 = bank.grade(right.id, right.keys)
    g2 = bank.grade(wrong.id, [(wrong.keys[0] + 1) % 4])
    assert g1.correct and not g2.correct and g2.keys == wrong.keys and len(g2.explanations) == 4
    logs = bank.reviews()
    assert [(r["question_id"], r["correct"], r["rating"]) for r in logs] == [(right.id, 1, 3), (wrong.id, 0, 1)]
    due_good = bank.db.execute("SELECT due FROM cards WHERE question_id = ?", (right.id,)).fetchone()[0]
    due_again = bank.db.execute("SELECT due FROM cards WHERE question_id = ?", (wrong.id,)).fetchone()[0]
    assert due_again < due_good  # Again comes back sooner than Good
    # Nothing is due yet, so unseen questions come first; once the missed card is due, it leads.
    assert [q.id for q in bank.due(1)] == [fresh.id]
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    bank.db.execute("UPDATE cards SET due = ? WHERE question_id = ?", (past, wrong.id))
    assert [q.id for q in bank.due(2)] == [wrong.id, fresh.id]


def test_progress_and_weakest_topic_first(qws: Workspace) -> None:
    report = generate(qws, n=10, collection="notes")
    bank = QuestionBank(qws)
    counts = Counter(q.topic for q in report.accepted)
    assert len(counts) >= 2
    # The weak topic needs a second, unseen question for due() to serve next.
    weak = next(t for t, n in sorted(counts.items()) if n >= 2)
    strong = next(t for t in sorted(counts) if t != weak)
    for q in report.accepted:
        if q.topic == weak:
            bank.grade(q.id, [(q.keys[0] + 1) % 4])
            break
    for q in report.accepted:
        if q.topic == strong:
            bank.grade(q.id, q.keys)
            break
    progress = {p.topic: p for p in bank.progress()}
    assert (progress[weak].answered, progress[weak].correct, progress[weak].accuracy) == (1, 0, 0.0)
    assert progress[strong].accuracy == 1.0
    new = bank.due(1)
    assert new[0].topic == weak


def test_exports(qws: Workspace, tmp_path: Path) -> None:
    questions = generate(qws, n=2, collection="notes").accepted
    data = json.loads(to_json(questions))
    assert [d["id"] for d in data] == [q.id for q in questions]
    assert Question.from_dict(data[0]) == questions[0]
    md = to_markdown(questions)
    assert questions[0].stem in md and f"**Answer: {questions[0].key_letters}**" in md
    path = tmp_path / "deck.apkg"
    assert to_anki(questions, path) == 2
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()


def test_retrieval_solve_without_the_answer_engine(qws: Workspace) -> None:
    qws.config.questions.solve_with = "retrieval"
    report = generate(qws, n=2, collection="notes")
    assert [q.verdict["solve"]["method"] for q in report.accepted] == ["retrieval", "retrieval"]
    q = report.accepted[0]
    q.keys = [(q.keys[0] + 1) % 4]
    assert any("independent solve picked" in r for r in verify(qws, q, "notes"))
