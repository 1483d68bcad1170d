"""On a phone, the district office's clerk imports the schools from a sheet: picks 学校, uploads
a sheet with one bad row and reads which, uploads the fixed sheet and commits it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.api.flow import create_tenant
from tests.api.test_import_pages import BAD, XLSX
from tests.api.test_imports import SCHOOLS, xlsx
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_clerk_imports_schools_from_a_sheet_on_a_phone(live_server, phone: Any, client,
                                                           new_slug) -> None:
    admin = create_tenant(client, new_slug(), "珠晖区教研室")
    me = admin.post("/users", {"name": "区教研室李老师", "role": "admin"})
    sign_in_browser(phone, live_server, admin, me["id"], me["token"])

    phone.goto(f"{live_server}/t/{admin.slug}/admin")
    phone.get_by_role("link", name="表格导入").first.click()
    phone.get_by_label("导入内容", exact=True).select_option(label="学校")
    phone.get_by_role("button", name="确定").click()
    expect(phone.get_by_role("link", name="下载「学校」导入模板（.xlsx）")).to_be_visible()
    phone.get_by_label("表格文件").set_input_files(
        {"name": "学校名单.xlsx", "mimeType": XLSX, "buffer": xlsx(BAD)})
    fits(phone)
    screenshot(phone, "admin-import-upload")
    phone.get_by_role("button", name="上传并检查").click()
    errors = phone.locator("table.import-errors")
    expect(errors).to_contain_text("第 3 行「学段」：应为 高中、初中、小学、学前 之一")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(phone.locator("dd.bad")).to_have_text("1")
    expect(phone.get_by_role("button", name="提交导入")).to_have_count(0)
    fits(phone)
    screenshot(phone, "admin-import-report-errors")
    assert admin.get("/schools") == []

    phone.get_by_role("link", name="重新上传学校表格").click()
    phone.get_by_label("表格文件").set_input_files(
        {"name": "学校名单.xlsx", "mimeType": XLSX, "buffer": xlsx(SCHOOLS)})
    phone.get_by_role("button", name="上传并检查").click()
    expect(phone.locator("#imports")).to_contain_text("检查通过")
    phone.get_by_role("button", name="提交导入").click()
    expect(phone.locator("#import-done")).to_contain_text("共写入 3 条学校记录")
    fits(phone)
    screenshot(phone, "admin-import-done")
    assert sorted(s["name"] for s in admin.get("/schools")) == ["南钢学校", "塘山小学",
                                                                 "湖坊小学"]
