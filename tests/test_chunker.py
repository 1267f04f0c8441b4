from pathlib import Path

import pytest

from tutor.embed import load_tokenizer
from tutor.ingest.chunker import chunk_source
from tutor.ingest.readers import read_source

_tok = load_tokenizer(4096)


def count(text: str) -> int:
    return len(_tok.encode(text, add_special_tokens=False).ids)


def chunks_of(tmp_path: Path, name: str, text: str, max_tokens: int = 200):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return chunk_source(read_source(path, 10**7), max_tokens, 40, count)


SLIDES = """Module 2 - Streaming

Kinesis Data Streams

• Shards are the unit of capacity.
• Default retention is 24 hours, extendable to 365 days.

7

Kinesis Data Streams

• Consumers can use enhanced fan-out.

Copyright Example Training
Amazon SQS

• Standard queues give at-least-once delivery.
Copyright Example Training
Copyright Example Training
"""


def test_slide_headings_become_metadata_and_noise_is_dropped(tmp_path: Path) -> None:
    chunks = chunks_of(tmp_path, "slides.txt", SLIDES)
    by_heading = {c.heading: c for c in chunks}
    assert set(by_heading) == {"Module 2 - Streaming > Kinesis Data Streams", "Module 2 - Streaming > Amazon SQS"}
    kinesis = by_heading["Module 2 - Streaming > Kinesis Data Streams"]
    # The repeated slide title continues the section instead of starting a new one.
    assert "enhanced fan-out" in kinesis.text and "24 hours" in kinesis.text
    all_text = "\n".join(c.text for c in chunks)
    assert "Copyright" not in all_text  # repeated footer
    assert "\n7\n" not in f"\n{all_text}\n"  # lone slide number
    assert (kinesis.start_line, kinesis.end_line) == (5, 12)


def test_markdown_front_matter_and_heading_path(tmp_path: Path) -> None:
    text = "---\ntitle: S3 notes\nexams: [SAA-C03, DEA-C01]\n---\n# S3\n\n## Classes\n- S3 Standard-IA has a 30-day minimum.\n"
    (chunk,) = chunks_of(tmp_path, "s3.md", text)
    assert chunk.heading == "S3 notes > S3 > Classes"
    assert chunk.metadata["exams"] == "SAA-C03, DEA-C01"
    assert (chunk.start_line, chunk.end_line) == (8, 8)


def test_chunks_fit_the_embedder_and_never_split_a_bullet(tmp_path: Path) -> None:
    bullets = [f"- Fact number {i} says that service {i} retains data for {i} days in every region." for i in range(60)]
    text = "# Limits\n\n" + "\n".join(bullets) + "\n"
    chunks = chunks_of(tmp_path, "limits.md", text, max_tokens=120)
    assert len(chunks) > 3
    for chunk in chunks:
        assert count(chunk.embed_text) <= 120
        for line in chunk.text.splitlines():
            assert line in bullets  # whole bullets only
    assert [line for c in chunks for line in c.text.splitlines()] == bullets


def test_overlong_paragraph_splits_at_sentences(tmp_path: Path) -> None:
    sentences = [f"Sentence {i} explains a detail of Amazon Redshift distribution styles." for i in range(50)]
    chunks = chunks_of(tmp_path, "para.txt", " ".join(sentences) + "\n", max_tokens=100)
    assert len(chunks) > 1
    for chunk in chunks:
        assert count(chunk.embed_text) <= 100
        assert chunk.text.rstrip().endswith(".")


def test_ids_are_stable_and_local_to_an_edit(tmp_path: Path) -> None:
    text = "# A\n\n- alpha fact one.\n\n# B\n\n- beta fact two.\n"
    first = chunks_of(tmp_path, "n.md", text)
    again = chunks_of(tmp_path, "n.md", text)
    assert [c.id for c in first] == [c.id for c in again]
    edited = chunks_of(tmp_path, "n.md", "# New intro\n\nSome new text here.\n\n" + text)
    assert {c.id for c in first} <= {c.id for c in edited}  # moved lines keep their ids


@pytest.mark.parametrize("line", ["•", "----", "|||", "Page 4 of 20", "Slide 9", "12 / 40"])
def test_junk_lines_are_noise(tmp_path: Path, line: str) -> None:
    chunks = chunks_of(tmp_path, "j.txt", f"Topic\n\n• real content about DynamoDB.\n{line}\n")
    lines = [text_line for c in chunks for text_line in c.text.splitlines()]
    assert lines == ["• real content about DynamoDB."]


