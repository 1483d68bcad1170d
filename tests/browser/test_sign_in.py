"""A judge signs in on a phone with the link the admin printed; the admin prints the cards."""

from urllib.parse import urlsplit

import httpx

from tests.api.flow import bearer, create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import SESSION_COOKIE, sign_in_browser


def test_a_judge_opens_the_link_on_a_phone_confirms_and_lands_on_home(
        live_server, phone, client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教研室")
    judge = admin.post("/users", {"name": "张三", "role": "judge"})
    made = httpx.post(f"{live_server}{admin.url('/users/' + judge['id'] + '/sign-in-links')}",
                      headers=bearer(admin.token))
    assert made.status_code == 201, made.text
    link = made.json()["url"]
    assert urlsplit(link).netloc == urlsplit(live_server).netloc
    phone.goto(link)
    button = phone.get_by_role("button", name="以 张三（评委）身份登录")
    assert button.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "signin-phone")
    button.click()
    phone.wait_for_url(f"{live_server}/t/{admin.slug}/")
    assert "已登录：张三（评委）" in phone.locator("main").inner_text()
    assert phone.get_by_role("link", name="我的评分").get_attribute("href") == \
        f"/t/{admin.slug}/judge"
    [cookie] = [c for c in phone.context.cookies() if c["name"] == SESSION_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    phone.go_back()  # the link again, from the phone's history: used up
    phone.reload()
    assert "已经使用过" in phone.locator("main").inner_text()
    phone.goto(f"{live_server}/t/{admin.slug}/")
    phone.get_by_role("button", name="退出登录").click()
    phone.wait_for_url(f"{live_server}/t/{admin.slug}/sign-out")
    assert "已退出登录" in phone.locator("h1").inner_text()
    assert not [c for c in phone.context.cookies() if c["name"] == SESSION_COOKIE]


def test_the_admin_prints_a_sheet_of_cards_for_all_judges(
        live_server, desktop, client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), "青山湖区教研室")
    for name in ("张三", "李四", "王五", "赵六", "钱七", "孙八"):
        admin.post("/users", {"name": name, "role": "judge"})
    me = admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(desktop, live_server, admin, me, admin.token)
    desktop.goto(f"{live_server}/t/{admin.slug}/admin/sign-in-links")
    desktop.get_by_role("button", name="为全部评委生成").click()
    cards = desktop.locator("article.card")
    cards.first.wait_for()
    assert cards.count() == 6
    assert cards.first.locator("svg").count() == 1
    assert f"/s/{admin.slug}/" in cards.first.locator(".card-url").inner_text()
    desktop.emulate_media(media="print")
    assert not desktop.locator("header.top").is_visible()  # the sheet prints alone
    screenshot(desktop, "sign-in-cards")
