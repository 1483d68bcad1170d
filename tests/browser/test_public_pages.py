"""The public 公示 on a phone, the printable certificate, and the room's countdown, in a real
browser. Time in the countdown is moved with Playwright's clock, never waited for."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.api.flow import create_tenant
from tests.api.public_flow import PublishedRound, TimedRound, issue_certificate
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser


def seconds(clock: str) -> int:
    sign = -1 if clock.startswith("-") else 1
    minutes, secs = clock.lstrip("-").split(":")
    return sign * (int(minutes) * 60 + int(secs))


def mm_ss(value: int) -> str:
    return f"{'-' if value < 0 else ''}{abs(value) // 60:02d}:{abs(value) % 60:02d}"


def test_the_public_sheet_shows_no_ranks_when_the_round_hides_them_on_a_phone(
        live_server, phone, client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), name="青山湖区教研室")
    r = PublishedRound(admin, ranks=False)
    hosts: set[str] = set()
    phone.on("request", lambda req: hosts.add(urlparse(req.url).netloc))
    phone.goto(live_server + r.page)
    expect(phone.locator("h1")).to_contain_text("结果公示")
    expect(phone.locator("table.results")).to_have_count(2)
    expect(phone.locator("th")).not_to_contain_text(["名次"])
    assert phone.locator("th", has_text="名次").count() == 0
    assert phone.locator("th", has_text="得分").count() == 0
    rows = phone.locator("table.results tbody tr")
    assert rows.all_inner_texts() == ["京东学校\t优秀", "南钢学校\t合格",
                                      "<script>alert(1)</script>\t优秀"]
    expect(phone.locator(".hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert hosts == {urlparse(live_server).netloc}
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "public-results-phone")


def test_the_certificate_prints_with_the_qr_code_of_its_check_link(
        live_server, desktop, client, new_slug) -> None:
    admin = create_tenant(client, new_slug(), name="平罗县教研室")
    code = issue_certificate(admin)
    desktop.goto(f"{live_server}/c/{admin.slug}/{code}/print")
    expect(desktop.locator(".holder")).to_have_text("王芳")
    expect(desktop.locator(".qr-code svg")).to_be_visible()
    link = desktop.locator("a.check-link")
    assert link.get_attribute("href") == f"{live_server}/c/{admin.slug}/{code}"
    screenshot(desktop, "certificate")
    link.click()
    expect(desktop.locator("h1")).to_have_text("证书查验")
    expect(desktop.locator(".issuer")).to_have_text("平罗县教研室")


def test_the_timer_counts_down_and_warns_at_one_minute(
        live_server, desktop, client, new_slug) -> None:
    admin = create_tenant(client, new_slug())
    t = TimedRound(admin)
    sign_in_browser(desktop, live_server, admin, t.keeper_id, t.keeper_token)
    desktop.goto(live_server + t.page)
    expect(desktop.locator(".presenter-label")).to_have_text("尚未开始")
    desktop.get_by_role("button", name=re.compile("开始第一位")).click()
    state = desktop.locator("#timer-state")
    expect(state).to_have_attribute("data-running", "1")
    expect(desktop.locator(".presenter-name")).to_have_text(t.names[0])
    started = int(state.get_attribute("data-started-ms") or 0) / 1000

    # The browser's clock starts at the server's start instant and stands still; from now on
    # only fast_forward moves it.
    desktop.clock.install(time=started)
    desktop.reload()
    desktop.clock.pause_at(started + 30)
    clock = desktop.locator(".clock")
    expect(clock).to_have_text(re.compile(r"^0[67]:\d\d$"))
    first = seconds(clock.inner_text())
    assert 6 * 60 < first <= 8 * 60 - 30

    desktop.clock.fast_forward("01:00")
    expect(clock).to_have_text(mm_ss(first - 60))
    face = desktop.locator("#timer-face")  # the marks stay on what htmx does not refresh
    expect(face).not_to_have_class(re.compile(r"\bwarn\b"))

    desktop.clock.fast_forward((first - 60 - 45) * 1000)
    expect(clock).to_have_text("00:45")
    expect(face).to_have_class(re.compile(r"\bwarn\b"))
    screenshot(desktop, "timer-desktop")

    desktop.clock.fast_forward("01:00")
    expect(clock).to_have_text("-00:15")
    expect(face).to_have_class(re.compile(r"\bover\b"))
    expect(face).not_to_have_class(re.compile(r"\bwarn\b"))

    desktop.set_viewport_size(PHONE)  # the same room page on a judge's phone
    expect(clock).to_be_visible()
    assert desktop.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(desktop, "timer-phone")
