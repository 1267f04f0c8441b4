import codecs
import logging
from pathlib import Path

import pytest
from note_files import make_pdf

from tutor.ingest.readers import UnreadableFile, read_source


def test_pdf_text_and_pages(tmp_path: Path) -> None:
    path = tmp_path / "deck.pdf"
    path.write_bytes(make_pdf([["Glue DPU has 4 vCPU"]]))
    source = read_source(path, 10**7)
    assert "Glue DPU has 4 vCPU" in "\n".join(source.lines)
    assert set(source.pages) == {1}


def test_html_keeps_headings_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<h2>KMS</h2><p>Keys rotate.</p><script>evil()</script><ul><li>one</li></ul>")
    lines = [line for line in read_source(path, 10**7).lines if line]
    assert lines == ["## KMS", "Keys rotate.", "- one"]


def test_non_utf8_is_decoded_with_fallback(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("Caf\u00e9 \u2013 S3 costs \u20ac".encode("cp1252"))
    assert read_source(path, 10**7).lines == ["Caf\u00e9 \u2013 S3 costs \u20ac"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "no text"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("notes.docx", b"PK\x03\x04", "corrupt Word file"),
        ("notes.key", b"PK\x03\x04", "unsupported"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nbody\n", "front matter"),
    ],
)
def test_bad_files_give_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile, match=reason):
        read_source(path, 10**7)


def test_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("x " * 5000)
    with pytest.raises(UnreadableFile, match="too large"):
        read_source(path, 1000)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
)
def test_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "exported.md"  # what Notepad and PowerShell's "Unicode" export write
    text = "# Kinesis\n\n- Records stay 24 hours \u2013 up to 365 days.\n"
    path.write_bytes(bom + text.encode(codec))
    assert read_source(path, 10**7).lines == text.splitlines()


def test_a_broken_pdf_is_one_reason_and_no_pypdf_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with caplog.at_level(logging.WARNING), pytest.raises(UnreadableFile, match="malformed PDF"):
        read_source(path, 10**7)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []
