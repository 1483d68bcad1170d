"""修改设置 on a phone: from a draft's page the admin opens steps 1–5 filled in as saved,
changes a weight (the 折算 preview follows as typed) and a time limit, and saves with a
reason; the round's page shows what changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.flow import RUBRIC, Api, create_tenant
from tests.browser.conftest import PHONE
from tests.web_session import sign_in_browser


@pytest.fixture
def drafted(live_server: str, new_slug: Any) -> Iterator[dict[str, Any]]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        admin = create_tenant(client, new_slug())
        rubric = admin.post("/rubrics", RUBRIC)
        admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
        aid = admin.post("/assessments", {
            "name": "述职评议", "components": [
                {"key": "routine", "name": "常态化工作", "rubric_id": rubric["id"],
                 "rubric_version": 1, "weight": 30},
                {"key": "project", "name": "项目评估", "rubric_id": rubric["id"],
                 "rubric_version": 1, "weight": 70}],
            "groups": [{"key": "g", "name": "一贯制学校组", "time_limit_minutes": 8}]})["id"]
        yield {"admin": admin, "aid": aid}


def test_an_admin_changes_a_drafts_weights_on_a_phone(live_server, phone, drafted) -> None:
    admin: Api = drafted["admin"]
    aid = drafted["aid"]
    sign_in_browser(phone, live_server, admin, admin.get("/users", role="admin")[0]["id"],
                    admin.token)
    phone.goto(f"{live_server}/t/{admin.slug}/admin/assessments/{aid}")
    phone.get_by_role("link", name="修改设置").click()
    expect(phone.get_by_label("考核名称")).to_have_value("述职评议")
    phone.get_by_role("button", name="下一步").click()

    expect(phone.locator("#components-weight-0")).to_have_value("30")
    phone.locator("#components-weight-0").fill("40")
    phone.locator("#components-weight-1").fill("60")
    phone.locator("#components-weight-1").dispatch_event("change")
    expect(phone.locator("#preview")).to_contain_text("权重 40，折算为 34 分")  # 17 / 20 × 40
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("button", name="下一步").click()
    phone.locator("#groups-minutes-0").fill("10")
    phone.get_by_role("button", name="下一步").click()
    phone.get_by_role("button", name="下一步").click()
    phone.get_by_label("修改原因").fill("按通知调整权重")
    phone.get_by_role("button", name="保存修改").click()

    expect(phone.locator(".notice")).to_contain_text("设置已修改：考核项目、排名组。")
    expect(phone.locator(".summary")).to_contain_text("常态化工作（权重 40")
    expect(phone.locator(".summary")).to_contain_text("一贯制学校组（10 分钟）")
    read = admin.get(f"/assessments/{aid}")
    assert [c["weight"] for c in read["components"]] == [40, 60]
