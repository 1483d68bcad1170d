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
    admin, city, mine, _ = wuzhong
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
