"""Every page is Chinese, fits a phone, and loads nothing from another host."""

from urllib.parse import urlparse

from tests.browser.conftest import PHONE


def test_the_home_page_is_chinese_fits_a_phone_and_loads_only_from_kaoping(
        live_server, phone) -> None:
    hosts: set[str] = set()
    phone.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    phone.goto(live_server + "/")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert "校本教研考核" in phone.locator("h1").inner_text()
    assert phone.evaluate("typeof htmx") == "object"  # served by kaoping, not a CDN
    assert hosts == {urlparse(live_server).netloc}
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
