"""The admin builds a small rubric in the editor on a phone — a 一级指标 and two leaves, the
weight typed while the sum follows — publishes it and finds version 1 in the list.

``build_rubric_in_editor`` is for other browser tests too (the assessment set-up chains onto
a published rubric): it leaves the page on the published rubric's editor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.flow import Api, create_tenant
from tests.browser.conftest import PHONE, SCREENS, screenshot
from tests.web_session import sign_in_browser

RUBRIC_NAME = "教研组常规工作评价细则"
LEAVES = (("教研组设置合理", "6", "学科教研组设置合理科学。"),
          ("制度健全", "4", "有计划、有记录、有总结。"))


def build_rubric_in_editor(page: Any, base: str, tenant: str, shots: str = "") -> str:
    """In a signed-in admin's ``page``: a new rubric (满分 10: 1 组织建设, weight 10, with
    1.1 and 1.2 of 6 and 4 points) built with the editor's buttons and published as version
    1. The rubric's id. ``shots``: a screenshot name prefix, or none."""
    page.goto(f"{base}/t/{tenant}/admin/rubrics/new")
    page.locator("#name").fill(RUBRIC_NAME)
    page.locator("#total").fill("10")
    page.get_by_role("button", name="添加一级指标").click()
    page.locator("#r-n1-title").fill("组织建设")
    for key in ("n2", "n3"):
        page.get_by_role("button", name="添加下级指标 1", exact=True).click()
        page.locator(f"#r-{key}-title").wait_for()
    for key, (title, points, guidance) in zip(("n2", "n3"), LEAVES, strict=True):
        page.locator(f"#r-{key}-title").fill(title)
        page.locator(f"#r-{key}-max").fill(points)
        page.locator(f"#r-{key}-guidance").fill(guidance)
    expect(page.locator("output[data-leaves-of=n1]")).to_have_text("10")  # live
    weight, total = page.locator("#r-n1-weight"), page.locator("#weight-sum")
    weight.fill("8")
    expect(total).to_have_text("8")
    expect(total).to_have_class(re.compile(r"\boff\b"))
    # htmx settles a swap a moment after it (20 ms; slower on a busy machine) and puts the
    # server's classes back then: held open here, the weight below is typed inside that window.
    page.evaluate("htmx.config.defaultSettleDelay = 1500; window.settled = 0;"
                  "document.addEventListener('htmx:afterSettle', () => { window.settled++; })")
    page.get_by_role("button", name="保存草稿").click()  # refused beside the weight, kept
    expect(page.locator("#r-n1-weight-error")).to_have_text("权重 8 与其下级指标之和 10 不一致")
    expect(page.locator("#r-n3-guidance")).to_have_value(LEAVES[1][2])
    weight = page.locator("#r-n1-weight")
    weight.fill("10")
    expect(total).to_have_text("10")
    page.evaluate("() => new Promise((settled) => { if (window.settled) { settled(); } else {"
                  " document.addEventListener('htmx:afterSettle', () => settled()); } })")
    expect(total).to_have_class(re.compile(r"\bok\b"))
    if shots:  # what the admin sees while typing: the viewport (the sum bar sticks below)
        page.locator("#r-n2-title").scroll_into_view_if_needed()
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{shots}-editor.png"))
    page.get_by_role("button", name="发布为新版本").click()
    page.wait_for_url(re.compile(r"/admin/rubrics/[0-9a-f-]{36}\?done=published"))
    expect(page.locator("#editor .done")).to_have_text("已发布为第 1 版。")
    return page.url.split("/admin/rubrics/")[1].split("?")[0]


@pytest.fixture
def admin(live_server: str, new_slug: Any) -> Iterator[Api]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield create_tenant(client, new_slug(), "珠晖区教育局")


def test_the_admin_builds_and_publishes_a_rubric_on_a_phone(live_server, phone, admin) -> None:
    admin_id = admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(phone, live_server, admin, admin_id, admin.token)
    rubric_id = build_rubric_in_editor(phone, live_server, admin.slug, shots="admin-rubric")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    version = admin.get(f"/rubrics/{rubric_id}/versions/1")
    assert [(c["title"], c["max_points"]) for c in version["indicators"][0]["children"]] == [
        ("教研组设置合理", 6), ("制度健全", 4)]

    phone.goto(f"{live_server}/t/{admin.slug}/admin/rubrics")
    row = phone.locator(f'tr[data-rubric="{rubric_id}"]')
    expect(row).to_contain_text(RUBRIC_NAME)
    expect(row.get_by_role("link", name="第 1 版")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "admin-rubric-list")

    draft = admin.get(f"/rubrics/{rubric_id}")["draft"]  # a second version, over the API
    draft["indicators"][0]["children"][1] |= {"title": "制度健全、执行到位", "max_points": 3}
    draft["indicators"][0] |= {"max_points": None}
    draft["indicators"][0]["children"].append({"code": "1.3", "title": "档案齐全",
                                               "max_points": 1})
    admin.put(f"/rubrics/{rubric_id}", {k: draft[k] for k in ("name", "step", "total",
                                                               "indicators")})
    admin.post(f"/rubrics/{rubric_id}/publish", expect=200)
    phone.goto(f"{live_server}/t/{admin.slug}/admin/rubrics/{rubric_id}/diff")
    expect(phone.locator("tr.changed")).to_have_count(1)  # 1.2: title and points
    expect(phone.locator("tr.added")).to_contain_text("档案齐全")
    screenshot(phone, "admin-rubric-diff")


def test_a_draft_from_the_zhuhui_template_opens_with_its_weights_adding_up(
        live_server, desktop, admin) -> None:
    admin_id = admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(desktop, live_server, admin, admin_id, admin.token)
    desktop.goto(f"{live_server}/t/{admin.slug}/admin/rubrics")
    desktop.get_by_role("listitem").filter(has_text="珠晖区中小学教研组建设评价细则").get_by_role(
        "button", name="以此模板新建").click()
    desktop.wait_for_url(re.compile(r"/admin/rubrics/[0-9a-f-]{36}\?done=created"))
    expect(desktop.locator("fieldset[data-top]")).to_have_count(9)
    expect(desktop.locator("#weight-sum")).to_have_text("100")
    expect(desktop.locator("#weight-sum")).to_have_class(re.compile(r"\bok\b"))
    first = desktop.locator("fieldset[data-top] input[data-weight]").first
    first.fill("12")  # 组织建设 10 → 12: the sum and the 一级指标's own check follow
    expect(desktop.locator("#weight-sum")).to_have_text("102")
    expect(desktop.locator("output[data-leaves-of]").first).to_have_class(
        re.compile(r"\boff\b"))
    first.fill("10")
    desktop.locator("#name").scroll_into_view_if_needed()
    SCREENS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(path=str(SCREENS / "admin-rubric-template-desktop.png"))
