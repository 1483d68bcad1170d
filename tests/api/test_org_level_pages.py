"""组织层级 on the pages (issue 16, ADR 28): a district office draws its levels, places schools
and units under them (划转 with a reason), and makes admins scoped to a node — each form the
API's own call, its refusals in Chinese beside the field with what was typed kept, a scoped
admin offered and allowed only nodes within their scope."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.api.flow import create_tenant
from tests.api.test_org_page_scope import csrf, signed_in
from tests.api.test_org_scope import county
from tests.conftest import drop_tenant


@pytest.fixture(scope="module")
def wuzhong(client, container):
    slug = f"wz{uuid.uuid4().hex[:10]}"
    admin = create_tenant(client, slug, "吴忠市教育局教研室")
    city = admin.post("/org/nodes", {"level": "city", "name": "吴忠市"})["id"]
    mine, other = county(admin, "利通区", city), county(admin, "青铜峡市", city)
    mine["zone"] = admin.post("/org/nodes", {"level": "zone", "name": "第一片区",
                                             "parent_id": mine["node"]})["id"]
    yield admin, city, mine, other
    drop_tenant(container, slug)


def post(client: Any, path: str, token: str, **fields: Any) -> Any:
    return client.post(path, data={"_csrf_token": token, **fields}, follow_redirects=False)


def nodes_of(admin: Any) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in admin.get("/org/nodes")}


def field_error(html: str, name: str, id_prefix: str = "f") -> str:
    """The message beside a form's field (``org/_form.html``), empty when there is none."""
    found = re.search(rf'id="err-{id_prefix}-{name}" role="alert">([^<]*)<', html)
    return found[1] if found else ""


