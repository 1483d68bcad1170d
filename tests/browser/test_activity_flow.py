"""教研活动 on phones, end to end: a school reporter files an application; the admin returns
it with an opinion; the reporter reads the opinion and revises; the admin approves and
confirms with a document number; the reporter records the day, uploads evidence and
summarises; the admin issues certificates, and the public check shows one. Then 常规达标."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.activity_pages_flow import District, district
from tests.browser.conftest import DESKTOP, PHONE, new_page, screenshot
from tests.evidence_files import PDF
from tests.web_session import sign_in_browser


@pytest.fixture
def d(live_server: str, new_slug: Any) -> Iterator[District]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield district(client, new_slug())  # type: ignore[arg-type]


@pytest.fixture
def admin_phone(browser: Any) -> Iterator[Any]:
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_activity_from_application_to_a_checked_certificate_on_phones(
        live_server, phone, admin_phone, d, tmp_path) -> None:
    t = f"{live_server}/t/{d.admin.slug}"
    failures: list[str] = []
    phone.on("pageerror", lambda error: failures.append(str(error)))
    phone.on("response", lambda r: failures.append(f"{r.status} {r.url}")
             if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    sign_in_browser(phone, live_server, d.admin, d.reporter_id, "")
    admin = d.admin.post("/users", {"name": "区教研室李老师", "role": "admin"})
    sign_in_browser(admin_phone, live_server, d.admin, admin["id"], "")

    # 预约申请
    phone.goto(f"{t}/school/activities")
    phone.get_by_role("link", name="预约申请").click()
    phone.get_by_label("申报单位").select_option(label="语文教研组（教研组）")
    phone.get_by_label("活动主题").fill("整本书阅读教学")
    phone.get_by_label("活动形式").select_option("集体备课")
    phone.get_by_label("计划日期").fill("2026-11-10")
    phone.get_by_label("课时数").fill("2")
    phone.get_by_label("活动方案").fill("说课、议课、磨课")
    screenshot(phone, "activity-apply-phone")
    phone.get_by_role("button", name="提交预约申请").click()
    expect(phone.locator(".state")).to_have_text("待方案论证")
    fits(phone)
    mine = phone.url.split("?")[0]

    # 方案论证: returned with an opinion
    admin_phone.goto(f"{t}/admin/activities")
    admin_phone.get_by_role("link", name=re.compile("待方案论证")).click()
    admin_phone.get_by_role("link", name="整本书阅读教学").click()
    admin_phone.locator("#f-reviewer_0").fill("张教研员")
    admin_phone.locator("#f-text_0").fill("请把目标写具体，明确课时安排。")
    admin_phone.get_by_label("退回修改").check()
    screenshot(admin_phone, "activity-review-phone")
    admin_phone.get_by_role("button", name="提交论证结论").click()
    expect(admin_phone.locator(".done")).to_contain_text("已退回修改")
    fits(admin_phone)

    # the reporter reads the opinion and revises
    phone.goto(mine)
    expect(phone.locator(".state")).to_have_text("已退回修改")
    expect(phone.locator(".opinion")).to_have_text("请把目标写具体，明确课时安排。")
    screenshot(phone, "activity-returned-phone")
    phone.get_by_label("活动主题").fill("整本书阅读教学：目标与课时")
    phone.get_by_role("button", name="重新提交").click()
    expect(phone.locator(".state")).to_have_text("待方案论证")

    # approved, then 发文确认
    admin_phone.reload()
    admin_phone.locator("#f-reviewer_0").fill("张教研员")
    admin_phone.locator("#f-text_0").fill("同意开展。")
    admin_phone.get_by_label("通过").check()
    admin_phone.get_by_role("button", name="提交论证结论").click()
    expect(admin_phone.locator(".state")).to_have_text("论证通过，待发文确认")
    admin_phone.get_by_label("发文文号").fill("区教研〔2026〕12号")
    admin_phone.get_by_role("button", name="发文确认").click()
    expect(admin_phone.locator(".document")).to_have_text("区教研〔2026〕12号")

    # 开展, evidence, 总结
    phone.reload()
    expect(phone.locator(".state")).to_have_text("已发文，待开展")
    phone.get_by_label("开展日期").fill("2026-11-12")
    phone.get_by_label("参加人员").fill("王芳 主办\n李明\n赵敏 协办")
    phone.get_by_role("button", name="登记开展").click()
    expect(phone.locator(".state")).to_have_text("已开展，待总结")
    wrong = tmp_path / "setup.exe"
    wrong.write_bytes(b"MZ\x90\x00 not a document")
    phone.get_by_label("佐证材料文件").set_input_files(str(wrong))
    phone.get_by_role("button", name="上传").click()
    expect(phone.locator("#file-error")).to_contain_text("不接受这种类型的文件")
    lesson = tmp_path / "教案.pdf"
    lesson.write_bytes(PDF)
    phone.get_by_label("亮点").fill("研讨深入，人人参与。")  # typed first: the upload keeps it
    phone.get_by_label("佐证材料文件").set_input_files(str(lesson))
    phone.get_by_role("button", name="上传").click()
    expect(phone.locator("#evidence fieldset")).to_contain_text("教案.pdf")
    expect(phone.get_by_label("亮点")).to_have_value("研讨深入，人人参与。")
    phone.get_by_label("存在问题").fill("时间偏紧。")
    phone.get_by_label("改进措施").fill("提前一周备课。")
    screenshot(phone, "activity-summary-phone")
    phone.get_by_role("button", name="提交总结").click()
    expect(phone.locator(".state")).to_have_text("已总结")
    expect(phone.locator(".files")).to_contain_text("教案.pdf")
    fits(phone)
    # the wrong file's refusal is a 200 partial (htmx swaps it): no error, no blocked script
    assert failures == []

    # 活动证书, and the public check
    admin_phone.reload()
    admin_phone.get_by_role("button", name="颁发证书").click()
    expect(admin_phone.locator(".done")).to_have_text("活动证书已颁发。")
    expect(admin_phone.locator("td.holder")).to_have_count(3)
    fits(admin_phone)
    screenshot(admin_phone, "activity-certificates-phone")
    admin_phone.get_by_role("link", name="打印全部证书").click()
    expect(admin_phone.locator(".certificate-sheet .qr-code svg")).to_have_count(3)
    check = admin_phone.locator("a.check-link").first.get_attribute("href")
    assert check is not None and check.startswith(f"{live_server}/c/{d.admin.slug}/")
    admin_phone.goto(check)
    expect(admin_phone.locator("h1")).to_have_text("证书查验")
    expect(admin_phone.locator("body")).to_contain_text("王芳")
    expect(admin_phone.locator("body")).to_contain_text("整本书阅读教学：目标与课时")
    screenshot(admin_phone, "activity-check-phone")

    # the calendar of the month
    admin_phone.goto(f"{t}/admin/activities?view=calendar&month=2026-11")
    expect(admin_phone.locator(".calendar")).to_contain_text("整本书阅读教学：目标与课时")
    fits(admin_phone)
    screenshot(admin_phone, "activity-calendar-phone")


def test_the_admin_sets_a_rule_and_sees_who_is_behind_on_a_phone(
        live_server, phone, d) -> None:
    t = f"{live_server}/t/{d.admin.slug}"
    aid = d.apply(planned_on="2026-11-10")
    d.advance(aid, "held")
    admin = d.admin.post("/users", {"name": "区教研室王老师", "role": "admin"})
    sign_in_browser(phone, live_server, d.admin, admin["id"], "")
    phone.goto(f"{t}/admin/compliance")
    phone.get_by_role("link", name="编辑频次规则").click()
    phone.locator("#f-unit_kind_0").select_option("research_group")
    phone.locator("#f-every_0").select_option("week")
    phone.locator("#f-min_periods_0").fill("两课时")
    phone.get_by_role("button", name="保存规则").click()
    expect(phone.locator("#min_periods_0-error")).to_have_text("请填写整数")
    expect(phone.locator("#f-min_periods_0")).to_have_value("两课时")
    fits(phone)
    screenshot(phone, "compliance-rules-phone")
    phone.locator("#f-min_periods_0").fill("2")
    phone.get_by_role("button", name="保存规则").click()
    expect(phone.locator(".done")).to_have_text("规则已保存。")
    phone.goto(f"{t}/admin/compliance?start=2026-11-02&end=2026-11-15")
    expect(phone.locator("tr.behind")).to_have_count(2)
    expect(phone.locator("tr.behind").first).to_contain_text("2026-11-02 至 2026-11-08")
    fits(phone)
    screenshot(phone, "compliance-phone")
    phone.set_viewport_size(DESKTOP)
    phone.reload()
    expect(phone.locator("tr.behind")).to_have_count(2)
    screenshot(phone, "compliance-desktop")
