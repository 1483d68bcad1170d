"""Floods from outside a tenant (finding 9 and 10 of issue 10): guessed tokens share their
address's allowance, and the public certificate check is limited per address too."""

import time
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.http import activities
from adapters.http.app import create_app
from adapters.http.ratelimit import RateLimiter, SharedRateLimiter
from tests.api.flow import bearer, create_tenant


def addressed(app: Any) -> Any:
    """Requests come from the address in the X-Test-Client header (TestClient has one)."""
    inner = app.asgi_handler

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            address = dict(scope["headers"]).get(b"x-test-client", b"testclient").decode()
            scope = {**scope, "client": (address, 50000)}
        await inner(scope, receive, send)

    app.asgi_handler = asgi
    return app


@pytest.fixture(params=["in-process", "shared"])
def limited(container, request) -> Any:
    now = [1000.0]
    limiter = limiter_of(request.param, container, per_second=0.5, burst=3,
                         clock=lambda: now[0])
    with TestClient(addressed(create_app(container, limiter=limiter))) as client:
        yield client


def limiter_of(kind: str, container, **kwargs: Any) -> RateLimiter | SharedRateLimiter:
    """The in-process limiter, or the shared one (its buckets emptied: a clock of our own
    starts afresh)."""
    if kind == "in-process":
        return RateLimiter(**kwargs)
    with container.pool.connection() as conn:
        conn.execute("TRUNCATE kaoping.rate_buckets")
    return SharedRateLimiter(container.pool, **kwargs)


def from_(address: str, token: str | None = None) -> dict[str, str]:
    return {"x-test-client": address, **(bearer(token) if token else {})}


def test_guessed_tokens_from_one_address_share_one_allowance(limited, new_slug) -> None:
    admin = create_tenant(limited, new_slug())
    url = admin.url("/schools")
    statuses = [limited.get(url, headers=from_("10.0.0.7", f"kp_guess_{i:04d}")).status_code
                for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]  # each guess a new token, one allowance
    refused = limited.get(url, headers=from_("10.0.0.7", "kp_guess_9999"))
    assert refused.headers["retry-after"] and refused.json()["detail"] == (
        "来自该地址的无效令牌请求过于频繁")
    # Another address guesses on its own allowance; a valid token is not held up by it.
    assert limited.get(url, headers=from_("10.0.0.8", "kp_guess_x")).status_code == 401
    assert limited.get(url, headers=from_("10.0.0.9", admin.token)).status_code == 200


def test_certificate_checks_are_limited_per_client_address(limited, new_slug) -> None:
    admin = create_tenant(limited, new_slug())
    url = admin.url("/certificates/NOSUCHCODE2345AB")
    statuses = [limited.get(url, headers=from_("10.0.0.7")).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    refused = limited.get(url, headers=from_("10.0.0.7"))
    assert refused.json()["detail"] == "来自该地址的证书查验过于频繁"
    assert refused.headers["retry-after"]
    assert limited.get(url, headers=from_("10.0.0.8")).status_code == 404  # its own allowance


def test_an_unknown_tenant_and_an_unknown_code_take_the_same_path(
        client, new_slug, monkeypatch) -> None:
    admin = create_tenant(client, new_slug())
    calls: list[tuple[str, Any]] = []
    original_find, original_floor = activities.find_certificate, activities.not_found_after

    def find(container, tenant, code):
        found = original_find(container, tenant, code)
        calls.append(("find", found))
        return found

    async def floor(started):
        calls.append(("floor", None))
        await original_floor(started)

    monkeypatch.setattr(activities, "find_certificate", find)
    monkeypatch.setattr(activities, "not_found_after", floor)
    answers, paths = [], []
    for url in (admin.url("/certificates/NOSUCHCODE2345AB"),  # a known tenant, no such code
                "/api/v1/tenants/nosuchtenant1/certificates/NOSUCHCODE2345AB"):
        calls.clear()
        started = time.monotonic()
        r = client.get(url)
        elapsed = time.monotonic() - started
        answers.append((r.status_code, r.json()))
        paths.append(list(calls))
        assert elapsed >= activities.NOT_FOUND_FLOOR  # neither answers sooner than the floor
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert paths[0] == paths[1] == [("find", None), ("floor", None)]
