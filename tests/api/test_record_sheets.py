"""Compliance and activities as sheets: the same figures as the JSON, in Chinese, printable."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from tests.api.flow import bearer
from tests.api.test_activities import district, held, plan  # noqa: F401  (the fixture)


def sheet_rows(api: Any, path: str, **params: Any) -> list[list[Any]]:
    r = api.client.get(api.url(path), params=params, headers=bearer(api.token))
    assert r.status_code == 200, r.text
    book = load_workbook(io.BytesIO(r.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def test_compliance_and_activities_sheets_match_their_json(district: Any) -> None:  # noqa: F811
    admin, reporter, groups, _ = district
    admin.put("/compliance-rules", {"rules": [
        {"unit_kind": "research_group", "every": "week", "min_activities": 1,
         "min_periods": 2}]})
    for unit, days in {groups[0]: ["2020-09-08", "2020-09-15", "2020-09-22"],
                       groups[1]: ["2020-09-09"]}.items():
        for day in days:
            held(admin, plan(unit, planned_on=day), day)
    period = "2020-09-07..2020-09-27"
    cells = sheet_rows(admin, "/compliance.xlsx", period=period)
    assert "教研活动达标情况" in cells[0][0] and "2020-09-07 至 2020-09-27" in cells[1][0]
    header = cells[2]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in cells[3:]}
    assert rows["语文教研组"]["是否落后"] == "达标" and rows["语文教研组"]["已达"] == 3
    assert rows["数学教研组"]["是否落后"] == "落后"
    assert rows["数学教研组"]["未达的周期（起始日）"] == "2020-09-14、2020-09-21"
    assert rows["数学教研组"]["频次要求"] == "每周" and rows["数学教研组"]["单位类型"] == "教研组"
    csv_body = admin.client.get(admin.url("/compliance.csv"), params={"period": period},
                                headers=bearer(admin.token))
    assert csv_body.content.startswith(b"\xef\xbb\xbf")
    denied = reporter.client.get(reporter.url("/compliance.xlsx"), params={"period": period},
                                 headers=bearer(reporter.token))
    assert denied.status_code == 403
    listed = sheet_rows(reporter, "/activities.xlsx")
    body = [dict(zip(listed[2], row, strict=True)) for row in listed[3:]]
    assert len(body) == len(admin.get("/activities")) == 4
    assert {r["单位"] for r in body} == {"语文教研组", "数学教研组"}
    assert {r["状态"] for r in body} == {"已开展"} and body[0]["主题"] == "整本书阅读教学"
