"""Mistakes can be undone: records are edited with a reason and archived, never deleted."""

from typing import Any

from tests.api.flow import RUBRIC, Api, bearer, create_tenant


def patch(api: Api, path: str, body: dict[str, Any], expect: int = 200) -> Any:
    r = api.client.patch(api.url(path), json=body, headers=bearer(api.token))
    assert r.status_code == expect, r.text
    return r.json()


def test_an_edit_with_a_reason_shows_in_the_history_from_and_to(client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教科所")
    school = admin.post("/schools", {"name": "南钢学校", "group": "一贯制学校组", "stage": "初中"})
    written = patch(admin, f"/schools/{school['id']}",
                    {"name": "南昌市南钢学校", "zone": "京东片区", "reason": "按编办批复更名"})
    assert written["version"] == 2
    assert admin.get(f"/schools/{school['id']}")["name"] == "南昌市南钢学校"
    listed = admin.get("/schools", after=written["position"])
    assert [(s["name"], s["zone"]) for s in listed] == [("南昌市南钢学校", "京东片区")]
    history = admin.get(f"/schools/{school['id']}/history")
    assert history["name"] == "南昌市南钢学校"
    registered, edited = history["events"]
    assert registered["type"] == "Registered" and {"field": "name", "from": None,
                                                    "to": "南钢学校"} in registered["changes"]
    assert edited["reason"] == "按编办批复更名"
    assert edited["actor"]["name"] == "管理员" and edited["actor"]["role"] == "admin"
    assert edited["at"] and edited["changes"] == [
        {"field": "name", "from": "南钢学校", "to": "南昌市南钢学校"},
        {"field": "zone", "from": None, "to": "京东片区"},
    ]


def test_an_edit_needs_a_reason_and_a_valid_value_and_changes_nothing_otherwise(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug())
    school = admin.post("/schools", {"name": "京东学校", "group": "g", "stage": "初中"})
    path = f"/schools/{school['id']}"
    patch(admin, path, {"name": "京东中学"}, expect=400)  # the reason is required
    refused = patch(admin, path, {"stage": "大学", "reason": "录错"}, expect=422)
    assert refused["errors"][0]["field"] == "stage"
    patch(admin, path, {"name": "京东学校", "reason": "无变化"}, expect=422)
    assert admin.get(path)["version"] == 1
    assert len(admin.get(f"{path}/history")["events"]) == 1


def test_users_units_and_communities_are_edited_too(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    school = admin.post("/schools", {"name": "珠晖实验小学", "group": "小学组", "stage": "小学"})
    teacher = admin.post("/users", {"name": "王芳", "role": "teacher", "subject": "美术",
                                    "affiliations": [{"kind": "school", "id": school["id"]}]})
    patch(admin, f"/users/{teacher['id']}", {"subject": "音乐", "reason": "学科录错"})
    judge = admin.post("/users", {"name": "评委甲", "role": "judge"})
    refused = patch(admin, f"/users/{judge['id']}", {"subject": "语文", "reason": "x"},
                    expect=422)
    assert refused["errors"][0]["field"] == "subject"
    unit = admin.post("/units", {"kind": "research_group", "name": "美术组",
                                 "school_id": school["id"], "subject": "美术"})
    patch(admin, f"/units/{unit['id']}", {"name": "艺术教研组", "reason": "合并"})
    community = admin.post("/communities", {"name": "城东共同体", "type": "integrated",
                                            "scope": "县域", "core_school_id": school["id"],
                                            "member_school_ids": []})
    last = patch(admin, f"/communities/{community['id']}",
                 {"name": "城东教研共同体", "scope": "市域", "reason": "更名"})
    assert admin.get(f"/users/{teacher['id']}")["subject"] == "音乐"
    assert admin.get(f"/units/{unit['id']}")["name"] == "艺术教研组"
    assert admin.get(f"/units/{unit['id']}")["school_name"] == "珠晖实验小学"
    assert admin.get(f"/communities/{community['id']}")["scope"] == "市域"
    assert [u["name"] for u in admin.get("/units", after=last["position"])] == ["艺术教研组"]
    assert [c["name"] for c in admin.get("/communities")] == ["城东教研共同体"]
    teachers = admin.get("/users", role="teacher")
    assert [t["subject"] for t in teachers] == ["音乐"]
    changes = admin.get(f"/communities/{community['id']}/history")["events"][-1]["changes"]
    assert {"field": "scope", "from": "县域", "to": "市域"} in changes


def test_an_archived_school_is_readable_hidden_from_lists_and_refused_as_a_subject(
    client, new_slug
) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教科所")
    kept = admin.post("/schools", {"name": "南钢学校", "group": "g", "stage": "初中"})
    gone = admin.post("/schools", {"name": "南钢学校分校", "group": "g", "stage": "初中"})
    archived = admin.post(f"/schools/{gone['id']}/archive", {"reason": "并入南钢学校"},
                          expect=200)
    assert admin.get(f"/schools/{gone['id']}")["archived"] is True
    assert [s["name"] for s in admin.get("/schools", after=archived["position"])] == ["南钢学校"]
    everything = admin.get("/schools", archived="true")
    assert {s["name"]: s["archived"] for s in everything} == {"南钢学校": False,
                                                              "南钢学校分校": True}
    history = admin.get(f"/schools/{gone['id']}/history")
    assert history["archived"] and history["events"][-1]["type"] == "Archived"
    assert history["events"][-1]["reason"] == "并入南钢学校"
    admin.post(f"/schools/{gone['id']}/archive", {"reason": "again"}, expect=409)
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    aid = admin.post("/assessments", {
        "name": "述职述研", "groups": [{"key": "g", "name": "一贯制学校组"}],
        "components": [{"key": "r", "name": "常态化工作", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "合格", "min": 0}]}})["id"]
    refused = admin.post(f"/assessments/{aid}/subjects",
                         {"kind": "school", "ref_id": gone["id"], "group": "g"}, expect=422)
    assert refused["detail"] == "南钢学校分校已归档，不能再使用"
    admin.post(f"/assessments/{aid}/subjects",
               {"kind": "school", "ref_id": kept["id"], "group": "g"})


def test_an_archived_judge_cannot_join_a_panel_nor_sign_in(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    judge = admin.post("/users", {"name": "评委乙", "role": "judge"})
    rubric = admin.post("/rubrics", RUBRIC)
    admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    aid = admin.post("/assessments", {
        "name": "述职述研", "groups": [{"key": "g", "name": "g"}],
        "components": [{"key": "r", "name": "r", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "合格", "min": 0}]}})["id"]
    admin.post(f"/users/{judge['id']}/archive", {"reason": "调离本区"}, expect=200)
    admin.as_(judge["token"]).get("/schools", expect=401)
    refused = admin.post(f"/assessments/{aid}/panel", {"judge_id": judge["id"]}, expect=422)
    assert refused["errors"][0]["field"] == "judge_id"
    assert admin.get(f"/users/{judge['id']}")["archived"] is True
    assert judge["id"] not in [u["id"] for u in admin.get("/users")]
    assert judge["id"] in [u["id"] for u in admin.get("/users", archived="true")]


def test_archived_units_and_communities_leave_their_lists(client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    school = admin.post("/schools", {"name": "二中", "group": "g", "stage": "高中"})
    unit = admin.post("/units", {"kind": "research_group", "name": "语文教研组",
                                 "school_id": school["id"]})
    community = admin.post("/communities", {"name": "共同体", "type": "integrated",
                                            "scope": "县域", "core_school_id": school["id"],
                                            "member_school_ids": []})
    admin.post(f"/units/{unit['id']}/archive", {"reason": "撤销"}, expect=200)
    last = admin.post(f"/communities/{community['id']}/archive", {"reason": "撤销"}, expect=200)
    assert admin.get("/units", after=last["position"]) == []
    assert admin.get("/communities") == []
    assert [u["archived"] for u in admin.get("/units", archived="true")] == [True]
    assert [c["archived"] for c in admin.get("/communities", archived="true")] == [True]
    assert admin.get(f"/communities/{community['id']}")["archived"] is True
