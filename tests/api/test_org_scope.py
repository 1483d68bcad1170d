"""组织层级 (issue 16): 吴忠's levels, and admins scoped to a node. A 县 admin manages only
their county's schools, units, communities, activities, rounds and people; every route
naming another county's record answers 404, as for another tenant's."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.api.flow import RUBRIC, Api, bearer, create_tenant
from tests.api.test_access import ZERO, documented
from tests.conftest import drop_tenant
from tests.web_session import SESSION_COOKIE, session_for

TENANT_PREFIX = "/api/v1/tenants/{tenant}"


def plan(unit_id: str, unit_kind: str = "research_group", **extra: Any) -> dict[str, Any]:
    return {"unit_kind": unit_kind, "unit_id": unit_id, "theme": "整本书阅读教学",
            "form": "集体备课", "planned_on": "2020-09-10", "periods": 2,
            "purpose": "研讨阅读策略", "plan": "说课、议课、磨课"} | extra


def county(admin: Api, name: str, city: str) -> dict[str, Any]:
    """A 县 with its own admin, a school, a 教研组, a reporter, a community, a round with
    the school as subject, and an activity."""
    node = admin.post("/org/nodes", {"level": "county", "name": name, "parent_id": city})
    made = admin.post("/users", {"name": f"{name}管理员", "role": "admin", "scope": node["id"]})
    mine = admin.as_(made["token"])
    school = mine.post("/schools", {"name": f"{name}第一小学", "group": "小学组",
                                    "stage": "小学"})["id"]
    other = mine.post("/schools", {"name": f"{name}第二小学", "group": "小学组",
                                   "stage": "小学"})["id"]
    unit = mine.post("/units", {"kind": "research_group", "name": "语文教研组",
                                "school_id": school, "subject": "语文"})["id"]
    community = mine.post("/communities", {
        "name": f"{name}共同体", "type": "collaborative", "scope": "县域",
        "core_school_id": school, "member_school_ids": [other]})["id"]
    reporter = mine.post("/users", {"name": f"{name}教务处", "role": "reporter",
                                    "affiliations": [{"kind": "school", "id": school}]})["id"]
    rubric = mine.post("/rubrics", RUBRIC)
    mine.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    round_id = mine.post("/assessments", {
        "name": f"{name}校本教研考核", "groups": [{"key": "x", "name": "小学组"}],
        "components": [{"key": "routine", "name": "常态化工作", "rubric_id": rubric["id"],
                        "rubric_version": 1, "weight": 100}],
        "tiers": {"thresholds": [{"name": "合格", "min": 0}]}})["id"]
    subject = mine.post(f"/assessments/{round_id}/subjects",
                        {"kind": "school", "ref_id": school, "group": "x"})["subject_id"]
    activity = mine.post("/activities", plan(unit))["id"]
    walker = admin.post("/users", {"name": f"{name}巡查", "role": "admin", "scope": node["id"]})
    return {"node": node["id"], "admin": mine, "walker": admin.as_(walker["token"]),
            "admin_id": made["id"], "school": school,
            "unit": unit, "community": community, "user": reporter, "assessment": round_id,
            "subject": subject, "activity": activity}


@pytest.fixture(scope="module")
def wuzhong(client, container):
    slug = f"wz{uuid.uuid4().hex[:10]}"
    admin = create_tenant(client, slug, "吴忠市教育局教研室")
    city = admin.post("/org/nodes", {"level": "city", "name": "吴忠市"})["id"]
    yield admin, city, county(admin, "利通区", city), county(admin, "青铜峡市", city)
    drop_tenant(container, slug)


def concrete(path: str, slug: str, other: dict[str, Any]) -> str | None:
    """The route's path naming the other county's records; None if it names none."""
    kinds = {"schools": "school", "units": "unit", "communities": "community",
             "users": "user"}
    record = re.match(r".*/(schools|units|communities|users)/\{record_id\}", path)
    ids = {"assessment_id": other["assessment"], "subject_id": other["subject"],
           "activity_id": other["activity"], "school_id": other["school"],
           "unit_id": other["unit"], "community_id": other["community"],
           "user_id": other["user"]}
    if record:
        ids["record_id"] = other[kinds[record.group(1)]]
    names = set(re.findall(r"\{([a-z_]+)\}", path)) - {"tenant"}
    if not names & set(ids):
        return None
    out = path.replace("{tenant}", slug)
    for name in names:
        out = out.replace("{" + name + "}", ids.get(name, ZERO if name.endswith("id") else "x"))
    return out


def test_a_county_admin_gets_404_for_every_route_naming_another_countys_record(
        client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    walked, found, failures = 0, 0, []
    for (method, path), allowed in sorted(documented().items()):
        if not path.startswith(TENANT_PREFIX) or "admin" not in allowed:
            continue
        url = concrete(path, admin.slug, other)
        if url is None:
            continue
        body = {} if method in ("POST", "PUT", "PATCH") else None
        # The walk has a token of its own (a token's requests are rate limited).
        r = client.request(method, url, json=body, headers=bearer(mine["walker"].token))
        walked += 1
        if r.status_code != 404:
            failures.append(f"{method} {path} → {r.status_code}")
        if method == "GET":  # the control: the same route names the county's own records
            own = concrete(path, admin.slug, mine)
            assert own is not None
            found += client.get(own, headers=bearer(mine["admin"].token)).status_code != 404
    assert walked > 50 and found > 25
    assert failures == []


def test_a_county_admin_manages_their_own_county(client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    me = mine["admin"]
    assert me.get(f"/schools/{mine['school']}")["name"] == "利通区第一小学"
    assert me.get(f"/units/{mine['unit']}")["name"] == "语文教研组"
    assert me.get(f"/assessments/{mine['assessment']}")["id"] == mine["assessment"]
    assert me.get(f"/activities/{mine['activity']}")["id"] == mine["activity"]
    assert me.get(f"/communities/{mine['community']}")["name"] == "利通区共同体"
    assert me.get(f"/users/{mine['user']}")["name"] == "利通区教务处"
    me.post(f"/activities/{mine['activity']}/review",
            {"approved": True, "opinions": [{"reviewer": "县教研员", "text": "同意"}]},
            expect=200)
    # Lists show only what lies within the county.
    assert {s["id"] for s in me.get("/schools")} == {mine["school"], *[
        s["id"] for s in me.get("/schools") if s["name"] == "利通区第二小学"]}
    assert other["school"] not in {s["id"] for s in me.get("/schools")}
    assert {u["id"] for u in me.get("/units")} == {mine["unit"]}
    assert {a["id"] for a in me.get("/assessments")} == {mine["assessment"]}
    assert {a["id"] for a in me.get("/activities")} == {mine["activity"]}
    assert {c["id"] for c in me.get("/communities")} == {mine["community"]}
    assert other["user"] not in {u["id"] for u in me.get("/users")}
    assert [n["name"] for n in me.get("/org/nodes")] == ["利通区"]
    # The whole tenant's admin sees both counties, as before.
    schools = {s["id"] for s in admin.get("/schools")}
    assert {mine["school"], other["school"]} <= schools
    assert {n["path"][-1] for n in admin.get("/org/nodes")} == {"吴忠市", "利通区", "青铜峡市"}


def test_bodies_naming_another_countys_records_are_404(client, wuzhong) -> None:
    _, _, mine, other = wuzhong
    me = mine["admin"]
    me.post("/activities", plan(other["unit"]), expect=404)
    me.post(f"/assessments/{mine['assessment']}/subjects",
            {"kind": "school", "ref_id": other["school"], "group": "x"}, expect=404)
    me.post("/units", {"kind": "research_group", "name": "数学教研组",
                       "school_id": other["school"], "subject": "数学"}, expect=404)
    me.post("/schools", {"name": "越界小学", "group": "小学组", "stage": "小学",
                         "node_id": other["node"]}, expect=404)
    me.post("/users", {"name": "越界", "role": "admin", "scope": other["node"]}, expect=404)
    me.post("/users", {"name": "越界", "role": "reporter",
                       "affiliations": [{"kind": "school", "id": other["school"]}]}, expect=404)
    me.post(f"/communities/{mine['community']}/members", {"school_id": other["school"]},
            expect=404)
    me.post("/org/nodes", {"level": "zone", "name": "越界片区", "parent_id": other["node"]},
            expect=404)
    me.post("/org/nodes", {"level": "county", "name": "新县"}, expect=422)
    zone = me.post("/org/nodes", {"level": "zone", "name": "第一片区",
                                  "parent_id": mine["node"]})
    assert zone["path"] == ["吴忠市", "利通区", "第一片区"]
    school = me.post("/schools", {"name": "片区小学", "group": "小学组", "stage": "小学",
                                  "node_id": zone["id"]})["id"]
    assert me.get(f"/schools/{school}")["name"] == "片区小学"
    other["admin"].get(f"/schools/{school}", expect=404)
    # A node under a node of the same or a higher level is refused.
    me.post("/org/nodes", {"level": "county", "name": "错层", "parent_id": zone["id"]},
            expect=422)


def test_a_scoped_admin_is_let_into_the_pages_narrowed_to_their_scope(client, wuzhong) -> None:
    """The pages are narrowed to the admin's org node (``tests/api/test_org_page_scope.py``
    walks them): the console opens, without the tenant-wide sections."""
    admin, _, mine, other = wuzhong
    cookie = session_for(None, admin, mine["admin_id"], "")
    client.cookies.set(SESSION_COOKIE, cookie)
    try:
        r = client.get(f"/t/{admin.slug}/admin")
        foreign = client.get(f"/t/{admin.slug}/admin/org/schools/{other['school']}")
    finally:
        client.cookies.clear()
    assert r.status_code == 200
    assert f"/t/{admin.slug}/admin/imports" not in r.text
    assert foreign.status_code == 404


def test_a_county_admin_sees_their_countys_compliance_and_leaves_the_settings_alone(
        client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    admin.put("/compliance-rules", {"rules": [{"unit_kind": "school", "every": "month"}]})
    me = mine["admin"]
    lines = me.get("/compliance", period="2020-09-01..2020-09-30")["units"]
    assert mine["school"] in {line["unit_id"] for line in lines}
    assert other["school"] not in {line["unit_id"] for line in lines}
    me.put("/compliance-rules", {"rules": []}, expect=403)
    me.put("/terms", {"terms": []}, expect=403)
    me.post("/activity-forms", {"name": "县里的形式"}, expect=403)
    r = client.post(me.url("/imports/schools"), files={"file": ("学校.csv", b"x", "text/csv")},
                    headers=bearer(me.token))
    assert r.status_code == 403
    # Ids in the query are checked as those in the path.
    me.get("/activities", unit_id=other["unit"], expect=404)
    assert me.get("/activities", unit_id=mine["unit"])[0]["id"] == mine["activity"]
    assert len(admin.get("/compliance", period="2020-09-01..2020-09-30")["units"]) >= 4


def test_a_school_moves_to_another_node_with_a_reason(client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    school = admin.post("/schools", {"name": "划转小学", "group": "小学组", "stage": "小学",
                                     "node_id": mine["node"]})["id"]
    assert mine["admin"].get(f"/schools/{school}")["name"] == "划转小学"
    r = client.patch(admin.url(f"/schools/{school}"), json={"node_id": other["node"]},
                     headers=bearer(admin.token))
    assert r.status_code == 400  # a reason is required
    r = client.patch(admin.url(f"/schools/{school}"),
                     json={"reason": "区划调整", "node_id": other["node"]},
                     headers=bearer(admin.token))
    assert r.status_code == 200, r.text
    mine["admin"].get(f"/schools/{school}", expect=404)
    moved = other["admin"].get(f"/schools/{school}")
    assert (moved["name"], moved["node_id"]) == ("划转小学", other["node"])
    history = admin.get(f"/schools/{school}/history")
    assert any(e["type"] == "Placed" for e in history["events"]) if isinstance(
        history, dict) else any(e["type"] == "Placed" for e in history)
    # A county admin cannot move their school into another county.
    r = client.patch(admin.url(f"/schools/{school}"),
                     json={"reason": "越界", "node_id": mine["node"]},
                     headers=bearer(other["admin"].token))
    assert r.status_code == 404
