"""编辑时间安排: the admin sets a round's windows, late rule and 出场安排 on a page, as
``PUT …/windows`` does — times typed in the tenant's zone, refusals in Chinese beside their
field with everything typed kept, and only the roles the API admits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.container import Container
from adapters.http.app import create_app
from tests.api.school_flow import SchoolRound
from tests.api.test_deadlines import ZONE, local_now, zoned_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
SHANGHAI = "Asia/Shanghai"


@pytest.fixture(scope="module")
def web(container: Container) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(container)) as client:
        yield client


def room_in(web: TestClient[Any], slug: str, zone: str = ZONE) -> SchoolRound:
    web.cookies.clear()
    return SchoolRound(zoned_tenant(web, slug, zone), today=local_now().date())


def sign_in(web: TestClient[Any], admin: Any, user_id: str) -> None:
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, session_for(str(web.base_url), admin, user_id, ""))


def admin_id(admin: Any) -> str:
    return str(admin.post("/users", {"name": "教研室管理员", "role": "admin"})["id"])


def form(web: TestClient[Any], url: str, **fields: str) -> Any:
    token = CSRF.search(web.get(url).text)
    assert token, "the page has a form with a CSRF token"
    return web.post(url, data={"_csrf_token": token[1], **fields}, follow_redirects=False)


def urls(room: SchoolRound) -> tuple[str, str]:
    deadlines = f"/t/{room.admin.slug}/admin/assessments/{room.id}/deadlines"
    return deadlines, deadlines + "/edit"


def value_of(html: str, name: str) -> str | None:
    """An input's value as the page shows it."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found[1] if found else None


def error_beside(html: str, name: str) -> str:
    """The refusal shown beside the input ``name`` (empty: none)."""
    found = re.search(rf'<p class="error" id="{re.escape(name)}-error">([^<]*)</p>', html)
    return found[1] if found else ""


FILLED = {
    "self_assessment.opens": "2026-11-01T08:00", "self_assessment.closes": "2026-11-10T17:30",
    "components.routine.self_assessment.opens": "",
    "components.routine.self_assessment.closes": "2026-11-05T12:00",
    "materials_due_days_before": "3", "late": "flag",
    "schedule.yiguanzhi.date": "2026-12-18", "schedule.yiguanzhi.start": "08:30",
    "schedule.yiguanzhi.venue": "区教研中心<b>三楼</b>会议室", "reason": "按区教研室通知调整"}


def test_the_form_shows_the_current_timetable_in_the_tenants_time(web, new_slug) -> None:
    room = room_in(web, new_slug())
    room.admin.put(f"/assessments/{room.id}/windows", {
        # Given in UTC: New York reads 22:00Z as 17:00 (EST, -05:00) that day.
        "self_assessment": {"opens": "2026-11-01T12:00:00Z", "closes": "2026-11-10T22:00:00Z"},
        "components": {"routine": {"self_assessment": {"closes": "2026-11-12"}}},
        "materials_due_days_before": 3, "late": "flag",
        "schedule": {"yiguanzhi": {"date": "2026-12-18", "start": "08:30",
                                   "venue": "<b>三楼</b>会议室"}}})
    sign_in(web, room.admin, admin_id(room.admin))
    deadlines, edit = urls(room)
    assert edit in web.get(deadlines).text  # linked from the deadlines page
    page = web.get(edit)
    assert page.status_code == 200, page.text
    html = page.text
    assert value_of(html, "self_assessment.opens") == "2026-11-01T07:00"
    assert value_of(html, "self_assessment.closes") == "2026-11-10T17:00"
    # A date alone closes at the end of that day in the tenant's zone; the seconds are kept.
    assert value_of(html, "components.routine.self_assessment.closes") == "2026-11-12T23:59:59"
    assert value_of(html, "components.routine.self_assessment.opens") == ""
    assert "常态化工作" in html and "一贯制学校组" in html and ZONE in html
    assert value_of(html, "materials_due_days_before") == "3"
    assert re.search(r'name="late" value="flag" checked', html)
    assert not re.search(r'name="late" value="refuse" checked', html)
    assert value_of(html, "schedule.yiguanzhi.date") == "2026-12-18"
    assert value_of(html, "schedule.yiguanzhi.start") == "08:30"
    assert value_of(html, "schedule.yiguanzhi.venue") == "&lt;b&gt;三楼&lt;/b&gt;会议室"
    assert 'type="datetime-local"' in html and "<b>三楼" not in html


@pytest.mark.parametrize(("zone", "offset"), [(SHANGHAI, "+08:00"), (ZONE, "-05:00")])
def test_saving_sets_the_windows_in_the_tenants_zone(web, new_slug, zone, offset) -> None:
    room = room_in(web, new_slug(), zone)
    sign_in(web, room.admin, admin_id(room.admin))
    deadlines, edit = urls(room)
    saved = form(web, edit, **FILLED)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == deadlines + "?done=windows"

    api = room.admin.get(f"/assessments/{room.id}/windows")
    assert api["time_zone"] == zone and api["late"] == "flag"
    assert api["self_assessment"]["opens"] == f"2026-11-01T08:00:00{offset}"
    assert api["self_assessment"]["closes"] == f"2026-11-10T17:30:00{offset}"
    assert api["components"]["routine"]["self_assessment"] == {
        "opens": None, "closes": f"2026-11-05T12:00:00{offset}"}
    assert api["materials_due_days_before"] == 3
    history = room.admin.get(f"/assessments/{room.id}/history")["events"]
    [set_] = [e for e in history if e["type"] == "WindowsSet"]
    assert set_["reason"] == "按区教研室通知调整"

    page = web.get(saved.headers["location"]).text
    assert "时间安排已保存" in page
    # The round's window and the component's own, in the tenant's time.
    assert "2026-11-01 08:00</time> 起，截止 <time>2026-11-10 17:30" in page
    assert "自查自评 · 常态化工作" in page and "2026-11-05 12:00" in page
    assert "逾期可提交，但标记为逾期" in page and "述职会议前 3 天" in page
    assert value_of(web.get(edit).text, "self_assessment.closes") == "2026-11-10T17:30"


