"""组织层级 on the pages (issue 16, ADR 28): a 县 admin signed in to the pages sees and
manages only their county, exactly as over the API. Every page naming another county's
record answers the Chinese 404 page, as for another tenant's; the lists show only the county's
records; the tenant's own settings are refused (403); forms put new records under the county
and refuse another county's ids."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.api.flow import RUBRIC, Api, create_tenant
from tests.api.test_access import ZERO
from tests.api.test_org_scope import county
from tests.api.test_setup_pages import Wizard
from tests.conftest import drop_tenant
from tests.web_session import SESSION_COOKIE, session_for

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
PARAM = re.compile(r"\{([a-z_]+):[a-z]+\}")
UNSCOPED = {"rubric_id", "import_id", "evidence_id", "session_id"}  # no org node owns them


@pytest.fixture(scope="module")
def wuzhong(client, container):
    slug = f"wz{uuid.uuid4().hex[:10]}"
    admin = create_tenant(client, slug, "吴忠市教育局教研室")
    city = admin.post("/org/nodes", {"level": "city", "name": "吴忠市"})["id"]
    counties = []
    for name in ("利通区", "青铜峡市"):
        made = county(admin, name, city)
        me = made["admin"]
        made["review"] = me.post("/annual-reviews",
                                 {"year": "2020-2021", "name": f"{name}年度考核"})["id"]
        judge = me.post("/users", {"name": f"{name}评委", "role": "judge",
                                   "affiliations": [{"kind": "school", "id": made["school"]}]})
        made["judge"] = judge["id"]
        counties.append(made)
    yield admin, city, *counties
    drop_tenant(container, slug)


def signed_in(client: Any, admin: Api, user_id: str) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session_for(None, admin, user_id, ""))


def csrf(client: Any, page: str) -> str:
    shown = client.get(page)
    assert shown.status_code == 200, shown.text
    found = CSRF.search(shown.text)
    assert found, shown.text
    return found[1]


def ids_of(made: dict[str, Any]) -> dict[str, str]:
    return {"assessment_id": made["assessment"], "subject_id": made["subject"],
            "activity_id": made["activity"], "school_id": made["school"],
            "unit_id": made["unit"], "community_id": made["community"],
            "user_id": made["user"], "review_id": made["review"], "judge_id": made["judge"]}


def page_routes(client: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every signed-in page (under ``/t/{tenant}``) whose path names a record an org node
    owns, with each of its methods and the ids its query needs (``?judge_id=``)."""
    out = []
    for route in client.app.routes:
        path = route.path
        names = {n for n in PARAM.findall(path) if n.endswith("_id")}
        if not path.startswith("/t/{tenant") or not names - UNSCOPED:
            continue
        for method, handler in sorted(route.route_handler_map.items()):
            if method not in ("GET", "POST"):
                continue
            params = handler[0].parsed_fn_signature.parameters
            query = tuple(name for name, p in params.items()
                          if name.endswith("_id") and name not in names and not p.has_default)
            out.append((method, path, query))
    return out


