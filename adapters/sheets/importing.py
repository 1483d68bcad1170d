"""From the bytes of a sheet to the rows a service plans with, and from the plan to the
report a person reads ("第 7 行「学段」：应为 高中、初中、小学、学前 之一")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.http.i18n import EN, translate
from adapters.sheets.kinds import Kind, convert
from adapters.sheets.parsed import Parsed
from adapters.sheets.reading import read_grid
from adapters.sheets.rubric_sheet import rubric_sheet
from adapters.sheets.score_sheet import is_score_sheet, score_sheet
from adapters.sheets.table import CellError, read_table
from services.imports import Plan, RubricSheet

__all__ = ["Parsed", "parse", "report", "sheet_of"]
UNKNOWN = "unknown column: it is not imported; rename it or remove it"


def parse(kind: Kind, data: bytes, filename: str, params: Mapping[str, Any]) -> Parsed:
    grid = read_grid(data, filename)
    if kind.name == "scores" and is_score_sheet(grid):
        return score_sheet(kind, grid, params)
    table = read_table(grid, kind)
    parsed = Parsed(kind, [], {**params, "title": table.title}, table.headers)
    for problem in table.errors:
        (parsed.warnings if problem.message == UNKNOWN else parsed.errors).append(problem)
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for name, text in cells.items():
            column = kind.column(name)
            value, error = convert(column, text)
            if error is not None:
                parsed.errors.append(CellError(number, table.headers[name], error))
            elif column.required and not column.merged and value in (None, "", []):
                parsed.errors.append(CellError(number, table.headers[name], "required"))
            values[name] = value
        if kind.name == "communities" and not values.get("since"):
            values["since"] = params.get("today")  # the tenant's day of the dry run
        parsed.rows.append((number, values))
    if not table.rows and table.header_row:
        parsed.errors.append(CellError(table.header_row + 1, kind.columns[0].header,
                                       "the sheet has no rows to import"))
    return parsed


def sheet_of(parsed: Parsed) -> RubricSheet | None:
    if parsed.kind.name != "rubric":
        return None
    return rubric_sheet(parsed.rows, parsed.params, str(parsed.params.get("title") or ""))


def line(row: int, column: str, message: str, lang: str) -> dict[str, Any]:
    text = translate(message, lang)
    said = f"row {row}, {column}: {text}" if lang == EN else f"第 {row} 行「{column}」：{text}"
    return {"row": row, "column": column, "message": said}


def report(parsed: Parsed, plan: Plan, lang: str) -> dict[str, Any]:
    """The dry run's answer: every row's problems, in row order, and whether it can commit."""
    header = {c.field: parsed.headers.get(c.field, c.header) for c in parsed.kind.columns}
    found = [(e.row, e.column, e.message) for e in parsed.errors]
    seen = {(row, column) for row, column, _ in found}  # a blank name: "required" once
    found += [(e.row, header.get(e.field, e.field), e.message) for e in plan.errors
              if (e.row, header.get(e.field, e.field)) not in seen]
    found.sort(key=lambda e: e[0])
    errors = [line(row, column, message, lang) for row, column, message in found]
    bad = {row for row, _, _ in found}
    return {
        "kind": parsed.kind.name,
        "rows": len(parsed.rows),
        "ok": sum(1 for number, _ in parsed.rows if number not in bad),
        "errors": errors,
        "warnings": [line(w.row, w.column, w.message, lang) for w in parsed.warnings],
        "committable": not errors,
    }
