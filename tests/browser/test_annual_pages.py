"""On a phone, the district admin opens the year's 年度考核, reads a school's parts, enters
the 教务处 part by hand and sees the new version with its difference."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.api.annual_flow import OneJudgeRound, school
from tests.api.flow import create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_reads_the_annual_board_and_enters_a_part_on_a_phone(
        live_server, phone: Any, client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    schools = {n: school(admin, n) for n in ("南钢学校", "京东学校")}
    rnd = OneJudgeRound(admin, "2019—2020学年度校本教研工作述职述研评议",
                        {n: ("school", s) for n, s in schools.items()}, {"report": 100})
    rnd.score("南钢学校", "report", 17)
    rnd.score("京东学校", "report", 19.5)
    rnd.publish()
    review = admin.post("/annual-reviews", {
        "year": "2019-2020", "name": "2019—2020学年度教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    me = admin.post("/users", {"name": "区教研中心龙老师", "role": "admin"})
    sign_in_browser(phone, live_server, admin, me["id"], me["token"])

    phone.goto(f"{live_server}/t/{admin.slug}/admin/annual")
    phone.get_by_text("新建年度考核", exact=True).click()
    expect(phone.get_by_label("来源（已公示的考核 · 总分或考核项目）").first).to_contain_text(
        "2019—2020学年度校本教研工作述职述研评议 · 总分")
    fits(phone)
    screenshot(phone, "annual-list")
    phone.get_by_role("link", name="2019—2020学年度教务处工作考核").click()
    lines = phone.locator("table.annual-board").last
    expect(phone.locator("h1")).to_have_text("2019—2020学年度教务处工作考核")
    expect(phone.get_by_text("第 1 版").first).to_be_visible()
    nangang = phone.locator("tr", has_text="南钢学校").first
    expect(nangang).to_contain_text("17.00")
    fits(phone)
    screenshot(phone, "annual-board")

    phone.get_by_text("手工录入一项", exact=True).click()
    form = phone.locator("details.annual-box form")
    form.get_by_label("学校").select_option(label="南钢学校")
    form.get_by_label("项目").fill("教务处日常工作")
    form.get_by_label("分值").fill("71.5")
    form.get_by_role("button", name="录入").click()
    expect(phone.locator("#err-f-reason")).to_contain_text("必填")  # no reason yet
    expect(form.get_by_label("项目")).to_have_value("教务处日常工作")
    phone.locator("details.annual-box form").get_by_label("理由").fill("查阅纸质材料")
    phone.locator("details.annual-box form").get_by_role("button", name="录入").click()
    expect(phone.get_by_role("status")).to_contain_text("新版本")
    expect(phone.get_by_text("本版变动（与第 1 版相比）")).to_be_visible()
    expect(phone.locator("tr", has_text="南钢学校").first).to_contain_text("+71.50")
    expect(lines).to_contain_text("88.50")
    fits(phone)
    screenshot(phone, "annual-new-version")
    assert review["id"]


def test_a_reporter_reads_the_schools_annual_line_on_a_phone(
        live_server, phone: Any, client, new_slug) -> None:
    """Published to the schools, 南钢学校's line: 85.00 ÷ 100 × 20 = 17.00, + 71.50 = 88.50."""
    admin = create_tenant(client, new_slug(), "青山湖区教研中心")
    schools = {n: school(admin, n) for n in ("南钢学校", "京东学校")}
    rnd = OneJudgeRound(admin, "2019—2020学年度校本教研工作述职述研评议",
                        {n: ("school", s) for n, s in schools.items()}, {"report": 100})
    rnd.score("南钢学校", "report", 17)
    rnd.score("京东学校", "report", 19.5)
    rnd.publish()
    review = admin.post("/annual-reviews", {
        "year": "2019-2020", "name": "2019—2020学年度教务处工作考核",
        "parts": [{"assessment_id": rnd.id, "source": "final", "points": 20}]})
    admin.post(f"/annual-reviews/{review['id']}/manual-parts", {
        "school_id": schools["南钢学校"], "label": "教务处日常工作", "points": 71.5,
        "reason": "查阅纸质材料"})
    written = admin.post(f"/annual-reviews/{review['id']}/publish", expect=200)
    admin.get(f"/annual-reviews/{review['id']}/board", after=written["position"])
    me = admin.post("/users", {"name": "南钢学校填报员", "role": "reporter", "affiliations": [
        {"kind": "school", "id": schools["南钢学校"]}]})
    sign_in_browser(phone, live_server, admin, me["id"], me["token"])

    phone.goto(f"{live_server}/t/{admin.slug}/school/results")
    line = phone.locator("section.annual-line")
    expect(line.locator("h2")).to_have_text("2019—2020学年度教务处工作考核")
    expect(line).to_contain_text("来源：2019—2020学年度校本教研工作述职述研评议 · 总分")
    expect(line.locator("tr", has_text="教务处日常工作")).to_contain_text("71.50")
    expect(line.locator("tfoot")).to_contain_text("年度总分88.50")
    assert "京东学校" not in line.inner_text()
    fits(phone)
    screenshot(phone, "school-annual-phone")
