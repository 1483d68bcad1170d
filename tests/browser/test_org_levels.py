"""On a phone, a city's admin draws a 县 under the 市 on 组织层级, registers a school under it
and moves the school to a 片区 (划转) with a reason; every page fits 360px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.api.flow import create_tenant
from tests.browser.conftest import screenshot
from tests.browser.test_org_pages import fits
from tests.web_session import sign_in_browser


def test_an_admin_draws_the_levels_and_moves_a_school_on_a_phone(live_server, phone: Any,
                                                                 client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "吴忠市教育局教研室")
    city = admin.post("/org/nodes", {"level": "city", "name": "吴忠市"})["id"]
    me = admin.post("/users", {"name": "市教研室王老师", "role": "admin"})
    sign_in_browser(phone, live_server, admin, me["id"], me["token"])
    base = f"{live_server}/t/{admin.slug}/admin/org"

    phone.goto(base + "/levels")
    for level, name, parent in (("county", "利通区", "吴忠市（市）"),
                                ("zone", "第一片区", "吴忠市 / 利通区（县（区））")):
        phone.get_by_text("添加层级节点", exact=True).first.click()
        form = phone.locator("details.org-create form")
        form.get_by_label("级别").select_option(level)
        form.get_by_label("名称").fill(name)
        form.get_by_label("上级").select_option(label=parent)
        phone.get_by_role("button", name="添加节点").click()
        expect(phone.get_by_role("status")).to_contain_text("已添加")
    expect(phone.locator("ul.org-tree")).to_contain_text("第一片区")
    nodes = {n["name"]: n["id"] for n in admin.get("/org/nodes")}
    assert set(nodes) == {"吴忠市", "利通区", "第一片区"} and nodes["吴忠市"] == city

    phone.goto(base + "/schools")
    phone.get_by_text("添加学校", exact=True).first.click()
    form = phone.locator("details.org-create form")
    form.get_by_label("校名").fill("利通区第一小学")
    form.get_by_label("分组（排名用").fill("小学组")
    form.get_by_label("学段").select_option("小学")
    form.get_by_label("所属层级").select_option(nodes["利通区"])
    phone.get_by_role("button", name="添加学校").click()
    expect(phone.get_by_role("status")).to_contain_text("已添加")
    phone.get_by_role("link", name="利通区第一小学").click()
    expect(phone.get_by_text("所属层级：吴忠市 / 利通区", exact=True)).to_be_visible()
    move = phone.locator("section[aria-labelledby=place-h] form")
    move.get_by_label("划转到").select_option(nodes["第一片区"])
    move.get_by_label("划转理由").fill("划入第一片区管理")
    move.get_by_role("button", name="划转").click()
    expect(phone.get_by_role("status")).to_contain_text("已划转")
    expect(phone.get_by_text("所属层级：吴忠市 / 利通区 / 第一片区", exact=True)).to_be_visible()
    fits(phone)
    school = next(s["id"] for s in admin.get("/schools"))
    assert admin.get(f"/schools/{school}")["node_id"] == nodes["第一片区"]

    phone.goto(base + "/levels")
    row = phone.locator("ul.org-tree li", has_text="第一片区")
    expect(row).to_contain_text("学校 1")
    fits(phone)
    screenshot(phone, "admin-org-levels")
