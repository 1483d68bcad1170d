"""A school reporter on a phone: signs in by link, fills in the self-assessment (自查自评),
uploads a file for a leaf while a progress bar shows how far it got, and submits; then sees
the 公示与证书 page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.flow import create_tenant
from tests.api.public_flow import PublishedRound, issue_certificate
from tests.api.school_flow import SchoolRound
from tests.browser.conftest import PHONE, screenshot
from tests.evidence_files import pdf
from tests.web_session import sign_in_link

MINUTES = pdf(filler=b"0" * (3 * 1024 * 1024))  # large enough for progress events


@pytest.fixture
def room(live_server: str, new_slug: Any) -> Iterator[SchoolRound]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield SchoolRound(create_tenant(client, new_slug()), schools=("南钢学校", "京东学校"))


def test_a_reporter_self_assesses_with_an_upload_on_a_phone(live_server, phone, room) -> None:
    reporter_id, api = room.reporters[0]
    phone.goto(live_server + sign_in_link(room.admin.client, room.admin, reporter_id))
    phone.get_by_role("button", name="身份登录").click()
    phone.goto(f"{live_server}/t/{room.admin.slug}/school")
    phone.get_by_role("link", name="自查自评").first.click()
    phone.get_by_role("link", name="常态化工作").click()
    expect(phone.locator("h1")).to_contain_text("南钢学校")

    phone.get_by_label("1.1 教研组设置合理").fill("5.5")
    phone.get_by_label("1.2 制度健全").fill("4")
    assert phone.locator("#total").inner_text() == "9.5"  # live, before anything is sent
    phone.locator("#file-0").set_input_files(files=[{
        "name": "教研组会议记录.pdf", "mimeType": "application/pdf", "buffer": MINUTES}])
    phone.get_by_role("button", name="上传 1.1 的佐证材料").click()
    expect(phone.locator('[data-status="0"]')).to_have_text("上传完成 100%")
    expect(phone.locator('progress[data-progress="0"]')).to_have_js_property("value", 100)
    expect(phone.locator("#leaf-0")).to_contain_text("教研组会议记录.pdf")
    expect(phone.locator("#sheet .done")).to_contain_text("佐证材料已上传")
    assert phone.get_by_label("1.1 教研组设置合理").input_value() == "5.5"  # nothing lost
    own = api.get(room.own())
    assert own["scores"] == {"1.1": 5.5, "1.2": 4} and len(own["evidence"]["1.1"]) == 1
    screenshot(phone, "school-self-assessment-phone")

    phone.get_by_label("2.1 集体备课").fill("9")
    assert phone.locator("#total").inner_text() == "18.5"
    phone.get_by_role("button", name="提交自评").click()
    expect(phone.locator("#sheet .done")).to_contain_text("自评已提交")
    own = api.get(room.own())
    assert own["total"] == 18.5 and len(own["evidence"]["1.1"]) == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_role("link", name="自查自评").first.click()
    expect(phone.locator("table")).to_contain_text("自评 18.5 / 20 分 · 佐证 1 份")
    screenshot(phone, "school-self-list-phone")
    phone.get_by_role("link", name="公示与证书").first.click()
    expect(phone.locator("main")).to_contain_text("本校还没有已公示的考核结果")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_wrong_file_is_refused_beside_its_leaf_in_the_browser(live_server, phone,
                                                                  room) -> None:
    reporter_id, api = room.reporters[0]
    phone.goto(live_server + sign_in_link(room.admin.client, room.admin, reporter_id))
    phone.get_by_role("button", name="身份登录").click()
    phone.goto(live_server + room.page())
    phone.get_by_label("1.2 制度健全").fill("3")
    phone.locator("#file-1").set_input_files(files=[{
        "name": "说明.txt", "mimeType": "text/plain", "buffer": "不是佐证材料".encode()}])
    phone.get_by_role("button", name="上传 1.2 的佐证材料").click()
    expect(phone.locator("#leaf-1 .error")).to_contain_text("不接受这种类型的文件作为佐证材料")
    assert phone.get_by_label("1.2 制度健全").input_value() == "3"
    assert api.get(room.own(), expect=404)  # nothing was saved
    screenshot(phone, "school-self-refused-phone")


def test_the_results_page_shows_the_own_line_and_certificates(live_server, desktop,
                                                             new_slug) -> None:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        admin = create_tenant(client, new_slug())
        PublishedRound(admin, ranks=False)
        code = issue_certificate(admin, holder="王芳")
        schools = {s["name"]: s["id"] for s in admin.get("/schools")}
        made = admin.post("/users", {"name": "京东学校填报员", "role": "reporter",
                                     "affiliations": [
                                         {"kind": "school", "id": schools["京东学校"]},
                                         {"kind": "school", "id": schools["平罗第一小学"]}]})
        desktop.goto(live_server + sign_in_link(client, admin, made["id"]))
        desktop.get_by_role("button", name="身份登录").click()
        desktop.goto(f"{live_server}/t/{admin.slug}/school/results")
        expect(desktop.locator("table.results")).to_contain_text("京东学校")
        expect(desktop.locator("main")).to_contain_text("只公布等次")
        assert "南钢学校" not in desktop.locator("main").inner_text()
        screenshot(desktop, "school-results-desktop")
        desktop.get_by_role("link", name="打印").click()
        expect(desktop.locator("main")).to_contain_text(code)
