"""A tenant answers in its own time zone (default 北京时间) and reads offset-less times there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar.testing import TestClient

from tests.api.flow import Api, Round, bearer, create_tenant
from tests.conftest import OPERATOR_TOKEN


def _history_times(r: Round) -> list[str]:
    return [e["at"] for e in r.admin.get(f"/assessments/{r.id}/history")["events"]]


def test_timestamps_are_answered_in_beijing_time_by_default(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = Round(create_tenant(client, new_slug()), schools=("南钢学校",), judges=1)
    times = _history_times(r)
    assert times and all(at.endswith("+08:00") for at in times), times


def test_a_tenant_created_in_urumqi_answers_with_its_own_offset(
    client: TestClient[Any], new_slug: Any
) -> None:
    slug = new_slug()
    made = client.post("/api/v1/tenants", json={"slug": slug, "name": "乌鲁木齐教研室",
                                                  "time_zone": "Asia/Urumqi"},
                       headers=bearer(OPERATOR_TOKEN))
    assert made.status_code == 201 and made.json()["time_zone"] == "Asia/Urumqi"
    r = Round(Api(client, slug, made.json()["admin_token"]), schools=("南钢学校",), judges=1)
    times = _history_times(r)
    assert times and all(at.endswith("+06:00") for at in times), times
    listed = client.get("/api/v1/tenants", headers=bearer(OPERATOR_TOKEN)).json()
    mine = next(t for t in listed if t["slug"] == slug)
    assert mine["time_zone"] == "Asia/Urumqi" and mine["created_at"].endswith("+06:00")


def test_an_unknown_time_zone_is_refused_and_no_tenant_is_made(
    client: TestClient[Any], new_slug: Any
) -> None:
    slug = new_slug()
    r = client.post("/api/v1/tenants",
                    json={"slug": slug, "name": "某区", "time_zone": "Mars/Base"},
                    headers=bearer(OPERATOR_TOKEN))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "time_zone"
    listed = client.get("/api/v1/tenants", headers=bearer(OPERATOR_TOKEN)).json()
    assert slug not in {t["slug"] for t in listed}


def test_an_as_of_without_offset_is_read_in_the_tenant_zone(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = Round(create_tenant(client, new_slug()), schools=("南钢学校",), judges=1)
    board = f"/assessments/{r.id}/scoreboard"
    naive = r.admin.get(board, as_of="2026-11-30T10:00:00")
    offset = r.admin.get(board, as_of="2026-11-30T10:00:00+08:00")
    assert naive == offset
    assert naive["as_of"] == "2026-11-30T10:00:00+08:00"
    utc = r.admin.get(board, as_of="2026-11-30T02:00:00Z")
    assert utc["as_of"] == "2026-11-30T10:00:00+08:00"


def test_an_as_of_that_is_not_a_full_date_and_time_is_refused(
    client: TestClient[Any], new_slug: Any
) -> None:
    r = Round(create_tenant(client, new_slug()), schools=("南钢学校",), judges=1)
    for bad in ("1097", "2026-11-30", "yesterday", "2026-13-45T10:00:00"):
        refused = r.admin.get(f"/assessments/{r.id}/scoreboard", expect=422, as_of=bad)
        assert refused["errors"][0]["field"] == "as_of", bad
        assert refused["detail"] in ("as_of 须为完整的日期和时间，例如 2026-11-30T10:00:00+08:00",
                                     "as_of 不是存在的日期和时间"), refused


def test_today_is_the_day_where_the_tenant_is(client: TestClient[Any], new_slug: Any) -> None:
    # At any moment one of these zones is on another calendar day than UTC.
    now = datetime.now(UTC)
    zone = next(z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
                if now.astimezone(ZoneInfo(z)).date() != now.date())
    slug = new_slug()
    made = client.post("/api/v1/tenants", json={"slug": slug, "name": "某区", "time_zone": zone},
                       headers=bearer(OPERATOR_TOKEN))
    admin = Api(client, slug, made.json()["admin_token"])
    core = admin.post("/schools", {"name": "南钢学校", "group": "一贯制学校组",
                                   "stage": "初中"})["id"]
    community = admin.post("/communities", {"name": "南钢教育共同体", "type": "integrated",
                                            "scope": "县域", "core_school_id": core})
    on = admin.get(f"/communities/{community['id']}")["on"]
    assert on == datetime.now(ZoneInfo(zone)).date().isoformat()
