"""管理台 and 学校填报: each role's home lists its sections; other roles are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import create_tenant
from tests.web_session import SESSION_COOKIE, session_for


@pytest.fixture(scope="module")
def pages(container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


def signed_in(pages: TestClient[Any], admin: Any, name: str, role: str) -> None:
    made = admin.post("/users", {"name": name, "role": role})
    pages.cookies.clear()
    pages.cookies.set(SESSION_COOKIE, session_for(str(pages.base_url), admin, made["id"],
                                                  made["token"]))


def test_admin_console_lists_every_section_and_refuses_a_judge(pages, new_slug):
    admin = create_tenant(pages, new_slug())
    signed_in(pages, admin, "区教研室李老师", "admin")
    home = pages.get(f"/t/{admin.slug}/admin")
    assert home.status_code == 200, home.text
    for label in ("组织机构", "人员与登录", "评分细则", "考核设置", "教研活动", "常规达标"):
        assert label in home.text
    assert f'href="/t/{admin.slug}/admin"' in pages.get(f"/t/{admin.slug}/").text
    assert pages.get(f"/t/{admin.slug}/school").status_code == 403

    signed_in(pages, admin, "评委张老师", "judge")
    refused = pages.get(f"/t/{admin.slug}/admin")
    assert refused.status_code == 403 and "无权访问" in refused.text


def test_school_reporter_home_lists_the_schools_sections(pages, new_slug):
    admin = create_tenant(pages, new_slug())
    signed_in(pages, admin, "南钢学校填报员", "reporter")
    home = pages.get(f"/t/{admin.slug}/school")
    assert home.status_code == 200, home.text
    assert "自查自评" in home.text and "公示与证书" in home.text
    assert "组织机构" not in home.text


def test_a_page_post_too_large_is_refused_with_a_chinese_page_and_the_api_keeps_problem_json(
        pages, new_slug):
    admin = create_tenant(pages, new_slug())
    signed_in(pages, admin, "区教研室李老师", "admin")
    big = {"name": "学" * 600_000}  # ≈ 5 MB urlencoded, past the 1 MB limit of a form
    page = pages.post(f"/t/{admin.slug}/admin/org/schools", data=big)
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert "内容过大" in page.text and "未保存任何内容" in page.text
    api = pages.post(f"/api/v1/tenants/{admin.slug}/schools", json=big,
                     headers={"Authorization": f"Bearer {admin.token}"})
    assert api.status_code == 413
    assert api.headers["content-type"].startswith("application/problem+json")
    listed = pages.get(f"/api/v1/tenants/{admin.slug}/schools",
                       headers={"Authorization": f"Bearer {admin.token}"})
    assert listed.json() == []
