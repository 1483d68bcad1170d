"""A judge on a phone: signs in, scores a school, saves, submits, revises with a reason; a
recused judge cannot score."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.flow import Round, create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser


@pytest.fixture
def room(live_server: str, new_slug: Any) -> Iterator[Round]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield Round(create_tenant(client, new_slug()), schools=("南钢学校", "京东学校"),
                    judges=2)


def open_home(page: Any, live_server: str, room: Round, judge: int) -> None:
    judge_id, api = room.judges[judge]
    sign_in_browser(page, live_server, room.admin, judge_id, api.token)
    page.goto(f"{live_server}/t/{room.admin.slug}/judge")


def test_a_judge_scores_saves_submits_and_revises_on_a_phone(live_server, phone, room) -> None:
    room.admin.put(f"/assessments/{room.id}/order", {"order": {"yiguanzhi": room.subjects}})
    open_home(phone, live_server, room, 0)
    assert phone.locator(".order").first.inner_text() == "1"  # 出场顺序
    assert "已提交 0 / 2" in phone.locator(".progress-line").inner_text()
    screenshot(phone, "judge-home-phone")
    phone.get_by_role("link", name="南钢学校").click()
    phone.get_by_label("1.1 教研组设置合理").fill("5.5")
    phone.get_by_label("1.2 制度健全").fill("4")
    assert phone.locator("#total").inner_text() == "9.5"  # live, before saving
    phone.get_by_label("综合评价意见").fill("制度健全，备课扎实。")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_text("已保存。").wait_for()
    card = room.judges[0][1].get(room.card(room.subjects[0]))
    assert card["scores"] == {"1.1": 5.5, "1.2": 4} and not card["submitted"]

    phone.get_by_label("2.1 集体备课").fill("9")
    assert phone.locator("#total").inner_text() == "18.5"
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("#card .done")).to_have_text("已保存。")
    screenshot(phone, "judge-scoring-phone")
    phone.reload()  # a fresh layout after the full-page capture

    phone.on("dialog", lambda dialog: dialog.accept())  # 确认提交？
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator("#card")).to_contain_text("本评分表已提交")
    assert room.judges[0][1].get(room.card(room.subjects[0]))["submitted"] is True
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_role("button", name="说明理由并重新打开").click()
    expect(phone.locator("#card")).to_contain_text("重新打开须说明理由")  # shown beside
    phone.get_by_label("修改理由（必填）").fill("2.1 录入有误")
    phone.get_by_role("button", name="说明理由并重新打开").click()
    expect(phone.locator("#card")).to_contain_text("评分表已重新打开")
    phone.get_by_label("2.1 集体备课").fill("8.5")
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator("#card")).to_contain_text("本评分表已提交")
    card = room.judges[0][1].get(room.card(room.subjects[0]))
    assert card["submitted"] is True and card["scores"]["2.1"] == 8.5


def test_a_recused_judge_cannot_score(live_server, phone, room) -> None:
    open_home(phone, live_server, room, 1)
    phone.get_by_role("link", name="京东学校").click()
    phone.get_by_text("申请回避").first.click()  # opens the details
    phone.get_by_label("回避理由（必填）").fill("本人子女在该校就读")
    phone.get_by_role("button", name="申请回避").click()
    phone.get_by_text("您已对本对象回避，不能评分。").wait_for()
    assert phone.locator("input[type=number]").count() == 0
    phone.goto(f"{live_server}/t/{room.admin.slug}/judge")
    assert "本人子女在该校就读" in phone.locator("main").inner_text()
    assert "已提交 0 / 1" in phone.locator(".progress-line").inner_text()
