"""统分: a judge's paper 评分表, typed in by the office, becomes the judge's submitted cards,
entered on their behalf (who and from which file, in each event's cause), under the judge's own
rules: the rubric's points and step, and 回避."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.api.flow import Api, bearer
from tests.api.test_exports import XLSX, api, fetch, trimmed_round  # noqa: F401  (fixture)


def test_a_judges_paper_sheet_typed_in_becomes_their_submitted_cards(api: Api) -> None:  # noqa: F811
    """统分: the office types the points into the printed 评分表 and uploads it for the judge."""
    aid, _, judges = trimmed_round(api)
    api.post(f"/assessments/{aid}/panel", {"judge_id": (fourth := api.post(
        "/users", {"name": "评委丁", "role": "judge"}))["id"]})
    path = f"/assessments/{aid}/score-sheets.xlsx?judge_id={fourth['id']}"
    book = load_workbook(io.BytesIO(fetch(api, path).content))
    sheet = book.active
    pages = [r for r in range(1, sheet.max_row + 1)
             if str(sheet.cell(r, 1).value or "").startswith("被评对象：")]
    assert len(pages) == 2
    for top, points in zip(pages, ((6, 4, 9), (5, 3, 11)), strict=True):
        for offset, value in enumerate(points):
            sheet.cell(top + 2 + offset, 4, value)  # 11 is over 2.1's 10 points
    out = io.BytesIO()
    book.save(out)
    url = api.url(f"/imports/scores?assessment_id={aid}&judge_id={fourth['id']}")
    sent = {**bearer(api.token), "content-type": XLSX}
    report = api.client.post(url, content=out.getvalue(), headers=sent).json()
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(pages[1] + 4, "得分")]
    for offset, value in enumerate((5, 3, 8)):
        sheet.cell(pages[1] + 2 + offset, 4, value)
    out = io.BytesIO()
    book.save(out)
    report = api.client.post(url, content=out.getvalue(), headers=sent).json()
    assert report["errors"] == [] and report["rows"] == 6
    done = api.post(f"/imports/{report['id']}/commit", expect=200)
    assert done["written"] == 2
    history = api.get(f"/assessments/{aid}/history", judge_id=fourth["id"])["events"]
    entered = [e for e in history if e["type"] == "ScoresRecorded"]
    assert len(entered) == 2 and all(e["actor"]["role"] == "admin" for e in entered)
    assert all(e["reason"].startswith("统分代录") and "sha256" in e["reason"] for e in entered)
    progress = api.get(f"/assessments/{aid}/progress")
    mine = next(j for j in progress["judges"] if j["judge_id"] == fourth["id"])
    assert mine["submitted"] == 2
    # 评委丙 is recused from 湖坊小学: a sheet naming that pair is refused on its row.
    third = judges["评委丙"]
    recused = ("被评对象,考核项目,指标,得分\n湖坊小学,常态化工作,1.1,5\n"
               "湖坊小学,常态化工作,1.2,3\n湖坊小学,常态化工作,2.1,8\n").encode()
    refused = api.client.post(
        api.url(f"/imports/scores?assessment_id={aid}&judge_id={third.id}"),  # type: ignore[attr-defined]
        content=recused, headers={**bearer(api.token), "content-type": "text/csv"}).json()
    assert [e["row"] for e in refused["errors"]] == [2]
    assert refused["errors"][0]["message"] == "第 2 行「被评对象」：该评委对该对象回避，不能评分"
