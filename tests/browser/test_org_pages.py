"""On a phone, the district admin adds a school and a community and finds them in their
lists, looks at the community's members, and adds a judge in 人员与登录."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.api.flow import create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_adds_a_school_and_a_community_on_a_phone(live_server, phone: Any, client,
                                                           new_slug) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教研室")
    core = admin.post("/schools", {"name": "珠晖区实验学校", "group": "一贯制学校组",
                                   "stage": "初中", "zone": "东片区"})["id"]
    me = admin.post("/users", {"name": "区教研室李老师", "role": "admin"})
    sign_in_browser(phone, live_server, admin, me["id"], me["token"])
    base = f"{live_server}/t/{admin.slug}/admin"

    phone.goto(base + "/org/schools")
    phone.get_by_text("添加学校", exact=True).first.click()
    form = phone.locator("details.org-create form")
    form.get_by_label("校名").fill("茶山坳镇中心学校")
    form.get_by_label("分组（排名用").fill("一贯制学校组")
    form.get_by_label("学段").select_option("小学")
    form.get_by_label("片区 / 协作区").fill("西片区")
    phone.get_by_role("button", name="添加学校").click()
    expect(phone.get_by_role("status")).to_contain_text("已添加")
    expect(phone.locator("table.org-list")).to_contain_text("茶山坳镇中心学校")
    fits(phone)
    screenshot(phone, "admin-org-schools")

    phone.goto(base + "/org/communities")
    phone.get_by_text("添加共同体", exact=True).first.click()
    form = phone.locator("details.org-create form")
    form.get_by_label("名称", exact=False).first.fill("珠晖区东片教研共同体")
    form.get_by_label("类型").select_option(label="融合型")
    form.get_by_label("范围").select_option("县域")
    form.get_by_label("核心校（牵头学校）").select_option(core)
    form.get_by_label("成员校（协作学校）").select_option(label="茶山坳镇中心学校")
    form.get_by_label("成员自何日起").fill("2025-09-01")
    phone.get_by_role("button", name="添加共同体").click()
    expect(phone.get_by_role("status")).to_contain_text("已添加")
    row = phone.locator("table.org-list tr", has_text="珠晖区东片教研共同体")
    expect(row).to_contain_text("茶山坳镇中心学校")
    fits(phone)
    screenshot(phone, "admin-org-communities")

    row.get_by_role("link").click()
    phone.locator("#on-day").fill("2025-08-01")
    phone.get_by_role("button", name="查看").click()
    members_on = phone.locator("section[aria-labelledby=on-h]")
    expect(members_on).to_contain_text("2025-08-01 这一天")
    expect(members_on).to_contain_text("成员校 0 所")
    phone.locator("#on-day").fill("2025-10-01")
    phone.get_by_role("button", name="查看").click()
    expect(members_on).to_contain_text(
        "2025-10-01 这一天：核心校 珠晖区实验学校，成员校 1 所：茶山坳镇中心学校")
    fits(phone)
    screenshot(phone, "admin-org-community")

    phone.goto(base + "/people")
    phone.get_by_text("添加用户", exact=True).first.click()
    form = phone.locator("details.org-create form")
    form.get_by_label("姓名").fill("张评委")
    form.get_by_label("角色").select_option("judge")
    form.get_by_label("学校", exact=True).select_option(label="珠晖区实验学校")
    phone.get_by_role("button", name="添加用户").click()
    expect(phone.get_by_role("status")).to_contain_text("用户已创建")
    expect(phone.locator("main")).to_contain_text("学校 珠晖区实验学校")
    fits(phone)
    screenshot(phone, "admin-people-user")
    phone.goto(base + "/people")
    expect(phone.locator("table.org-list")).to_contain_text("张评委")
    fits(phone)
    screenshot(phone, "admin-people-list")
