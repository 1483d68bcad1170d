"""表格导入 over HTTP on PostgreSQL: a dry run reports every bad row in Chinese, its commit
writes all rows in one transaction or none, and a second commit answers the same."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.api.flow import RUBRIC, Api, bearer, create_tenant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = Path(__file__).parents[2] / "tenants/templates/zhuhui_research_group_rubric.json"


def xlsx(rows: list[list[Any]], title_row: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append([title_row])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def api(client: Any, new_slug: Any) -> Api:
    return create_tenant(client, new_slug(), "珠晖区教育局")


def dry_run(api: Api, kind: str, body: bytes, content_type: str = XLSX,
            expect: int = 201, **params: Any) -> Any:
    r = api.client.post(api.url(f"/imports/{kind}"), content=body, params=params,
                        headers={**bearer(api.token), "content-type": content_type})
    assert r.status_code == expect, r.text
    return r.json()


def commit(api: Api, import_id: str, expect: int = 200) -> Any:
    return api.post(f"/imports/{import_id}/commit", expect=expect)


def school_names(api: Api, after: int | None = None) -> list[str]:
    params = {"after": after} if after else {}
    return sorted(s["name"] for s in api.get("/schools", **params))


SCHOOLS = [
    ["学校名称", "分组", "学段", "片区", "外部合作校"],
    ["南钢学校", "一贯制学校组", "初中", "第一片区", "否"],
    ["湖坊小学", "一类小学组", "小学", "", ""],
    ["塘山小学", "二类小学组", "小学", "第二片区", "是"],
]


def test_a_schools_sheet_is_checked_then_written_in_one_commit(api: Api) -> None:
    report = dry_run(api, "schools", xlsx(SCHOOLS))
    assert report["rows"] == 3 and report["ok"] == 3 and report["errors"] == []
    assert report["committable"] is True
    assert school_names(api) == []  # a dry run writes nothing
    done = commit(api, report["id"])
    assert done["written"] == 3
    assert school_names(api, done["position"]) == ["南钢学校", "塘山小学", "湖坊小学"]
    external = {s["name"]: s["external"] for s in api.get("/schools")}
    assert external == {"南钢学校": False, "湖坊小学": False, "塘山小学": True}
    assert commit(api, report["id"]) == done  # idempotent: the same answer, nothing new
    assert len(api.get("/schools")) == 3


def test_three_bad_rows_are_reported_exactly_and_nothing_is_written(api: Api) -> None:
    api.post("/schools", {"name": "南钢学校", "group": "一贯制学校组", "stage": "初中"})
    rows = [
        [" 学校 名称 ", "分组", "学段（高中/初中/小学/学前）", "备注"],
        ["湖坊小学", "一类小学组", "小学", ""],
        ["南钢学校", "一贯制学校组", "初中", ""],  # row 3: already registered
        ["塘山小学", "二类小学组", "大学", ""],  # row 4: no such stage
        ["湖坊小学 ", "一类小学组", "小学", ""],  # row 5: the same as row 2 (trimmed)
        ["罗家小学", "二类小学组", "小学", "新建"],
    ]
    report = dry_run(api, "schools", xlsx(rows))
    assert report["rows"] == 5 and report["ok"] == 2 and report["committable"] is False
    assert [e["row"] for e in report["errors"]] == [3, 4, 5]
    by_row = {e["row"]: e for e in report["errors"]}
    assert by_row[4]["column"] == "学段（高中/初中/小学/学前）"
    assert by_row[4]["message"] == \
        "第 4 行「学段（高中/初中/小学/学前）」：应为 高中、初中、小学、学前 之一"
    assert "南钢学校" in by_row[3]["message"] and "已有同名记录" in by_row[3]["message"]
    assert by_row[5]["message"] == "第 5 行「学校 名称」：与第 2 行重名"
    assert report["warnings"][0]["column"] == "备注"  # unknown columns are reported
    refused = commit(api, report["id"], expect=422)
    assert refused["detail"] == "导入的表格中有错误行，未写入任何数据"
    assert school_names(api) == ["南钢学校"]


def test_a_commit_after_the_data_changed_writes_nothing(api: Api) -> None:
    report = dry_run(api, "schools", xlsx(SCHOOLS))
    api.post("/schools", {"name": "湖坊小学", "group": "一类小学组", "stage": "小学"})
    refused = commit(api, report["id"], expect=409)
    assert refused["detail"] == "试导入之后数据已有变动，请重新试导入"
    assert school_names(api) == ["湖坊小学"]


def test_a_csv_with_or_without_a_bom_reads_the_same(api: Api) -> None:
    text = "\n".join(",".join(row) for row in SCHOOLS) + "\n"
    plain = dry_run(api, "schools", text.encode(), "text/csv")
    with_bom = dry_run(api, "schools", "\ufeff".encode() + text.encode(), "text/csv")
    assert plain["rows"] == with_bom["rows"] == 3
    assert plain["errors"] == with_bom["errors"] == []
    done = commit(api, with_bom["id"])
    assert school_names(api, done["position"]) == ["南钢学校", "塘山小学", "湖坊小学"]
    assert commit(api, plain["id"], expect=409)["status"] == 409  # the names are taken now


def test_a_multipart_upload_is_read_like_a_raw_body(api: Api) -> None:
    r = api.client.post(api.url("/imports/schools"), headers=bearer(api.token),
                    files={"file": ("学校.xlsx", xlsx(SCHOOLS), XLSX)})
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == 3


def test_users_name_their_schools_and_roles_in_chinese(api: Api) -> None:
    school = api.post("/schools", {"name": "南钢学校", "group": "一贯制学校组",
                                   "stage": "初中"})["id"]
    rows = [["姓名", "角色", "任职单位", "学科"],
            ["王芳", "评委", "南钢学校", "语文"],
            ["李强", "评委", "", ""],
            ["赵敏", "校长", "南钢学校", ""],  # row 4: no such role
            ["钱亮", "教师", "北京四中", "数学"]]  # row 5: no such school
    report = dry_run(api, "users", xlsx(rows))
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(4, "角色"), (5, "任职单位")]
    assert "应为 评委、管理员、审计员、填报员、教师 之一" in report["errors"][0]["message"]
    good = dry_run(api, "users", xlsx(rows[:3]))
    done = commit(api, good["id"])
    app = api.client.app.state.container.app(api.slug)
    wang = app.user(__import__("uuid").UUID(done["ids"][0]))
    assert (wang.name, wang.role, wang.subject) == ("王芳", "judge", "语文")
    assert [str(a.id) for a in wang.affiliations] == [school]


def test_an_import_of_another_tenant_is_not_found(client: Any, new_slug: Any) -> None:
    api_a, api_b = create_tenant(client, new_slug()), create_tenant(client, new_slug())
    report = dry_run(api_a, "schools", xlsx(SCHOOLS))
    assert commit(api_b, report["id"], expect=404)["status"] == 404
    r = client.post(api_b.url(f"/imports/{report['id']}/commit"), headers=bearer(api_a.token))
    assert r.status_code == 404
    assert school_names(api_b) == []


def test_bad_input_is_a_problem_and_writes_nothing(api: Api) -> None:
    broken = dry_run(api, "schools", b"PK\x03\x04 not really a workbook", expect=422)
    assert broken["detail"] == "文件不是 .xlsx 工作簿：请另存为 .xlsx 或 .csv"
    latin = dry_run(api, "schools", "学校名称\n南钢".encode("gb18030"), "text/csv", expect=422)
    assert "UTF-8" in latin["detail"]
    assert dry_run(api, "schools", b"", "text/csv", expect=422)["detail"] == "文件为空"
    assert dry_run(api, "nonsense", b"a,b", "text/csv", expect=404)["status"] == 404
    no_header = dry_run(api, "schools", "甲,乙\n1,2\n".encode(), "text/csv")
    assert no_header["committable"] is False
    judge = api.post("/users", {"name": "评委甲", "role": "judge"})
    r = api.client.post(api.url("/imports/schools"), content=xlsx(SCHOOLS),
                    headers={**bearer(judge["token"]), "content-type": XLSX})
    assert r.status_code == 403
    assert school_names(api) == []


def test_the_zhuhui_rubric_sheet_imports_to_the_json_template(api: Api) -> None:
    """The sheet in the seed's shape: 一级指标 merged down its rows, written "一\\n组织建设\\n10%";
    二级指标 merged over its leaves."""
    template = json.loads(TEMPLATE.read_text())
    book = Workbook()
    sheet = book.active
    sheet.append([template["name"]])
    sheet.merge_cells("A1:E1")
    sheet.append(["一级指标", "二级 指标", "具体要求", "评价分值", "评分说明"])
    numerals = "一二三四五六七八九"
    for i, top in enumerate(template["indicators"]):
        first = sheet.max_row + 1
        for second in top["children"]:
            start = sheet.max_row + 1
            for leaf in second["children"]:
                sheet.append([None, None, leaf["title"], leaf["max_points"], leaf.get("guidance")])
            sheet.cell(start, 2, second["title"])
            if sheet.max_row > start:
                sheet.merge_cells(start_row=start, end_row=sheet.max_row, start_column=2,
                                  end_column=2)
        sheet.cell(first, 1, f"{numerals[i]}\n{top['title']}\n{top['weight']}%")
        if sheet.max_row > first:
            sheet.merge_cells(start_row=first, end_row=sheet.max_row, start_column=1,
                              end_column=1)
    out = io.BytesIO()
    book.save(out)
    report = dry_run(api, "rubric", out.getvalue(), step="0.5")
    assert report["errors"] == [], report["errors"]
    done = commit(api, report["id"])
    rubric = api.get(f"/rubrics/{done['ids'][0]}")
    draft = rubric["draft"]
    assert draft["name"] == template["name"]
    assert Decimal(str(draft["total"])) == Decimal(template["total"])
    assert strip(draft["indicators"]) == strip(template["indicators"])


def strip(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": n["code"], "title": n["title"],
             "weight": None if n.get("weight") is None else Decimal(str(n["weight"])),
             "max_points": None if n.get("max_points") is None or n.get("children")
             else Decimal(str(n["max_points"])),  # a parent's is the sum the API adds
             "guidance": n.get("guidance"), "children": strip(n.get("children") or [])}
            for n in nodes]


def test_a_rubric_whose_weights_miss_the_total_is_refused_on_its_rows(api: Api) -> None:
    rows = [["一级指标", "评价要点", "分值"],
            ["组织建设 10%", "制度健全", 6],
            [None, "分工明确", 3],  # 9 points under a weight of 10
            ["教研活动 90%", "集体备课", 90]]
    report = dry_run(api, "rubric", xlsx(rows), name="细则")
    assert report["committable"] is False
    assert next((e["row"], e["column"]) for e in report["errors"]) == (2, "一级指标")
    assert "权重 10 与其下级指标之和 9 不一致" in report["errors"][0]["message"]


def draft_round(api: Api) -> str:
    rubric = api.post("/rubrics", RUBRIC)
    api.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    return str(api.post("/assessments", {
        "name": "2019—2020学年度校本教研述职述研评议",
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "groups": [{"key": "yiguanzhi", "name": "一贯制学校组", "time_limit_minutes": 8},
                   {"key": "xiaoxue1", "name": "一类小学组", "time_limit_minutes": 6}],
        "tiers": {"thresholds": [{"name": "优秀", "min": 90}, {"name": "合格", "min": 0}]},
    })["id"])


def test_subjects_then_their_order_come_from_sheets(api: Api) -> None:
    commit(api, dry_run(api, "schools", xlsx(SCHOOLS))["id"])
    aid = draft_round(api)
    rows = [["被评对象", "分组"], ["南钢学校", "一贯制学校组"], ["湖坊小学", "一类小学组"],
            ["塘山小学", "xiaoxue1"], ["北京四中", "一类小学组"], ["湖坊小学", "一类小学组"]]
    bad = dry_run(api, "subjects", xlsx(rows), assessment_id=aid)
    assert [e["row"] for e in bad["errors"]] == [5, 6]
    assert bad["errors"][0]["message"] == "第 5 行「被评对象」：没有名为 北京四中 的学校"
    report = dry_run(api, "subjects", xlsx(rows[:4]), assessment_id=aid)
    assert report["errors"] == []
    commit(api, report["id"])
    board = {s["name"]: s["group"] for s in api.get(f"/assessments/{aid}")["subjects"]}
    assert board == {"南钢学校": "yiguanzhi", "湖坊小学": "xiaoxue1", "塘山小学": "xiaoxue1"}
    order = [["分组", "顺序", "名称"], ["一类小学组", 2, "湖坊小学"], ["一类小学组", 1, "塘山小学"],
             ["一贯制学校组", 1, "南钢学校"]]
    entered = dry_run(api, "order", xlsx(order), assessment_id=aid)
    assert entered["errors"] == []
    commit(api, entered["id"])
    groups = {g["key"]: [s["name"] for s in g["subjects"]]
              for g in api.get(f"/assessments/{aid}/order")["groups"]}
    assert groups == {"yiguanzhi": ["南钢学校"], "xiaoxue1": ["塘山小学", "湖坊小学"]}


def test_communities_and_units_name_their_schools_and_people(api: Api) -> None:
    commit(api, dry_run(api, "schools", xlsx(SCHOOLS))["id"])
    people = [["姓名", "角色", "任职单位", "学科"], ["王芳", "教师", "南钢学校", "语文"],
              ["李强", "教师", "南钢学校", "语文"], ["赵敏", "教师", "湖坊小学", "美术"]]
    commit(api, dry_run(api, "users", xlsx(people))["id"])
    communities = [["共同体名称", "类型", "范围", "核心校", "成员校", "起始日期"],
                   ["城关教研共同体", "共建型", "县域", "南钢学校", "湖坊小学、塘山小学",
                    "2020/9/1"],
                   ["北区共同体", "联盟型", "县域", "南钢学校", "", ""],
                   ["南区共同体", "协作型", "县域", "北京四中", "", ""]]
    report = dry_run(api, "communities", xlsx(communities))
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "类型"), (4, "核心校")]
    done = commit(api, dry_run(api, "communities", xlsx(communities[:2]))["id"])
    found = api.get("/communities", after=done["position"])
    assert [c["name"] for c in found] == ["城关教研共同体"]
    assert found[0]["type"] == "co_built"
    units = [["类型", "名称", "学校", "学科", "主持人", "成员"],
             ["教研组", "语文教研组", "南钢学校", "语文", "", "王芳、李强"],
             ["工作坊", "赵敏美术工作坊", "", "美术", "赵敏", "王芳"],
             ["工作坊", "无主工作坊", "", "", "", ""],
             ["教研组", "数学教研组", "南钢学校", "数学", "", "钱亮"]]
    report = dry_run(api, "units", xlsx(units))
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(4, "主持人"), (5, "成员")]
    assert report["errors"][1]["message"] == "第 5 行「成员」：没有名为 钱亮 的人员"
    done = commit(api, dry_run(api, "units", xlsx(units[:3]))["id"])
    names = sorted(u["name"] for u in api.get("/units", after=done["position"]))
    assert names == ["语文教研组", "赵敏美术工作坊"]
