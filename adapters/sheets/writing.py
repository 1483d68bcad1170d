"""Writing sheets: one model (title, tables, footer) written as .xlsx (openpyxl) or as a CSV
in UTF-8 with a BOM (so that Excel shows Chinese), with no formula injection in either.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` is text: in an .xlsx its type is set to
string (Excel never evaluates it); in a CSV it is led by an apostrophe, which Excel shows and
kaoping's reader takes off again (``reading.untext``), so a name reads back unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

RISKY = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


@dataclass
class Block:
    """A table: an optional caption row (a group's name), a header and rows."""

    header: list[str]
    rows: list[list[Any]]
    caption: str | None = None


@dataclass
class SheetModel:
    name: str
    title: str
    blocks: list[Block]
    subtitle: str | None = None
    footer: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return max((len(b.header) for b in self.blocks), default=1)


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a value; text that a spreadsheet could take for a formula stays text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):  # points have at most two decimals: a float shows them
        value = float(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(RISKY):
        cell.data_type = "s"
    return cell


def span(sheet: Worksheet, row: int, columns: int, text: str, font: Font | None = None,
         height: float | None = None) -> None:
    put(sheet, row, 1, text)
    if columns > 1:
        sheet.merge_cells(start_row=row, end_row=row, start_column=1, end_column=columns)
    cell = sheet.cell(row=row, column=1)
    cell.alignment = Alignment(horizontal="center" if font is TITLE else "left",
                               vertical="center", wrap_text=True)
    if font is not None:
        cell.font = font
    if height:
        sheet.row_dimensions[row].height = height


def a4(sheet: Worksheet, header_rows: str | None = None, landscape: bool = False) -> None:
    """Printed on A4, one page wide, the header repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_options.horizontalCentered = True
    if header_rows:
        sheet.print_title_rows = header_rows


def write_model(sheet: Worksheet, model: SheetModel) -> None:
    columns = model.columns
    span(sheet, 1, columns, model.title, TITLE, 30)
    row = 2
    if model.subtitle:
        span(sheet, row, columns, model.subtitle)
        row += 1
    for block in model.blocks:
        if block.caption:
            span(sheet, row, columns, block.caption, BOLD)
            row += 1
        for column, text in enumerate(block.header, start=1):
            cell = put(sheet, row, column, text)
            cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        row += 1
        for values in block.rows:
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value).border = BOX
            row += 1
        row += 1  # a blank row between groups
    for text in model.footer:
        span(sheet, row, columns, text, height=30)
        row += 1
    for column, width in enumerate(model.widths or [16] * columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def xlsx_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_xlsx(models: Sequence[SheetModel], landscape: bool = False) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for model in models:
        sheet = book.create_sheet(model.name[:31])
        write_model(sheet, model)
        a4(sheet, landscape=landscape)
    return xlsx_bytes(book)


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(RISKY) else text


def as_csv(models: Sequence[SheetModel]) -> bytes:
    """Every model's title, tables and footer, one after another: UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for model in models:
        writer.writerow([csv_text(model.title)])
        if model.subtitle:
            writer.writerow([csv_text(model.subtitle)])
        for block in model.blocks:
            if block.caption:
                writer.writerow([csv_text(block.caption)])
            writer.writerow([csv_text(h) for h in block.header])
            writer.writerows([[csv_text(v) for v in r] for r in block.rows])
        writer.writerows([[csv_text(t)] for t in model.footer])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
