"""组织机构 over HTTP: schools listed, searched, paged, created, edited with a reason and
archived; a refusal beside its field with what was typed kept; the 教研组 warning; a
community's members on a date; a judge refused; names escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import Api, create_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def admin(web: TestClient[Any], new_slug: Any) -> Api:
    web.cookies.clear()
    api = create_tenant(web, new_slug())
    sign_in(web, api, "admin")
    return api


def sign_in(web: TestClient[Any], api: Api, role: str, name: str = "区教研室李老师") -> str:
    made = api.post("/users", {"name": f"{name}{role}", "role": role})
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), api, made["id"],
                                                made["token"]))
    return str(made["id"])


def post(web: TestClient[Any], page: str, to: str, fields: dict[str, Any]) -> Any:
    """GET ``page``, take its form's CSRF token, post ``fields`` to ``to``."""
    shown = web.get(page)
    assert shown.status_code == 200, shown.text
    token = CSRF.search(shown.text)
    assert token, "the form carries a CSRF token"
    return web.post(to, data={"_csrf_token": token[1], **fields}, follow_redirects=False)


def org(api: Api, path: str = "") -> str:
    return f"/t/{api.slug}/admin/org{path}"


def school(api: Api, name: str, group: str = "一贯制学校组", stage: str = "初中") -> str:
    return str(api.post("/schools", {"name": name, "group": group, "stage": stage})["id"])


def test_an_admin_adds_a_school_and_finds_it_in_the_list(web, admin) -> None:
    done = post(web, org(admin, "/schools"), org(admin, "/schools"),
                {"name": "南钢学校", "group": "一贯制学校组", "stage": "初中", "zone": "东片区"})
    assert done.status_code == 303, done.text
    listed = web.get(done.headers["location"])
    assert "已添加" in listed.text and "南钢学校" in listed.text and "东片区" in listed.text
    [row] = [s for s in admin.get("/schools") if s["name"] == "南钢学校"]
    assert (row["group"], row["stage"], row["zone"]) == ("一贯制学校组", "初中", "东片区")


def test_a_refused_school_says_why_beside_the_field_and_keeps_what_was_typed(web, admin):
    school(admin, "南钢学校")
    refused = post(web, org(admin, "/schools"), org(admin, "/schools"),
                   {"name": "南钢学校", "group": "一类小学组", "stage": "小学", "zone": "北片区"})
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("text/html")  # a page, not JSON
    assert re.search(r'id="err-f-name"[^>]*>该名称已被“南钢学校”使用', refused.text)
    assert 'value="一类小学组"' in refused.text and 'value="北片区"' in refused.text
    empty = post(web, org(admin, "/schools"), org(admin, "/schools"),
                 {"name": "", "group": "一类小学组", "stage": "小学"})
    assert empty.status_code == 400
    assert re.search(r'id="err-f-name"[^>]*>不能为空', empty.text)
    assert 'value="一类小学组"' in empty.text
    assert len(admin.get("/schools")) == 1


def test_schools_are_searched_sorted_and_paged_on_the_server(web, admin) -> None:
    for i in range(55):
        school(admin, f"第{i:02d}小学", group="二类小学组", stage="小学")
    school(admin, "京东学校")
    first = web.get(org(admin, "/schools"))
    assert "共 56 条，第 1 / 2 页" in first.text and "第54小学" not in first.text
    second = web.get(org(admin, "/schools?page=2"))
    assert "第54小学" in second.text and "第00小学" not in second.text
    found = web.get(org(admin, "/schools"), params={"q": "京东"})
    assert "京东学校" in found.text and "第00小学" not in found.text and "共 1 条" in found.text
    backwards = web.get(org(admin, "/schools?sort=name&desc=1")).text
    assert backwards.index("第54小学") < backwards.index("第53小学")


def test_an_edit_needs_a_reason_and_an_archived_school_leaves_the_list(web, admin) -> None:
    school_id = school(admin, "南钢学校")
    page = org(admin, f"/schools/{school_id}")
    refused = post(web, page, page, {"name": "南钢实验学校", "group": "一贯制学校组",
                                     "stage": "初中", "zone": "", "reason": ""})
    assert refused.status_code in (400, 422)
    assert re.search(r'id="err-f-reason"[^>]*>', refused.text)
    assert 'value="南钢实验学校"' in refused.text
    done = post(web, page, page, {"name": "南钢实验学校", "group": "一贯制学校组",
                                  "stage": "初中", "zone": "", "reason": "更名"})
    assert done.status_code == 303
    assert admin.get(f"/schools/{school_id}")["name"] == "南钢实验学校"
    archived = post(web, page, page + "/archive", {"reason": "撤并"})
    assert archived.status_code == 303
    assert admin.get(f"/schools/{school_id}")["archived"] is True
    assert "南钢实验学校" not in web.get(org(admin, "/schools")).text
    assert "南钢实验学校" in web.get(org(admin, "/schools?archived=1")).text


