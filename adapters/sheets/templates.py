"""Empty sheets to fill (下载模板): the kind's headers, one example row, a drop-down on every
enumerated column, and the header row frozen so it stays in view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from adapters.sheets.kinds import Column, Kind
from adapters.sheets.writing import put, xlsx_bytes

ROWS = 2000  # drop-downs reach this far down
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EEEEEE")
EXAMPLE = Font(color="808080", italic=True)


def choices_of(column: Column) -> tuple[str, ...]:
    if column.choices:
        return column.labels()
    return ("是", "否") if column.value == "bool" else ()


def template(kind: Kind, choices: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """``choices``: drop-downs known only in a tenant (e.g. an assessment's groups)."""
    book = Workbook()
    sheet = book.active
    sheet.title = kind.title
    for index, column in enumerate(kind.columns, start=1):
        cell = put(sheet, 1, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        put(sheet, 2, index, column.example).font = EXAMPLE
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, 2 * len(column.header) + 4)
        options = tuple((choices or {}).get(column.field, ())) or choices_of(column)
        if options and sum(len(o) + 1 for o in options) < 250:  # Excel's limit on a list
            rule = DataValidation(type="list", formula1='"{}"'.format(",".join(options)),
                                  allow_blank=not column.required, showErrorMessage=True,
                                  errorTitle=column.header,
                                  error="请从下拉列表中选择：" + "、".join(options))
            rule.add(f"{letter}2:{letter}{ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    return xlsx_bytes(book)
