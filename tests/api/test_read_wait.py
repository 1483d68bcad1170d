"""Reads with ``?after=<position>`` wait for the projector without holding a worker thread.

The tenants made by the ``tenant`` fixture are not followed by the background projector, so
a test holds their views still and releases them with ``catch_up``.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from litestar.testing import TestClient

from adapters.http.app import create_app
from tests.api.flow import Api


def until(condition: Callable[[], bool], seconds: float = 15) -> None:
    """Wait for a condition the server reaches on its own (not a stand-in for one)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition was never reached"
        time.sleep(0.01)


def a_school(tenant: Any, name: str = "湘江小学") -> int:
    return int(tenant.app.register_school(name, "小学组", "小学", None, False,
                                          tenant.admin).position)


def test_a_position_beyond_the_log_head_is_refused_at_once(client, container, tenant) -> None:
    position = a_school(tenant)
    api = Api(client, tenant.slug, tenant.admin_token)
    for after in (position + 1, 99999999999999999999):
        refused = api.get("/schools", expect=422, after=after)
        assert refused["detail"] == (f"该区县的记录截至位置 {position}，"
                                     f"位置 {after} 尚不存在，无从等待")
    for bad in ("-1", "abc", "1e3"):
        assert api.get("/communities", expect=400, after=bad)["status"] == 400
    container.projector.catch_up(tenant.slug)
    assert [s["name"] for s in api.get("/schools", after=position)] == ["湘江小学"]


def test_fifty_waiting_reads_hold_no_thread_and_finish_when_the_views_catch_up(
    container, make_tenant,
) -> None:
    flooded, other = make_tenant(), make_tenant("另一区教研室")
    position = a_school(flooded)
    a_school(other, "衡阳小学")
    container.projector.catch_up(other.slug)
    roomy = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, read_waiters=64))
    with TestClient(create_app(roomy)) as client:
        fifty_wait(client, container, flooded, other, position)


def fifty_wait(client: Any, container: Any, flooded: Any, other: Any, position: int) -> None:
    waiters = client.app.state.waiters
    # More waiting reads than the server has worker threads (40): each would hold one.
    with ThreadPoolExecutor(max_workers=50) as pool:
        reads: list[Future[Any]] = [
            pool.submit(client.get, f"/api/v1/tenants/{flooded.slug}/schools",
                        params={"after": position},
                        headers={"Authorization": f"Bearer {flooded.admin_token}"})
            for _ in range(50)]
        until(lambda: waiters.waiting(flooded.slug) == 50)
        # Another tenant's read still gets a thread and answers while all fifty wait.
        assert [s["name"] for s in Api(client, other.slug, other.admin_token).get(
            "/schools")] == ["衡阳小学"]
        assert waiters.waiting(flooded.slug) == 50 and not any(r.done() for r in reads)
        container.projector.catch_up(flooded.slug)
        answers = [r.result(timeout=60) for r in reads]
    assert {a.status_code for a in answers} == {200}
    assert all([s["name"] for s in a.json()] == ["湘江小学"] for a in answers)
    assert waiters.waiting(flooded.slug) == 0


def test_waiters_past_the_cap_are_told_to_retry(container, tenant) -> None:
    capped = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, read_waiters=2))
    position = a_school(tenant)
    with TestClient(create_app(capped)) as client:
        api = Api(client, tenant.slug, tenant.admin_token)
        waiters = client.app.state.waiters
        results: list[Any] = []
        readers = [threading.Thread(target=lambda: results.append(
            api.get("/units", after=position))) for _ in range(2)]
        for reader in readers:
            reader.start()
        until(lambda: waiters.waiting(tenant.slug) == 2)
        refused = client.get(api.url("/units"), params={"after": position},
                             headers={"Authorization": f"Bearer {tenant.admin_token}"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["detail"] == "等待该区县数据同步的读取请求过多，请稍后重试"
        container.projector.catch_up(tenant.slug)
        for reader in readers:
            reader.join(timeout=60)
        assert results == [[], []]
        assert api.get("/units", after=position) == []  # below the cap again


def test_a_read_that_waited_in_vain_says_so(container, tenant) -> None:
    """After the read-wait setting the read answers anyway, with what the views hold."""
    impatient = dataclasses.replace(container, settings=dataclasses.replace(
        container.settings, read_wait_seconds=0.1))
    position = a_school(tenant)
    with TestClient(create_app(impatient)) as client:
        api = Api(client, tenant.slug, tenant.admin_token)
        assert api.get("/schools", after=position) == []
        assert client.app.state.waiters.waiting(tenant.slug) == 0