def test_a_research_group_with_too_few_teachers_carries_the_warning(web, admin) -> None:
    school_id = school(admin, "南钢学校")
    for name in ("王老师", "李老师"):
        admin.post("/users", {"name": name, "role": "teacher", "subject": "语文",
                              "affiliations": [{"kind": "school", "id": school_id}]})
    made = post(web, org(admin, "/units?kind=research_group"), org(admin, "/units"),
                {"kind": "research_group", "name": "语文教研组", "school_id": school_id,
                 "subject": "语文"})
    assert made.status_code == 303, made.text
    warning = "语文只有2名教师，不足3人"
    assert warning in web.get(made.headers["location"]).text
    assert warning in web.get(org(admin)).text
    post(web, org(admin, "/teachers"), org(admin, "/teachers"),
         {"name": "赵老师", "subject": "语文", "school_id": school_id})
    assert warning not in web.get(org(admin, "/units?kind=research_group")).text


def test_a_communitys_members_on_a_date(web, admin) -> None:
    core, a, b = (school(admin, n) for n in ("核心学校", "甲学校", "乙学校"))
    made = post(web, org(admin, "/communities"), org(admin, "/communities"),
                {"name": "东片共同体", "type": "integrated", "scope": "县域",
                 "core_school_id": core, "member_school_ids": [a], "since": "2025-09-01"})
    assert made.status_code == 303, made.text
    listed = web.get(made.headers["location"]).text
    assert "东片共同体" in listed and "融合型" in listed
    [community] = admin.get("/communities")
    page = org(admin, f"/communities/{community['id']}")
    joined = post(web, page, page + "/members", {"school_id": b, "on": "2026-03-01"})
    assert joined.status_code == 303, joined.text
    left = post(web, page, page + f"/members/{a}/leave", {"on": "2026-02-01"})
    assert left.status_code == 303, left.text
    autumn = web.get(page, params={"on": "2025-10-01"}).text
    assert "成员校 1 所：甲学校" in autumn
    spring = web.get(page, params={"on": "2026-03-15"}).text
    assert "成员校 1 所：乙学校" in spring
    between = web.get(page, params={"on": "2026-02-15"}).text
    assert "成员校 0 所" in between
    bad = web.get(page, params={"on": "明天"})
    assert bad.status_code == 400 and "请填写日期" in bad.text


def test_a_refused_community_keeps_the_chosen_schools(web, admin) -> None:
    core, a = school(admin, "核心学校"), school(admin, "甲学校")
    refused = post(web, org(admin, "/communities"), org(admin, "/communities"),
                   {"name": "东片共同体", "type": "integrated", "scope": "县域",
                    "core_school_id": core, "member_school_ids": [core, a]})
    assert refused.status_code == 422
    assert re.search(r'id="err-f-member_school_ids"[^>]*>核心校不能同时是成员校', refused.text)
    assert f'<option value="{a}" selected>' in refused.text
    assert 'value="东片共同体"' in refused.text


def test_a_judge_is_refused_and_a_foreign_tenant_is_not_found(web, admin, new_slug) -> None:
    other = create_tenant(web, new_slug())
    assert web.get(f"/t/{other.slug}/admin/org").status_code == 404
    sign_in(web, admin, "judge", "评委")
    for path in ("", "/schools", "/communities", "/units", "/teachers"):
        assert web.get(org(admin, path)).status_code == 403, path


def test_names_are_escaped(web, admin) -> None:
    school(admin, XSS)
    for path in ("", "/schools", "/communities"):
        text = web.get(org(admin, path)).text
        assert XSS not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in web.get(org(admin, "/schools")).text


def test_a_studio_needs_a_host_and_its_members_change_with_a_reason(web, admin) -> None:
    host = admin.post("/users", {"name": "王名师", "role": "teacher", "subject": "数学"})["id"]
    other = admin.post("/users", {"name": "李老师", "role": "teacher", "subject": "数学"})["id"]
    units = org(admin, "/units?kind=studio")
    refused = post(web, units, org(admin, "/units"),
                   {"kind": "studio", "name": "王名师工作室", "member_user_ids": [other]})
    assert refused.status_code == 422
    assert re.search(r'id="err-f-host_user_id"[^>]*>工作坊须有坊主', refused.text)
    assert 'value="王名师工作室"' in refused.text
    made = post(web, units, org(admin, "/units"),
                {"kind": "studio", "name": "王名师工作室", "host_user_id": host})
    assert made.status_code == 303, made.text
    [studio] = [u for u in admin.get("/units") if u["name"] == "王名师工作室"]
    page = org(admin, f"/units/{studio['id']}")
    assert "王名师" in web.get(page).text
    changed = post(web, page, page + "/members",
                   {"host_user_id": host, "member_user_ids": [other], "reason": "新成员"})
    assert changed.status_code == 303, changed.text
    assert "成员 1 人：李老师" in web.get(changed.headers["location"]).text
    edited = post(web, page, page, {"name": "王名师数学工作室", "subject": "数学",
                                    "reason": "更名"})
    assert edited.status_code == 303
    assert post(web, page, page + "/archive", {"reason": "期满"}).status_code == 303
    assert admin.get(f"/units/{studio['id']}")["archived"] is True
