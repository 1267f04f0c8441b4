"""Flashcards: read off small slide-style notes written here, banked, rated with FSRS, exported."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fsrs import Rating
from typer.testing import CliRunner

from tutor.cli import _register, app
from tutor.config import CardsConfig
from tutor.questions import QuestionBank, generate
from tutor.questions.cards import CLOZE, DEFINITION, GAP, NoteLine, cards_from, note_lines, read_cards
from tutor.questions.export import cloze_text, to_anki
from tutor.store.index import StoredChunk
from tutor.workspace import Workspace

_register()

SLIDES = """\
Streaming Services

Amazon Kinesis Data Streams

  • Kinesis Data Streams keeps records for 24 hours by default.
  • Retention can be raised to at most 365 days for extra cost.
  • Shard – the unit of throughput of a stream, with its own sequence of records.
  • It is also cheaper than this.
  • see the following diagram for 3 shards
  • {{ stream_name }} = 2 shards by default

Amazon SQS

  • Visibility timeout – how long a received message stays hidden from other consumers.
  • A message can be delayed for up to 15 minutes with a delivery delay.
  • Message retention:
    • from 1 minute to 14 days, 4 days by default
"""


def _line(text: str, heading: str = "Streaming > Amazon SQS") -> NoteLine:
    chunk = StoredChunk(id="c1", text=text, source="n.txt", heading=heading, start_line=3, end_line=3, ordinal=0, content_hash="h")
    return NoteLine(text, 3, chunk)


@pytest.mark.parametrize(
    ("text", "shape", "back"),
    [
        ("Kinesis Data Streams keeps records for 24 hours by default.", CLOZE, "24 hours"),
        ("A PutRecords request can contain up to 500 records.", CLOZE, "500 records"),
        ("Visibility timeout – how long a received message stays hidden from consumers.", DEFINITION, "how long a received message"),
        ("Amazon Athena is a serverless query service that runs SQL on S3.", DEFINITION, "a serverless query service"),
    ],
)
def test_lines_that_make_cards(text: str, shape: str, back: str) -> None:
    cards, reasons = read_cards(_line(text), CardsConfig())
    assert not reasons and cards and cards[0].shape == shape
    assert cards[0].back.startswith(back) and cards[0].front.count(GAP) == 1
    assert back not in cards[0].front  # the gap hides the answer


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("24 hours", "a fragment"),
        ("This keeps records for 24 hours by default.", "points elsewhere"),
        ("See the following diagram: it uses 3 shards by default.", "points elsewhere"),
        ("retention = {{ days }} days, 7 days by default", "code or template syntax"),
        ("What happens after 24 hours by default?", "a question"),
        ("Supports up to 5 consumers, and the rest is on the next slide …", "cut off"),
        ("Important: takes metric data points stamped as far as two weeks back.", "no number or definition"),
        ("Works for any point in the last 35 days of backups.", "no number or definition"),
        ("The kms:Decrypt permission lets you encrypt the later parts of an upload.", "no number or definition"),
        ("Ordered – suits data where timing matters, like rows sorted by date.", "no number or definition"),
        ("A call then waits for one request to finish before it returns.", "no number or definition"),
        ("Write PerformanceFaster – adds whole rows at onceSlower to read back", "table cells run together"),
        ("Optionally turned on to cover the last 35 days of backups.", "no number or definition"),
        ("One DNS name – apps fail over to the standby instance by themselves.", "no number or definition"),
        ("Pathing (ex – for tracking players and studying sports matches)", "no number or definition"),
        ("Lens – serverless, analytics, machine learning, SaaS, etc.", "no number or definition"),
        ("Push model – If the caller waits for the result of the call.", "no number or definition"),
        ("Custom metrics can be stored at 1/5/10/30 seconds at most.", "no number or definition"),  # one item of a list
        ("A catalog table can have at most 3 partition indexes for faster lookups.", "no number or definition"),  # half a compound
        ("One WCU is one write per second of up to 1 KB; a transactional write costs two WCUs per 1 KB.", "no number or definition"),
    ],
)
def test_lines_that_do_not(text: str, why: str) -> None:
    cards, reasons = read_cards(_line(text), CardsConfig())
    assert not cards and reasons and reasons[0].startswith(why)


OUTLINE = """\
  • Metric alarms – watch one metric against a threshold.
  • EventBridge (formerly CloudWatch Events)
    • Schema – the structure template of an event, in JSON.
  • Logs: collect and store log files
    • export
      • to Amazon S3 as a batch job that runs for at most 12 hours
  • Standard-IA cuts storage costs by up to 60 percent
compared to the Standard class.
  • Continuous backups are kept with point-in-time recovery, which restores to any second, and is billed by the GB.
    • Enabled by default, reaching back 35 days.
    • Fine-grained windows – every 10 seconds, or any multiple of 60 seconds.
  • Alarm states:
    • OK, ALARM or INSUFFICIENT_DATA
  • Settings
    • Evaluation period – how many recent data points decide the state of an alarm.
"""


def _note_file(path: Path, text: str, heading: str) -> StoredChunk:
    """``text`` written to ``path`` and read back as one chunk of it, so a card cites the file's own lines."""
    path.write_text(text, encoding="utf-8")
    lines = len(text.splitlines())
    return StoredChunk(id="c1", text=text, source=str(path), heading=heading, start_line=1, end_line=lines, ordinal=0, content_hash="h")


