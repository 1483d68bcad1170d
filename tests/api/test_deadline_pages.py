"""The pages of windows and deadlines: the admin's 截止与逾期, the window on the 自查自评 page
(shown, and applied by the round's late rule), and the 出场安排 on the timer pages — in a
tenant whose zone is not Beijing's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.flow import Round, create_tenant
from tests.api.school_flow import XSS, SchoolRound
from tests.api.test_deadlines import ZONE, local_now, naive, zoned_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


@pytest.fixture
def room(web: TestClient[Any], new_slug: Any) -> SchoolRound:
    web.cookies.clear()
    return SchoolRound(zoned_tenant(web, new_slug()), today=local_now().date())


def sign_in(web: TestClient[Any], admin: Any, user_id: str) -> None:
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), admin, user_id, ""))


def admin_id(admin: Any) -> str:
    made = admin.post("/users", {"name": "教研室管理员", "role": "admin"})
    return str(made["id"])


def form(web: TestClient[Any], url: str, **fields: str) -> Any:
    token = CSRF.search(web.get(url).text)
    assert token, "the page has a form with a CSRF token"
    return web.post(url, data={"_csrf_token": token[1], **fields}, follow_redirects=False)


def test_the_admin_sees_who_is_late_with_names_in_the_tenants_time(web, room) -> None:
    closed = local_now() - timedelta(hours=1)
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(closed)}, "late": "flag",
        "materials_due_days_before": 3,
        "schedule": {"yiguanzhi": {"date": (local_now().date() + timedelta(days=10)).isoformat(),
                                   "start": "08:30", "venue": "区教研中心三楼会议室"}}})
    room.reporters[0][1].put(room.own(), {"scores": {"1.1": 6}})  # late, flagged
    sign_in(web, room.admin, admin_id(room.admin))
    url = f"/t/{room.admin.slug}/admin/assessments/{room.id}/deadlines"
    page = web.get(url)
    assert page.status_code == 200, page.text
    html = page.text
    assert "逾期可提交，但标记为逾期" in html and "区教研中心三楼会议室" in html
    assert f"{closed:%Y-%m-%d %H:%M}" in html  # New York time, as the district reads it
    assert "南钢学校" in html and "逾期提交" in html
    assert ESCAPED in html and XSS not in html and "未提交" in html
    assert "8 分钟" in html and "述职会议前 3 天" in html
    # Linked from the round's pages.
    assert url in web.get(f"/t/{room.admin.slug}/admin/round/{room.id}").text
    assert url in web.get(f"/t/{room.admin.slug}/admin/assessments/{room.id}").text
    # A reporter may not read it; another tenant's round is not there.
    sign_in(web, room.admin, room.reporters[0][0])
    assert web.get(url).status_code == 403
    other = create_tenant(web, room.admin.slug + "x")
    sign_in(web, other, admin_id(other))
    assert web.get(f"/t/{other.slug}/admin/assessments/{room.id}/deadlines").status_code == 404


def test_the_self_assessment_page_shows_its_window_and_refuses_after_it(web, room) -> None:
    closes = local_now() + timedelta(hours=3)
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(closes)}, "late": "refuse"})
    sign_in(web, room.admin, room.reporters[0][0])
    page = web.get(room.page()).text
    assert f"{closes:%Y-%m-%d %H:%M}" in page and "逾期不予受理" in page
    assert "window-shut" not in page
    saved = form(web, room.page(), **{"score:1.1": "5", "score:1.2": "", "score:2.1": ""})
    assert saved.status_code == 303, saved.text

    closed = local_now() - timedelta(minutes=5)
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(closed)}, "late": "refuse"})
    page = web.get(room.page()).text
    said = f"{closed:%Y-%m-%d %H:%M}（{ZONE}）"
    assert "window-shut" in page and said in page and "逾期不予受理" in page
    refused = form(web, room.page(), **{"score:1.1": "4", "score:1.2": "3", "score:2.1": ""})
    assert refused.status_code == 409 and said in refused.text
    assert 'value="3"' in refused.text  # what was typed is shown again
    assert room.reporters[0][1].get(room.own())["scores"] == {"1.1": 5}


def test_late_work_is_flagged_on_the_self_assessment_page(web, room) -> None:
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(local_now() - timedelta(minutes=5))},
        "late": "flag"})
    sign_in(web, room.admin, room.reporters[0][0])
    page = web.get(room.page()).text
    assert "逾期仍可提交，但会标记为逾期" in page and "window-shut" not in page
    saved = form(web, room.page(), **{"score:1.1": "5", "score:1.2": "", "score:2.1": ""})
    assert saved.status_code == 303, saved.text
    assert "已标记为逾期" in web.get(room.page()).text


def test_the_timer_pages_show_the_groups_date_start_and_venue(web, new_slug) -> None:
    web.cookies.clear()
    admin = zoned_tenant(web, new_slug())
    rnd = Round(admin)
    admin.post(f"/assessments/{rnd.id}/draw", {"seed": "2026"}, expect=200)
    admin.put(f"/assessments/{rnd.id}/windows", {"schedule": {"yiguanzhi": {
        "date": "2026-12-18", "start": "08:30", "venue": "<b>三楼</b>会议室"}}})
    sign_in(web, admin, rnd.judges[0][0])
    for url in (f"/t/{admin.slug}/timer/{rnd.id}", f"/t/{admin.slug}/timer/{rnd.id}/yiguanzhi"):
        html = web.get(url).text
        assert "2026年12月18日" in html and "08:30 开始" in html, html
        assert "&lt;b&gt;三楼&lt;/b&gt;会议室" in html and "<b>三楼" not in html
