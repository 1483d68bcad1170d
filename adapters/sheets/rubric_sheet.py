"""评分细则 as districts lay it out (珠晖's 评价细则, seeds/003): 一级指标 | 二级指标 | 评价要点
| 分值 | 评分说明, where a merged cell in the first columns stands for one indicator over the
rows beside it. Merged cells read blank below their first row, so a blank 一级/二级 cell
continues the indicator above; a cell that repeats it does too. The 一级 cell may carry its
number and weight, as the seed prints them: "一\\n组织建设\\n10%" is 组织建设 weighing 10."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.rubric import DEFAULT_STEP, Indicator
from services.imports import RubricSheet

CN = "一二三四五六七八九十"
NUMBERING = re.compile(rf"^(?:\([{CN}]+\)|[{CN}]+[、.\s]|\d+[、.)\s])\s*")
WEIGHT = re.compile(r"\(?(\d+(?:\.\d+)?)\s*(%|分)\)?$")


def level1_parts(text: str) -> tuple[str, Decimal | None, bool]:
    """(title, weight, given as a percentage) of a 一级指标 cell."""
    text = unicodedata.normalize("NFKC", text).strip()
    weight, percent = None, False
    found = WEIGHT.search(text)
    if found:
        weight, percent = Decimal(found[1]), found[2] == "%"
        text = text[:found.start()].strip()
    text = NUMBERING.sub("", text, count=1).strip() or text
    return " ".join(text.split()), weight, percent


@dataclass
class _Node:
    code: str
    title: str
    row: int
    field: str
    weight: Decimal | None = None
    points: Decimal | None = None
    guidance: str | None = None
    children: list[_Node] = field(default_factory=list)

    def indicator(self) -> Indicator:
        return Indicator(self.code, self.title, self.weight,
                         self.points if not self.children else None, self.guidance,
                         tuple(c.indicator() for c in self.children))

    def walk(self) -> Any:
        yield self
        for child in self.children:
            yield from child.walk()


def rubric_sheet(rows: Sequence[tuple[int, Mapping[str, Any]]], params: Mapping[str, Any],
                 title: str) -> RubricSheet:
    tops: list[_Node] = []
    level1_text = level2_text = None
    level2: _Node | None = None
    percent = False
    leaf_column = any("leaf" in values for _, values in rows)  # else 二级 cells are leaves
    for number, values in rows:
        one, two = str(values.get("level1") or ""), str(values.get("level2") or "")
        if (one and one != level1_text) or not tops:
            level1_text, level2_text, level2 = one, None, None
            name, weight, given_as_percent = level1_parts(one)
            percent = percent or given_as_percent
            if values.get("weight"):
                weight = Decimal(str(values["weight"]))
            tops.append(_Node(str(len(tops) + 1), name, number, "level1", weight))
        top = tops[-1]
        if leaf_column and two and two != level2_text:
            level2_text = two
            level2 = _Node(f"{top.code}.{len(top.children) + 1}", " ".join(two.split()),
                           number, "level2")
            top.children.append(level2)
        parent = level2 or top
        leaf = str(values.get("leaf") or "") if leaf_column else two
        points = values.get("points")
        if not leaf and points is None:
            continue  # a row that only names an indicator (its leaves follow)
        parent.children.append(_Node(
            f"{parent.code}.{len(parent.children) + 1}", " ".join(leaf.split()),
            number, "points", points=Decimal(str(points)) if points is not None else None,
            guidance=str(values.get("guidance") or "").strip() or None))
    given_total = params.get("total")
    total = Decimal(str(given_total)) if given_total else (Decimal(100) if percent else None)
    step = Decimal(str(params.get("step") or DEFAULT_STEP))
    rows_of = {n.code: (n.row, n.field) for top in tops for n in top.walk()}
    return RubricSheet(str(params.get("name") or title or "导入的评分细则").strip(), step, total,
                       tuple(t.indicator() for t in tops), rows_of,
                       str(params.get("source") or "").strip() or None)
