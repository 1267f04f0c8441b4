"""Real note files of each format, written with the same libraries students' tools use.

Shared by tests/test_formats.py and benchmarks/formats.py, so both read decks built the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def make_deck(path: Path, slides: list[dict[str, object]], sections: Sequence[tuple[str, int]] = ()) -> Path:
    """A .pptx with one slide per dict: ``title``, ``bullets`` (text or (level, text)),
    ``table`` (rows, the first one the header), ``notes`` (speaker notes) and ``smartart``
    (the text of a SmartArt diagram's nodes); ``sections``
    are (name, how many slides) in order, written as PowerPoint 2010 writes them."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for spec in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1 if "title" in spec else 6])
        if "title" in spec:
            slide.shapes.title.text = str(spec["title"])
            body = slide.placeholders[1].text_frame
            bullets = list(spec.get("bullets", []))  # type: ignore[call-overload]
            for i, bullet in enumerate(bullets):
                level, text = bullet if isinstance(bullet, tuple) else (0, bullet)
                paragraph = body.paragraphs[0] if i == 0 else body.add_paragraph()
                paragraph.text, paragraph.level = text, level
        elif "bullets" in spec:
            box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1)).text_frame
            box.text = "\n".join(spec["bullets"])  # type: ignore[arg-type]
        if rows := spec.get("table"):
            rows = list(rows)  # type: ignore[call-overload]
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(5), Inches(8), Inches(1.5))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    shape.table.cell(r, c).text = cell
        if notes := spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = str(notes)
        if nodes := spec.get("smartart"):
            _add_smartart(slide, list(nodes))  # type: ignore[call-overload]
    if sections:
        _add_sections(deck, sections)
    deck.save(str(path))
    return path


def _add_smartart(slide: object, nodes: list[str]) -> None:
    """A SmartArt graphic frame and the diagram data part its ``r:dm`` names, where PowerPoint keeps
    the nodes' text (the layout, style and colour parts, which hold no text, are left out)."""
    from lxml import etree
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    a, dgm = "http://schemas.openxmlformats.org/drawingml/2006/main", "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    points = "".join(
        f'<dgm:pt modelId="{n + 1}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></dgm:t></dgm:pt>'
        for n, text in enumerate(nodes)
    )
    data = f'<dgm:dataModel xmlns:dgm="{dgm}" xmlns:a="{a}"><dgm:ptLst><dgm:pt modelId="0" type="doc"/>{points}</dgm:ptLst></dgm:dataModel>'
    part = Part(
        PackURI(f"/ppt/diagrams/data{slide.slide_id}.xml"),  # type: ignore[attr-defined]
        "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
        slide.part.package,  # type: ignore[attr-defined]
        data.encode(),
    )
    rid = slide.part.relate_to(part, f"{r}/diagramData")  # type: ignore[attr-defined]
    frame = etree.fromstring(
        f'<p:graphicFrame xmlns:p="{p}" xmlns:a="{a}" xmlns:r="{r}">'
        '<p:nvGraphicFramePr><p:cNvPr id="90" name="Diagram 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
        '<p:xfrm><a:off x="914400" y="3657600"/><a:ext cx="7315200" cy="1828800"/></p:xfrm>'
        f'<a:graphic><a:graphicData uri="{dgm}"><dgm:relIds xmlns:dgm="{dgm}" r:dm="{rid}"/></a:graphicData></a:graphic>'
        "</p:graphicFrame>"
    )
    slide.shapes._spTree.append(frame)  # type: ignore[attr-defined]


def _add_sections(deck: object, sections: Sequence[tuple[str, int]]) -> None:
    from lxml import etree

    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    p14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
    ids = iter(slide.slide_id for slide in deck.slides)  # type: ignore[attr-defined]
    ext_list = etree.SubElement(deck.part._element, f"{{{p}}}extLst")  # type: ignore[attr-defined]
    ext = etree.SubElement(ext_list, f"{{{p}}}ext", uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}")
    listing = etree.SubElement(ext, f"{{{p14}}}sectionLst", nsmap={"p14": p14})
    for n, (name, size) in enumerate(sections):
        section = etree.SubElement(listing, f"{{{p14}}}section", name=name, id=f"{{00000000-0000-0000-0000-{n:012d}}}")
        members = etree.SubElement(section, f"{{{p14}}}sldIdLst")
        for _ in range(size):
            etree.SubElement(members, f"{{{p14}}}sldId", id=str(next(ids)))


def make_document(path: Path, blocks: list[tuple[str, object]]) -> Path:
    """A .docx from (kind, content) pairs: ("title"|"h1"|"h2"|"h3", text), ("p", text),
    ("bullet", text), ("number", text), ("table", rows)."""
    from docx import Document

    doc = Document()
    for kind, content in blocks:
        if kind == "title":
            doc.add_heading(str(content), level=0)
        elif kind in ("h1", "h2", "h3"):
            doc.add_heading(str(content), level=int(kind[1]))
        elif kind == "bullet":
            doc.add_paragraph(str(content), style="List Bullet")
        elif kind == "number":
            doc.add_paragraph(str(content), style="List Number")
        elif kind == "table":
            rows = list(content)  # type: ignore[call-overload]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            doc.add_paragraph(str(content))
    doc.save(str(path))
    return path


def make_epub(path: Path, chapters: list[tuple[str, str]]) -> Path:
    """An .epub with one XHTML chapter per (title, html body) pair and a table of contents."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("tutor-test-book")
    book.set_title("Study guide")
    book.set_language("en")
    items = []
    for n, (title, body) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=title, file_name=f"chap_{n}.xhtml", lang="en")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx with one sheet per name, rows as given (the first one the header)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(str(path))
    return path


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF, one page per list of text lines (xref offsets computed here),
    the shape of a deck exported from PowerPoint: one page per slide."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    font = 3 + 2 * len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()]
    for i, lines in enumerate(pages):
        stream = ("BT /F1 12 Tf 72 720 Td " + " 0 -16 Td ".join(f"({line}) Tj" for line in lines) + " ET").encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 792 612] /Contents {4 + 2 * i} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