class _Counting:
    """The real token counter, keeping the characters it was given: a cost measure, not a clock."""

    def __init__(self) -> None:
        self.chars = 0

    def __call__(self, text: str) -> int:
        self.chars += len(text)
        return count(text)


@pytest.mark.parametrize("joiner", [" ", ","])  # words, and one giant "word" (a CSV row)
def test_one_long_line_is_tokenised_in_linear_work(tmp_path: Path, joiner: str) -> None:
    line = joiner.join(f"shard{i % 97} retention{i % 13}" for i in range(6000))  # ~130 kB, no sentence end
    path = tmp_path / "dump.txt"
    path.write_text(line + "\n", encoding="utf-8")
    counter = _Counting()
    chunks = chunk_source(read_source(path, 10**7), 160, 40, counter)
    assert counter.chars < 6 * len(line)  # re-counting the growing piece per word read 17-34x the line
    assert all(count(c.embed_text) <= 160 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "").replace(",", "") == line.replace(" ", "").replace(",", "")


# The outline reader's marks, Markdown's "+" and a middle dot among them: one pattern for all readers.
@pytest.mark.parametrize("mark", ["•", "+", "·", "–"])
def test_a_chunk_that_starts_inside_a_list_repeats_the_bullets_it_hangs_under(tmp_path: Path, mark: str) -> None:
    items = "\n".join(f"        {mark} Option {i} transforms every numeric column of the training data in its own way" for i in range(12))
    text = (
        f"Feature Scaling\n\n  {mark} Transforms\n    {mark} Process Numeric\n{items}\n        {mark} Robust Scaler\n"
        f"          {mark} removes the median and scales by the interquartile range\n"
    )
    chunks = chunks_of(tmp_path, "scaling.txt", text, max_tokens=80)
    later = next(c for c in chunks if "removes the median" in c.text)
    assert later is not chunks[0]
    lines = later.text.splitlines()
    assert lines[0].strip() == f"{mark} Transforms" and lines[1].strip() == f"{mark} Process Numeric"  # the parents, as context
    own = text.splitlines()[later.start_line - 1].strip()
    assert own in later.text and "Transforms" not in own  # the cited lines are still its own


SLIDE_EXPORT = """1
Section 2: Storage
LIFECYCLE RULES
Transition – moves objects to a colder class after some days
Expiration – deletes objects after some days

2
Section 2: Storage
Replication Options
Same-Region – copies objects within one Region
• replication needs versioning on both buckets

3
Section 2: Storage
VERSIONING (know this!)
- can be suspended, never turned off once enabled

4
Replication of old versions (off by default)
- only new objects are copied
"""


def test_a_slide_title_needs_no_blank_line_under_it(tmp_path: Path) -> None:
    # An export that lost the blank lines: a line in capitals, or a title-case line right after
    # the slide number or the "Section N:" line, is the slide's title whatever follows it.
    chunks = chunks_of(tmp_path, "export.txt", SLIDE_EXPORT)
    assert [(c.heading, c.start_line) for c in chunks] == [
        ("Section 2: Storage > LIFECYCLE RULES", 4),
        ("Section 2: Storage > Replication Options", 10),
        ("Section 2: Storage > VERSIONING (know this!)", 16),
        ("Section 2: Storage > Replication of old versions (off by default)", 20),
    ]
    assert not any(title in c.text for c in chunks for title in ("LIFECYCLE", "Replication Options", "VERSIONING"))


def test_statements_and_running_headers_are_not_titles(tmp_path: Path) -> None:
    statements = "Storage kinds\n\nBlock storage: disks and SANs (Amazon EBS)\n\nObject storage: large blobs (Amazon S3)\n"
    lines = [line for c in chunks_of(tmp_path, "kinds.txt", statements) for line in c.text.splitlines()]
    assert lines == ["Block storage: disks and SANs (Amazon EBS)", "Object storage: large blobs (Amazon S3)"]
    pages = "".join(f"{n}\nAcme Cloud Training\nPage {n} explains how shard {n} keeps its records.\n\n" for n in range(1, 4))
    chunks = chunks_of(tmp_path, "pages.txt", pages)
    assert all("Acme" not in c.heading and "Acme" not in c.text for c in chunks)  # a footer, under every page number
    flow = "Streaming path\n\nKDS -> KDF -> S3\nFirehose buffers the records before it writes them.\n"
    assert [c.heading for c in chunks_of(tmp_path, "flow.txt", flow)] == ["Streaming path"]  # a flow of acronyms is a note
