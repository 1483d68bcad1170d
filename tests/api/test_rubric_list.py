"""Rubrics: the shipped templates import as they are; a declared full mark (满分) is checked
when publishing; the list shows drafts and published versions."""

import json
from importlib import resources

from tests.api.flow import RUBRIC, create_tenant


def shipped(name: str = "zhuhui_research_group_rubric.json") -> dict:
    text = resources.files("tenants").joinpath("templates", name).read_text(encoding="utf-8")
    return json.loads(text)


def test_every_shipped_template_imports_exactly_as_shipped_and_publishes(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教育局")
    for template in resources.files("tenants").joinpath("templates").iterdir():
        if not template.name.endswith(".json"):
            continue
        body = json.loads(template.read_text(encoding="utf-8"))
        made = admin.post("/rubrics", body)
        assert made["draft"]["total"] == 100 == made["draft"]["max_points"]
        assert made["draft"]["source"] == body["source"]
        assert admin.post(f"/rubrics/{made['id']}/publish", expect=200)["version"] == 1


def test_a_template_edited_below_its_full_mark_is_not_published(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    body = shipped()
    first = body["indicators"][0]  # 组织建设: 2 + 2 + 3 + 3 = 10
    dropped = first["children"][0]["children"].pop()  # 1.1.2, 2 points
    first["weight"] -= dropped["max_points"]  # its weight still equals its leaves' sum
    made = admin.post("/rubrics", body)
    refused = admin.post(f"/rubrics/{made['id']}/publish", expect=422)
    assert refused["detail"] == "一级指标的分值合计为 98，与满分 100 不符"
    assert refused["errors"][0]["field"] == "total"
    assert admin.get(f"/rubrics/{made['id']}")["published_versions"] == []


def test_a_total_of_100_over_95_points_is_refused_showing_95(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    body = {"name": "细则", "total": 100, "indicators": [
        {"code": "1", "title": "组织建设", "children": [
            {"code": "1.1", "title": "设置", "max_points": 45}]},
        {"code": "2", "title": "教研活动", "weight": 50, "children": [
            {"code": "2.1", "title": "集体备课", "max_points": 50}]},
    ]}
    made = admin.post("/rubrics", body)
    refused = admin.post(f"/rubrics/{made['id']}/publish", expect=422)
    assert refused["detail"] == "一级指标的分值合计为 95，与满分 100 不符"
    body["indicators"][0]["children"][0]["max_points"] = 50
    admin.put(f"/rubrics/{made['id']}", body)
    admin.post(f"/rubrics/{made['id']}/publish", expect=200)
    bad = admin.post("/rubrics", body | {"total": 0}, expect=422)
    assert bad["errors"][0]["field"] == "total"


def test_the_rubric_list_shows_drafts_and_published_versions(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    draft = admin.post("/rubrics", RUBRIC | {"name": "草稿细则"})
    published = admin.post("/rubrics", RUBRIC | {"total": 20})
    admin.post(f"/rubrics/{published['id']}/publish", expect=200)
    changed = admin.put(f"/rubrics/{published['id']}", RUBRIC | {"name": "细则（修订）",
                                                                  "total": 20})
    rubrics = {r["id"]: r for r in admin.get("/rubrics", after=changed["position"])}
    assert rubrics[draft["id"]]["name"] == "草稿细则"
    assert rubrics[draft["id"]]["versions"] == []
    assert rubrics[draft["id"]]["draft"]["unpublished"] is True
    listed = rubrics[published["id"]]
    assert listed["name"] == "细则（修订）" and listed["draft"]["unpublished"] is True
    [v1] = listed["versions"]
    assert (v1["number"], v1["name"], v1["max_points"], v1["total"]) == (
        1, RUBRIC["name"], 20, 20)
    assert v1["published_at"]
