"""A flood of refusals is counted, not written call by call: one row per user, route and
reason each minute, with how many refusals it held (finding 9 of issue 10)."""

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient

from adapters.http.app import create_app
from adapters.http.ratelimit import RateLimiter
from services.refusals import RefusalTally
from tests.api.flow import Round, create_tenant


@pytest.fixture
def rnd(container, new_slug) -> Round:
    """A round served without a rate limit, so that every call reaches the guard."""
    unlimited = RateLimiter(per_second=1e6, burst=10**6)
    with TestClient(create_app(container, limiter=unlimited)) as client:
        yield Round(create_tenant(client, new_slug(), "蒲城县教育局"), judges=1)


@pytest.fixture
def now(container, monkeypatch) -> list[datetime]:
    """The tally's clock, moved by the test (no sleeps)."""
    clock = [datetime(2026, 9, 1, 8, 0, 5, tzinfo=UTC)]
    monkeypatch.setattr(container, "refusals", RefusalTally(container.app, lambda: clock[0]))
    return clock


def refusal_events(rnd: Round, audit) -> list[str]:
    page, cursor = [], 0
    while cursor is not None:
        found = audit.get("/events", after=cursor, limit=1000)
        page += [e["topic"] for e in found["events"] if ":Refusal." in e["topic"]]
        cursor = found["next"]
    return page


def test_150_refusals_in_a_minute_are_one_row_with_their_count(container, rnd, now) -> None:
    (judge_id, judge), = rnd.judges
    audit = rnd.admin.as_(rnd.admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    for i in range(150):
        now[0] = datetime(2026, 9, 1, 8, 0, 5, tzinfo=UTC) + timedelta(seconds=i * 0.3)
        judge.get("/users", expect=403)
    assert refusal_events(rnd, audit) == [  # the first at once; the count waits for the minute
        "domain.security:Refusal.Recorded"]
    now[0] = datetime(2026, 9, 1, 8, 1, 0, tzinfo=UTC)  # the minute has closed
    rows = audit.get("/audit/refusals")
    assert [(r["actor_id"], r["kind"], r["route"], r["count"]) for r in rows] == [
        (judge_id, "role", "/api/v1/tenants/{tenant}/users", 150)]
    assert rows[0]["actor_name"]

    for _ in range(3):  # the next minute starts a row of its own
        judge.get("/users", expect=403)
    judge.get("/schools", expect=200)
    container.refusals.close()  # shutdown writes the counts held, even of an open minute
    rows = audit.get("/audit/refusals")
    assert [r["count"] for r in rows] == [150, 3]
    assert refusal_events(rnd, audit) == ["domain.security:Refusal.Recorded",
                                          "domain.security:Refusal.Repeated"] * 2


def test_other_routes_and_reasons_are_rows_of_their_own(container, rnd, now) -> None:
    (_, judge), = rnd.judges
    audit = rnd.admin.as_(rnd.admin.post("/users", {"name": "监察室", "role": "auditor"})["token"])
    judge.get("/users", expect=403)
    judge.get("/users", expect=403)
    audit.post("/schools", {"name": "x", "group": "g", "stage": "小学"}, expect=403)
    now[0] += timedelta(minutes=1)
    judge.get("/users", expect=403)  # the next refusal closes the minute before it
    assert refusal_events(rnd, audit) == ["domain.security:Refusal.Recorded"] * 2 + [
        "domain.security:Refusal.Repeated", "domain.security:Refusal.Recorded"]
    rows = audit.get("/audit/refusals")
    assert [(r["actor_role"], r["method"], r["count"]) for r in rows] == [
        ("judge", "GET", 2), ("auditor", "POST", 1), ("judge", "GET", 1)]
