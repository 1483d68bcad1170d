"""人员与登录 over HTTP: users created with a role and affiliations, listed, searched and
paged; a refusal beside its field; a sign-in card from a user's row; a user's sessions and
revoking their access, which ends the session; a judge refused; names escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import Api, create_tenant
from tests.web_session import SESSION_COOKIE, confirm_link, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
CARD_URL = re.compile(r'<p class="card-url">([^<]+)</p>')
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


def sign_in(web: TestClient[Any], api: Api, role: str) -> str:
    made = api.post("/users", {"name": f"区教研室{role}", "role": role})
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), api, made["id"],
                                                made["token"]))
    return str(made["id"])


def post(web: TestClient[Any], page: str, to: str, fields: dict[str, Any]) -> Any:
    shown = web.get(page)
    assert shown.status_code == 200, shown.text
    token = CSRF.search(shown.text)
    assert token, "the form carries a CSRF token"
    return web.post(to, data={"_csrf_token": token[1], **fields}, follow_redirects=False)


def people(api: Api, path: str = "") -> str:
    return f"/t/{api.slug}/admin/people{path}"


def school(api: Api, name: str) -> str:
    return str(api.post("/schools", {"name": name, "group": "一贯制学校组",
                                     "stage": "初中"})["id"])


def test_an_admin_creates_a_judge_with_an_affiliation(web, admin) -> None:
    school_id = school(admin, "南钢学校")
    made = post(web, people(admin), people(admin),
                {"name": "张评委", "role": "judge", "school": [school_id]})
    assert made.status_code == 303, made.text
    page = web.get(made.headers["location"]).text
    assert "用户已创建" in page and "张评委" in page and "学校 南钢学校" in page
    [judge] = admin.get("/users", role="judge")
    assert judge["name"] == "张评委"
    assert judge["affiliations"] == [{"kind": "school", "id": school_id}]
    listed = web.get(people(admin), params={"q": "南钢"}).text
    assert "张评委" in listed and "区教研室admin" not in listed


def test_a_refused_user_says_why_beside_the_field_and_keeps_what_was_typed(web, admin):
    school_id = school(admin, "南钢学校")
    refused = post(web, people(admin), people(admin),
                   {"name": "", "role": "judge", "school": [school_id]})
    assert refused.status_code == 400
    assert re.search(r'id="err-f-name"[^>]*>不能为空', refused.text)
    assert '<option value="judge" selected>' in refused.text
    assert f'<option value="{school_id}" selected>' in refused.text
    post(web, people(admin), people(admin), {"name": "张评委", "role": "judge"})
    twice = post(web, people(admin), people(admin), {"name": "张评委", "role": "judge"})
    assert twice.status_code == 409 and "该名称已被“张评委”使用" in twice.text


def test_people_are_paged_and_filtered_by_role(web, admin) -> None:
    for i in range(52):
        admin.post("/users", {"name": f"评委{i:02d}", "role": "judge"})
    first = web.get(people(admin), params={"role": "judge"}).text
    assert "共 52 条，第 1 / 2 页" in first and "区教研室admin" not in first
    assert "评委51" in web.get(people(admin), params={"role": "judge", "page": "2"}).text


def test_affiliations_change_with_a_reason(web, admin) -> None:
    a, b = school(admin, "甲学校"), school(admin, "乙学校")
    judge = admin.post("/users", {"name": "张评委", "role": "judge",
                                  "affiliations": [{"kind": "school", "id": a}]})["id"]
    page = people(admin, f"/{judge}")
    refused = post(web, page, page + "/affiliations", {"school": [b], "reason": ""})
    assert refused.status_code in (400, 422)
    assert re.search(r'id="err-af-reason"[^>]*>', refused.text)
    assert f'<option value="{b}" selected>' in refused.text
    done = post(web, page, page + "/affiliations", {"school": [b], "reason": "调动"})
    assert done.status_code == 303, done.text
    assert admin.get(f"/users/{judge}/affiliations")["affiliations"][0]["name"] == "乙学校"


def test_a_card_from_the_row_signs_in_and_revoking_access_ends_the_session(web, admin):
    judge = admin.post("/users", {"name": "张评委", "role": "judge"})["id"]
    listed = web.get(people(admin)).text
    assert f'<input type="hidden" name="user" value="{judge}">' in listed
    assert f'href="/t/{admin.slug}/admin/sign-in-links"' in listed
    cards = post(web, people(admin), f"/t/{admin.slug}/admin/sign-in-links", {"user": judge})
    assert cards.status_code == 200 and "张评委" in cards.text and "<svg" in cards.text
    link = urlsplit(CARD_URL.search(cards.text)[1]).path
    mine = web.cookies.get(SESSION_COOKIE)
    web.cookies.clear()
    judge_cookie = confirm_link(web, link).cookies[SESSION_COOKIE]
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, judge_cookie)
    assert web.get(f"/t/{admin.slug}/").status_code == 200
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, mine)
    page = people(admin, f"/{judge}")
    assert "进行中" in web.get(page).text
    revoked = post(web, page, page + "/revoke", {})
    assert revoked.status_code == 303, revoked.text
    after = web.get(revoked.headers["location"]).text
    assert "已撤销访问" in after and "已结束" in after and "进行中" not in after
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, judge_cookie)
    assert web.get(f"/t/{admin.slug}/").status_code == 401


def test_one_session_is_ended_from_the_users_page(web, admin) -> None:
    judge = admin.post("/users", {"name": "张评委", "role": "judge"})
    session_for(str(web.base_url), admin, judge["id"], judge["token"])
    [going] = admin.client.get(
        f"/api/v1/tenants/{admin.slug}/users/{judge['id']}/sessions",
        headers={"Authorization": f"Bearer {admin.token}"}).json()
    page = people(admin, f"/{judge['id']}")
    ended = post(web, page, page + f"/sessions/{going['id']}/end", {})
    assert ended.status_code == 303
    assert "会话已结束" in web.get(ended.headers["location"]).text
    assert admin.get(f"/users/{judge['id']}/sessions") == []


def test_an_archived_user_leaves_the_list(web, admin) -> None:
    judge = admin.post("/users", {"name": "张评委", "role": "judge"})["id"]
    page = people(admin, f"/{judge}")
    assert post(web, page, page + "/archive", {"reason": "退休"}).status_code == 303
    assert "张评委" not in web.get(people(admin)).text
    assert "张评委" in web.get(people(admin), params={"archived": "1"}).text


def test_a_judge_is_refused(web, admin) -> None:
    other = admin.post("/users", {"name": "张评委", "role": "judge"})["id"]
    sign_in(web, admin, "judge")
    assert web.get(people(admin)).status_code == 403
    assert web.get(people(admin, f"/{other}")).status_code == 403
    token = CSRF.search(web.get(f"/t/{admin.slug}/").text)
    fields = {"_csrf_token": token[1]} if token else {}
    refused = web.post(people(admin), data={**fields, "name": "x", "role": "admin"},
                       follow_redirects=False)
    assert refused.status_code == 403


def test_names_are_escaped(web, admin) -> None:
    judge = admin.post("/users", {"name": XSS, "role": "judge"})["id"]
    for path in ("", f"/{judge}"):
        text = web.get(people(admin, path)).text
        assert XSS not in text and "&lt;script&gt;" in text
