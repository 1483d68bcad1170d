"""On a phone: the admin reads who is late (截止与逾期) and a school reporter meets the closed
self-assessment window, refused in Chinese with the deadline in the district's time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.school_flow import SchoolRound
from tests.api.test_deadlines import ZONE, local_now, naive, zoned_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_link


@pytest.fixture
def room(live_server: str, new_slug: Any) -> Iterator[SchoolRound]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        admin = zoned_tenant(client, new_slug())
        yield SchoolRound(admin, schools=("南钢学校", "京东学校"), today=local_now().date())


def sign_in(phone: Any, live_server: str, room: SchoolRound, user_id: str) -> None:
    phone.goto(live_server + sign_in_link(room.admin.client, room.admin, user_id))
    phone.get_by_role("button", name="身份登录").click()


def test_the_admin_and_a_school_see_the_window_on_a_phone(live_server, phone, room) -> None:
    closed = local_now() - timedelta(minutes=10)
    room.admin.put(f"/assessments/{room.id}/windows", {
        "self_assessment": {"closes": naive(closed)}, "late": "refuse",
        "materials_due_days_before": 3,
        "schedule": {"yiguanzhi": {"date": (local_now().date() + timedelta(days=10))
                                   .isoformat(), "start": "08:30",
                                   "venue": "区教研中心三楼会议室"}}})
    reporter_id, _ = room.reporters[0]
    sign_in(phone, live_server, room, reporter_id)
    phone.goto(live_server + room.page())
    said = f"{closed:%Y-%m-%d %H:%M}（{ZONE}）"
    expect(phone.locator(".window-shut")).to_contain_text(said)
    expect(phone.locator("dd.window")).to_contain_text("逾期不予受理")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "deadlines-self-closed-phone")

    made = room.admin.post("/users", {"name": "教研室管理员", "role": "admin"})
    sign_in(phone, live_server, room, made["id"])
    phone.goto(f"{live_server}/t/{room.admin.slug}/admin/round/{room.id}")
    phone.get_by_role("link", name="截止与逾期", exact=True).click()
    expect(phone.locator("h1")).to_contain_text("截止与逾期")
    expect(phone.locator("table.behind").first).to_contain_text("南钢学校")
    expect(phone.locator("table.behind").first).to_contain_text("未提交")
    expect(phone.locator("table.schedule")).to_contain_text("区教研中心三楼会议室")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "deadlines-admin-phone")
