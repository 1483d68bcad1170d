"""Sheets out, opened with openpyxl: the 公示 sheet matches the published results cell by cell,
prints on A4 and names the chain head; templates have drop-downs and a frozen header; a
name that looks like a formula stays text."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from adapters.sheets.reading import read_grid
from tests.api.flow import RUBRIC, Api, bearer, create_tenant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INJECTED = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def api(client: Any, new_slug: Any) -> Api:
    return create_tenant(client, new_slug(), "珠晖区教育局")


def published_round(api: Api, ranks: bool = True) -> str:
    """Three schools in two groups, one judge, published."""
    rubric = api.post("/rubrics", RUBRIC)["id"]
    api.post(f"/rubrics/{rubric}/publish", expect=200)
    aid = api.post("/assessments", {
        "name": "2019—2020学年度校本教研述职述研评议",
        "groups": [{"key": "a", "name": "一贯制学校组"}, {"key": "b", "name": "一类小学组"}],
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 0}]},
        "publication": {"ranks": ranks},
    })["id"]
    made = api.post("/users", {"name": "评委甲", "role": "judge"})
    judge = api.as_(made["token"])
    api.post(f"/assessments/{aid}/panel", {"judge_id": made["id"]})
    points = {"南钢学校": {"1.1": 6, "1.2": 4, "2.1": 10}, INJECTED: {"1.1": 5, "1.2": 3, "2.1": 8},
              "湖坊小学": {"1.1": 4, "1.2": 2, "2.1": 6.5}}
    cards = {}
    for name, group in (("南钢学校", "a"), (INJECTED, "a"), ("湖坊小学", "b")):
        school = api.post("/schools", {"name": name, "group": "组", "stage": "小学"})["id"]
        subject = api.post(f"/assessments/{aid}/subjects", {
            "kind": "school", "ref_id": school, "group": group})["subject_id"]
        cards[f"/assessments/{aid}/scorecards/{subject}/routine"] = points[name]
    api.post(f"/assessments/{aid}/open", expect=200)
    for card, scores in cards.items():
        judge.put(card, {"scores": scores})
        judge.post(card + "/submit", expect=200)
    for step in ("close", "finalise", "publish"):
        api.post(f"/assessments/{aid}/{step}", expect=200)
    return str(aid)


def fetch(api: Api, path: str, accept: str | None = None) -> Any:
    headers = bearer(api.token) | ({"accept": accept} if accept else {})
    r = api.client.get(api.url(path), headers=headers)
    assert r.status_code == 200, r.text
    return r


def test_the_published_sheet_matches_the_results_cell_by_cell(api: Api) -> None:
    aid = published_round(api)
    results = api.get(f"/assessments/{aid}/results")
    r = fetch(api, f"/assessments/{aid}/results.xlsx")
    assert r.headers["content-type"].startswith(XLSX)
    sheet = load_workbook(io.BytesIO(r.content))["公示"]
    title = sheet["A1"].value
    assert "珠晖区教育局" in title and "2019—2020学年度校本教研述职述研评议" in title
    assert "A1:D1" in {str(m) for m in sheet.merged_cells.ranges}
    assert sheet["A2"].value.startswith("公示日期：")
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["一贯制学校组", None, None, None] in cells
    assert cells.count(["名次", "名称", "等次", "得分"]) == 2
    shown = {row[1]: row for row in cells if isinstance(row[0], int)}
    assert shown.keys() == {row["name"] for row in results["rows"]}
    for row in results["rows"]:
        assert shown[row["name"]] == [row["rank"], row["name"], row["tier"], row["final"]]
    injected = next(c for row in sheet.iter_rows() for c in row if c.value == INJECTED)
    assert injected.data_type == "s"  # text, never a formula
    footer = " ".join(str(v) for row in cells[-2:] for v in row if v)
    assert results["chain"]["hash"] in footer and "kaoping audit verify" in footer
    assert str(results["chain"]["position"]) in footer
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_without_published_ranks_the_sheet_shows_tiers_in_name_order(api: Api) -> None:
    aid = published_round(api, ranks=False)
    sheet = load_workbook(io.BytesIO(fetch(api, f"/assessments/{aid}/results.xlsx").content))
    cells = [[c.value for c in row] for row in sheet["公示"].iter_rows()]
    assert ["名称", "等次"] in cells and not any("名次" in row or "得分" in row for row in cells)
    first_group = cells[cells.index(["名称", "等次"]) + 1:][:2]
    assert [row[0] for row in first_group] == sorted([INJECTED, "南钢学校"])


def test_the_csv_comes_by_its_path_or_by_accept_with_a_bom(api: Api) -> None:
    aid = published_round(api)
    by_path = fetch(api, f"/assessments/{aid}/results.csv")
    by_accept = fetch(api, f"/assessments/{aid}/results", accept="text/csv")
    assert by_path.content == by_accept.content
    assert by_path.content.startswith(b"\xef\xbb\xbf")
    assert by_path.headers["content-type"].startswith("text/csv")
    cells = [c for row in csv.reader(io.StringIO(by_path.content.decode("utf-8-sig")))
             for c in row]
    assert "'" + INJECTED in cells  # led by an apostrophe: a spreadsheet shows it as text
    names = {row[1] for _, row in read_grid(by_path.content).rows if len(row) > 2}
    assert INJECTED in names  # and kaoping reads it back unchanged
    xlsx = fetch(api, f"/assessments/{aid}/results", accept=XLSX)
    assert xlsx.content.startswith(b"PK")


def test_results_before_publication_are_a_conflict(api: Api) -> None:
    rubric = api.post("/rubrics", RUBRIC)["id"]
    api.post(f"/rubrics/{rubric}/publish", expect=200)
    aid = api.post("/assessments", {
        "name": "考核", "groups": [{"key": "a", "name": "组"}],
        "components": [{"key": "r", "name": "常态", "rubric_id": rubric, "rubric_version": 1,
                        "weight": 100}], "tiers": {"thresholds": [{"name": "合格", "min": 0}]},
    })["id"]
    r = api.client.get(api.url(f"/assessments/{aid}/results.xlsx"), headers=bearer(api.token))
    assert r.status_code == 409 and r.json()["detail"] == "结果尚未公示"


def test_a_template_has_drop_downs_an_example_and_a_frozen_header(api: Api) -> None:
    r = fetch(api, "/templates/schools.xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]] == ["学校名称", "分组", "学段", "片区", "外部合作校"]
    assert sheet["A2"].value == "南钢学校"
    assert sheet.freeze_panes == "A2"
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules == {"C2": '"高中,初中,小学,学前"', "E2": '"是,否"'}
    report = api.client.post(api.url("/imports/schools"), content=r.content,
                             headers={**bearer(api.token), "content-type": XLSX}).json()
    assert (report["rows"], report["errors"]) == (1, [])  # the template's own example imports
    users = load_workbook(io.BytesIO(fetch(api, "/templates/users.xlsx").content)).active
    assert '"评委,管理员,审计员,填报员,教师"' in [v.formula1 for v in
                                           users.data_validations.dataValidation]
    rubric = fetch(api, "/templates/rubric.xlsx").content
    report = api.client.post(api.url("/imports/rubric"), content=rubric,
                             headers={**bearer(api.token), "content-type": XLSX}).json()
    assert (report["rows"], report["errors"]) == (1, [])
    missing = api.client.get(api.url("/templates/nothing.xlsx"), headers=bearer(api.token))
    assert missing.status_code == 404


def test_an_exported_name_that_looks_like_a_formula_imports_back_unchanged(
    api: Api, new_slug: Any
) -> None:
    aid = published_round(api)
    exported = fetch(api, f"/assessments/{aid}/results.xlsx").content
    names = [row[1] for _, row in read_grid(exported).rows if len(row) > 2][1:]
    assert INJECTED in names
    other = create_tenant(api.client, new_slug(), "另一区")
    sheet = "学校名称,分组,学段\n" + "".join(
            f'"{n.replace(chr(34), chr(34) * 2)}",组,小学\n' for n in names if n != "名称")
    report = other.client.post(other.url("/imports/schools"), content=sheet.encode(),
                               headers={**bearer(other.token), "content-type": "text/csv"})
    done = other.post(f"/imports/{report.json()['id']}/commit", expect=200)
    imported = {s["name"] for s in other.get("/schools", after=done["position"])}
    assert INJECTED in imported


def trimmed_round(api: Api) -> tuple[str, dict[str, str], dict[str, Api]]:
    """Three judges, 去掉最高最低; 评委丙 works at 湖坊小学 and is recused from it."""
    rubric = api.post("/rubrics", RUBRIC)["id"]
    api.post(f"/rubrics/{rubric}/publish", expect=200)
    aid = api.post("/assessments", {
        "name": "述职评议", "groups": [{"key": "a", "name": "一贯制学校组"}],
        "aggregation": {"method": "trimmed_mean", "trim": 1},
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric,
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "合格", "min": 0}]},
    })["id"]
    schools = {n: api.post("/schools", {"name": n, "group": "组", "stage": "小学"})["id"]
               for n in ("南钢学校", "湖坊小学")}
    subjects = {n: api.post(f"/assessments/{aid}/subjects", {
        "kind": "school", "ref_id": sid, "group": "a"})["subject_id"] for n, sid in schools.items()}
    judges = {}
    for name in ("评委甲", "评委乙", "评委丙"):
        places = [{"kind": "school", "id": schools["湖坊小学"]}] if name == "评委丙" else []
        made = api.post("/users", {"name": name, "role": "judge", "affiliations": places})
        api.post(f"/assessments/{aid}/panel", {"judge_id": made["id"]})
        judges[name] = api.as_(made["token"])
        judges[name].id = made["id"]  # type: ignore[attr-defined]
    api.post(f"/assessments/{aid}/open", expect=200)
    points = {"评委甲": 10, "评委乙": 8, "评委丙": 6}
    for name, judge in judges.items():
        for school, subject in subjects.items():
            if name == "评委丙" and school == "湖坊小学":
                continue
            card = f"/assessments/{aid}/scorecards/{subject}/routine"
            judge.put(card, {"scores": {"1.1": 6, "1.2": 4, "2.1": points[name]}})
            judge.post(card + "/submit", expect=200)
    return str(aid), subjects, judges


def test_the_score_matrix_marks_recusals_and_dropped_cards(api: Api) -> None:
    aid, _, _ = trimmed_round(api)
    r = fetch(api, f"/assessments/{aid}/scorecards.xlsx")
    sheet = load_workbook(io.BytesIO(r.content))["常态化工作"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in cells if row[0] == "分组")
    assert header[2:6] == ["评委丙·1.1", "评委丙·1.2", "评委丙·2.1", "评委丙·合计"]
    assert header[-2:] == ["得分", "去掉的评分"]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in cells
            if row[0] == "一贯制学校组"}
    assert rows["湖坊小学"]["评委丙·2.1"] == "回避" and rows["湖坊小学"]["评委丙·合计"] == "回避"
    nangang = rows["南钢学校"]
    assert nangang["评委乙·合计"] == 18 and nangang["得分"] == 18
    assert nangang["评委甲·合计"] == "20（去掉）" and nangang["评委丙·合计"] == "16（去掉）"
    assert nangang["去掉的评分"] == "评委丙、评委甲"
    assert sheet.page_setup.orientation == "landscape"
    judge = api.as_(api.post("/users", {"name": "评委丁", "role": "judge"})["token"])
    denied = api.client.get(api.url(f"/assessments/{aid}/scorecards.xlsx"),
                            headers=bearer(judge.token))
    assert denied.status_code == 403
    assert fetch(api, f"/assessments/{aid}/scorecards.csv").content.startswith(b"\xef\xbb\xbf")


def test_a_judges_paper_sheets_have_a_page_per_subject_with_a_sum_and_a_signature(
    api: Api,
) -> None:
    aid, _, judges = trimmed_round(api)
    third = judges["评委丙"]
    path = f"/assessments/{aid}/score-sheets.xlsx?judge_id={third.id}"  # type: ignore[attr-defined]
    blank = load_workbook(io.BytesIO(fetch(api, path).content)).active
    cells = [[c.value for c in row] for row in blank.iter_rows()]
    assert cells[1][0].startswith("被评对象：南钢学校")  # 湖坊小学: recused, no page
    assert not any("湖坊小学" in str(row[0]) for row in cells)
    total = next(row for row in cells if row[1] == "合计")
    assert total[2] == 20 and total[3] == "=SUM(D4:D6)"
    assert [row[3] for row in cells[3:6]] == [None, None, None]  # blank for paper
    assert any("评委签名" in str(row[0]) for row in cells)
    assert int(blank.page_setup.paperSize) == int(blank.PAPERSIZE_A4)
    filled = load_workbook(io.BytesIO(fetch(third, path + "&filled=true").content)).active
    assert [filled.cell(row=r, column=4).value for r in (4, 5, 6)] == [6, 4, 6]
    other = judges["评委甲"]
    denied = other.client.get(other.url(path), headers=bearer(other.token))
    assert denied.status_code == 403
    assert len(load_workbook(io.BytesIO(fetch(
        api, f"/assessments/{aid}/score-sheets.xlsx?judge_id={other.id}").content)  # type: ignore[attr-defined]
        ).active.row_breaks.brk) == 2


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_schools_exported_then_imported_into_a_new_tenant_are_the_same_schools(
    api: Api, new_slug: Any, ext: str
) -> None:
    for name, group, stage, zone, external in (
            ("南钢学校", "一贯制学校组", "初中", "第一片区", False),
            ("湖坊小学", "一类小学组", "小学", None, False),
            (INJECTED, "二类小学组", "学前", "第二片区", True)):
        last = api.post("/schools", {"name": name, "group": group, "stage": stage,
                                     "zone": zone, "external": external})
    exported = api.client.get(api.url(f"/schools.{ext}"), params={"after": last["position"]},
                              headers=bearer(api.token))
    assert exported.status_code == 200, exported.text
    other = create_tenant(api.client, new_slug(), "另一区")
    kind = XLSX if ext == "xlsx" else "text/csv"
    report = other.client.post(other.url("/imports/schools"), content=exported.content,
                               headers={**bearer(other.token), "content-type": kind}).json()
    assert (report["rows"], report["errors"], report["warnings"]) == (3, [], [])
    done = other.post(f"/imports/{report['id']}/commit", expect=200)

    def schools(who: Api, after: int) -> list[tuple[Any, ...]]:
        return sorted((s["name"], s["group"], s["stage"], s["zone"], s["external"])
                      for s in who.get("/schools", after=after))

    assert schools(other, done["position"]) == schools(api, last["position"])


def test_the_history_sheet_lists_every_change_with_who_and_why(api: Api) -> None:
    aid, subjects, judges = trimmed_round(api)
    first = judges["评委甲"]
    card = f"/assessments/{aid}/scorecards/{subjects['南钢学校']}/routine"
    first.post(card + "/reopen", {"reason": "看错了"}, expect=200)
    first.put(card, {"scores": {"2.1": 9}})
    r = fetch(api, f"/assessments/{aid}/history.xlsx?judge_id={first.id}")  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = cells.index(["位置", "时间", "操作人", "角色", "事件", "被评对象", "评委", "考核项目",
                          "变更", "理由"])
    events = [dict(zip(cells[header], row, strict=True)) for row in cells[header + 1:]]
    assert {e["评委"] for e in events} == {"评委甲"}
    changed = [e for e in events if e["变更"] == "2.1：10 → 9"]
    assert len(changed) == 1 and changed[0]["被评对象"] == "南钢学校"
    assert any(e["理由"] == "看错了" for e in events)
    assert all(e["操作人"] in ("评委甲", "管理员") for e in events)
    csv_body = fetch(api, f"/assessments/{aid}/history.csv").content
    assert csv_body.startswith(b"\xef\xbb\xbf") and "看错了".encode() in csv_body
    denied = first.client.get(first.url(f"/assessments/{aid}/history.xlsx"),
                              headers=bearer(first.token))
    assert denied.status_code == 403
