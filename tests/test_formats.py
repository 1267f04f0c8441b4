"""Notes in the formats students have: real files built with the libraries, read, chunked,
ingested into a real Chroma with the real embedder, and searched."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from note_files import make_deck, make_document, make_epub, make_pdf, make_workbook

from tutor.answer.citations import Citation
from tutor.ingest.chunker import Chunk, chunk_source
from tutor.ingest.readers import SourceText, UnreadableFile, read_source
from tutor.workspace import Workspace

LIMIT = 10**7

KINESIS_DECK = [
    {"title": "Streaming on AWS", "bullets": ["A course deck for DEA-C01"]},
    {
        "title": "Kinesis Data Streams",
        "bullets": ["Shards are the unit of capacity", (1, "Each shard accepts 1 MB/s of writes")],
        "notes": "Remind the class: producers retry throttled PutRecord calls with exponential backoff.",
    },
    {
        "title": "Retention by service",
        "table": [["Service", "Default retention"], ["Kinesis Data Streams", "24 hours"], ["Amazon MSK", "7 days"]],
    },
    {"bullets": ["Enhanced fan-out gives each consumer 2 MB/s per shard"]},  # no title: a continuation
]


def words(text: str) -> int:
    return len(text.split())


def chunks_of(source: SourceText) -> list[Chunk]:
    return chunk_source(source, 160, 40, words)


def test_deck_titles_bullets_tables_notes_and_slide_numbers(tmp_path: Path) -> None:
    source = read_source(make_deck(tmp_path / "deck.pptx", KINESIS_DECK), LIMIT)
    assert source.page_unit == "slide"
    by_slide: dict[int, list[str]] = {}
    for line, slide in zip(source.lines, source.pages, strict=True):
        if line:
            by_slide.setdefault(slide, []).append(line)
    assert by_slide[2][0] == "# Kinesis Data Streams"
    assert "  - Each shard accepts 1 MB/s of writes" in by_slide[2]
    assert "Speaker notes:" in by_slide[2] and any("backoff" in line for line in by_slide[2])
    assert "- Service: Amazon MSK; Default retention: 7 days" in by_slide[3]
    assert by_slide[4] == ["- Enhanced fan-out gives each consumer 2 MB/s per shard"]

    chunks = chunks_of(source)
    notes = next(c for c in chunks if "backoff" in c.text)
    assert (notes.heading, notes.page, notes.page_unit) == ("Kinesis Data Streams", 2, "slide")
    # The untitled slide goes on under the title before it, but is cited as its own slide.
    fan_out = next(c for c in chunks if "fan-out" in c.text)
    assert (fan_out.heading, fan_out.page) == ("Retention by service", 4)
    assert all(source.pages[c.start_line - 1] == source.pages[c.end_line - 1] == c.page for c in chunks)


def test_slides_with_one_title_are_still_cited_slide_by_slide(tmp_path: Path) -> None:
    deck = [{"title": "Amazon S3", "bullets": [f"S3 fact number {n} about storage classes"]} for n in range(1, 4)]
    chunks = chunks_of(read_source(make_deck(tmp_path / "s3.pptx", deck), LIMIT))
    assert [(c.heading, c.page) for c in chunks] == [("Amazon S3", 1), ("Amazon S3", 2), ("Amazon S3", 3)]


def test_smartart_text_is_read(tmp_path: Path) -> None:
    deck = [{"title": "A data pipeline", "smartart": ["Ingest with Kinesis", "Transform with Glue", "Query with Athena"]}]
    source = read_source(make_deck(tmp_path / "diagram.pptx", deck), LIMIT)
    assert [line for line in source.lines if line] == [
        "# A data pipeline",
        "- Ingest with Kinesis",
        "- Transform with Glue",
        "- Query with Athena",
    ]


def test_deck_sections_head_their_slides(tmp_path: Path) -> None:
    deck = [
        {"title": "Kinesis", "bullets": ["Shards"]},
        {"title": "Firehose", "bullets": ["Buffers"]},
        {"title": "Glue", "bullets": ["DPUs"]},
    ]
    path = make_deck(tmp_path / "course.pptx", deck, sections=[("Module 1: Streaming", 2), ("Module 2: Processing", 1)])
    chunks = chunks_of(read_source(path, LIMIT))
    assert [(c.heading, c.page) for c in chunks] == [
        ("Module 1: Streaming > Kinesis", 1),
        ("Module 1: Streaming > Firehose", 2),
        ("Module 2: Processing > Glue", 3),
    ]


def test_slide_reads_top_to_bottom_and_drops_footers(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    for top, text in ((5, "Second: Glue crawlers fill the Data Catalog"), (1, "First: Athena reads the Data Catalog")):
        slide.shapes.add_textbox(Inches(1), Inches(top), Inches(8), Inches(1)).text_frame.text = text
    for placeholder in slide.slide_layout.placeholders:  # footer, date and slide number, as PowerPoint adds them
        slide.shapes.clone_placeholder(placeholder)
    for shape in slide.placeholders:
        shape.text_frame.text = "ACME training, confidential"
    assert len(slide.placeholders) == 3
    deck.save(str(tmp_path / "order.pptx"))
    lines = [line for line in read_source(tmp_path / "order.pptx", LIMIT).lines if line]
    assert lines == ["- First: Athena reads the Data Catalog", "- Second: Glue crawlers fill the Data Catalog"]


def test_document_headings_lists_and_tables(tmp_path: Path) -> None:
    path = make_document(
        tmp_path / "guide.docx",
        [
            ("title", "Data Engineer study guide"),
            ("h1", "Streaming"),
            ("p", "Kinesis Data Streams stores records in shards."),
            ("h2", "Limits"),
            ("bullet", "A shard takes 1 MB/s of writes."),
            ("number", "Reads are 2 MB/s per shard."),
            ("table", [["Quota", "Value"], ["Retention", "365 days"]]),
            ("h1", "Batch"),
            ("p", "AWS Glue runs Spark jobs."),
        ],
    )
    source = read_source(path, LIMIT)
    assert "- A shard takes 1 MB/s of writes." in source.lines
    assert "- Reads are 2 MB/s per shard." in source.lines
    assert "- Quota: Retention; Value: 365 days" in source.lines
    headings = {c.heading: c.text for c in chunks_of(source)}
    assert headings["Data Engineer study guide > Streaming > Limits"].count("\n") == 2
    assert "Glue" in headings["Data Engineer study guide > Batch"]
    assert all(c.page is None for c in chunks_of(source))


def test_ebook_chapters_become_headings_and_the_toc_is_not_content(tmp_path: Path) -> None:
    path = make_epub(
        tmp_path / "book.epub",
        [
            ("Streaming", "<h1>Streaming</h1><h2>Kinesis</h2><p>Kinesis keeps records 24 hours by default.</p>"),
            ("Warehousing", "<p>Redshift is a columnar data warehouse.</p>"),  # no heading of its own
        ],
    )
    chunks = chunks_of(read_source(path, LIMIT))
    assert {c.heading: c.text for c in chunks} == {
        "Study guide > Streaming > Kinesis": "Kinesis keeps records 24 hours by default.",
        "Study guide > Warehousing": "Redshift is a columnar data warehouse.",
    }


def test_notebook_markdown_cells_with_code_as_context(tmp_path: Path) -> None:
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Athena\n", "Athena bills per TB scanned.\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["OUTPUT NOT NOTES\n"]}],
                "source": "# partition pruning cuts the bill\nquery('SELECT 1')",
            },
        ],
    }
    path = tmp_path / "athena.ipynb"
    path.write_text(json.dumps(notebook))
    chunks = chunks_of(read_source(path, LIMIT))
    assert [c.heading for c in chunks] == ["Athena"]  # the code comment is not a heading
    assert "partition pruning" in chunks[0].text and "OUTPUT NOT NOTES" not in chunks[0].text

    # A plot in an output weighs more than the notes may: the limit is on the cells' text.
    plot = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo" * 5000}}
    notebook["cells"][1]["outputs"].append(plot)  # type: ignore[index]
    path.write_text(json.dumps(notebook))
    assert path.stat().st_size > 50_000
    assert read_source(path, 5_000, max_package_bytes=10**7).lines == read_source(path, LIMIT).lines
    with pytest.raises(UnreadableFile, match="too large"):
        read_source(path, 5_000)

    code_only = tmp_path / "scratch.ipynb"
    code_only.write_text(json.dumps({**notebook, "cells": notebook["cells"][1:]}))
    with pytest.raises(UnreadableFile, match="no Markdown cells"):
        read_source(code_only, LIMIT)


def test_csv_and_workbook_rows_name_their_columns(tmp_path: Path) -> None:
    csv_path = tmp_path / "limits.csv"
    csv_path.write_text('Service,Limit\nKinesis,"1 MB/s\nper shard"\nSQS,256 KB message\n')
    source = read_source(csv_path, LIMIT)
    assert source.lines[1] == "- Service: Kinesis; Limit: 1 MB/s per shard"  # the row's first line
    assert source.lines[3] == "- Service: SQS; Limit: 256 KB message"

    book = make_workbook(tmp_path / "quotas.xlsx", {"Streaming": [["Service", "Quota"], ["Kinesis", 1000], [None, None]], "Empty": []})
    chunks = chunks_of(read_source(book, LIMIT))
    assert [(c.heading, c.text) for c in chunks] == [("Streaming", "- Service: Kinesis; Quota: 1000")]


def test_markdown_vault_links_front_matter_and_hidden_folders(workspace: Workspace, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": "attachments"}')
    (vault / "attachments").mkdir()
    (vault / "attachments" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (vault / "Kinesis.md").write_text(
        "---\ntags: [streaming, dea]\naliases: [KDS]\n---\n# Kinesis\n"
        "Records stay 24 hours, see [[Retention|the retention note]] and [[S3#Storage classes]].\n"
        "![[diagram.png]] %%check this%%\n"
    )
    report = workspace.ingest([vault])
    assert (report.added, report.failed) == (1, [])
    texts = workspace.index("notes").vectors.get(include=["documents"])["documents"]
    assert texts == ["Records stay 24 hours, see the retention note and S3 > Storage classes."]


def test_pdf_deck_keeps_one_page_per_slide(tmp_path: Path) -> None:
    path = tmp_path / "deck.pdf"
    # The same title on three slides, one short bullet each: one chunk would fit them all.
    path.write_bytes(make_pdf([["Amazon SQS", f"- Fact {n}: the visibility timeout hides message {n}."] for n in range(1, 4)]))
    chunks = chunks_of(read_source(path, LIMIT))
    assert [(c.heading, c.page) for c in chunks] == [("Amazon SQS", 1), ("Amazon SQS", 2), ("Amazon SQS", 3)]
    assert all(c.page_unit == "page" and c.text.startswith(f"- Fact {c.page}") for c in chunks)


@pytest.mark.parametrize(("user_password", "readable"), [("", True), ("exam2026", False)])
def test_encrypted_pdf_reads_only_without_a_real_password(tmp_path: Path, user_password: str, readable: bool) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Amazon SQS", "- Messages are kept 4 days by default."]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        writer.write(f)
    if readable:
        assert "- Messages are kept 4 days by default." in read_source(path, LIMIT).lines
    else:
        with pytest.raises(UnreadableFile, match="password-protected PDF"):
            read_source(path, LIMIT)


def test_deck_search_cites_the_slide(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    make_deck(notes / "streaming.pptx", KINESIS_DECK)
    workspace.ingest([notes])
    top = workspace.search("what should a producer do when PutRecord is throttled", collection="notes")[0]
    assert top.page == 2 and top.location.endswith("(slide 2)"), top.location
    # What `tutor ask`, session exports and questions print under an answer.
    assert Citation.of(1, top).location == top.location
    stored = workspace.index("notes").chunks([top.chunk_id])[top.chunk_id]  # a citation read back from the index
    assert Citation.of(1, stored).location == top.location


def test_cli_search_on_a_deck_says_slide(home: Path, tmp_path: Path) -> None:
    make_deck(tmp_path / "streaming.pptx", KINESIS_DECK)
    env = {**os.environ, "TUTOR_HOME": str(home), "COLUMNS": "200"}

    def tutor(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, timeout=300)

    assert tutor("ingest", str(tmp_path / "streaming.pptx")).returncode == 0
    out = tutor("search", "default retention of Amazon MSK", "-k", "1")
    assert "(slide 3)" in out.stdout, out.stdout
    hit = json.loads(tutor("search", "default retention of Amazon MSK", "-k", "1", "--json").stdout)[0]
    assert (hit["page"], hit["page_unit"]) == (3, "slide")


def _encrypted(path: Path) -> bytes:
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    with path.open("rb") as f:
        msoffcrypto.format.ooxml.OOXMLFile(f).encrypt("exam2026", out)
    return out.getvalue()


def _with_encryption(path: Path, *uris: str) -> bytes:
    """The EPUB with a META-INF/encryption.xml naming ``uris`` as encrypted, as DRM or font obfuscation writes it."""
    refs = "".join(
        f'<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>' for uri in uris
    )
    xml = f'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">{refs}</encryption>'
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("META-INF/encryption.xml", xml)
    return path.read_bytes()


def _not_an_office_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a presentation")
    return path.read_bytes()


def _with_broken_part(path: Path, part: str) -> bytes:
    """The file with one XML part replaced by a damaged one: a valid zip, a broken document."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(out, "w") as damaged:
        for info in original.infolist():
            damaged.writestr(info, b"<broken" if info.filename == part else original.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "build", "reason"),
    [
        ("locked.pptx", lambda p: _encrypted(make_deck(p, KINESIS_DECK)), "password-protected or legacy binary PowerPoint"),
        ("locked.docx", lambda p: _encrypted(make_document(p, [("p", "secret")])), "password-protected or legacy binary Word"),
        ("cut.pptx", lambda p: make_deck(p, KINESIS_DECK).read_bytes()[:3000], "corrupt PowerPoint file"),
        ("zip.pptx", _not_an_office_zip, "corrupt PowerPoint file"),
        ("zip.docx", _not_an_office_zip, "corrupt Word file"),
        ("zip.xlsx", _not_an_office_zip, "corrupt Excel file"),
        ("slide.pptx", lambda p: _with_broken_part(make_deck(p, KINESIS_DECK), "ppt/slides/slide2.xml"), "corrupt PowerPoint file"),
        ("body.docx", lambda p: _with_broken_part(make_document(p, [("p", "x")]), "word/document.xml"), "corrupt Word file"),
        ("drm.epub", lambda p: _with_encryption(make_epub(p, [("One", "<p>text</p>")]), "EPUB/chap_1.xhtml"), "DRM-protected EPUB"),
        ("opf.epub", lambda p: _with_broken_part(make_epub(p, [("One", "<p>text</p>")]), "EPUB/content.opf"), "corrupt EPUB file"),
        (
            "sheet.xlsx",
            lambda p: _with_broken_part(make_workbook(p, {"S": [["a"], [1]]}), "xl/worksheets/sheet1.xml"),
            "corrupt Excel file",
        ),
        ("cut.xlsx", lambda p: make_workbook(p, {"S": [["a", "b"], [1, 2]]}).read_bytes()[:1500], "corrupt Excel file"),
        ("cut.epub", lambda p: make_epub(p, [("One", "<p>text</p>")]).read_bytes()[:500], "corrupt EPUB file"),
        ("empty.pptx", lambda p: make_deck(p, []).read_bytes(), "empty deck"),
        ("pictures.pptx", lambda p: make_deck(p, [{}, {}]).read_bytes(), "no text on any of its 2 slides"),
        ("blank.docx", lambda p: make_document(p, []).read_bytes(), "no text"),
    ],
)
def test_bad_office_files_give_one_line(tmp_path: Path, name: str, build, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    data = build(tmp_path / f"built-{name}")
    path.write_bytes(data)
    with pytest.raises(UnreadableFile, match=reason) as caught:
        read_source(path, LIMIT)
    assert "\n" not in str(caught.value)


def test_epub_with_obfuscated_fonts_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fonts.epub"
    path.write_bytes(_with_encryption(make_epub(tmp_path / "built.epub", [("One", "<p>Glue has crawlers.</p>")]), "EPUB/fonts/a.otf"))
    assert "Glue has crawlers." in read_source(path, LIMIT).lines


def test_unpacked_size_is_bounded_before_parsing(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck.pptx", KINESIS_DECK)
    with pytest.raises(UnreadableFile, match="unpacked"):
        read_source(deck, LIMIT, max_package_bytes=10_000)
    with pytest.raises(UnreadableFile, match="of unpacked text"):
        read_source(deck, 10_000)


def test_bad_deck_is_skipped_and_nothing_else_is_lost(workspace: Workspace, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    make_deck(notes / "good.pptx", KINESIS_DECK)
    (notes / "bad.pptx").write_bytes((notes / "good.pptx").read_bytes()[:2000])
    (notes / "~$good.pptx").write_bytes(b"\x00" * 162)  # PowerPoint's lock file while the deck is open
    events = []
    report = workspace.ingest([notes], on_progress=events.append)
    assert report.added == 1 and [Path(p).name for p, _ in report.failed] == ["bad.pptx"]
    assert report.failed[0][1].startswith("corrupt PowerPoint file")
    assert sorted((Path(e.path).name, e.status) for e in events) == [("bad.pptx", "failed"), ("good.pptx", "added")]


def test_long_deck_is_read_whole(tmp_path: Path) -> None:
    deck = [{"title": f"Topic {n}", "bullets": [f"Fact {n} about service {n}"], "notes": f"Say more about {n}."} for n in range(1, 301)]
    source = read_source(make_deck(tmp_path / "long.pptx", deck), LIMIT)
    chunks = chunks_of(source)
    assert sorted({c.page for c in chunks}) == list(range(1, 301))
    assert all(c.heading == f"Topic {c.page}" for c in chunks)
