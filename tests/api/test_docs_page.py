"""/schema works on a network that reaches no outside host: every script, style and icon the
page loads is served by kaoping itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

LOADED = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
def test_the_docs_page_loads_nothing_from_another_host(
    client: TestClient[Any], page: str
) -> None:
    r = client.get(page)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    html = r.text
    loaded = LOADED.findall(html)
    assert len(loaded) >= 4, loaded  # the script, the preset, the stylesheet, the icon
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
    assert not re.search(r"fonts\.(googleapis|gstatic)\.com|cdn\.jsdelivr|unpkg\.com", html)
    for url in loaded:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url


def test_only_the_pages_own_assets_are_served(client: TestClient[Any]) -> None:
    assert client.get("/schema/assets/swagger-ui-bundle.js").headers["content-type"].startswith(
        "text/javascript")
    assert client.get("/schema/assets/LICENSE").status_code == 404
    assert client.get("/schema/assets/..%2F__init__.py").status_code == 404
