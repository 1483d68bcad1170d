"""Browser tests: Playwright (the PyPI package) driving Debian's chromium, launched by path,
so nothing is downloaded. They run when chromium is present (``.ci/run`` installs it) and are
skipped, saying why, when it is not.

The pages are served by a real uvicorn server on a free local port, over the tests' shared
container (real PostgreSQL, the background projector running)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from adapters.container import Container
from adapters.http.app import create_app

CHROMIUM = os.environ.get("KAOPING_CHROMIUM") or shutil.which("chromium") or ""
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

if not CHROMIUM and os.environ.get("KAOPING_REQUIRE_BROWSER"):  # CI: they must run
    raise RuntimeError("KAOPING_REQUIRE_BROWSER is set but chromium is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                                "(apt-get install chromium fonts-noto-cjk)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(container: Container) -> Iterator[str]:
    """kaoping's app served over real HTTP, for the browser."""
    port = free_port()
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port,
                            log_config=None, lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:  # the condition itself, with a deadline
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox"])
        yield launched
        launched.close()


def new_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(30_000)  # a loaded machine: waits are on conditions
    return context.new_page()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    page = new_page(browser, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    page = new_page(browser, DESKTOP)
    yield page
    page.context.close()


def screenshot(page: Any, name: str) -> None:
    """Keep what the user saw (docs/screens/, shown in the README)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