def concrete(path: str, slug: str, made: dict[str, Any]) -> str:
    ids = ids_of(made)

    def filled(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "tenant":
            return slug
        if name in ids:
            return ids[name]
        if match.group(0).endswith(":int}"):
            return "1"  # a step of 修改设置 (…/edit/{step})
        return ZERO if name.endswith("id") else "routine"

    return PARAM.sub(filled, path)


def test_every_page_naming_another_countys_record_is_not_found(client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    signed_in(client, admin, mine["admin_id"])
    token = csrf(client, f"/t/{admin.slug}/admin/org/schools")
    walked, shown, failures = 0, 0, []
    for method, path, query in page_routes(client):
        url = concrete(path, admin.slug, other)
        if method == "GET":
            r = client.get(url, params={q: ids_of(other)[q] for q in query},
                           follow_redirects=False)
        else:
            r = client.post(url, data={"_csrf_token": token}, follow_redirects=False)
        walked += 1
        if r.status_code != 404 or "页面不存在" not in r.text:
            failures.append(f"{method} {path} → {r.status_code}")
        if method == "GET":  # the control: the same page names the county's own records
            own = client.get(concrete(path, admin.slug, mine),
                             params={q: ids_of(mine)[q] for q in query}, follow_redirects=False)
            shown += own.status_code == 200
    assert failures == [], "\n".join(failures)
    assert walked > 60 and shown >= 20, (walked, shown)


def test_ids_in_the_query_are_checked_as_those_in_the_path(client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    signed_in(client, admin, mine["admin_id"])
    base = f"/t/{admin.slug}/admin/activities"
    assert client.get(base, params={"unit": other["unit"]}).status_code == 404
    assert client.get(base, params={"unit": mine["unit"]}).status_code == 200


def test_the_lists_show_the_countys_own_records_only(client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    admin.put("/compliance-rules", {"rules": [{"unit_kind": "school", "every": "month"}]})
    signed_in(client, admin, mine["admin_id"])
    t = f"/t/{admin.slug}"
    pages = {
        f"{t}/admin/org/schools": ("利通区第一小学", "青铜峡市第一小学"),
        f"{t}/admin/org/communities": ("利通区共同体", "青铜峡市共同体"),
        f"{t}/admin/people": ("利通区教务处", "青铜峡市教务处"),
        f"{t}/admin/assessments": ("利通区校本教研考核", "青铜峡市校本教研考核"),
        f"{t}/admin/annual": ("利通区年度考核", "青铜峡市年度考核"),
        f"{t}/audit": ("利通区校本教研考核", "青铜峡市校本教研考核"),
        f"{t}/admin/activities": ("利通区第一小学", "青铜峡市第一小学"),
        f"{t}/admin/org/units?kind=research_group": ("利通区第一小学", "青铜峡市第一小学"),
        f"{t}/admin/compliance?start=2020-09-01&end=2020-09-30":
            ("利通区第一小学", "青铜峡市第一小学"),
    }
    for page, (own, foreign) in pages.items():
        r = client.get(page)
        assert r.status_code == 200, (page, r.text)
        assert own in r.text, page
        assert foreign not in r.text, page
    # The whole tenant's admin sees both counties.
    whole = admin.post("/users", {"name": "市管理员", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    for page, names in pages.items():
        r = client.get(page)
        assert r.status_code == 200, (page, r.text)
        assert all(name in r.text for name in names), page


def test_the_tenants_own_settings_are_refused_to_a_county_admin(client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    signed_in(client, admin, mine["admin_id"])
    t = f"/t/{admin.slug}/admin"
    token = csrf(client, f"{t}/org/schools")
    for page in (f"{t}/compliance/rules", f"{t}/imports"):
        r = client.get(page)
        assert r.status_code == 403 and "无权访问" in r.text, page
    for page in (f"{t}/compliance/rules", f"{t}/imports"):
        r = client.post(page, data={"_csrf_token": token}, follow_redirects=False)
        assert r.status_code == 403, page
    home = client.get(t).text
    assert f"{t}/imports" not in home
    assert f"{t}/compliance/rules" not in client.get(f"{t}/compliance").text


def test_forms_put_new_records_under_the_county_and_refuse_another_countys(
        client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    me, them = mine["admin"], other["admin"]
    signed_in(client, admin, mine["admin_id"])
    org = f"/t/{admin.slug}/admin/org"
    token = csrf(client, f"{org}/schools")

    def post(path: str, **fields: Any) -> Any:
        return client.post(path, data={"_csrf_token": token, **fields}, follow_redirects=False)

    # A school made on the page hangs under the county: the other county cannot see it.
    r = post(f"{org}/schools", name="页面新建小学", group="小学组", stage="小学")
    assert r.status_code == 303, r.text
    made = next(s["id"] for s in me.get("/schools") if s["name"] == "页面新建小学")
    them.get(f"/schools/{made}", expect=404)
    # So does an admin made on the people page: scoped to the county.
    r = post(f"/t/{admin.slug}/admin/people", name="页面新建管理员", role="admin")
    assert r.status_code == 303, r.text
    new_admin = r.headers["location"].split("/")[-1].split("?")[0]
    assert me.get(f"/users/{new_admin}")["name"] == "页面新建管理员"
    them.get(f"/users/{new_admin}", expect=404)
    # And an annual review.
    r = post(f"/t/{admin.slug}/admin/annual", year="2021-2022", name="页面年度考核")
    assert r.status_code == 303, r.text
    review = r.headers["location"].split("/")[-1].split("?")[0]
    them.get(f"/annual-reviews/{review}", expect=404)
    assert me.get(f"/annual-reviews/{review}")["name"] == "页面年度考核"
    # Ids of the other county named in a form are refused as over the API (404), nothing made.
    refused = {
        "unit": post(f"{org}/units", kind="research_group", name="越界教研组",
                     school_id=other["school"], subject="数学"),
        "community": post(f"{org}/communities", name="越界共同体", type="collaborative",
                          scope="县域", core_school_id=other["school"]),
        "join": post(f"{org}/communities/{mine['community']}/members",
                     school_id=other["school"]),
        "person": post(f"/t/{admin.slug}/admin/people", name="越界人员", role="reporter",
                       school=other["school"]),
        "teacher": post(f"{org}/teachers", name="越界教师", subject="语文",
                        school_id=other["school"]),
        "cards": post(f"/t/{admin.slug}/admin/sign-in-links", user=other["user"]),
    }
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 404)
    assert "越界教研组" not in {u["name"] for u in admin.get("/units")}
    assert "越界共同体" not in {c["name"] for c in admin.get("/communities")}
    assert "越界教师" not in {u["name"] for u in admin.get("/users")}
    # A subject from the other county is refused beside the pick; the round keeps its own.
    subjects = f"/t/{admin.slug}/admin/assessments/{mine['assessment']}/subjects"
    r = post(subjects, group="x", pick=f"school:{other['school']}")
    assert r.status_code == 422
    assert [s["ref_id"] for s in me.get(f"/assessments/{mine['assessment']}")["subjects"]] \
        == [mine["school"]]


def test_a_round_set_up_on_the_pages_hangs_under_the_county(client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    me = mine["admin"]
    rubric = me.post("/rubrics", RUBRIC)
    me.post(f"/rubrics/{rubric['id']}/publish", expect=200)
    signed_in(client, admin, mine["admin_id"])
    wiz = Wizard(client, admin.slug)
    assert wiz.post(1, {"name": "利通区页面考核", "starts_on": "2025-09-01",
                        "ends_on": "2026-07-10"}).status_code == 200
    assert wiz.post(2, {"components-name-0": "常态化工作",
                        "components-rubric-0": f"{rubric['id']}:1",
                        "components-weight-0": "100",
                        "components-kind-0": "routine"}).status_code == 200
    assert wiz.post(3, {"groups-name-0": "小学组", "groups-minutes-0": "8"}).status_code == 200
    assert wiz.post(4, {"method": "mean", "normalise": "none"}).status_code == 200
    r = wiz.post(5, {"tiers-name-0": "合格", "tiers-min-0": "0"})
    assert r.status_code == 303, r.text
    made = next(a["id"] for a in me.get("/assessments") if a["name"] == "利通区页面考核")
    other["admin"].get(f"/assessments/{made}", expect=404)
