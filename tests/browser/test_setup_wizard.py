"""An admin on a phone sets up a round in the steps: the 折算 preview, the groups, tiers,
subjects from the organisation, the panel with the conflict dry run showing a 回避 before
anything is saved, the order drawn by lot, publication of tiers only, then opens it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.flow import RUBRIC, Api, create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_rubric_editor import RUBRIC_NAME, build_rubric_in_editor
from tests.web_session import sign_in_browser


@pytest.fixture
def office(live_server: str, new_slug: Any) -> Iterator[dict[str, Any]]:
    """A district with a published rubric, two schools and two judges, one of whom works at
    南钢学校 (so adding them recuses them from it)."""
    with httpx.Client(base_url=live_server, timeout=60) as client:
        admin = create_tenant(client, new_slug())
        rubric = admin.post("/rubrics", RUBRIC)
        admin.post(f"/rubrics/{rubric['id']}/publish", expect=200)
        schools = {n: admin.post("/schools", {"name": n, "group": "一贯制学校组",
                                              "stage": "初中"})["id"]
                   for n in ("南钢学校", "京东学校")}
        admin.post("/users", {"name": "评委甲", "role": "judge", "affiliations": [
            {"kind": "school", "id": schools["南钢学校"]}]})
        admin.post("/users", {"name": "评委乙", "role": "judge"})
        yield {"admin": admin}


@pytest.fixture
def people(live_server: str, new_slug: Any) -> Iterator[dict[str, Any]]:
    """The same district without a rubric: the admin builds it in the editor."""
    with httpx.Client(base_url=live_server, timeout=60) as client:
        admin = create_tenant(client, new_slug())
        schools = {n: admin.post("/schools", {"name": n, "group": "一贯制学校组",
                                              "stage": "初中"})["id"]
                   for n in ("南钢学校", "京东学校")}
        admin.post("/users", {"name": "评委甲", "role": "judge", "affiliations": [
            {"kind": "school", "id": schools["南钢学校"]}]})
        admin.post("/users", {"name": "评委乙", "role": "judge"})
        yield {"admin": admin}


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_sets_up_and_opens_a_round_on_a_phone(live_server, phone, office) -> None:
    admin: Api = office["admin"]
    admin_id = admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(phone, live_server, admin, admin_id, admin.token)
    walk_the_steps(live_server, phone, admin, sample=("17", "折算为 25.5 分"))  # 17 / 20 × 30


def test_a_rubric_built_in_the_editor_sets_up_a_round_that_opens(live_server, phone,
                                                                  people) -> None:
    """The whole of the admin's part in one go: the rubric built and published in the
    editor is the one the steps pin, and the round opens with it."""
    admin: Api = people["admin"]
    admin_id = admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(phone, live_server, admin, admin_id, admin.token)
    rubric_id = build_rubric_in_editor(phone, live_server, admin.slug)
    walk_the_steps(live_server, phone, admin, rubric=RUBRIC_NAME,
                   sample=("8", "折算为 24 分"), screens=False)  # 8 / 10 × 30
    [component] = admin.get(f"/assessments/{assessment_id(admin)}")["components"]
    assert (component["rubric_id"], component["rubric_version"]) == (rubric_id, 1)


def walk_the_steps(live_server: str, phone: Any, admin: Api, sample: tuple[str, str],
                   rubric: str | None = None, screens: bool = True) -> None:
    """Steps 1 to 9 and the opening, as the admin does them; ``rubric``: the label of the
    published rubric to pick (the first one if None); ``sample``: raw points and the
    preview's words for them."""
    shot = screenshot if screens else (lambda *_: None)
    phone.goto(f"{live_server}/t/{admin.slug}/admin/assessments")
    phone.get_by_role("link", name="新建考核").click()

    phone.get_by_label("考核名称").fill("2025—2026学年度校本教研述职述研评议")
    phone.get_by_label("开始日期").fill("2025-09-01")
    phone.get_by_label("结束日期").fill("2026-07-10")
    phone.get_by_role("button", name="下一步").click()

    expect(phone.get_by_role("heading", name="第 2 步：考核项目与权重")).to_be_visible()
    phone.locator("#components-name-0").fill("常态化工作")
    choice = phone.locator("#components-rubric-0")
    if rubric is None:
        choice.select_option(index=1)
    else:
        label = choice.locator("option", has_text=rubric).first.text_content()
        choice.select_option(label=label)
    phone.locator("#components-weight-0").fill("30")
    phone.locator("#components-sample-0").fill(sample[0])
    phone.locator("#components-sample-0").dispatch_event("change")
    expect(phone.locator("#preview")).to_contain_text(sample[1])
    fits(phone)
    shot(phone, "admin-setup-components-phone")
    phone.get_by_role("button", name="下一步").click()

    phone.locator("#groups-name-0").fill("一贯制学校组")
    phone.locator("#groups-minutes-0").fill("8")
    phone.get_by_role("button", name="下一步").click()
    phone.get_by_label("去掉最高分和最低分后取平均").check()
    phone.get_by_role("button", name="下一步").click()
    expect(phone.locator("#tiers-name-0")).to_have_value("优秀")
    phone.get_by_role("button", name="创建考核草稿").click()

    expect(phone.get_by_role("status")).to_contain_text("考核草稿已创建")
    phone.get_by_label("加入排名组").select_option(label="一贯制学校组")
    phone.get_by_label("南钢学校").check()
    phone.get_by_label("京东学校").check()
    phone.get_by_role("button", name="加入所选对象").click()
    expect(phone.get_by_role("status")).to_contain_text("已添加被评对象")

    phone.get_by_role("link", name="下一步：评委").click()
    phone.get_by_label("评委甲").check()
    phone.get_by_label("评委乙").check()
    phone.get_by_role("button", name="回避预检").click()
    dry = phone.locator(".dry-run")
    expect(dry).to_contain_text("南钢学校：评委任职于被评学校")
    assert admin.get(f"/assessments/{assessment_id(admin)}")["panel"] == []  # not saved yet
    fits(phone)
    shot(phone, "admin-setup-dry-run-phone")
    phone.get_by_role("button", name="确认加入以上评委并登记回避").click()
    expect(phone.get_by_role("status")).to_contain_text("评委已加入")
    expect(phone.locator(".panel")).to_contain_text("回避：南钢学校")

    phone.get_by_role("link", name="下一步：人数与出场顺序").click()
    phone.get_by_role("button", name="抽签").click()
    expect(phone.get_by_role("status")).to_contain_text("已抽签")
    expect(phone.locator(".order-list .order").first).to_have_text("1")
    fits(phone)
    shot(phone, "admin-setup-order-phone")

    phone.get_by_role("link", name="下一步：公示设置").click()
    phone.get_by_label("只公示等次，不公布名次").check()
    phone.get_by_role("button", name="保存公示设置").click()
    expect(phone.get_by_role("status")).to_contain_text("公示设置已保存")
    phone.get_by_role("link", name="完成：查看考核并开始评分").click()
    phone.get_by_role("button", name="开始评分").click()
    expect(phone.get_by_role("status")).to_contain_text("评分中")
    assert admin.get(f"/assessments/{assessment_id(admin)}")["status"] == "open"
    fits(phone)
    shot(phone, "admin-setup-opened-phone")


def assessment_id(admin: Api) -> str:
    [found] = admin.get("/assessments")
    return str(found["id"])
