"""Reading back the 评分表 kaoping prints (score-sheets.xlsx, adapters/sheets/cards.py) once a
judge has filled it on paper and the office has typed the points in: each page names its
subject and component ("被评对象：…　　考核项目：…　　评委：…"), then a leaf per row with its
points in the 得分 column; the 合计 row is a formula and is not read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.sheets.kinds import Kind, convert
from adapters.sheets.parsed import Parsed
from adapters.sheets.reading import Grid
from adapters.sheets.table import CellError

PAGE = re.compile(r"^被评对象：(?P<subject>.*?)\s+考核项目：(?P<component>.*?)(?:\s+评委：.*)?$")
POINTS = 3  # the 得分 column (D)


def is_score_sheet(grid: Grid) -> bool:
    return any(cells and PAGE.match(cells[0]) for _, cells in grid.rows[:10])


def score_sheet(kind: Kind, grid: Grid, params: Mapping[str, Any]) -> Parsed:
    parsed = Parsed(kind, [], {**params, "title": ""},
                    {"subject": "被评对象", "component": "考核项目", "code": "指标",
                     "points": "得分"})
    page: dict[str, str] | None = None
    in_table = False
    for number, cells in grid.rows:
        first = cells[0] if cells else ""
        found = PAGE.match(first)
        if found:
            page, in_table = {"subject": found["subject"].strip(),
                              "component": found["component"].strip()}, False
        elif page is not None and first == "指标":
            in_table = True
        elif page is not None and in_table and len(cells) > 1 and cells[1] == "合计":
            in_table = False
        elif page is not None and in_table and first:
            text = cells[POINTS] if len(cells) > POINTS else ""
            points, error = convert(kind.column("points"), text)
            if error is not None:
                parsed.errors.append(CellError(number, "得分", error))
            elif points is None:
                parsed.errors.append(CellError(number, "得分", "not scored"))
            parsed.rows.append((number, {**page, "code": first, "points": points}))
    if not parsed.rows:
        parsed.errors.append(CellError(1, "被评对象", "the sheet has no rows to import"))
    return parsed