def test_a_node_added_on_the_page_is_the_apis_and_the_tree_counts_what_hangs_there(
        client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    whole = admin.post("/users", {"name": "市教研室管理员", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    page = f"/t/{admin.slug}/admin/org/levels"
    token = csrf(client, page)
    r = post(client, page, token, level="community", name="利通区第一共同体",
             parent_id=mine["zone"])
    assert r.status_code == 303, r.text
    made = nodes_of(admin)["利通区第一共同体"]
    assert (made["level"], made["parent_id"]) == ("community", mine["zone"])
    assert made["path"] == ["吴忠市", "利通区", "第一片区", "利通区第一共同体"]
    shown = client.get(page).text
    assert "组织层级" in shown and "片区/协作区" in shown and "利通区第一共同体" in shown
    # The county's two schools and its 教研组 hang right at it; the city counts them below.
    row = re.search(r"<strong>利通区</strong>\s*<span class=\"muted\">([^<]*)</span>", shown)
    assert row is not None and row[1].startswith("学校 2 · 教研组织 1"), shown
    top = re.search(r"<strong>吴忠市</strong>\s*<span class=\"muted\">([^<]*)</span>", shown)
    assert top is not None and "含下级：学校 4 · 教研组织 2" in top[1], shown
    # The tab sits beside the others.
    assert f'href="/t/{admin.slug}/admin/org/levels" aria-current="page"' in shown


def test_a_parent_of_a_lower_level_is_refused_beside_the_field_and_nothing_is_written(
        client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    whole = admin.post("/users", {"name": "市教研室管理员乙", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    page = f"/t/{admin.slug}/admin/org/levels"
    token = csrf(client, page)
    before = nodes_of(admin)
    r = post(client, page, token, level="county", name="挂错的县", parent_id=mine["zone"])
    assert r.status_code == 422, r.text
    assert field_error(r.text, "level") == "县（区）不能隶属于片区/协作区"
    assert 'value="挂错的县"' in r.text  # what was typed is kept
    assert re.search(rf'<option value="{mine["zone"]}" selected>', r.text)
    assert nodes_of(admin) == before
    # An empty name is refused beside it too.
    r = post(client, page, token, level="zone", name="", parent_id=mine["node"])
    assert r.status_code == 400 and field_error(r.text, "name") == "不能为空"
    assert nodes_of(admin) == before


def test_a_school_moves_to_another_node_with_a_reason(client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    whole = admin.post("/users", {"name": "市教研室管理员丙", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    org = f"/t/{admin.slug}/admin/org"
    token = csrf(client, f"{org}/schools")
    # Registered on the page under the county: the create form's node select.
    r = post(client, f"{org}/schools", token, name="划转试点小学", group="小学组", stage="小学",
             node_id=mine["node"])
    assert r.status_code == 303, r.text
    school = next(s["id"] for s in admin.get("/schools") if s["name"] == "划转试点小学")
    assert admin.get(f"/schools/{school}")["node_id"] == mine["node"]
    page = client.get(f"{org}/schools/{school}").text
    assert "所属层级：吴忠市 / 利通区" in page
    # Without a reason: refused beside it, the node chosen kept, nothing written.
    r = post(client, f"{org}/schools/{school}/place", token, node_id=mine["zone"], reason="")
    assert r.status_code == 400, r.text
    assert field_error(r.text, "reason", "p") == "不能为空"
    assert re.search(rf'<option value="{mine["zone"]}" selected>', r.text)
    assert admin.get(f"/schools/{school}")["node_id"] == mine["node"]
    # Without a node: refused beside the choice.
    r = post(client, f"{org}/schools/{school}/place", token, node_id="", reason="区划调整")
    assert r.status_code == 400 and field_error(r.text, "node_id", "p") == "请选择划转到的层级"
    # With both: moved, as the API's PATCH; the history keeps the reason.
    r = post(client, f"{org}/schools/{school}/place", token, node_id=mine["zone"],
             reason="划入第一片区管理")
    assert r.status_code == 303, r.text
    assert admin.get(f"/schools/{school}")["node_id"] == mine["zone"]
    history = admin.get(f"/schools/{school}/history")
    events = history["events"] if isinstance(history, dict) else history
    placed = [e for e in events if e["type"] == "Placed"]
    assert len(placed) == 1 and placed[0]["reason"] == "划入第一片区管理"
    assert "所属层级：吴忠市 / 利通区 / 第一片区" in client.get(f"{org}/schools/{school}").text


def test_a_unit_is_registered_under_a_node_and_moved(client, wuzhong) -> None:
    admin, _, mine, _ = wuzhong
    whole = admin.post("/users", {"name": "市教研室管理员丁", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    org = f"/t/{admin.slug}/admin/org"
    token = csrf(client, f"{org}/units?kind=studio")
    # A unit of the county's school hangs where its school hangs until it is given a node.
    page = client.get(f"{org}/units/{mine['unit']}").text
    assert "所属层级：吴忠市 / 利通区" in page and "随所属学校" in page
    r = post(client, f"{org}/units", token, kind="studio", name="名师工作室",
             host_user_id=mine["user"], node_id=mine["zone"])
    assert r.status_code == 303, r.text
    studio = next(u for u in admin.get("/units") if u["name"] == "名师工作室")["id"]
    assert admin.get(f"/units/{studio}")["node_id"] == mine["zone"]
    r = post(client, f"{org}/units/{studio}/place", token, node_id=mine["node"], reason="")
    assert r.status_code == 400 and field_error(r.text, "reason", "p") == "不能为空"
    assert admin.get(f"/units/{studio}")["node_id"] == mine["zone"]
    r = post(client, f"{org}/units/{studio}/place", token, node_id=mine["node"],
             reason="改由区教研室主持")
    assert r.status_code == 303, r.text
    assert admin.get(f"/units/{studio}")["node_id"] == mine["node"]
    assert "所属层级：吴忠市 / 利通区" in client.get(f"{org}/units/{studio}").text


def test_an_admin_made_on_the_people_page_with_a_scope_sees_only_that_county(
        client, wuzhong) -> None:
    admin, _, mine, other = wuzhong
    whole = admin.post("/users", {"name": "市教研室管理员戊", "role": "admin"})["id"]
    signed_in(client, admin, whole)
    people = f"/t/{admin.slug}/admin/people"
    token = csrf(client, people)
    assert "管辖范围" in client.get(people).text
    r = post(client, people, token, name="利通区新管理员", role="admin", scope=mine["node"])
    assert r.status_code == 303, r.text
    made = r.headers["location"].split("/")[-1].split("?")[0]
    shown = client.get(f"{people}/{made}").text
    assert "管辖范围：吴忠市 / 利通区" in shown
    assert "管辖范围：全区" in client.get(f"{people}/{whole}").text
    # Signed in, the new admin sees the county's schools only — and the API agrees.
    signed_in(client, admin, made)
    schools = client.get(f"/t/{admin.slug}/admin/org/schools").text
    assert "利通区第一小学" in schools and "青铜峡市第一小学" not in schools
    assert client.get(f"/t/{admin.slug}/admin/org/schools/{other['school']}").status_code == 404
    levels = client.get(f"/t/{admin.slug}/admin/org/levels").text
    assert "<strong>利通区</strong>" in levels and "<strong>第一片区</strong>" in levels
    assert "<strong>吴忠市</strong>" not in levels and "青铜峡市" not in levels


def test_a_county_admin_cannot_name_a_node_outside_their_county(client, wuzhong) -> None:
    admin, city, mine, other = wuzhong
    signed_in(client, admin, mine["admin_id"])
    t = f"/t/{admin.slug}/admin"
    token = csrf(client, f"{t}/org/levels")
    # The forms offer the county's nodes only.
    for page in (f"{t}/org/levels", f"{t}/org/schools", f"{t}/people",
                 f"{t}/org/schools/{mine['school']}", f"{t}/org/units/{mine['unit']}"):
        shown = client.get(page).text
        assert f'value="{mine["node"]}"' in shown, page
        assert f'value="{other["node"]}"' not in shown and f'value="{city}"' not in shown, page
    before = nodes_of(admin)
    users = {u["name"] for u in admin.get("/users")}
    # Below their own node: allowed, as POST /org/nodes allows it.
    r = post(client, f"{t}/org/levels", token, level="zone", name="利通区第二片区",
             parent_id=mine["node"])
    assert r.status_code == 303, r.text
    assert nodes_of(admin)["利通区第二片区"]["parent_id"] == mine["node"]
    # Under another county, or at the top: refused as over the API, nothing written.
    r = post(client, f"{t}/org/levels", token, level="zone", name="越界片区",
             parent_id=other["node"])
    assert r.status_code == 404 and field_error(r.text, "parent_id").startswith("没有组织节点")
    assert 'value="越界片区"' in r.text
    r = post(client, f"{t}/org/levels", token, level="county", name="越界县")
    assert r.status_code == 422
    assert field_error(r.text, "parent_id") == "必填：须为您管理范围内的节点"
    assert set(nodes_of(admin)) == set(before) | {"利通区第二片区"}
    # 划转 into another county, a school registered there, an admin scoped there: 404.
    r = post(client, f"{t}/org/schools/{mine['school']}/place", token,
             node_id=other["node"], reason="越界划转")
    assert r.status_code == 404 and field_error(r.text, "node_id", "p")
    assert admin.get(f"/schools/{mine['school']}")["node_id"] == mine["node"]
    r = post(client, f"{t}/org/units/{mine['unit']}/place", token,
             node_id=other["node"], reason="越界划转")
    assert r.status_code == 404
    assert admin.get(f"/units/{mine['unit']}")["node_id"] is None
    r = post(client, f"{t}/org/schools", token, name="越界小学", group="小学组", stage="小学",
             node_id=other["node"])
    assert r.status_code == 404 and field_error(r.text, "node_id")
    assert "越界小学" not in {s["name"] for s in admin.get("/schools")}
    r = post(client, f"{t}/people", token, name="越界管理员", role="admin",
             scope=other["node"])
    assert r.status_code == 404 and field_error(r.text, "scope")
    assert {u["name"] for u in admin.get("/users")} == users
    # An admin made without a scope by a county admin is the county's, as over the API.
    r = post(client, f"{t}/people", token, name="利通区副管理员", role="admin")
    assert r.status_code == 303, r.text
    made = r.headers["location"].split("/")[-1].split("?")[0]
    assert "管辖范围：吴忠市 / 利通区" in client.get(f"{t}/people/{made}").text