def test_a_window_closing_before_it_opens_is_refused_beside_it_keeping_what_was_typed(
        web, new_slug) -> None:
    room = room_in(web, new_slug())
    before = room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": "2026-11-20T17:00:00"}, "late": "refuse"})
    sign_in(web, room.admin, admin_id(room.admin))
    _, edit = urls(room)
    typed = FILLED | {"self_assessment.opens": "2026-11-10T17:30",
                      "self_assessment.closes": "2026-11-09T08:00",
                      "components.routine.self_assessment.opens": "2026-11-06T08:00"}
    refused = form(web, edit, **typed)
    assert refused.status_code == 422, refused.text
    html = refused.text
    assert "时间安排无效" in html
    assert error_beside(html, "self_assessment.closes") == "截止时间早于开始时间"
    assert error_beside(html, "components.routine.self_assessment.closes") == \
        "截止时间早于开始时间"
    assert error_beside(html, "self_assessment.opens") == ""
    assert 'name="self_assessment.closes" value="2026-11-09T08:00" aria-invalid="true"' in html
    for name, value in typed.items():
        if name not in ("late", "schedule.yiguanzhi.venue"):
            assert value_of(html, name) == value, name
    assert value_of(html, "schedule.yiguanzhi.venue") == "区教研中心&lt;b&gt;三楼&lt;/b&gt;会议室"
    assert re.search(r'name="late" value="flag" checked', html)
    now = room.admin.get(f"/assessments/{room.id}/windows")
    assert now == {**before, "position": None}  # nothing changed


def test_values_the_api_would_not_take_are_refused_each_beside_its_field(web, new_slug) -> None:
    room = room_in(web, new_slug())
    sign_in(web, room.admin, admin_id(room.admin))
    _, edit = urls(room)
    typed = FILLED | {"self_assessment.opens": "2026-11-01T08:00", "self_assessment.closes": "",
                      "components.routine.self_assessment.closes": "2026-02-30T12:00",
                      "materials_due_days_before": "-1", "schedule.yiguanzhi.start": "8点半"}
    refused = form(web, edit, **typed)
    assert refused.status_code == 422, refused.text
    html = refused.text
    assert error_beside(html, "self_assessment.closes") == "必填"
    assert error_beside(html, "components.routine.self_assessment.closes") == \
        "须有日期和时间，可带时区偏移"
    assert error_beside(html, "materials_due_days_before") == "不能小于 0"
    assert "开始时间" in error_beside(html, "schedule.yiguanzhi.start")
    assert value_of(html, "schedule.yiguanzhi.start") == "8点半"
    assert value_of(html, "materials_due_days_before") == "-1"
    windows = room.admin.get(f"/assessments/{room.id}/windows")
    assert windows["self_assessment"] is None and windows["schedule"] == {}


def test_only_the_roles_the_api_admits_may_open_or_post_the_form(web, new_slug) -> None:
    room = room_in(web, new_slug())
    deadlines, edit = urls(room)
    for user_id in (room.judge[0], room.reporters[0][0]):
        sign_in(web, room.admin, user_id)
        assert web.get(edit).status_code == 403
        web.get(f"/t/{room.admin.slug}/")
        csrf = web.cookies.get("kaoping_csrf")
        assert csrf
        posted = web.post(edit, data={"_csrf_token": csrf, **FILLED}, follow_redirects=False)
        assert posted.status_code == 403 and "角色无权执行此操作" in posted.text, posted.text
    auditor = room.admin.post("/users", {"name": "审计员", "role": "auditor"})["id"]
    sign_in(web, room.admin, auditor)
    assert web.get(edit).status_code == 403
    page = web.get(deadlines)
    assert page.status_code == 200 and edit not in page.text  # read, but no link to edit
    assert room.admin.get(f"/assessments/{room.id}/windows")["schedule"] == {}


def test_the_schedule_per_group_is_saved_and_shown(web, new_slug) -> None:
    room = room_in(web, new_slug(), SHANGHAI)
    sign_in(web, room.admin, admin_id(room.admin))
    deadlines, edit = urls(room)
    saved = form(web, edit, **{"late": "refuse", "schedule.yiguanzhi.date": "2026-12-18",
                               "schedule.yiguanzhi.start": "14:00",
                               "schedule.yiguanzhi.venue": "实验中学报告厅"})
    assert saved.status_code == 303, saved.text
    api = room.admin.get(f"/assessments/{room.id}/windows")
    assert api["schedule"] == {"yiguanzhi": {
        "date": "2026-12-18", "start": "14:00", "venue": "实验中学报告厅",
        "group_name": "一贯制学校组"}}
    assert api["self_assessment"] is None and api["late"] == "refuse"
    page = web.get(deadlines).text
    assert "实验中学报告厅" in page and "14:00" in page and "2026-12-18" in page
    timer = web.get(f"/t/{room.admin.slug}/timer/{room.id}/yiguanzhi").text
    assert "2026年12月18日" in timer and "14:00 开始" in timer

    # Clearing the date takes the group off the schedule (the whole timetable is replaced).
    cleared = form(web, edit, **{"late": "refuse", "schedule.yiguanzhi.date": "",
                                 "schedule.yiguanzhi.start": "", "schedule.yiguanzhi.venue": ""})
    assert cleared.status_code == 303, cleared.text
    assert room.admin.get(f"/assessments/{room.id}/windows")["schedule"] == {}
