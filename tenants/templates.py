"""Rubric templates and demo data shipped with kaoping (JSON files under ``tenants/``)."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

from domain.rubric import Indicator

ZHUHUI_RUBRIC = "zhuhui_research_group_rubric.json"
# Every shipped template, by the key the rubric editor's 从模板开始 posts. Those a district
# preset drafted from its document's stated content carry "草案" in their name.
RUBRIC_TEMPLATES = {
    "zhuhui": ZHUHUI_RUBRIC,
    "qingshanhu": "qingshanhu_report_rubric.json",
    "pingluo": "pingluo_group_review_rubric.json",
    "mashiping": "mashiping_zone_rubric.json",
    "yuhuan_routine": "yuhuan_routine_rubric.json",
    "yuhuan_project": "yuhuan_project_rubric.json",
    "yuhuan_distinctive": "yuhuan_distinctive_rubric.json",
    "pucheng": "pucheng_studio_rubric.json",
    "pucheng_point": "pucheng_point_rubric.json",
    "wuzhong": "wuzhong_community_rubric.json",
}


def _read(folder: str, name: str) -> Any:
    text = resources.files("tenants").joinpath(folder, name).read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


def _indicator(node: dict[str, Any]) -> Indicator:
    def dec(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return Indicator(
        code=node["code"], title=node["title"], weight=dec(node.get("weight")),
        max_points=dec(node.get("max_points")), guidance=node.get("guidance"),
        children=tuple(_indicator(child) for child in node.get("children", ())),
    )


def rubric_template(name: str = ZHUHUI_RUBRIC) -> tuple[str, Decimal, tuple[Indicator, ...]]:
    """(name, step, indicators) of a rubric template a tenant can start from."""
    data = _read("templates", name)
    return (data["name"], Decimal(str(data.get("step", "0.5"))),
            tuple(_indicator(node) for node in data["indicators"]))


def rubric_full_mark(name: str = ZHUHUI_RUBRIC) -> Decimal | None:
    """The template's full mark (满分, ``total``), which publishing checks the top level against."""
    total = _read("templates", name).get("total")
    return None if total is None else Decimal(str(total))


def demo_schools() -> dict[str, Any]:
    """青山湖区's schools by ranking group (seeds/000)."""
    return _read("demo", "qingshanhu_schools.json")  # type: ignore[no-any-return]


def rubric_source(name: str = ZHUHUI_RUBRIC) -> str | None:
    """The document a template comes from (文件名、文号), kept with a draft made from it."""
    source = _read("templates", name).get("source")
    return None if source is None else str(source)