def test_an_outline_item_names_its_parent_and_wrapped_lines_are_joined(tmp_path: Path) -> None:
    chunk = _note_file(tmp_path / "monitoring.txt", OUTLINE, "AWS CloudWatch")
    lines = {n.text.split(" –")[0]: n for n in note_lines(chunk)}
    assert lines["Schema"].lead_in == "EventBridge (formerly CloudWatch Events)"  # not CloudWatch's schema
    assert lines["to Amazon S3 as a batch job that runs for at most 12 hours"].lead_in == "Logs › export"
    joined = lines["Standard-IA cuts storage costs by up to 60 percent compared to the Standard class."]
    assert (joined.line, joined.last_line) == (7, 8)
    # the parent of the last item is a whole sentence: it names nothing, so the item has no lead-in
    assert lines["Enabled by default, reaching back 35 days."].lead_in == ""
    assert lines["Evaluation period"].lead_in == "Settings"  # a sibling of the "Alarm states:" lead-in, not its item
    cards, _ = cards_from([chunk], CardsConfig())
    fronts = {c.to_question("notes").stem: c for c in cards}
    assert "AWS CloudWatch › EventBridge (formerly CloudWatch Events): Schema — ___" in fronts
    assert "AWS CloudWatch › Logs › export: to Amazon S3 as a batch job that runs for at most ___" in fronts
    assert not any(c.back == "35 days" for c in cards)  # "Enabled for ..." under a sentence: enabled what?
    assert not any(c.line.text.startswith("Fine-grained") for c in cards)  # a case of the sentence above, not a definition
    ia = next(c for c in cards if c.back == "60 percent")
    q = ia.to_question("notes")
    assert (q.citations[0].start_line, q.citations[0].end_line) == (7, 8) and "compared to the Standard class" in q.stem


TRACE_TABLE = """\
X-Ray concepts:

| Concept | Meaning |
|---|---|
| Segment | the part of a trace that one service records |
| Annotation | key-value data on a trace that is indexed for filtering |
"""


def test_a_table_row_is_read_as_the_outline_reads_it_and_cites_its_row(tmp_path: Path) -> None:
    chunk = _note_file(tmp_path / "xray.md", TRACE_TABLE, "AWS X-Ray")
    cards, _ = cards_from([chunk], CardsConfig())
    by_front = {c.front: c for c in cards}
    annotation = by_front[f"Annotation — {GAP}"]
    assert annotation.back == "key-value data on a trace that is indexed for filtering."
    assert annotation.line.line == 6 and annotation.line.lead_in == ""
    assert not any("|" in c.front or "Concept" in c.front for c in cards)  # the header row names columns, it is no card


@pytest.fixture
def slides(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("streaming.txt", SLIDES)
    return workspace


def test_generate_cards_cite_their_line_and_read_on_their_own(slides: Workspace) -> None:
    report = generate(slides, n=20, kind="card")
    cards = report.accepted
    lines = SLIDES.splitlines()
    backs = {q.options[0] for q in cards}
    assert {"24 hours", "365 days", "15 minutes"} <= backs
    assert not any("following" in q.stem or "{{" in q.stem or q.stem.startswith("It ") for q in cards)
    for q in cards:
        c = q.citations[0]
        assert c.start_line == c.end_line
        assert q.options[0] in lines[c.start_line - 1] or q.options[0].rstrip(".") in lines[c.start_line - 1]
    # a list item under a lead-in keeps it, and every card names its slide
    retention = next(q for q in cards if "4 days" in q.options[0] or "14 days" in q.options[0] or "1 minute" in q.options[0])
    assert "Message retention" in retention.stem and "Amazon SQS" in retention.stem
    assert all("Amazon Kinesis Data Streams" in q.stem or "Amazon SQS" in q.stem for q in cards)
    # regenerating finds every card in the bank already
    again = generate(slides, n=20, kind="card")
    assert not again.accepted and all("duplicate" in r.reasons[0] for r in again.rejected)


def test_cards_take_four_ratings_and_are_scheduled(slides: Workspace) -> None:
    q = generate(slides, n=1, kind="card").accepted[0]
    bank = QuestionBank(slides)
    bank.rate(q.id, Rating.Easy)
    easy_due = bank.db.execute("SELECT due FROM cards WHERE question_id = ?", (q.id,)).fetchone()[0]
    other = generate(slides, n=1, kind="card").accepted[0]
    bank.rate(other.id, Rating.Again)
    again_due = bank.db.execute("SELECT due FROM cards WHERE question_id = ?", (other.id,)).fetchone()[0]
    assert again_due < easy_due
    assert [(r["rating"], r["correct"]) for r in bank.reviews()] == [(int(Rating.Easy), 1), (int(Rating.Again), 0)]


def test_quiz_reveals_the_back_and_takes_a_rating(slides: Workspace) -> None:
    generate(slides, n=2, kind="card")
    result = CliRunner().invoke(app, ["quiz", "-n", "2"], input="\n7\ngood\n\n1\n")
    assert result.exit_code == 0, result.output
    assert "Card 1/2" in result.stdout and "rate with 1-4" in result.stdout  # "7" is not a rating
    assert "records for 24 hours by default" in result.stdout  # the cited line is shown with the back
    ratings = [r["rating"] for r in QuestionBank(slides).reviews()]
    assert ratings == [int(Rating.Good), int(Rating.Again)]


def test_anki_export_writes_cloze_notes(slides: Workspace, tmp_path: Path) -> None:
    cards = generate(slides, n=3, kind="card").accepted
    assert "{{c1::" + cards[0].options[0] in cloze_text(cards[0])
    path = tmp_path / "cards.apkg"
    assert to_anki(cards, path) == 3
    with zipfile.ZipFile(path) as z:
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = [row[0] for row in db.execute("SELECT flds FROM notes")]
    assert len(notes) == 3 and all("{{c1::" in n and "streaming.txt:" in n for n in notes)
