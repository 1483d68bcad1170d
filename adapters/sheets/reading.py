"""Cells to text: an ``.xlsx`` or a UTF-8 ``.csv`` (BOM or not) becomes a grid of rows, each
with its row number as Excel shows it.

An .xlsx is read with python-calamine (Rust): 5,000 rows in 0.1 s where openpyxl's read-only
mode took 1.6 s on the same machine (bench/imports.py, docs/adr/0022). openpyxl writes."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from domain.errors import FieldError, RuleViolated

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
ZIP_MAGIC = b"PK\x03\x04"
MAX_ROWS = 20_000  # a district's longest list is a few thousand people


@dataclass(frozen=True)
class Grid:
    """The first sheet's rows as text (blank cells are ``""``), numbered from 1."""

    rows: list[tuple[int, list[str]]]
    sheet_name: str = ""


def text_of(value: Any) -> str:
    """A cell as the text a person typed: 2.0 → "2", a date → 2026-09-01, 是/否 for a bool."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def unreadable(what: str) -> RuleViolated:
    return RuleViolated(what, (FieldError("file", what),))


def read_grid(data: bytes, filename: str = "") -> Grid:
    """An .xlsx is told by its content (a zip holding a workbook), anything else is read as
    CSV in UTF-8; a sheet that is neither is refused (422) naming why."""
    if not data.strip():
        raise unreadable("the file is empty")
    if data.startswith(ZIP_MAGIC):
        return _xlsx(data)
    if filename.lower().endswith((".xls", ".xlsx", ".et")):
        raise unreadable("the file is not an .xlsx workbook: save it as .xlsx or .csv")
    return _csv(data)


def _xlsx(data: bytes) -> Grid:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = book.sheet_names[0]
        # Not skipping the empty area above and left of the data: row numbers stay Excel's.
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False,
                                                      nrows=MAX_ROWS + 11)
    except (CalamineError, zipfile.BadZipFile, OSError, ValueError, IndexError) as e:
        raise unreadable("the file is not an .xlsx workbook: save it as .xlsx or .csv") from e
    except BaseException as e:  # a panic in the Rust reader (pyo3) is a BaseException
        if type(e).__name__ != "PanicException":
            raise
        raise unreadable("the file is not an .xlsx workbook: save it as .xlsx or .csv") from None
    if len(cells) > MAX_ROWS + 10:
        raise unreadable(f"the sheet has more than {MAX_ROWS} rows")
    rows = [(number, [text_of(v) for v in row]) for number, row in enumerate(cells, start=1)]
    return Grid(_trimmed(rows), name)


def _csv(data: bytes) -> Grid:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable("the CSV is not UTF-8: save it as “CSV UTF-8”") from None
    if "\x00" in text:
        raise unreadable("the file is not an .xlsx workbook or a UTF-8 CSV")
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if number > MAX_ROWS + 10:
            raise unreadable(f"the sheet has more than {MAX_ROWS} rows")
        rows.append((number, [untext(cell.strip()) for cell in row]))
    return Grid(_trimmed(rows))


def untext(cell: str) -> str:
    """A CSV cell kaoping wrote as text ('=…, see ``writing.csv_text``) reads as written."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


def _trimmed(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Without wholly blank rows and trailing blank cells (a sheet's formatting reaches far)."""
    kept = []
    for number, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            kept.append((number, cells))
    return kept
