"""Tables as lines a search can match: one bullet per row, each cell named by its column.

"- Service: Kinesis Data Streams; Retention: 365 days" keeps a row's meaning in a chunk
cut from the middle of a table, where "Kinesis Data Streams | 365 days" would not. Used
for the tables of slides and documents, and for .csv and .xlsx files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from tutor.ingest.readers import SourceText, UnreadableFile


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def row_lines(rows: Iterable[Sequence[object]]) -> list[str]:
    """The first non-empty row is the header; each row after it becomes one bullet."""
    table = [cells for cells in ([cell_text(v) for v in raw] for raw in rows) if any(cells)]
    if not table:
        return []
    header, body = table[0], table[1:]
    if len(header) == 1 or not body:
        return ["- " + " | ".join(c for c in row if c) for row in table]  # a list, or a lone row with no header to name
    return [_row(header, row) for row in body]


def _row(header: list[str], row: list[str]) -> str:
    if len(header) == 1:
        return f"- {row[0]}"
    cells = [f"{header[i]}: {cell}" if i < len(header) and header[i] else cell for i, cell in enumerate(row) if cell]
    return "- " + "; ".join(cells)


def read_csv(path: Path, text: str) -> SourceText:
    """Each row stays on the line it starts on, so citations point into the file."""
    physical = text.splitlines()
    lines = [""] * len(physical)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            cells = [cell_text(v) for v in row]
            if any(cells):
                if header is None:
                    header = cells
                elif start <= len(lines):
                    lines[start - 1] = _row(header, cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"malformed CSV (line {reader.line_num}: {exc})") from exc
    if not any(lines):
        raise UnreadableFile("CSV has a header but no rows" if header else "no text (only whitespace)")
    return SourceText(path=path, lines=lines, markdown=True)


def read_workbook(path: Path) -> SourceText:
    """Each sheet a heading, each row a bullet; formulas read as their last saved values."""
    from openpyxl import load_workbook

    lines: list[str] = []
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            if rows := row_lines(sheet.iter_rows(values_only=True)):
                lines += [f"# {sheet.title}", *rows, ""]
    finally:
        book.close()
    if not lines:
        raise UnreadableFile("workbook has no cells with text")
    return SourceText(path=path, lines=lines, markdown=True)
